"""How extraction is spread on one machine: ``Workers(n)`` runs it in n processes.

    with Workers(4) as workers:                    # each process loads the pipeline once
        for done in workers.run(articles): ...     # Extracted, in the order given

The processes only read articles (``run.extract``); the caller links and stores what they return,
in order, in one place, so the ledger is the one a single process builds.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from types import TracebackType
from typing import Any

from ..records import Article
from .extract import Extracted, Extraction

# articles handed to a process at once, and chunks kept in flight per process (enough that none
# waits for work; few enough that a long stream is never held in memory at once)
CHUNK = 8
IN_FLIGHT = 4


def cores() -> int:
    """The cores this process may use (a container's or taskset's limit, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


_LOADED: dict[tuple[bool, bool], Extraction] = {}
_BARRIER: Any = None
_SETTINGS: tuple[bool, bool] | None = None


def load(link: bool, gate: bool) -> Extraction:
    """The pipeline of this process: spaCy, the gazetteer, the linking model, the gate."""
    from ..ledger import article_reader, relevance_gate
    from ..link.embed import Embedder

    return Extraction(article_reader(), [Embedder()] if link else [], relevance_gate() if gate else None)


def worker_extraction(link: bool, gate: bool) -> Extraction:
    """The pipeline of this worker process (a ``Workers`` process, a Spark Python worker), loaded
    on first use and kept: one core's worth of threads each, the processes are what use the cores."""
    if (link, gate) not in _LOADED:
        if link:
            # torch is imported by spaCy's thinc already, so OMP_NUM_THREADS would come too late;
            # two threads per process on as many cores as processes wait on each other at every operation
            import torch

            torch.set_num_threads(1)
        extraction = load(link, gate)
        for model in extraction.models:
            model.load()
        _LOADED[link, gate] = extraction
    return _LOADED[link, gate]


def _start(link: bool, gate: bool, barrier: Any) -> None:
    global _BARRIER, _SETTINGS
    _BARRIER, _SETTINGS = barrier, (link, gate)
    worker_extraction(link, gate)


def _extract(articles: list[Article]) -> list[Extracted]:
    assert _SETTINGS is not None, "worker not started"
    return list(worker_extraction(*_SETTINGS).run(articles))


def peak_mib() -> float:
    """This process's peak resident memory in MiB (VmHWM: unlike ru_maxrss, not carried over from
    the parent through the exec that starts a spawned process)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource  # pragma: no cover - no /proc

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _peak_mib(_: int) -> float:
    _BARRIER.wait(timeout=600)
    return peak_mib()


def _ready(_: int) -> int:
    _BARRIER.wait(timeout=600)  # each process takes one: none may take two while the others load
    return os.getpid()


class Workers:
    """``n`` processes (spawned, not forked: torch's threads do not survive a fork) that extract."""

    def __init__(self, n: int, link: bool = True, gate: bool = True) -> None:
        self.n = max(1, n)
        spawn = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(
            self.n, mp_context=spawn, initializer=_start, initargs=(link, gate, spawn.Barrier(self.n))
        )

    def warm(self) -> list[int]:
        """Start every process and load its pipeline now (benchmarks time loading apart); their pids."""
        return sorted(set(self.pool.map(_ready, range(self.n))))

    def peak_mib(self) -> list[float]:
        """Each process's peak resident memory so far, in MiB."""
        return sorted(self.pool.map(_peak_mib, range(self.n)))

    def run(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        it = iter(articles)
        pending: deque[Future[list[Extracted]]] = deque()
        while True:
            while len(pending) < self.n * IN_FLIGHT and (chunk := list(islice(it, CHUNK))):
                pending.append(self.pool.submit(_extract, chunk))
            if not pending:
                return
            yield from pending.popleft().result()

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
