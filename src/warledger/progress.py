"""Progress of long work (ingest, follow, spark-ingest, eval): count, rate and time left.

    with Progress("ingest", total=len(articles)) as progress:
        ...; progress.update(1)

On a terminal it is a bar (tqdm) with the rate and ETA; otherwise (a log file, a pipe, CI) one
line every ``every`` seconds and one at the end, so a log shows how far the work got.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO

EVERY = 10.0  # seconds between log lines
SMALL = 20  # no progress shown for fewer items than this


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Progress:
    def __init__(
        self,
        label: str,
        total: int | None = None,
        unit: str = "article",
        out: TextIO | None = None,
        every: float = EVERY,
        bar: bool | None = None,
    ) -> None:
        self.label, self.total, self.unit, self.every = label, total, unit, every
        self.out = out or sys.stderr
        self.done = 0
        self.start = self.last = time.monotonic()
        self.quiet = total is not None and total < SMALL
        self.bar: Any = None
        if not self.quiet and (self.out.isatty() if bar is None else bar):
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=unit, desc=label, file=self.out, dynamic_ncols=True)

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if not self.quiet and now - self.last >= self.every:
            self.last = now
            self._line(now)

    def line(self) -> str:
        """Where the work stands, in words: '120/2000 articles (6%), 12.3 articles/s, ETA 2m33s'."""
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        text = f"{self.label}: {self.done}"
        if self.total:
            text += f"/{self.total} {self.unit}s ({100 * self.done / self.total:.0f}%)"
        else:
            text += f" {self.unit}s"
        text += f", {rate:.1f} {self.unit}s/s"
        if self.total and rate > 0 and self.done < self.total:
            text += f", ETA {_duration((self.total - self.done) / rate)}"
        elif self.done and (not self.total or self.done >= self.total):
            text += f", {_duration(elapsed)} in all"
        return text

    def _line(self, now: float) -> None:
        print(self.line(), file=self.out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        elif not self.quiet and self.done:
            self._line(time.monotonic())
        self.quiet = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
