"""bench/page_load.py, run small: a few hundred events built by copying the seeds, one page load in
Chromium; the table reports the page drawn, the bytes it carried and its requests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from warledger.web import built

BENCH = Path(__file__).resolve().parents[1] / "bench" / "page_load.py"


def test_page_load_bench_runs_small(seeds_dir: Path, tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").is_file() or not built():
        pytest.skip("needs Debian's chromium and the built page (make test installs and builds both)")
    run = subprocess.run(
        [sys.executable, str(BENCH), "--events", "300", "--runs", "1", "--label", "small"]
        + ["--db", str(tmp_path / "page.db"), "--timeout", "120"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("page"))
    label, events, runs, median, low, high, carried, requests, heap = lines[header + 2].split()
    assert (label, events, runs) == ("small", "312", "1")  # the seeds hold 13 events: 24 copies of them
    assert 0 < float(low) == float(median) == float(high)
    # the page, its script and style, the basemap's two files and the API's answers, gzipped
    assert 0.1 < float(carried) < 2 and int(requests) >= 8 and int(heap) > 0
