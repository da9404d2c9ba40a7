"""Crash safety: ``warledger ingest`` killed with SIGKILL at random moments, resumed each time, then
compared with a ledger built without interruption.

    python bench/crash.py [--articles 500] [--kills 50] [--corpus ../shared/corpus/gva]
                          [--backend sqlite|postgres|both] [--seed 0] [--workdir DIR] [--db-url BASE]

The articles: the first ``--articles`` lines of the corpus's ``articles.jsonl``, written to one
JSON-lines file in the work folder and fed in that order to every run.

The reference ledger is one ``warledger ingest --db REF FILE`` run to the end (a subprocess, as a
person would run it); its timeline (seconds until the first article is stored, until the end) is
kept. The crashed ledger is built by the same command, started, killed with SIGKILL, started again
(ingest skips the articles already stored) ``--kills`` times, and then run to the end. Where each
kill lands is drawn at random: one start in five is killed after a delay drawn between 0 and the
reference's time to its first stored article (the models loading, the schema migrating, the first
batch read and embedded); the others once the ledger's article count (polled every
10 ms by a separate connection) has grown by 1..k articles since the start, plus a jitter of 0 to
50 ms (a commit or two), so that most kills land while articles are being written and linked.
``k`` is what is left to store over the kills left, so that the kills spread over the batch (if a
run still gets to the end before its kill, fewer kills are made, and the table says how many).

The two ledgers are then read through the library (``Store(db)``) and compared:

- lost articles: articles of the reference missing from the crashed ledger;
- duplicated events: events of the crashed ledger beyond one per reference event (a strike whose
  reports ended up in two events or more);
- differing events: reference events not found in the crashed ledger with the same reports
  (mention ids) and the same JSON export row (figures, toll history, sources, claims, place, date,
  wave...; lists of objects compared order aside), plus crashed-ledger events whose reports the
  reference does not hold;
- change-log rows differing: the change logs compared as multisets of (event, action, field, old,
  new), time aside; the count is the rows in one and not in the other. The rows whose reason
  (``why``: the article, the linking score and its terms) differs are counted apart, under the
  table: the scores' rare-name weights depend on what the process has cached since it started;
- integrity_check: SQLite's ``PRAGMA integrity_check`` of the crashed ledger ("n/a" on PostgreSQL).

One table, a row per backend, and under it where the kills landed and what differed (row counts
of the tables, extra articles, a few examples). The exit status is 0 when the ledgers are the
same, 1 when anything differs, 2 when a run failed.

``--backend postgres`` runs the same on two databases of a throw-away server
(``warledger.store.pgserver.temp_server``), or of the server at ``--db-url`` (a base URL such as
``postgresql://postgres@127.0.0.1:5432/``; the two databases are created there and dropped after).
The article count is read by a connection of the bench's own, outside the Store (opening a Store
migrates the schema: it would write to the ledger the run is writing).
Each start loads the models again (seconds), so 50 kills take several minutes.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLL_S = 0.01  # how often the article count is read while a run goes on
JITTER_S = 0.05  # at most this long between the count reaching its mark and the kill (about 2 commits)
EARLY = 0.2  # the share of starts killed before their first write (models loading, schema, first batch)
HEADER = (
    "backend",
    "articles",
    "kills",
    "lost articles",
    "duplicated events",
    "differing events",
    "change-log rows differing",
    "integrity_check",
    "seconds",
)


# -- the ledger, seen from outside the process writing it ------------------------------------


class ArticleCount:
    """Reads the number of stored articles of a ledger that another process is writing."""

    def count(self) -> int | None:
        """Articles stored; None while there is no ledger (or no articles table) yet."""
        raise NotImplementedError

    def close(self) -> None:
        pass


class SqliteCounter(ArticleCount):
    def __init__(self, path: Path) -> None:
        self.path = path

    def count(self) -> int | None:
        if not self.path.exists():
            return None
        try:
            # a connection per read, read-only: it never creates the file, never holds the WAL open
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=0.5)
            try:
                return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:
            return None


class PostgresCounter(ArticleCount):
    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: Any = None

    def count(self) -> int | None:
        import psycopg

        try:
            if self.conn is None or self.conn.closed:
                self.conn = psycopg.connect(self.url, autocommit=True, connect_timeout=5)
            row = self.conn.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0])
        except psycopg.Error:
            return None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def counter_for(db: str) -> ArticleCount:
    return PostgresCounter(db) if db.startswith(("postgresql://", "postgres://")) else SqliteCounter(Path(db))


# -- running ingest ---------------------------------------------------------------------------


def ingest_command(db: str, articles: Path) -> list[str]:
    """``warledger ingest --db DB FILE``, with the warledger of this interpreter."""
    script = Path(sys.executable).with_name("warledger")
    head = [str(script)] if script.exists() else [sys.executable, "-c", "from warledger.cli import main; main()"]
    return [*head, "ingest", "--db", db, str(articles)]


def start(db: str, articles: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        out.write(f"\n=== {time.strftime('%H:%M:%S')} start\n".encode())
        out.flush()
        return subprocess.Popen(ingest_command(db, articles), stdout=out, stderr=subprocess.STDOUT)


@dataclass(slots=True)
class Timeline:
    """Seconds from the start of an uninterrupted ingest to its first stored article, to its end."""

    first_write_s: float
    total_s: float
    articles: int


def reference_run(db: str, articles: Path, log: Path) -> Timeline:
    """Build the reference ledger in one uninterrupted run; RETURNS its timeline."""
    counter = counter_for(db)
    t0 = time.perf_counter()
    proc = start(db, articles, log)
    first: float | None = None
    try:
        while proc.poll() is None:
            if first is None and (counter.count() or 0) > 0:
                first = time.perf_counter() - t0
            time.sleep(POLL_S)
        total = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RuntimeError(f"reference ingest failed ({proc.returncode}); see {log}")
        stored = counter.count() or 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        counter.close()
    return Timeline(first if first is not None else total, total, stored)


@dataclass(slots=True)
class Kills:
    asked: int
    done: int = 0
    before_write: int = 0  # kills that landed before the run stored its first article
    while_writing: int = 0
    runs: int = 0  # starts, the last (uninterrupted) one included
    at_counts: list[int] = field(default_factory=list)  # articles stored when each kill landed


def crashed_run(db: str, articles: Path, log: Path, kills: int, rng: random.Random, timeline: Timeline) -> Kills:
    """Build a ledger by ingest runs killed ``kills`` times at random moments, then one run to the
    end. Kills fewer times only if the ledger is complete before the last kill."""
    counter = counter_for(db)
    out = Kills(asked=kills)
    proc: subprocess.Popen[bytes] | None = None
    try:
        while out.done < kills:
            base = counter.count() or 0
            left = timeline.articles - base
            if left <= 0:  # nothing left to write: a run would only read the file and stop
                break
            k = max(1, left // (kills - out.done + 1))
            early = rng.random() < EARLY
            mark = rng.randint(1, k)
            proc = start(db, articles, log)
            out.runs += 1
            t0 = time.perf_counter()
            if early:  # during model loading, migration, the first batch read
                deadline = t0 + rng.uniform(0, timeline.first_write_s)
                while proc.poll() is None and time.perf_counter() < deadline:
                    time.sleep(POLL_S)
            else:
                while proc.poll() is None and (counter.count() or 0) < base + mark:
                    time.sleep(POLL_S)
                time.sleep(rng.uniform(0, JITTER_S))
            if proc.poll() is not None:  # it finished first
                if proc.returncode != 0:
                    raise RuntimeError(f"ingest failed on its own ({proc.returncode}); see {log}")
                break
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            now = counter.count() or 0
            with log.open("ab") as f:
                f.write(f"\n=== killed with {now} article(s) stored\n".encode())
            out.done += 1
            out.at_counts.append(now)
            if now > base:
                out.while_writing += 1
            else:
                out.before_write += 1
        proc = start(db, articles, log)  # the last run, to the end
        out.runs += 1
        if proc.wait() != 0:
            raise RuntimeError(f"the final ingest failed ({proc.returncode}); see {log}")
    finally:
        if proc is not None and proc.poll() is None:  # this bench failed or was stopped
            proc.kill()
            proc.wait()
        counter.close()
    return out


# -- comparing two ledgers --------------------------------------------------------------------


def _canonical(value: Any) -> Any:
    """JSON-ready ``value`` with every list of objects sorted (order aside)."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        if any(isinstance(v, dict | list) for v in items):
            return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return items
    return value


@dataclass(slots=True)
class Ledger:
    """What the comparison reads of a ledger."""

    articles: set[str]
    events: list[tuple[frozenset[str], dict[str, Any]]]  # (its mention ids, its canonical export row)
    event_of: dict[str, str]  # mention id -> event id
    changes: Counter[tuple[Any, ...]]  # (event, action, field, old, new)
    reasons: Counter[tuple[Any, ...]]  # the same and why
    counts: dict[str, int]
    integrity: str


def article_ids(articles: Path) -> list[str]:
    """The ids ingest gives the articles of the file (read as ingest reads it)."""
    from warledger.ingest import read_paths

    return [a.id for a in read_paths([articles]).articles]


def read_ledger(db: str, ids: Iterable[str]) -> Ledger:
    """Read ``db`` through the library (``Store``); ``ids``: the articles to look for."""
    from warledger.store import Store

    with Store(db) as store:
        articles = {a for a in ids if store.article(a) is not None}
        event_of = {m: e for m, e in store.event_of_mentions().items() if e}
        reports: dict[str, set[str]] = {}
        for m, e in event_of.items():
            reports.setdefault(e, set()).add(m)
        events = [(frozenset(reports.get(ev.event_id, ())), _canonical(ev.to_json())) for ev in store.events()]
        reasons = Counter(
            (c.event_id, c.action, c.field, json.dumps(c.old, sort_keys=True), json.dumps(c.new, sort_keys=True), c.why)
            for c in store.changes()
        )
        changes = Counter(r[:-1] for r in reasons.elements())
        counts = store.counts()
    integrity = "n/a"
    if not db.startswith(("postgresql://", "postgres://")):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            integrity = "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall())
        finally:
            conn.close()
    return Ledger(articles, events, event_of, changes, reasons, counts, integrity)


@dataclass(slots=True)
class Comparison:
    lost: int
    extra_articles: int
    duplicated: int
    differing: int
    changes_differing: int
    reasons_differing: int  # change-log rows alike but for their reason (counted in neither ledger's favour)
    integrity: str
    counts: tuple[dict[str, int], dict[str, int]]
    examples: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not (self.lost or self.extra_articles or self.duplicated or self.differing or self.changes_differing)
            and self.integrity in ("ok", "n/a")
            and self.counts[0] == self.counts[1]
        )


def compare(ref: Ledger, got: Ledger) -> Comparison:
    """The crashed ledger ``got`` against the reference ``ref``."""
    examples: list[str] = []
    lost = ref.articles - got.articles
    examples += [f"lost article {a}" for a in sorted(lost)[:3]]
    # each event of the crashed ledger is counted against the reference event holding its reports
    # (the first of them, by id, when its reports are spread over several)
    per_ref: Counter[str] = Counter()
    strays = 0  # events none of whose reports the reference holds (or that hold no report)
    for mids, _ in got.events:
        owners = sorted({ref.event_of[m] for m in mids if m in ref.event_of})
        if owners:
            per_ref[owners[0]] += 1
        else:
            strays += 1
    duplicated = sum(n - 1 for n in per_ref.values())
    examples += [f"reference event {e} is {n} events" for e, n in per_ref.most_common(3) if n > 1]
    differing = strays
    found = dict(got.events)  # mention ids -> row (a report belongs to one event: the sets are disjoint)
    for mids, row in ref.events:
        other = found.get(mids)
        if other == row:
            continue
        differing += 1
        if len(examples) < 8:
            if other is None:
                examples.append(f"event {row['event_id']}: no event with the same {len(mids)} report(s)")
            else:
                keys = sorted(k for k in row if row[k] != other.get(k))
                examples.append(f"event {row['event_id']}: differs in {', '.join(keys)}")
    changes_differing = sum(((ref.changes - got.changes) + (got.changes - ref.changes)).values())
    reasons_differing = sum(((ref.reasons - got.reasons) + (got.reasons - ref.reasons)).values()) - changes_differing
    return Comparison(
        lost=len(lost),
        extra_articles=len(got.articles - ref.articles),
        duplicated=duplicated,
        differing=differing,
        changes_differing=changes_differing,
        reasons_differing=reasons_differing,
        integrity=got.integrity,
        counts=(ref.counts, got.counts),
        examples=examples,
    )


# -- one backend, end to end ------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    backend: str
    articles: int
    kills: Kills
    comparison: Comparison
    seconds: float
    reference: Timeline

    def row(self) -> tuple[str, ...]:
        c = self.comparison
        return (
            self.backend,
            f"{self.articles:,}",
            str(self.kills.done),
            str(c.lost),
            str(c.duplicated),
            str(c.differing),
            str(c.changes_differing),
            c.integrity,
            f"{self.seconds:.0f}",
        )


def write_articles(corpus: Path, n: int, to: Path) -> int:
    """The first ``n`` lines of the corpus's articles.jsonl, in their order; RETURNS how many."""
    source = corpus / "articles.jsonl" if corpus.is_dir() else corpus
    lines: list[str] = []
    with source.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                lines.append(line if line.endswith("\n") else line + "\n")
                if len(lines) == n:
                    break
    to.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def run_backend(
    backend: str,
    ref_db: str,
    crash_db: str,
    articles: Path,
    n_articles: int,
    kills: int,
    seed: int,
    logs: Path,
) -> Result:
    """Reference run, crashed runs, comparison, on two empty ledgers ``ref_db`` and ``crash_db``."""
    t0 = time.perf_counter()
    timeline = reference_run(ref_db, articles, logs / f"{backend}-ref.log")
    print(
        f"  {backend}: reference ledger in {timeline.total_s:.1f} s ({timeline.articles} articles;"
        f" first stored after {timeline.first_write_s:.1f} s)",
        file=sys.stderr,
        flush=True,
    )
    done = crashed_run(crash_db, articles, logs / f"{backend}-crash.log", kills, random.Random(seed), timeline)
    print(
        f"  {backend}: {done.done} kills ({done.while_writing} while writing, {done.before_write} before"
        f" the run's first write), {done.runs} runs",
        file=sys.stderr,
        flush=True,
    )
    ids = article_ids(articles)
    comparison = compare(read_ledger(ref_db, ids), read_ledger(crash_db, ids))
    return Result(backend, n_articles, done, comparison, time.perf_counter() - t0, timeline)


@contextmanager
def postgres_databases(base: str | None) -> Iterator[tuple[str, str]]:
    """Two empty databases (ref, crash) on the server at ``base`` or on a throw-away one."""
    from warledger.store.pgserver import create_database, temp_server

    if base is None:
        with temp_server() as url:
            yield create_database(url, "crash_ref"), create_database(url, "crash_run")
        return
    base = base if base.endswith("/") else base + "/"
    tag = uuid.uuid4().hex[:8]
    names = (f"crash_ref_{tag}", f"crash_run_{tag}")
    urls = tuple(create_database(base, n) for n in names)
    try:
        yield urls[0], urls[1]
    finally:
        import psycopg

        with psycopg.connect(base + "postgres", autocommit=True) as conn:
            for n in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)')


def run_all(
    backends: list[str],
    corpus: Path,
    n_articles: int,
    kills: int,
    seed: int,
    workdir: Path,
    db_url: str | None = None,
    on_result: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Every backend asked for, in ``workdir``; RETURNS a result per backend."""
    workdir.mkdir(parents=True, exist_ok=True)
    articles = workdir / "articles.jsonl"
    n = write_articles(corpus, n_articles, articles)
    results = []
    for backend in backends:
        if backend == "sqlite":
            ref, crash = workdir / "ref.db", workdir / "crash.db"
            for db in (ref, crash):
                for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                    p.unlink(missing_ok=True)
            result = run_backend(backend, str(ref), str(crash), articles, n, kills, seed, workdir)
        else:
            with postgres_databases(db_url) as (ref_url, crash_url):
                result = run_backend(backend, ref_url, crash_url, articles, n, kills, seed, workdir)
        results.append(result)
        if on_result:
            on_result(result)
    return results


def report(results: list[Result]) -> str:
    """The table, and a line per backend on where the kills landed and what differed."""
    from warledger.textable import format_table

    lines = [format_table([HEADER, *(r.row() for r in results)]), ""]
    for r in results:
        k, c = r.kills, r.comparison
        lines.append(
            f"{r.backend}: {k.done} kills in {k.runs} runs, {k.while_writing} while articles were being written,"
            f" {k.before_write} before a run's first write (loading, migrating, reading);"
            f" reference ingest {r.reference.total_s:.0f} s, first article stored after"
            f" {r.reference.first_write_s:.1f} s"
        )
        if k.done < k.asked:
            lines.append(f"{r.backend}: {k.asked} kills asked, the ledger was complete after {k.done}")
        if k.at_counts:
            lines.append(f"{r.backend}: articles stored at each kill: {' '.join(map(str, k.at_counts))}")
        if c.reasons_differing:
            lines.append(
                f"{r.backend}: {c.reasons_differing} change-log rows (of the two logs) differ in their reason only"
                " (linking scores: rare-name weights cached by the process)"
            )
        if c.extra_articles:
            lines.append(f"{r.backend}: {c.extra_articles} article(s) in the crashed ledger and not the reference")
        if c.counts[0] != c.counts[1]:
            lines.append(f"{r.backend}: row counts differ: reference {c.counts[0]}, crashed {c.counts[1]}")
        lines += [f"{r.backend}: {e}" for e in c.examples]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=500, help="the corpus's first N articles")
    ap.add_argument("--kills", type=int, default=50, help="SIGKILLs before the last run")
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "gva"))
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="sqlite")
    ap.add_argument("--seed", type=int, default=0, help="seed of the kill moments")
    ap.add_argument("--workdir", default=None, help="keep the ledgers and logs here (default: a temporary folder)")
    ap.add_argument("--db-url", default=None, help="PostgreSQL server base URL (default: a throw-away server)")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: corpus not found", file=sys.stderr)
        return 2
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    t0 = time.perf_counter()
    tmp = None if args.workdir else tempfile.mkdtemp(prefix="warledger-crash-")
    workdir = Path(args.workdir or str(tmp))
    try:
        results = run_all(backends, corpus, args.articles, args.kills, args.seed, workdir, args.db_url)
    except Exception as exc:  # the work folder is kept: its logs tell what happened
        print(f"crash bench failed: {type(exc).__name__}: {exc} (ledgers and logs kept in {workdir})", file=sys.stderr)
        return 2
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"ingest killed with SIGKILL and resumed, against an uninterrupted ingest (seed {args.seed})\n")
    print(report(results))
    print(f"\n{time.perf_counter() - t0:.0f} s in all")
    return 0 if all(r.comparison.ok for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
