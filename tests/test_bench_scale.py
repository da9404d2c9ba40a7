"""bench/scale.py, run small: it prints its table and the ratio of the last size to the first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "scale.py"


def test_scale_bench_runs_small(corpus_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--corpus", str(corpus_dir / "gva")]
        + ["--sizes", "8,16", "--batch", "6", "--limit", "12"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    lines = run.stdout.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("ledger holds"))
    rows = [ln.split() for ln in lines[header + 2 : header + 4]]
    # the ledger holds at least the size asked for (a text seen before is not stored twice), then grows
    assert int(rows[0][0]) >= 8 and int(rows[1][0]) >= 16
    assert all(float(r[-1]) > 0 and float(r[-2]) > 0 for r in rows)
    assert any(ln.startswith(f"ratio {rows[1][0]} / {rows[0][0]}: wall") for ln in lines)
    assert "extraction and embedding done beforehand, not timed" in run.stdout
