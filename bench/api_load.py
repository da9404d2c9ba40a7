"""GET /api/events with filters on a 100,000-event ledger, SQLite and PostgreSQL, at a fixed arrival rate.

    python bench/api_load.py [--backend sqlite|postgres|both] [--events 100000] [--rate 50] [--seconds 30]
                             [--clients 8] [--closed-seconds 5] [--db PATH_OR_URL]

The bar (p99 < 100 ms at 50 requests/s at 100k events, on a 2-core machine) is what this measures.

The ledger: ``--db`` when it already holds events (a SQLite path, or a ``postgresql://`` URL);
otherwise it is built there, or in a temporary file / a throw-away PostgreSQL server
(``warledger.store.pgserver.temp_server``). Building: the seed articles (``../shared/corpus/seeds``,
else ``examples/``) are ingested with linking off (13 events), then the rows of every table an event
read needs (articles, mentions, figures, sources, claims, events, event_weapons, event_search) are copied inside the
database, ``INSERT ... SELECT`` from a snapshot of the seed rows crossed with a batch of copy numbers
K: every id gets ``-K`` appended, every date (and the events' sort_key, and the dates and ids in
their JSON ``body`` / ``summary``) moves K days later, until there are at least ``--events`` events.
The copies repeat the seeds' texts, so filters match realistic fractions of the ledger.

The server is ``warledger serve --db DB`` (uvicorn, one process) in a subprocess on 127.0.0.1. The
load is open loop: request i is sent at t0 + i / ``--rate`` whatever the earlier ones are doing, over
an ``httpx.AsyncClient`` with at most ``--clients`` connections, for ``--seconds``; a request's
latency is counted from its SCHEDULED send time (so waiting for a free connection, or a late
scheduler, counts too). Each request is one of the filter kinds in ``KINDS`` (in turn, with random
values), limit 100. Then ``--closed-seconds`` of closed loop (``--clients`` clients sending as fast as
they can) gives the most requests/s the server takes (0: skipped).

Prints one table (backend, events, rate asked, requests, requests/s achieved, p50 / p99 ms, errors,
closed-loop requests/s) and the p50 / p99 of each filter kind, with the load average. Exit status 1
when a request failed (any status but 200).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from warledger.nlp.pipeline import ArticleReader
    from warledger.store.db import Database

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
UNDATED = "9999-99-99"  # an undated event's sort_key (store.query.UNDATED)
BATCH = 500  # copies per INSERT ... SELECT
LIMIT = 100

# per table: column -> how a copy K writes it ("id": -K appended, "day": K days later, "json":
# the JSON record's ids and days moved likewise, "skip": left to the database, a row id);
# every other column is copied as it is
TABLES: dict[str, dict[str, str]] = {
    "articles": {"id": "id", "hash": "id", "published": "day"},
    "events": {
        "event_id": "id",
        "wave_id": "id",
        "date_from": "day",
        "date_to": "day",
        "sort_key": "day",
        "body": "json",
        "summary": "json",
        "search_id": "sid",
    },
    "event_weapons": {"event_id": "id"},
    # the text q searches (FTS5 on SQLite, a pg_trgm index on PostgreSQL), its row the event's search_id
    "event_search": {"rowid": "sid", "event_id": "id"},
    "mentions": {"mention_id": "id", "article_id": "id", "event_id": "id", "date_from": "day", "date_to": "day"},
    "figures": {"id": "skip", "mention_id": "id", "article_id": "id"},
    "sources": {"id": "skip", "mention_id": "id", "article_id": "id"},
    "claims": {"id": "skip", "mention_id": "id", "article_id": "id"},
}
JSON_IDS = ("event_id", "wave_id")
SID_STRIDE = 1_000  # copy K's search ids: the seed's + K * this (the seeds have far fewer events)
# columns read by name where the catalogue does not list them (an FTS5 table's rowid)
COLUMNS = {"event_search": ["rowid", "event_id", "search"]}
JSON_DAYS = ("event_date", "date_from", "date_to")


# ---------------------------------------------------------------- building the ledger


def _columns(db: Database, table: str) -> list[str]:
    if db.dialect == "sqlite":
        return [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND is_identity = 'NO'"
        " ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in rows]


def _copy_expr(dialect: str, column: str, how: str) -> str:
    """The SELECT expression writing ``column`` of copy ``k.k`` from the seed row ``s``."""
    c = f's."{column}"'
    if how == "id":
        return f"{c} || '-' || k.k"
    if how == "sid":
        return f"{c} + k.k * {SID_STRIDE}"
    if how == "day":
        if dialect == "sqlite":  # date() of '9999-99-99' is NULL: the undated key stays
            return f"coalesce(date({c}, '+' || k.k || ' days'), {c})"
        day = f"{c} ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$' AND {c} <> '{UNDATED}'"
        return f"CASE WHEN {day} THEN ({c}::date + k.k)::text ELSE {c} END"
    if how == "json":  # keys the record has
        if dialect == "sqlite":  # json_set writes a NULL (no wave, no day) as null
            parts = [f"'$.{key}', json_extract({c}, '$.{key}') || '-' || k.k" for key in JSON_IDS]
            parts += [f"'$.{key}', date(json_extract({c}, '$.{key}'), '+' || k.k || ' days')" for key in JSON_DAYS]
            return f"json_set({c}, {', '.join(parts)})"
        expr = f"{c}::jsonb"
        moved = [(key, f"(({c}::jsonb ->> '{key}') || '-' || k.k)") for key in JSON_IDS]
        moved += [(key, f"((({c}::jsonb ->> '{key}')::date + k.k)::text)") for key in JSON_DAYS]
        for key, value in moved:
            new = f"coalesce(to_jsonb{value}, 'null'::jsonb)"
            expr = f"jsonb_set({expr}, '{{{key}}}', {new}, false)"  # false: a key it lacks stays out
        return f"({expr})::text"
    raise ValueError(how)


def copy_statements(db: Database) -> list[str]:
    """One ``INSERT ... SELECT`` per table: the seed rows (``bench_seed_TABLE``) times the copies in ``bench_k``."""
    out = []
    for table, rules in TABLES.items():
        cols = [c for c in COLUMNS.get(table) or _columns(db, table) if rules.get(c) != "skip"]
        exprs = [_copy_expr(db.dialect, c, rules[c]) if c in rules else f's."{c}"' for c in cols]
        names = ", ".join(f'"{c}"' for c in cols)
        source = f"bench_seed_{table} s CROSS JOIN bench_k k"
        out.append(f"INSERT INTO {table} ({names}) SELECT {', '.join(exprs)} FROM {source}")
    return out


def build(db_name: str | Path, n_events: int, reader: ArticleReader | None = None) -> None:
    """Fill an empty ledger with at least ``n_events`` events: the seeds ingested (by ``reader``, else
    the default one), then copied inside the database."""
    from warledger.ingest import read_paths
    from warledger.ledger import ingest_articles
    from warledger.store import Store
    from warledger.store.db import connect

    corpus = SEEDS if SEEDS.is_dir() else ROOT / "examples"
    with Store(db_name) as store:
        ingest_articles(read_paths([corpus]).articles, store, reader, link=False)
        per_copy = store.counts()["events"]
    copies = -(-n_events // per_copy)  # the seeds are copy 0
    db = connect(db_name)
    try:
        with db.write():
            for table in TABLES:
                listed = ", ".join(f"{c} AS {c}" for c in COLUMNS.get(table, ["*"])).replace("* AS *", "*")
                db.execute(f"CREATE TABLE bench_seed_{table} AS SELECT {listed} FROM {table}")
            db.execute("CREATE TABLE bench_k (k INTEGER NOT NULL)")
            statements = copy_statements(db)
        for lo in range(1, copies, BATCH):
            with db.write():
                db.execute("DELETE FROM bench_k")
                db.executemany("INSERT INTO bench_k VALUES (?)", [(k,) for k in range(lo, min(lo + BATCH, copies))])
                for sql in statements:
                    db.execute(sql)
        with db.write():
            for table in TABLES:
                db.execute(f"DROP TABLE bench_seed_{table}")
            db.execute("DROP TABLE bench_k")
            db.execute("UPDATE ledger_counts SET n = (SELECT count(*) FROM articles) WHERE name = 'articles'")
        if db.dialect == "postgres":  # what autovacuum would have done by the time the ledger is read
            db.execute("VACUUM ANALYZE")
        n = db.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        db.close()
    if n != per_copy * copies:
        raise SystemExit(f"built {n} events, expected {per_copy * copies}")
    check(db_name)


def check(db_name: str | Path) -> None:
    """The ledger answers a filter with events."""
    from warledger.store import EventFilter, Store

    with Store(db_name) as store:
        total, page = store.find_events(EventFilter(country="Ukraine"), limit=5)
    if total == 0 or len(page) != 5 or any(ev.country != "Ukraine" for ev in page):
        raise SystemExit(f"the ledger does not answer country=Ukraine ({total} events)")


def count_events(db_name: str | Path) -> int:
    from warledger.store.db import connect

    db = connect(db_name)
    try:
        return int(db.execute("SELECT count(*) FROM events").fetchone()[0])
    except db.errors:
        return 0
    finally:
        db.close()


# ---------------------------------------------------------------- the requests


def _day(rng: random.Random) -> str:
    """A day within the ledger's years (the seeds' 2023-2025, moved up to ~21 years later)."""
    return f"{rng.randint(2023, 2045)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _window(rng: random.Random) -> dict[str, object]:
    first = _day(rng)
    return {"date_from": first, "date_to": f"{first[:5]}12-31" if rng.random() < 0.5 else first[:8] + "28"}


# filter kind -> a request's query parameters (total: the ledger's events)
KINDS: dict[str, Callable[[random.Random, int], dict[str, object]]] = {
    "all": lambda rng, total: {"offset": rng.randrange(0, 1000)},
    "deep offset": lambda rng, total: {
        "offset": rng.choice([50_000, rng.randrange(total // 2, max(total - LIMIT, 1))])
    },
    "country": lambda rng, total: {"country": rng.choice(["Ukraine", "Russia"]), "offset": rng.randrange(0, 2000)},
    "admin1": lambda rng, total: {"admin1": rng.choice(["Dnipropetrovsk Oblast", "Sumy Oblast", "Belgorod Oblast"])},
    "location": lambda rng, total: {"location": rng.choice(["Kryvyi Rih", "Moscow", "Dnipro", "Samar"])},
    "dates": lambda rng, total: _window(rng),
    "weapon": lambda rng, total: {"weapon": rng.choice(["drone", "missile", "artillery", "Iskander-M missile"])},
    "min_killed": lambda rng, total: {"min_killed": rng.randint(1, 15)},
    "q": lambda rng, total: {"q": rng.choice(["Kryvyi", "missile", "Sumy", "children", "hospital", "Belgorod"])},
    "combined": lambda rng, total: {
        "country": "Ukraine",
        "weapon": rng.choice(["drone", "missile"]),
        "min_killed": rng.randint(1, 5),
        **_window(rng),
    },
}


def request(rng: random.Random, i: int, total: int) -> tuple[str, str]:
    """Request i: its filter kind (in turn) and its URL."""
    kind = list(KINDS)[i % len(KINDS)]
    params = {**KINDS[kind](rng, total), "limit": LIMIT}
    return kind, "/api/events?" + urlencode(params)


@dataclass(slots=True)
class Run:
    """What one load run saw."""

    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds
    errors: int = 0
    wall: float = 0.0
    late: float = 0.0  # how late the scheduler sent, at worst (s): the client's own lag

    def all(self) -> list[float]:
        return sorted(x for xs in self.latencies.values() for x in xs)


async def open_loop(base: str, total: int, rate: float, seconds: float, clients: int) -> Run:
    """Request i at t0 + i / rate, each in a task of its own; latency from the scheduled time."""
    import httpx

    run = Run()
    rng = random.Random(1)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def one(kind: str, url: str, due: float) -> None:
            try:
                res = await http.get(url)
                await res.aread()
                ok = res.status_code == 200
            except httpx.HTTPError:
                ok = False
            run.latencies.setdefault(kind, []).append(time.perf_counter() - due)
            run.errors += not ok

        tasks = []
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            run.late = max(run.late, time.perf_counter() - due)
            kind, url = request(rng, i, total)
            tasks.append(asyncio.create_task(one(kind, url, due)))
        await asyncio.gather(*tasks)
        run.wall = time.perf_counter() - t0
    return run


async def closed_loop(base: str, total: int, seconds: float, clients: int) -> Run:
    """``clients`` clients, each sending its next request when the last one is answered."""
    import httpx

    run = Run()
    stop = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:

        async def client(n: int) -> None:
            rng = random.Random(100 + n)
            i = n
            while time.perf_counter() < stop:
                kind, url = request(rng, i, total)
                i += clients
                t0 = time.perf_counter()
                try:
                    res = await http.get(url)
                    ok = res.status_code == 200
                except httpx.HTTPError:
                    ok = False
                run.latencies.setdefault(kind, []).append(time.perf_counter() - t0)
                run.errors += not ok

        t0 = time.perf_counter()
        await asyncio.gather(*(client(n) for n in range(clients)))
        run.wall = time.perf_counter() - t0
    return run


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted ``values`` (seconds), NaN when empty."""
    if not values:
        return float("nan")
    return values[min(len(values) - 1, max(0, -(-len(values) * p // 100) - 1))]


# ---------------------------------------------------------------- server and main


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(
    db_name: str | Path, src: Path | None = None, extra: Sequence[str] = (), token: str | None = None
) -> Iterator[str]:
    """``warledger serve --db DB`` on 127.0.0.1 (warledger imported from ``src`` when given: another
    checkout's ``src/``; ``extra``: more serve options; ``token``: its $WARLEDGER_TOKEN); YIELDS its
    base URL."""
    import httpx

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(src)} if src is not None else dict(os.environ)
    if token is not None:
        env["WARLEDGER_TOKEN"] = token
    server = subprocess.Popen(
        [sys.executable, "-c", "from warledger.cli import main; main()"]
        + ["serve", "--db", str(db_name), "--host", "127.0.0.1", "--port", str(port), *extra],
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        end = time.perf_counter() + 60
        while True:
            if server.poll() is not None:
                raise SystemExit(f"the server exited with status {server.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/api/events?limit=1", timeout=10).status_code == 200:
                    break
            if time.perf_counter() > end:
                raise SystemExit("the server did not start within a minute")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass(slots=True)
class Result:
    backend: str
    events: int
    rate: float
    open: Run
    closed: Run | None
    load: tuple[float, float]  # 1-minute load average before and after


def measure(backend: str, db_name: str | Path, args: argparse.Namespace) -> Result:
    """Build the ledger when it holds no events, serve it, and run the open and the closed loop."""
    import httpx

    from warledger.store.db import shown

    n = count_events(db_name)
    if n == 0:
        t0 = time.perf_counter()
        build(db_name, args.events)
        n = count_events(db_name)
        print(f"{backend}: built {n} events in {shown(db_name)} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    else:
        check(db_name)
    with serving(db_name) as base:
        total = httpx.get(base + "/api/events?limit=1", timeout=60).json()["total"]
        warm = random.Random(7)
        for i in range(2 * len(KINDS)):  # each kind once or twice first: caches, plans, imports
            httpx.get(base + request(warm, i, total)[1], timeout=60)
        load0 = os.getloadavg()[0]
        opened = asyncio.run(open_loop(base, total, args.rate, args.seconds, args.clients))
        closed = (
            asyncio.run(closed_loop(base, total, args.closed_seconds, args.clients)) if args.closed_seconds else None
        )
        load1 = os.getloadavg()[0]
    return Result(backend, n, args.rate, opened, closed, (load0, load1))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def report(results: list[Result], args: argparse.Namespace) -> None:
    from warledger.textable import format_table

    print(
        f"GET /api/events, limit {LIMIT}: open loop at --rate for {args.seconds:g} s (latency from the scheduled"
        f" send time, at most {args.clients} connections), then {args.closed_seconds:g} s closed loop"
        f" ({args.clients} clients); server: warledger serve (uvicorn, 1 process); {os.cpu_count()} CPUs"
    )
    head = ["backend", "events", "rate asked", "requests", "requests/s", "p50 ms", "p99 ms", "max ms", "errors"]
    rows = [head + ["closed req/s", "load avg"]]
    for r in results:
        lat = r.open.all()
        closed = f"{len(r.closed.all()) / r.closed.wall:.1f}" if r.closed else "-"
        rows.append(
            [r.backend, str(r.events), f"{r.rate:g}", str(len(lat)), f"{len(lat) / r.open.wall:.1f}"]
            + [
                ms(percentile(lat, 50)),
                ms(percentile(lat, 99)),
                ms(lat[-1]),
                str(r.open.errors + (r.closed.errors if r.closed else 0)),
            ]
            + [closed, f"{r.load[0]:.1f}-{r.load[1]:.1f}"]
        )
    print(format_table(rows))
    print()
    print("per filter kind (open loop): p50 / p99 ms")
    kinds = list(KINDS)
    per = [["kind", *(f"{r.backend} {q}" for r in results for q in ("n", "p50", "p99"))]]
    for kind in kinds:
        row = [kind]
        for r in results:
            lat = sorted(r.open.latencies.get(kind, []))
            row += [str(len(lat)), ms(percentile(lat, 50)), ms(percentile(lat, 99))]
        per.append(row)
    print(format_table(per))
    late = max(r.open.late for r in results)
    print(f"\nscheduler lag at worst {ms(late)} ms; bar: p99 < 100 ms at 50 requests/s at 100k events")


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    ap.add_argument("--events", type=int, default=100_000, help="events to build (at least; default 100000)")
    ap.add_argument("--rate", type=float, default=50.0, help="requests per second, open loop (default 50)")
    ap.add_argument("--seconds", type=float, default=30.0, help="open-loop seconds (default 30)")
    ap.add_argument("--clients", type=int, default=8, help="connections at most / closed-loop clients (default 8)")
    ap.add_argument("--closed-seconds", type=float, default=5.0, help="closed-loop seconds (0: none; default 5)")
    ap.add_argument("--db", help="ledger (SQLite path or postgresql:// URL), built there when it holds no events")
    args = ap.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if args.db and len(backends) > 1:
        ap.error("--db names one ledger: give --backend sqlite or postgres with it")

    from warledger.store.db import is_url

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            if args.db:
                if is_url(args.db) != (backend == "postgres"):
                    ap.error(f"--db {args.db} is not a {backend} ledger")
                results.append(measure(backend, args.db, args))
            elif backend == "sqlite":
                results.append(measure(backend, Path(tmp) / "bench.db", args))
            else:
                from warledger.store.pgserver import create_database, temp_server

                with temp_server() as base:
                    results.append(measure(backend, create_database(base, "bench"), args))
    report(results, args)
    return 1 if any(r.open.errors or (r.closed and r.closed.errors) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
