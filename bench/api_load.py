"""Load on GET /api/events: a 10,000-event ledger, uvicorn on loopback, a few concurrent clients.

    python bench/api_load.py [DB] [--events 10000] [--seconds 60] [--requests 20000] [--clients 4]

DB is reused when it exists (any ledger will do); otherwise it is built there (or in a temporary
folder) like this: the seed articles (``../shared/corpus/seeds``, else ``examples/``) are ingested
with linking off, then their rows (articles, reports, figures, quotes, claims, events) are copied
with new ids (``-K`` appended) and dates shifted by K days until there are ``--events`` events.
The copies repeat the seeds' texts, so filters match realistic fractions of the ledger.

The server is ``uvicorn`` (one process, its own CPU) in a subprocess on 127.0.0.1 and a free
port; the clients are ``httpx.AsyncClient`` tasks in this process, asking for a mix of filters
and pages, until ``--seconds`` (at most 60) or ``--requests`` is reached. Prints one table:
requests, seconds, requests/s, p50 and p99 latency in ms, errors (any status but 200).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
MAX_SECONDS = 60.0

# INSERT ... SELECT from the seed ledger (attached as src), every id suffixed with '-' || :k
_COPY = [
    "INSERT INTO articles (id, hash, source, published, outlet, url, title, language, place, text, ingested_at,"
    " tokens) SELECT id || '-' || :k, hash || '-' || :k, source, date(published, :shift), outlet, url, title,"
    " language, place, text, ingested_at, tokens FROM src.articles",
    "INSERT INTO events (event_id, wave_id, date_from, summary, created_at, updated_at)"
    " SELECT event_id || '-' || :k, wave_id || '-' || :k, date(date_from, :shift),"
    " json_set(summary, '$.date_from', date(json_extract(summary, '$.date_from'), :shift),"
    " '$.date_to', date(json_extract(summary, '$.date_to'), :shift)), created_at, updated_at FROM src.events",
    "INSERT INTO mentions (mention_id, article_id, seq, date_from, date_to, date_precision, country, admin1,"
    " location, latitude, longitude, geo_precision, geonameid, actor1, sub_event_type, weapons, targets, created_at,"
    " event_id, embedding) SELECT mention_id || '-' || :k, article_id || '-' || :k, seq, date(date_from, :shift),"
    " date(date_to, :shift), date_precision, country, admin1, location, latitude, longitude, geo_precision,"
    " geonameid, actor1, sub_event_type, weapons, targets, created_at, event_id || '-' || :k, embedding"
    " FROM src.mentions",
    'INSERT INTO figures (mention_id, kind, value, low, high, article_id, quote, start, "end", reported_by)'
    " SELECT mention_id || '-' || :k, kind, value, low, high, article_id || '-' || :k, quote, start, \"end\","
    " reported_by FROM src.figures",
    "INSERT INTO sources (mention_id, article_id, quote, start, \"end\") SELECT mention_id || '-' || :k,"
    " article_id || '-' || :k, quote, start, \"end\" FROM src.sources",
    'INSERT INTO claims (mention_id, article_id, by, statement, killed, injured, disputed, quote, start, "end")'
    " SELECT mention_id || '-' || :k, article_id || '-' || :k, by, statement, killed, injured, disputed, quote,"
    ' start, "end" FROM src.claims',
]


def build(db: Path, n_events: int) -> None:
    """A ledger of about ``n_events`` events: the seeds ingested (linking off), then copied."""
    from warledger.ingest import read_paths
    from warledger.ledger import ingest_articles
    from warledger.store import Store

    corpus = SEEDS if SEEDS.is_dir() else ROOT / "examples"
    seed = db.with_name(db.stem + ".seed.db")
    seed.unlink(missing_ok=True)
    with Store(seed) as store:
        ingest_articles(read_paths([corpus]).articles, store, link=False)
        per_copy = store.counts()["events"]
    shutil.copyfile(seed, db)
    conn = sqlite3.connect(db)
    conn.execute("ATTACH DATABASE ? AS src", (str(seed),))
    with conn:
        for k in range(1, -(-n_events // per_copy)):
            for sql in _COPY:
                conn.execute(sql, {"k": k, "shift": f"+{k} days"})
    conn.execute("DETACH DATABASE src")
    conn.close()
    seed.unlink()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def queries(rng: random.Random, total: int) -> str:
    """One request's query string: a page of everything, or a filter."""
    day = f"{rng.randint(2023, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    limit = rng.choice((20, 50, 100))
    return rng.choice(
        [
            f"limit={limit}&offset={rng.randrange(0, max(total - limit, 1))}",
            f"date_from={day}&limit={limit}",
            f"date_from={day}&date_to={day}",
            f"country={rng.choice(['Ukraine', 'Russia'])}&limit={limit}&offset={rng.randrange(0, 2000)}",
            f"admin1=Dnipropetrovsk%20Oblast&min_killed={rng.randint(1, 15)}&limit={limit}",
            f"location=Kryvyy%20Rih&date_to={day}",
            f"weapon=drone&actor1=Ukraine&limit={limit}",
            f"q={rng.choice(['Kryvyy', 'missile', 'Sumy', 'children', 'hospital'])}&limit={limit}",
        ]
    )


async def drive(base: str, seconds: float, max_requests: int, clients: int) -> tuple[list[float], int, float]:
    """Run the clients; RETURNS latencies (s) of every request, how many failed, and the wall time."""
    import httpx

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        total = (await probe.get("/api/events?limit=1")).json()["total"]

    async def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.perf_counter() < stop and len(latencies) < max_requests:
                t0 = time.perf_counter()
                try:
                    res = await http.get("/api/events?" + queries(rng, total))
                    ok = res.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

    t0 = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return latencies, errors, time.perf_counter() - t0


def percentile(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", nargs="?", help="ledger to use (built there when missing; default: a temporary one)")
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=MAX_SECONDS)
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--clients", type=int, default=4)
    args = ap.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)

    from warledger.textable import format_table

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "bench.db"
        if not db.exists():
            t0 = time.perf_counter()
            build(db, args.events)
            print(f"built {db} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        with sqlite3.connect(db) as conn:
            n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import sys, uvicorn; from warledger.api import create_app;"
                " uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')",
                str(db),
                str(port),
            ]
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, server)
            latencies, errors, wall = asyncio.run(drive(base, seconds, args.requests, args.clients))
        finally:
            server.terminate()
            server.wait(timeout=10)
    lat = sorted(latencies)
    print(f"GET /api/events on {n_events} events, {args.clients} clients, uvicorn on 127.0.0.1 (1 process)")
    print(
        format_table(
            [
                ["requests", "seconds", "requests/s", "p50 ms", "p99 ms", "errors"],
                [
                    str(len(lat)),
                    f"{wall:.1f}",
                    f"{len(lat) / wall:.1f}",
                    f"{percentile(lat, 50) * 1000:.1f}",
                    f"{percentile(lat, 99) * 1000:.1f}",
                    str(errors),
                ],
            ]
        )
    )
    return 1 if errors else 0


def wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Poll the server until it answers (it loads the ledger first)."""
    import httpx

    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(base + "/api/events?limit=1", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start within a minute")


if __name__ == "__main__":
    sys.exit(main())
