"""Progress of long work: one line per interval with count, rate and ETA when not on a terminal."""

from __future__ import annotations

import io
import re

from warledger.progress import Progress


def test_log_lines_give_count_rate_and_eta() -> None:
    out = io.StringIO()
    with Progress("ingest", total=40, out=out, every=0) as progress:
        for _ in range(10):
            progress.update(1)
    lines = out.getvalue().splitlines()
    assert len(lines) == 11  # one per update (every=0), one at the end
    assert re.fullmatch(r"ingest: 1/40 articles \(2%\), [\d.]+ articles/s, ETA \S+", lines[0])
    assert lines[-1].startswith("ingest: 10/40 articles (25%)")


def test_the_last_line_says_how_long_it_took() -> None:
    out = io.StringIO()
    with Progress("follow", unit="item", out=out, every=3600) as progress:
        progress.update(25)
    assert re.fullmatch(r"follow: 25 items, [\d.]+ items/s, \S+ in all\n", out.getvalue())


def test_small_work_shows_nothing() -> None:
    out = io.StringIO()
    with Progress("ingest", total=3, out=out, every=0) as progress:
        progress.update(3)
    assert out.getvalue() == ""
