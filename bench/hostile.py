"""400 hostile requests against ``warledger serve`` on loopback, then 60 wrong tokens in a row.

    python bench/hostile.py [--postgres | --db postgresql://...] [--src OTHER_CHECKOUT/src] [--unlimited] [--seed 1]

The server is ``warledger serve`` on a fresh SQLite ledger in a temporary folder; ``--postgres``:
on a database of a throw-away PostgreSQL server (``store.pgserver``, as the tests start one);
``--db URL``: on that ledger (an empty database of your own). ``--src``: import warledger from
another checkout, e.g. /work/main/src, to compare. The requests (with a valid write
token, $WARLEDGER_TOKEN of the server): junk query strings (random bytes, huge and negative
integers, unknown parameters), junk event ids, and JSON bodies to POST /api/articles (nested 5,000
deep, wrong types, large strings, not JSON). ``--unlimited`` serves with ``--writes-per-minute 0``
(so every body reaches the parser; a server without the option refuses it).

Prints the count of each status, the server errors (5xx, or a connection dropped), the answers
without the security headers, and how many of the 60 wrong tokens got 429. Exit status 1 when
there was a server error.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_load  # noqa: E402  (bench/ is not a package: its serving() starts the server)

TOKEN = "wl_bench_hostile_token"
HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")
GETS = ("/api/events", "/api/points", "/api/timeline", "/api/facets", "/api/changes", "/api/places", "/report")


def junk(rng: random.Random) -> str:
    """A hostile query value: random text, a huge or negative number, a date-like lie, emptiness."""
    return rng.choice(
        [
            "".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 40))),
            str(rng.choice([10**20, -(10**20), 2**63, -1, 0])),
            "9999-99-99",
            "",
            "1," * 50,
            "' OR 1=1 --",
        ]
    )


def requests(rng: random.Random) -> list[tuple[str, str, bytes | None]]:
    """400 (method, path, body): 150 junk queries, 100 junk ids, 150 junk bodies."""
    params = ["date_from", "date_to", "min_killed", "limit", "offset", "after", "bbox", "from", "to", "q", "x"]
    out: list[tuple[str, str, bytes | None]] = []
    for _ in range(150):
        query = "&".join(f"{rng.choice(params)}={quote(junk(rng))}" for _ in range(rng.randrange(1, 4)))
        out.append(("GET", f"{rng.choice(GETS)}?{query}", None))
    for _ in range(100):
        out.append(("GET", "/api/events/" + quote(junk(rng) or "x", safe=""), None))
    bodies: list[bytes] = [
        b"[" * 5000 + b"]" * 5000,
        b'{"a":' * 5000 + b"1" + b"}" * 5000,
        b"not json",
        b"",
        json.dumps({"text": 5, "id": [1]}).encode(),
        json.dumps([None] * 50).encode(),
        json.dumps({"html": "<p>" * 20_000}).encode(),
        json.dumps({"id": "x" * 10_000, "published": "yesterday", "text": ""}).encode(),
        json.dumps([[[[]]]]).encode(),
        b"\xff\xfe\x00",
    ]
    for n in range(150):
        out.append(("POST", "/api/articles", bodies[n % len(bodies)]))
    rng.shuffle(out)
    return out


@contextmanager
def ledger(db: str | None, postgres: bool) -> Iterator[str]:
    """The ledger to serve: ``db`` as given, a database on a throw-away PostgreSQL server, or a
    file in a temporary folder; YIELDS its path or URL (removed afterwards, except ``db``)."""
    if db:
        yield db
    elif postgres:
        from warledger.store.pgserver import create_database, temp_server

        with temp_server() as base:
            yield create_database(base, "hostile")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "hostile.db")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", type=Path, default=None, help="import warledger from this src/ folder")
    ap.add_argument("--unlimited", action="store_true", help="serve with --writes-per-minute 0")
    ap.add_argument("--seed", type=int, default=1)
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--postgres", action="store_true", help="serve a database on a throw-away PostgreSQL server")
    where.add_argument("--db", default=None, help="serve this ledger (a postgresql:// URL or a file)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    extra = ["--writes-per-minute", "0"] if args.unlimited else []
    statuses: Counter[int] = Counter()
    errors: list[str] = []
    bare = 0
    with ledger(args.db, args.postgres) as db, api_load.serving(db, args.src, extra, TOKEN) as base:
        print(f"ledger: {'PostgreSQL, ' + db.split('@')[-1] if '://' in db else 'SQLite, ' + db}")
        auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
        with httpx.Client(base_url=base, timeout=60, headers=auth) as client:
            for method, path, body in requests(rng):
                try:
                    res = client.request(method, path, content=body)
                except httpx.TransportError as exc:  # the server dropped the connection: as bad as a 500
                    errors.append(f"dropped {method} {path[:80]}: {exc!r}")
                    continue
                statuses[res.status_code] += 1
                bare += any(h not in res.headers for h in HEADERS)
                if res.status_code >= 500:
                    errors.append(f"{res.status_code} {method} {path[:80]} {res.text[:80]!r}")
            wrong = [
                client.post("/api/articles", content=b"{}", headers={"Authorization": f"Bearer wrong-{n}"})
                for n in range(60)
            ]
    limited = sum(r.status_code == 429 for r in wrong)
    print("statuses: " + ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items())))
    print(f"server errors (5xx or a dropped connection): {len(errors)} of 400")
    for line in errors[:10]:
        print("  " + line)
    print(f"answers without the security headers: {bare}")
    print(f"60 wrong tokens in a row: {limited} answered 429")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
