"""bench/api_load.py, run small: a few hundred events built by copying the seeds, two seconds of open-loop
load and half a second of closed loop on SQLite; every request answered, every filter kind sent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "api_load.py"


def test_api_load_bench_runs_small(seeds_dir: Path, tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCH), "--backend", "sqlite", "--events", "300", "--rate", "20"]
        + ["--seconds", "2", "--clients", "4", "--closed-seconds", "0.5", "--db", str(tmp_path / "load.db")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    header = next(i for i, ln in enumerate(lines) if ln.startswith("backend"))
    backend, events, rate, requests, _, p50, p99, _, errors, closed, _ = lines[header + 2].split()
    # the seeds hold 13 events: 24 copies of them
    assert (backend, events, rate, requests, errors) == ("sqlite", "312", "20", "40", "0")
    assert 0 < float(p50) <= float(p99) and float(closed) > 0
    kinds = lines[next(i for i, ln in enumerate(lines) if ln.startswith("kind")) + 2 :]
    assert {"all", "deep", "country", "weapon", "q"} <= {ln.split()[0] for ln in kinds if ln.strip()}
