"""bench/crash.py, run small: ingest killed with SIGKILL 3 times on 20 articles, resumed, and the ledger
is the one an uninterrupted ingest builds; the comparison does see a ledger that differs."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench" / "crash.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_crash", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_crash_bench_runs_small(corpus_dir: Path, tmp_path: Path) -> None:
    crash = _bench()
    (result,) = crash.run_all(["sqlite"], corpus_dir / "gva", 20, 3, 0, tmp_path)
    c = result.comparison
    assert (result.backend, result.articles) == ("sqlite", 20)
    # 3 kills, unless the 20 articles were all stored before the last one (a run is quick)
    assert result.kills.done >= 2 and result.kills.runs == result.kills.done + 1
    assert (c.lost, c.extra_articles, c.duplicated, c.differing, c.changes_differing) == (0, 0, 0, 0, 0), c.examples
    assert c.integrity == "ok" and c.counts[0] == c.counts[1] and c.ok
    table = crash.report([result])
    assert table.splitlines()[0].split("  ")[0] == "backend"
    assert table.splitlines()[2].split()[:8] == ["sqlite", "20", str(result.kills.done), "0", "0", "0", "0", "ok"]

    # a ledger that differs is seen to differ: two events of the crashed ledger merged by hand
    from warledger.store import Store

    tampered = tmp_path / "tampered.db"
    shutil.copyfile(tmp_path / "crash.db", tampered)
    with Store(tampered) as store:
        reported_in: dict[str, set[str]] = {}  # event -> its articles (merge refuses two events of one article)
        for article, events in store.article_events().items():
            for e in events:
                reported_in.setdefault(e, set()).add(article)
        a, *others = reported_in
        store.merge(a, next(b for b in others if not reported_in[a] & reported_in[b]), "test")
    ids = crash.article_ids(tmp_path / "articles.jsonl")
    off = crash.compare(crash.read_ledger(str(tmp_path / "ref.db"), ids), crash.read_ledger(str(tampered), ids))
    assert off.differing >= 2 and off.changes_differing > 0 and off.lost == 0 and not off.ok
