"""bench/gate.py run small, and bench/mixed_stream.py's stream."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def mixed_stream_module():
    sys.path.insert(0, str(BENCH))
    try:
        import mixed_stream

        yield mixed_stream
    finally:
        sys.path.remove(str(BENCH))


def test_gate_bench_prints_recall_per_corpus(corpus_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH / "gate.py"), "--corpus-root", str(corpus_dir), "--unrelated", "240"]
        + ["--folds", "3", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = run.stdout.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("corpus "))
    rows = {ln.split()[0]: ln.split() for ln in lines[header + 2 :] if ln.strip()}
    corpora = sorted(p.name for p in corpus_dir.iterdir() if (p / "gold.json").exists())
    for name in corpora:
        assert float(rows[name][4]) >= 0.99, rows[name]  # recall on event-bearing articles
        assert float(rows[name][-1].replace(",", "")) > 0  # articles/s
    # the few event-bearing articles skipped name no cue at all: the pipeline reads no strike in them
    assert "read as a strike by the pipeline without the gate: 0" in run.stdout
    unrelated = rows["unrelated"]
    assert unrelated[1:4] == ["(generated)", "240", "0"]
    assert 0 < float(unrelated[6]) <= 1  # skip rate of 240 texts
    assert any(ln.startswith("reference events dropped: ") for ln in lines)
    assert any(ln.startswith("on all articles: families>=") for ln in lines)


def test_mixed_stream_holds_every_corpus_and_unrelated_texts(mixed_stream_module, corpus_dir: Path) -> None:
    per_corpus = mixed_stream_module.corpus_articles(corpus_dir)
    total = sum(len(arts) for arts in per_corpus.values())
    stream = mixed_stream_module.mixed_stream(60, seed=3, corpus_root=corpus_dir)
    again = mixed_stream_module.mixed_stream(60, seed=3, corpus_root=corpus_dir)
    assert [a.id for a in stream] == [a.id for a in again]  # deterministic
    assert len(stream) == total + 60
    unrelated = [a for a in stream if a.id.startswith("unrelated-")]
    assert len(unrelated) == 60 and len({a.text for a in unrelated}) == 60
    assert {a.language for a in unrelated} == {"en"} and all(a.title and a.published for a in unrelated)
    assert [a.id for a in stream[:50]] != [
        a.id for a in mixed_stream_module.mixed_stream(60, seed=4, corpus_root=corpus_dir)[:50]
    ]
    # as many unrelated texts as corpus articles by default
    assert len(mixed_stream_module.mixed_stream(None, corpus_root=corpus_dir)) == 2 * total
