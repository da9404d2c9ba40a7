"""bench/concurrency.py, run small: two ingest processes and the API write one SQLite ledger at once;
no error reaches the user, no article is missing, no event is duplicated or differs from the
ledger one process builds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "concurrency.py"


def test_concurrency_bench_runs_small(corpus_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--corpus", str(corpus_dir / "gva")]
        + ["--articles", "24", "--ingesters", "2", "--api-share", "0.25", "--backend", "sqlite"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = run.stdout.splitlines()
    header = next((i for i, ln in enumerate(lines) if ln.startswith("backend")), None)
    assert header is not None, run.stdout + run.stderr
    row = lines[header + 2].split()
    backend, articles, ingesters, api, errors, missing, duplicated, differing, relinked, seconds, _ = row
    assert (backend, articles, ingesters, api) == ("sqlite", "24", "2", "6")
    # 24 articles: each arrives after at most 23 published later, so each is linked in publication order
    assert (errors, missing, duplicated, differing, relinked) == ("0", "0", "0", "0", "0"), run.stdout
    assert float(seconds) > 0 and run.returncode == 0, run.stdout + run.stderr
