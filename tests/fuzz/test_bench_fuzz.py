"""bench/fuzz.py, run small: every target runs its share of cases through the real readers and
pipeline, and a case that raises (not a WarledgerError) is counted and shown as a crash."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from warledger.errors import InputError

BENCH = Path(__file__).resolve().parents[2] / "bench" / "fuzz.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_fuzz", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_fuzz_bench_runs_small() -> None:
    fuzz = _bench()
    tallies = fuzz.run_all(2 * len(fuzz.TARGETS))
    assert [t.target for t in tallies] == fuzz.TARGETS
    assert "bytes.jsonl" in fuzz.TARGETS and "jsonl+manifest" in fuzz.TARGETS
    assert all(t.cases == 2 and not t.crashes and not t.hangs and t.peak_mib > 0 for t in tallies), tallies
    lines = fuzz.table(tallies).splitlines()
    assert lines[0].split() == ["target", "cases", "crashes", "hangs", "peak", "MiB"]
    assert lines[2].split()[:4] == ["jsonl+manifest", "2", "0", "0"]
    assert len(lines) == 2 + len(fuzz.TARGETS)


def test_a_crash_is_counted_and_a_coded_error_is_not() -> None:
    fuzz = _bench()
    harness = fuzz.Harness()
    tally = fuzz.Tally("t")

    def bad() -> None:
        raise KeyError("boom")

    def coded() -> None:
        raise InputError("x.jsonl:1", "malformed JSON")

    harness.run(tally, bad, "the input")
    harness.run(tally, coded, "other")
    assert tally.cases == 2 and len(tally.crashes) == 1
    assert tally.crashes[0].startswith("KeyError at test_bench_fuzz.py:") and tally.crashes[0].endswith("'the input'")
    assert "crash in t: KeyError" in fuzz.table([tally])


def test_budget_is_shared_across_targets() -> None:
    fuzz = _bench()
    assert fuzz.shares(10, 8) == [2, 2, 1, 1, 1, 1, 1, 1]
    assert sum(fuzz.shares(10_000, len(fuzz.TARGETS))) == 10_000


def test_the_api_targets_cover_every_operation_of_the_spec() -> None:
    fuzz = _bench()
    assert {"api-bodies", "api-queries"} <= set(fuzz.TARGETS)
    api = fuzz.Harness().api()
    reads = dict(api.reads)
    assert api.writes == ["/api/articles"]
    assert {"/api/events", "/api/events/{event_id}", "/api/places", "/report", "/api/export.csv"} <= set(reads)
    assert "event_id" not in reads["/api/events/{event_id}"] and "bbox" in reads["/api/places"]
    assert len(api.event_ids) >= 1  # the reads have rows to work on
    api.request("GET", "/api/events?limit=1")  # a good answer raises nothing
    tally = fuzz.Tally("t")
    fuzz.Harness().run(tally, lambda: api.request("POST", "/api/articles", b"[" * 5000), "deep")
    assert tally.crashes == []  # a 400, not a 5xx
