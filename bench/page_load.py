"""The web page over a 50,000-event ledger: time to first render and bytes transferred, in Chromium.

    python bench/page_load.py [--events 50000] [--db PATH] [--runs 3] [--src DIR] [--label NAME]
                              [--timeout 900]

The ledger: ``--db`` when it already holds events (a SQLite path), else built there or in a
temporary file by bench/api_load.py's builder (the seed articles ingested, then copied inside the
database with ids made unique and dates moved, until there are ``--events``).

The server: ``warledger serve --db DB`` in a subprocess on 127.0.0.1, importing warledger from
``--src`` (default: this checkout's ``src/``, its page built by ``npm run build``). To measure the
page before a change, give another checkout's ``src/`` whose page is built (``git archive REV | tar
-x -C DIR && cd DIR/web && npm ci && npm run build``) and the same ``--db``.

Each run opens the page in a new browser context (empty cache) of Debian's chromium
(/usr/bin/chromium, driven by Playwright) and waits for ``body[data-ready]``, which the page sets
once its events are drawn (the map's markers, the timeline) over the basemap. Measured:

- first render: ms from the navigation's start to ``data-ready`` (``performance.now()`` when the
  page sets it, seen by a MutationObserver installed before the page's own scripts);
- bytes: what the network carried until then (Chromium's encodedDataLength: compressed bodies and
  headers), and the number of requests;
- JS heap: ``performance.memory.usedJSHeapSize`` at data-ready.

Prints one table: label, events, runs, first render median / min / max (ms), MB transferred,
requests, JS heap MB.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# installed before the page's scripts: records when the page says it is drawn
WATCH_READY = """
new MutationObserver((_, observer) => {
  if (document.body && document.body.dataset.ready === "true") {
    window.__readyAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
"""


def api_load() -> ModuleType:
    """bench/api_load.py (its builder and its server) as a module."""
    spec = importlib.util.spec_from_file_location("bench_api_load", ROOT / "bench" / "api_load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(slots=True)
class Load:
    """One page load."""

    ready_ms: float
    bytes: int
    requests: int
    heap: int


def load_once(browser: Any, url: str, timeout_s: float) -> Load:
    """Open ``url`` in a fresh context and wait for ``body[data-ready]``; what it took."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(WATCH_READY)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        carried = {"bytes": 0, "requests": 0}

        def finished(event: dict[str, Any]) -> None:
            carried["bytes"] += int(event.get("encodedDataLength", 0))
            carried["requests"] += 1

        cdp.on("Network.loadingFinished", finished)
        page.goto(url, timeout=timeout_s * 1000)
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=timeout_s * 1000)
        ready_ms = float(page.evaluate("window.__readyAt"))
        heap = int(page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0"))
        return Load(ready_ms, carried["bytes"], carried["requests"], heap)
    finally:
        context.close()


def measure(base: str, runs: int, timeout_s: float) -> list[Load]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            return [load_once(browser, base + "/?poll=0", timeout_s) for _ in range(runs)]
        finally:
            browser.close()


def report(label: str, events: int, loads: list[Load]) -> None:
    from warledger.textable import format_table

    ready = sorted(x.ready_ms for x in loads)
    head = ["page", "events", "runs", "first render ms (median)", "min", "max", "MB carried", "requests", "JS heap MB"]
    row = [
        label,
        str(events),
        str(len(loads)),
        f"{statistics.median(ready):.0f}",
        f"{ready[0]:.0f}",
        f"{ready[-1]:.0f}",
        f"{statistics.median(x.bytes for x in loads) / 1e6:.2f}",
        str(round(statistics.median(x.requests for x in loads))),
        f"{statistics.median(x.heap for x in loads) / 1e6:.0f}",
    ]
    print(f"the web page in Chromium (headless, a new context each run); {len(loads)} run(s)")
    print(format_table([head, row]))


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--events", type=int, default=50_000, help="events to build (at least; default 50000)")
    ap.add_argument("--db", help="SQLite ledger, built there when it holds no events")
    ap.add_argument("--runs", type=int, default=3, help="page loads (default 3)")
    ap.add_argument("--src", type=Path, default=ROOT / "src", help="the warledger to serve (a checkout's src/)")
    ap.add_argument("--label", default="this checkout", help="how the table names the page measured")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds a page load may take (default 900)")
    args = ap.parse_args()
    if not CHROMIUM.is_file():
        ap.error(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not (args.src / "warledger" / "web" / "static" / "index.html").is_file():
        ap.error(f"{args.src}/warledger/web/static/index.html is missing: build the page (npm run build)")

    bench = api_load()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "page.db"
        events = bench.count_events(db)
        if events == 0:
            t0 = time.perf_counter()
            bench.build(db, args.events)
            events = bench.count_events(db)
            print(f"built {events} events in {db} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        with bench.serving(db, args.src.resolve()) as base:
            loads = measure(base, args.runs, args.timeout)
    report(args.label, events, loads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
