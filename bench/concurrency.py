"""Concurrent writers: several ``warledger ingest`` processes and API writes into one ledger at once
build the same ledger as one process reading the same articles.

    python bench/concurrency.py [--articles 2000] [--corpus ../shared/corpus/gva] [--ingesters 4]
                                [--api-share 0.2] [--backend sqlite|postgres|both] [--db-url BASE]

The articles: the first ``--articles`` lines of the corpus's ``articles.jsonl``, in publication
order. The reference ledger: one ``warledger ingest --db REF`` process over all of them. The
concurrent ledger: ``--api-share`` of them (spread evenly over the publication order) are POSTed to
``/api/articles`` of a ``warledger serve --db DB`` subprocess on 127.0.0.1 (a bearer token in
``$WARLEDGER_TOKEN``; one client thread, ``API_BATCH`` articles a request, in publication order),
and the rest are dealt round-robin (each share keeps publication order) to ``--ingesters``
``warledger ingest --db DB shareK.jsonl`` processes. The server is started first (it creates the
ledger); the ingest processes and the API client then start at the same time.

Then the two ledgers are read through ``Store`` and compared:

- errors: an ingest process exiting non-zero, a request not answered 200 or answered with
  problems, and every line that reached the user on stderr (ingest processes and server; tqdm's
  progress bar and the server's start-up line aside), e.g. "database is locked". They are printed.
- missing articles: texts the reference holds and the concurrent ledger does not (compared by
  text hash: the corpus repeats a few texts under other ids, and whichever comes first is kept).
- duplicated events: reports one reference event holds, spread over more than one concurrent
  event (each extra event counts), plus texts stored twice.
- differing events: reference events with no concurrent event of the same reports (mention ids)
  and the same figures (killed, injured, children, hospitalised, perpetrators, low / high); then
  again after `warledger relink` (every report decided again in publication order, as the
  reference was built). An article arriving after more than ``store.sql.LATE_RELINK_MAX``
  articles published later is linked as it comes, so a few examples are printed: the
  reports of the event in each ledger (each with its article, publication day and place in the
  order stored, reference / concurrent), and the figures that differ; and how many articles each
  ledger stored after one published later than them.

One table per backend: articles, ingest processes, API articles, errors, missing articles,
duplicated events, differing events (before and after relink), seconds (the concurrent run,
from the start of the writers until the last finished) and the reference's seconds. Exit status 1
when any ledger differs or any error reached the user.

``--backend postgres`` runs on a throw-away server (``warledger.store.pgserver.temp_server``), or
on the server at ``--db-url postgresql://user@host:port/`` where a database per ledger is created.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warledger.records import EXPORT_KEYS, FIGURE_KINDS

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "gva"
API_BATCH = 10
EXAMPLES = 5
# an event's figures: each kind, with the low / high of those that have them
FIGURES = tuple(k for k in EXPORT_KEYS if k.removesuffix("_low").removesuffix("_high") in FIGURE_KINDS)
# tqdm's bar (" 45%|████▌     | 9/20 [00:01<00:01, 8.0article/s]") and the server's start-up line
_NOT_ERRORS = re.compile(r"^\s*\d+%\|.*\||^warledger: serving ")


def warledger_cmd() -> list[str]:
    """The ``warledger`` command of the running interpreter's environment."""
    beside = Path(sys.executable).parent / "warledger"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("warledger")
    if found:
        return [found]
    return [sys.executable, "-c", "from warledger.cli import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_articles(corpus: Path, n: int) -> list[dict[str, Any]]:
    """The first ``n`` articles of the corpus, in publication order (ties by id)."""
    rows = []
    with (corpus / "articles.jsonl").open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
                if len(rows) == n:
                    break
    return sorted(rows, key=lambda r: (r.get("published") or "9999", str(r.get("id"))))


def deal(articles: Sequence[dict[str, Any]], ingesters: int, api_share: float) -> tuple[list[Any], list[list[Any]]]:
    """RETURNS (the API's articles, one share per ingest process), each in publication order."""
    api: list[dict[str, Any]] = []
    rest: list[dict[str, Any]] = []
    for i, art in enumerate(articles):
        # article i goes to the API when the running share crosses a whole number: evenly spread
        (api if int((i + 1) * api_share) > int(i * api_share) else rest).append(art)
    return api, [rest[k::ingesters] for k in range(ingesters)]


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def error_lines(text: str) -> list[str]:
    """The lines of a process's stderr a user would read as trouble (progress bars aside)."""
    lines = (ln.strip() for ln in re.split(r"[\r\n]+", text))
    return [ln for ln in lines if ln and not _NOT_ERRORS.search(ln)]


@dataclass
class Run:
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    api_articles: int = 0
    failed: bool = False  # a process exited non-zero


def run_reference(db: str, articles: Sequence[dict[str, Any]], tmp: Path) -> Run:
    path = write_jsonl(tmp / "all.jsonl", articles)
    t0 = time.perf_counter()
    done = subprocess.run([*warledger_cmd(), "ingest", "--db", db, str(path)], capture_output=True, text=True)
    run = Run(time.perf_counter() - t0)
    run.errors = [f"reference ingest: {ln}" for ln in error_lines(done.stderr)]
    if done.returncode != 0:
        run.failed = True
        run.errors.append(f"reference ingest exited {done.returncode}")
    return run


@contextmanager
def server(db: str, token: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``warledger serve`` on the ledger at ``db``; YIELDS its base URL and process, once it answers."""
    import httpx

    port = free_port()
    env = {**os.environ, "WARLEDGER_TOKEN": token}
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [*warledger_cmd(), "serve", "--db", db, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            end = time.perf_counter() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"warledger serve exited {proc.returncode}: {log.read_text()[-2000:]}")
                try:
                    if httpx.get(base + "/api/events?limit=1", timeout=5).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.perf_counter() > end:
                    raise RuntimeError("warledger serve did not answer within two minutes")
                time.sleep(0.2)
            yield base, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def post_all(base: str, token: str, articles: Sequence[dict[str, Any]], errors: list[str]) -> None:
    """POST the articles ``API_BATCH`` at a time; every answer but 200 without problems is an error."""
    import httpx

    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=900) as http:
        for i in range(0, len(articles), API_BATCH):
            batch = list(articles[i : i + API_BATCH])
            where = f"POST articles {i + 1}-{i + len(batch)}"
            try:
                res = http.post("/api/articles", json=batch)
            except httpx.HTTPError as exc:
                errors.append(f"{where}: {type(exc).__name__}: {exc}")
                continue
            if res.status_code != 200:
                errors.append(f"{where}: HTTP {res.status_code}: {res.text[:500]}")
                continue
            for problem in res.json().get("problems", []):
                errors.append(f"{where}: problem: {problem}")


def run_concurrent(db: str, articles: Sequence[dict[str, Any]], ingesters: int, api_share: float, tmp: Path) -> Run:
    api, shares = deal(articles, ingesters, api_share)
    paths = [write_jsonl(tmp / f"share{k}.jsonl", share) for k, share in enumerate(shares)]
    token = "wl_" + secrets.token_urlsafe(24)
    run = Run(api_articles=len(api))
    api_errors: list[str] = []
    log = tmp / "serve.log"
    with server(db, token, log) as (base, _):
        t0 = time.perf_counter()
        client = threading.Thread(target=post_all, args=(base, token, api, api_errors), name="api-client")
        if api:
            client.start()
        procs = []
        for k, path in enumerate(paths):
            out, err = (tmp / f"ingest{k}.out").open("wb"), (tmp / f"ingest{k}.err").open("wb")
            procs.append(subprocess.Popen([*warledger_cmd(), "ingest", "--db", db, str(path)], stdout=out, stderr=err))
            out.close()
            err.close()
        codes = [p.wait() for p in procs]
        if api:
            client.join()
        run.seconds = time.perf_counter() - t0
    for k, code in enumerate(codes):
        run.errors += [f"ingest {k}: {ln}" for ln in error_lines((tmp / f"ingest{k}.err").read_text(errors="replace"))]
        if code != 0:
            run.failed = True
            run.errors.append(f"ingest {k} ({len(shares[k])} articles) exited {code}")
    run.errors += api_errors
    run.errors += [f"serve: {ln}" for ln in error_lines(log.read_text(errors="replace"))]
    return run


@dataclass
class Ledger:
    """What the comparison needs of a ledger: its texts, its events' reports and figures."""

    texts: dict[str, str]  # text hash -> article id
    stored_twice: int  # articles rows beyond one per text
    reports: dict[str, frozenset[str]]  # event id -> its mention ids
    figures: dict[str, dict[str, Any]]  # event id -> FIGURES
    event_of: dict[str, str]  # mention id -> event id
    origin: dict[str, tuple[str, str]]  # mention id -> (article id, published)
    arrival: dict[str, int]  # article id -> its place in the order articles were stored (0 first)
    late: int  # articles stored after one published later than them


def read_ledger(db: str, article_ids: Sequence[str]) -> Ledger:
    from warledger.store import Store

    with Store(db) as store:
        texts: dict[str, str] = {}
        stored: list[tuple[str, str, str]] = []  # (ingested_at, published, id)
        for aid in article_ids:
            row = store.article(aid)
            if row is not None:
                texts[row["hash"]] = aid
                stored.append((str(row["ingested_at"]), str(row["published"] or "9999"), aid))
        stored_twice = max(0, int(store.counts()["articles"]) - len(texts))
        hash_of = {aid: h for h, aid in texts.items()}
        # a report is named by its article's text and its place in it: a text the corpus repeats
        # under two ids is one article, stored under whichever id came first
        event_of: dict[str, str] = {}
        figures = {}
        origin = {}
        for ev in store.events():
            row = ev.to_json()
            figures[ev.event_id] = {k: row[k] for k in FIGURES}
            for rep in store.reports(ev.event_id):
                key = f"{hash_of.get(rep.article_id, rep.article_id)[:16]}#{rep.seq}"
                event_of[key] = ev.event_id
                origin[key] = (rep.article_id, rep.published or "undated")
    stored.sort()
    late, newest = 0, ""
    for _, published, _ in stored:
        late += published < newest
        newest = max(newest, published)
    reports: dict[str, set[str]] = {eid: set() for eid in figures}
    for mid, eid in event_of.items():
        reports.setdefault(eid, set()).add(mid)
    arrival = {aid: i for i, (_, _, aid) in enumerate(stored)}
    frozen = {e: frozenset(m) for e, m in reports.items()}
    return Ledger(texts, stored_twice, frozen, figures, event_of, origin, arrival, late)


@dataclass
class Comparison:
    missing: list[str]
    duplicated: int
    differing: list[str]  # reference event ids
    examples: list[str]


def compare(ref: Ledger, conc: Ledger) -> Comparison:
    missing = sorted(aid for h, aid in ref.texts.items() if h not in conc.texts)
    duplicated = conc.stored_twice
    same = {(mids, tuple(conc.figures.get(eid, {}).items())) for eid, mids in conc.reports.items()}
    differing: list[str] = []
    examples: list[str] = []
    for eid in sorted(ref.reports):
        mids = ref.reports[eid]
        spread = {conc.event_of[m] for m in mids if m in conc.event_of}
        duplicated += max(0, len(spread) - 1)
        if (mids, tuple(ref.figures.get(eid, {}).items())) in same:
            continue
        differing.append(eid)
        if len(examples) < EXAMPLES:
            examples.append(describe(eid, ref, conc, spread))
    return Comparison(missing, duplicated, differing, examples)


def describe(eid: str, ref: Ledger, conc: Ledger, spread: set[str]) -> str:
    """One differing event: its reports and figures in the reference, and where they are concurrently."""
    mids = ref.reports[eid]

    def label(mids: set[str] | frozenset[str]) -> str:
        """Each report with its article, publication day and place in the order stored (reference / concurrent)."""
        out = []
        for m in sorted(mids, key=lambda m: ref.origin.get(m) or conc.origin.get(m) or (m, "")):
            aid, published = ref.origin.get(m) or conc.origin.get(m) or ("?", "?")
            out.append(f"{m} ({aid}, {published}, #{ref.arrival.get(aid, '-')}/#{conc.arrival.get(aid, '-')})")
        return ", ".join(out)

    lines = [f"  reference {eid}: {figure_text(ref.figures.get(eid, {}))}; reports {label(mids)}"]
    lost = {m for m in mids if m not in conc.event_of}
    if lost:
        lines.append(f"    not in the concurrent ledger: {label(lost)}")
    for other in sorted(spread):
        theirs = conc.reports.get(other, frozenset())
        extra = theirs - mids
        lines.append(
            f"    concurrent {other}: {figure_text(conc.figures.get(other, {}))}; reports {label(theirs & mids)}"
            + (f" + not in the reference event: {label(extra)}" if extra else "")
        )
        if theirs == mids:
            diff = [
                f"{k} {ref.figures[eid][k]} -> {conc.figures[other][k]}"
                for k in FIGURES
                if ref.figures.get(eid, {}).get(k) != conc.figures.get(other, {}).get(k)
            ]
            lines.append(f"    same reports, figures differ: {', '.join(diff)}")
    return "\n".join(lines)


def figure_text(figures: dict[str, Any]) -> str:
    shown = [f"{k} {v}" for k, v in figures.items() if v is not None and not k.endswith(("_low", "_high"))]
    return ", ".join(shown) or "no figures"


def bench_backend(
    backend: str, articles: Sequence[dict[str, Any]], args: argparse.Namespace, ledgers: tuple[str, str], tmp: Path
) -> tuple[list[str], bool]:
    """Run one backend; prints errors and examples as it goes; RETURNS (its table row, whether all matched)."""
    ref_db, conc_db = ledgers
    print(f"[{backend}] reference: one ingest process over {len(articles)} articles", file=sys.stderr, flush=True)
    ref_run = run_reference(ref_db, articles, tmp)
    if ref_run.failed:
        print(f"\n{backend}: the reference ingest failed:", *ref_run.errors[-20:], sep="\n  ")
        return [backend, str(len(articles)), str(args.ingesters), "-", "ref failed", *["-"] * 6], False
    print(
        f"[{backend}] reference done in {ref_run.seconds:.0f} s; concurrent: {args.ingesters} ingest processes"
        f" and the API",
        file=sys.stderr,
        flush=True,
    )
    run = run_concurrent(conc_db, articles, args.ingesters, args.api_share, tmp)
    ids = [str(a["id"]) for a in articles]
    ref, conc = read_ledger(ref_db, ids), read_ledger(conc_db, ids)
    cmp = compare(ref, conc)
    print(f"\n{backend}: {len(ref.reports)} events in the reference, {len(conc.reports)} in the concurrent ledger")
    if ref_run.errors:
        print(
            f"{len(ref_run.errors)} line(s) on the reference's stderr (not counted):", *ref_run.errors[:20], sep="\n  "
        )
    if run.errors:
        print(f"{len(run.errors)} error(s) reached the user:", *run.errors[:40], sep="\n  ")
        if len(run.errors) > 40:
            print(f"  ... and {len(run.errors) - 40} more")
    if cmp.missing:
        print(f"{len(cmp.missing)} article(s) missing: {', '.join(cmp.missing[:20])}")
    print(
        f"articles stored after one published later: {ref.late} in the reference, {conc.late} in the concurrent"
        " ledger (linking sees reports in another order)"
    )
    if cmp.examples:
        print(
            f"{len(cmp.differing)} reference event(s) differ; the first {len(cmp.examples)}"
            " (report (article, published, #stored in reference / concurrent)):",
            *cmp.examples,
            sep="\n",
        )
    # linking decides a report against the events there when it arrives: relink decides every
    # report again in publication order, which is how the reference was built
    relinked = subprocess.run([*warledger_cmd(), "relink", "--db", conc_db], capture_output=True, text=True)
    after = compare(ref, read_ledger(conc_db, ids)) if relinked.returncode == 0 else None
    if after is None:
        print(f"relink failed: {relinked.stderr.strip()[-500:]}")
    elif after.examples:
        print(f"after relink, {len(after.differing)} event(s) differ:", *after.examples, sep="\n")
    ok = not (run.errors or cmp.missing or cmp.duplicated or cmp.differing)
    row = [
        backend,
        str(len(articles)),
        str(args.ingesters),
        str(run.api_articles),
        str(len(run.errors)),
        str(len(cmp.missing)),
        str(cmp.duplicated),
        str(len(cmp.differing)),
        "failed" if after is None else str(len(after.differing)),
        f"{run.seconds:.1f}",
        f"{ref_run.seconds:.1f}",
    ]
    return row, ok


HEADER = [
    "backend",
    "articles",
    "ingest processes",
    "API articles",
    "errors",
    "missing articles",
    "duplicated events",
    "differing events",
    "differing after relink",
    "seconds",
    "reference s",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--ingesters", type=int, default=4)
    ap.add_argument("--api-share", type=float, default=0.2, help="fraction of the articles POSTed to the API")
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    ap.add_argument("--db-url", default=None, help="postgresql://user@host:port/ (default: a throw-away server)")
    args = ap.parse_args()
    if args.ingesters < 1 or not 0 <= args.api_share < 1:
        ap.error("--ingesters must be at least 1 and --api-share in [0, 1)")

    from warledger.textable import format_table

    articles = load_articles(args.corpus, args.articles)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    all_ok = True
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="warledger-conc-") as name:
            tmp = Path(name)
            try:
                with ledgers(backend, tmp, args.db_url) as pair:
                    row, ok = bench_backend(backend, articles, args, pair, tmp)
            except Exception as exc:  # a backend that cannot run at all: say why, go on with the next
                print(f"\n{backend}: could not run: {type(exc).__name__}: {exc}")
                row, ok = [backend, str(len(articles)), str(args.ingesters), "-", "failed", *["-"] * 5], False
        print(f"\nconcurrent writers vs one ingest process ({backend})")
        print(format_table([HEADER, row]), flush=True)
        all_ok = all_ok and ok
    return 0 if all_ok else 1


@contextmanager
def ledgers(backend: str, tmp: Path, db_url: str | None) -> Iterator[tuple[str, str]]:
    """YIELDS the reference's and the concurrent ledger's --db (files, or PostgreSQL URLs)."""
    if backend == "sqlite":
        yield str(tmp / "reference.db"), str(tmp / "concurrent.db")
        return
    from warledger.store.pgserver import create_database, temp_server

    tag = f"{os.getpid()}_{secrets.token_hex(3)}"
    if db_url:
        base = db_url if db_url.endswith("/") else db_url + "/"
        yield create_database(base, f"bench_ref_{tag}"), create_database(base, f"bench_conc_{tag}")
        return
    with temp_server() as base:
        yield create_database(base, f"bench_ref_{tag}"), create_database(base, f"bench_conc_{tag}")


if __name__ == "__main__":
    sys.exit(main())
