"""``warledger watch DIR``: read the files dropped into a folder (.txt, .html, .jsonl) into the ledger.

The folder is looked at every few seconds. A file is read once its size and modification time
have stayed the same for ``settle`` seconds (a file still being copied in is left alone), with
the reader of its suffix (``ingest.readers``). What was read is remembered in the ledger by path
and content hash, written after its articles are stored: a restart reads nothing twice and loses
nothing, and a file whose content changes is read again (its unchanged articles change nothing).
Dot files and other suffixes (``.part``, ``.tmp``) are ignored: write there, then rename. A
JSON-lines manifest is read as ``warledger ingest`` reads it (the files it names, with its
metadata), before the folder's other files; those are then read again alone and, their text being
stored, change nothing.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from warledger.errors import InputError
from warledger.ingest.readers import JsonlReader, read_file, reader_for
from warledger.records import Article
from warledger.store import Ledger, Store

from .common import Ingester, ReaderSource

Signature = tuple[int, int]  # size, modification time (ns)


@dataclass(slots=True)
class ScanResult:
    """What one look at the folder did; ``line()`` is what the command prints."""

    folder: str
    files: int = 0
    added: int = 0
    unchanged: int = 0
    waiting: int = 0
    errors: list[InputError] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"{self.folder}: {self.files} file(s) read, {self.added} article(s) added, {self.unchanged} unchanged,"
            f" {self.waiting} still being written, {len(self.errors)} problem(s)"
        )

    @property
    def quiet(self) -> bool:
        return not (self.files or self.waiting or self.errors)


def _signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Watcher:
    """Reads the files of ``folder`` into the ledger at ``db`` as they settle."""

    def __init__(
        self,
        folder: str | PathLike[str],
        db: str | PathLike[str],
        *,
        settle: float = 2.0,
        reader: ReaderSource = None,
        lock: threading.Lock | None = None,
        on_scan: Callable[[ScanResult], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
        self.db = db
        self.settle = settle
        self.ingester = Ingester(reader, lock)
        self.on_scan = on_scan or (lambda result: None)
        self.clock = clock
        self.stop_event = threading.Event()
        self.sizes: dict[Path, tuple[Signature, float]] = {}  # a file's signature and since when it held
        self.done: dict[Path, Signature] = {}  # files dealt with, as they were then

    def files(self) -> list[Path]:
        """The folder's files that a reader reads (dot files left out): JSON-lines files first, so
        that a manifest's metadata goes with the files it names, then by name."""
        try:
            found = [p for p in self.folder.iterdir() if not p.name.startswith(".") and reader_for(p) and p.is_file()]
            return sorted(found, key=lambda p: (not isinstance(reader_for(p), JsonlReader), p.name))
        except OSError as err:
            raise InputError(str(self.folder), f"cannot list folder ({err.strerror or err})") from None

    def look(self) -> None:
        """Note every file's size and time now (a scan ``settle`` seconds later reads those that held)."""
        now = self.clock()
        for path in self.files():
            sig = _signature(path)
            if sig is not None and self.sizes.get(path, (None, 0.0))[0] != sig:
                self.sizes[path] = (sig, now)

    def run_once(self) -> ScanResult:
        """Look, wait ``settle`` seconds, and read the files that did not change meanwhile."""
        self.look()
        self.stop_event.wait(self.settle)
        with Store(self.db) as store:
            return self.scan(store)

    def run(self, interval: float = 5.0) -> None:
        """Scan every ``interval`` seconds until the stop event is set; reports only busy scans."""
        with Store(self.db) as store:
            while not self.stop_event.is_set():
                result = self.scan(store)
                if not result.quiet:
                    self.on_scan(result)
                self.stop_event.wait(interval)

    def scan(self, store: Ledger) -> ScanResult:
        """Read the files that have settled and were not read before with this content."""
        result = ScanResult(str(self.folder))
        now = self.clock()
        try:
            paths = self.files()
        except InputError as err:
            result.errors.append(err)
            return result
        for path in paths:
            sig = _signature(path)
            if sig is None or self.done.get(path) == sig:
                continue
            first = self.sizes.get(path)
            if first is None or first[0] != sig:
                self.sizes[path] = (sig, now)
                result.waiting += 1
            elif now - first[1] < self.settle:
                result.waiting += 1
            else:
                self._read(store, path, sig, result)
        return result

    def _read(self, store: Ledger, path: Path, sig: Signature, result: ScanResult) -> None:
        """Read one settled file, store its articles, then remember it."""
        name = str(path.resolve())
        try:
            digest = _digest(path)
        except OSError as err:
            result.errors.append(InputError(str(path), f"cannot read file ({err.strerror or err})"))
            return
        if store.watched_file(name, digest) is not None:  # read before, with this content
            self.done[path] = sig
            return
        items = list(read_file(path))
        try:
            changed = _digest(path) != digest
        except OSError:
            changed = True
        if changed:  # written to while it was read: read once it settles again
            self.sizes.pop(path, None)
            result.waiting += 1
            return
        articles = [i for i in items if isinstance(i, Article)]
        problems = [i for i in items if isinstance(i, InputError)]
        batch = self.ingester.store(store, articles)
        result.files += 1
        result.added += batch.added
        self.done[path] = sig
        lost = [a for a, stored in zip(articles, batch.ids, strict=True) if stored is None]  # skipped: recorded
        result.unchanged += len(articles) - len(lost) - batch.added
        result.errors += problems
        if lost:  # not remembered: read again after a restart (or when it changes)
            why = "; ".join(batch.problems) or "not stored"
            result.errors.append(InputError(str(path), f"{len(lost)} article(s) not stored ({why})"))
            return
        status = "read" if articles or not problems else "bad"
        store.mark_file(name, digest, status, len(articles), "; ".join(p.problem for p in problems) or None)
