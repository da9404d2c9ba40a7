"""The ``warledger`` command: thin click commands over the library.

Library code raises WarledgerError; only this module prints errors (one line) and sets exit codes.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .errors import WarledgerError
from .records import LOW_CONFIDENCE, Event
from .store import Store, resolve_db_path
from .store.db import shown
from .textable import format_table

if TYPE_CHECKING:
    from .ingest.feeds import PollResult, ScanResult
    from .ledger import IngestReport

F = TypeVar("F", bound=Callable[..., Any])
REPO_ROOT = Path(__file__).resolve().parents[2]


def db_option(fn: F) -> F:
    """``--db PATH|URL`` (default: $WARLEDGER_DB, else ./warledger.db), shared by every command."""
    return click.option(
        "--db",
        "db",
        metavar="PATH|URL",
        default=None,
        help="Ledger: a SQLite file or a postgresql://user@host/db URL (default: $WARLEDGER_DB or ./warledger.db).",
    )(fn)


def by_option(fn: F) -> F:
    """``--by NAME``: who makes a correction (default: the login name), kept with it."""
    return click.option("--by", default=None, help="Who makes the correction (default: $USER).")(fn)


def errors_to_exit(fn: F) -> F:
    """Turn warledger errors into one line on stderr and exit status 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WarledgerError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


@click.group()
@click.version_option(package_name="warledger")
def cli() -> None:
    """warledger: a sourced ledger of strike events and casualties, read from war reporting."""


def _ingest(paths: list[str], db: str | None, workers: int | None) -> None:
    """Read, extract and store; one line per problem on stderr, a summary on stdout."""
    from .ingest import read_paths
    from .ledger import ingest_articles
    from .progress import Progress
    from .run import cores

    result = read_paths(paths)
    for problem in result.problems:
        click.echo(f"skipped {problem}", err=True)
    with Store(db) as store, Progress("ingest", total=len(result.articles)) as progress:
        report = ingest_articles(result.articles, store, progress=progress.update, workers=workers or cores())
    _summary(report, db, len(result.problems))


def _summary(report: IngestReport, db: str | None, unread: int, more: str = "") -> None:
    """What an ingest did, in one line on stdout; one line per article that failed, on stderr."""
    for failure in report.problems:
        click.echo(f"skipped {failure}", err=True)
    with Store(db) as store:
        counts = store.counts()
    click.echo(
        f"{report.added} article(s) added, {report.unchanged} unchanged, {report.skipped} skipped by the gate, "
        f"{report.mentions} strike report(s) read, {unread + len(report.problems)} problem(s); ledger now holds "
        f"{counts['articles']} article(s) and {counts['events']} event(s).{more}"
    )


workers_option = click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read articles (default: this machine's cores; one per 50 new articles at most).",
)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@workers_option
@db_option
@errors_to_exit
def ingest(paths: tuple[str, ...], workers: int | None, db: str | None) -> None:
    """Read articles (folders, .txt, .html, .jsonl) into the ledger.

    Bad files are reported one line each and skipped; the rest of the batch is stored.
    Ingesting the same article twice changes nothing. Articles are read in --workers processes
    and linked in publication order in this one: the ledger is the same for any number.

    Example: warledger ingest --workers 4 ../shared/corpus/seeds
    """
    _ingest(list(paths), db, workers)


@cli.command(name="spark-ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--master", default="local[*]", show_default=True, help="Spark master URL: local[N], spark://HOST:7077, yarn, ..."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default=None,
    help="New folder for the extracted strikes as Parquet, kept (default: a temporary one, removed after).",
)
@db_option
@errors_to_exit
def spark_ingest(paths: tuple[str, ...], master: str, out: str | None, db: str | None) -> None:
    """Backfill an archive with Spark: JSON-lines or Parquet files of articles (or folders of them).

    Spark's workers extract the strikes (the same pipeline as `ingest`, loaded once per worker)
    and write them as Parquet; they are then linked into the ledger in publication order, so the
    ledger is the one `ingest` builds. Needs Java 17+ (`make java`).

    Example: warledger spark-ingest archive/2023.parquet --master local[4] --db ledger.db
    """
    from .progress import Progress
    from .run.spark import input_files, spark_session
    from .run.spark import spark_ingest as run_job

    files = input_files(paths, out)  # a bad input, or Spark that cannot start, never opens the ledger
    with spark_session(master) as spark, Store(db) as store, Progress("spark-ingest") as progress:
        report = run_job(files, store, master=master, out=out, progress=progress.update, spark=spark)
    _summary(report, db, 0, f" Extracted strikes kept in {out}." if out else "")


def _place(ev: Event) -> str:
    parts = [p for p in (ev.location, ev.admin1, ev.country) if p]
    return ", ".join(parts) or "?"


def _date(ev: Event) -> str:
    if ev.date_from is None:
        return "?"
    if ev.date_from == ev.date_to:
        return ev.date_from
    return f"{ev.date_from}..{ev.date_to}"


def _count(value: int | None, low: int | None = None, high: int | None = None) -> str:
    if value is None and low is None:
        return "-"
    if value is None:
        return f">={low}"
    if low is not None and low == value:
        return f"{value}+"
    if high is not None and high == value:
        return f"<={value}"
    return str(value)


def _confidence(ev: Event, name: str) -> str:
    """ "  (confidence 0.93) [evidence]" beside a field, a low one marked; "" when the field is not rated."""
    value = ev.confidence.get(name)
    if value is None:
        return ""
    low = ", low confidence" if value < LOW_CONFIDENCE else ""
    evidence = f" [{ev.evidence[name]}]" if ev.evidence.get(name) else ""
    return f"  (confidence {round(value, 3):g}{low}){evidence}"


def events_table(events: list[Event]) -> str:
    """The ledger as a readable fixed-width table."""
    head = ["event", "date", "place", "actor", "type", "killed", "injured", "children", "src"]
    rows = [head]
    for ev in events:
        rows.append(
            [
                ev.event_id,
                _date(ev),
                _place(ev)[:42],
                ev.actor1 or "?",
                (ev.sub_event_type or "?").split("/")[0].split(" ")[0],
                _count(ev.killed, ev.killed_low, ev.killed_high),
                _count(ev.injured, ev.injured_low, ev.injured_high),
                _count(ev.children_killed),
                str(len({s["article"] for s in ev.sources})),
            ]
        )
    return format_table(rows)


@cli.command()
@db_option
@errors_to_exit
def events(db: str | None) -> None:
    """Print the ledger: one line per event, oldest first.

    Example: warledger events --db warledger.db
    """
    with Store(db) as store:
        evs = list(store.events())
    click.echo(events_table(evs) if evs else "The ledger is empty: run `warledger ingest PATH` first.")


@cli.command()
@click.argument("event_id")
@db_option
@errors_to_exit
def show(event_id: str, db: str | None) -> None:
    """Show one event, the sentence behind each figure, and the claims about it.

    Example: warledger show ev-1a2b3c4d5e6f
    """
    with Store(db) as store:
        try:
            event_id = store.resolve(event_id)
        except WarledgerError:
            raise WarledgerError(f"no event {event_id!r} in {store.path}; `warledger events` lists them") from None
        ev = store.event(event_id)
        assert ev is not None
        reports = set(store.mention_ids(event_id))
        links = [d for d in store.links(event_id) if d["mention_id"] in reports]
    click.echo(f"{ev.event_id}  {_date(ev)} ({ev.date_precision or 'date unknown'}){_confidence(ev, 'date')}")
    click.echo(
        f"  place    {_place(ev)}  [{ev.geo_precision or 'unplaced'}]"
        + (f"  ({ev.latitude:.4f}, {ev.longitude:.4f})" if ev.latitude is not None and ev.longitude is not None else "")
        + _confidence(ev, "place")
    )
    click.echo(f"  actor    {ev.actor1 or '?'}{_confidence(ev, 'actor1')}")
    click.echo(f"  type     {ev.sub_event_type or '?'}{_confidence(ev, 'sub_event_type')}")
    click.echo(f"  weapons  {', '.join(ev.weapons) or '-'}")
    click.echo(f"  targets  {', '.join(ev.targets) or '-'}")
    click.echo(
        f"  reports  {ev.n_articles} article(s), {ev.n_outlets} outlet(s)"
        + (f"; wave {ev.wave_id}" if ev.wave_id else "")
    )
    click.echo("  toll (best current figure; low-high across credible sources)")
    for kind in ("killed", "injured"):
        low, high = getattr(ev, f"{kind}_low"), getattr(ev, f"{kind}_high")
        span = f"  ({low}-{high})" if low is not None and high is not None and low != high else ""
        click.echo(f"    {kind:<20} {_count(getattr(ev, kind)):>6}{span}{_confidence(ev, kind)}")
    for kind in ("children_killed", "children_injured", "hospitalized", "perpetrators_killed", "perpetrators_injured"):
        if getattr(ev, kind) is not None:
            apart = "  (attackers, not in killed / injured)" if kind.startswith("perpetrators_") else ""
            click.echo(f"    {kind:<20} {getattr(ev, kind):>6}{apart}{_confidence(ev, kind)}")
    click.echo("  toll history (oldest report first)")
    if not ev.toll_history:
        click.echo("    no figure stated")
    for t in ev.toll_history:
        by = f"per {t['reported_by']}" if t["reported_by"] else "as stated"
        flag = "" if t["credible"] else " (unconfirmed)"
        outlet = t["outlet"] or "outlet unknown"
        click.echo(
            f"    {t['published'] or 'date unknown':<10}  {t['kind']:<16} {_count(t['value'], t['low'], t['high']):>6}"
            f"  {by}{flag}  [{t['article']}, {outlet}]"
        )
        click.echo(f"                {_in_language(t)}\u201c{t['quote']}\u201d")
    click.echo("  claims (attributed, not part of the figures above)")
    if not ev.claims:
        click.echo("    none")
    for c in ev.claims:
        flag = "DISPUTED " if c["disputed"] else ""
        nums = ", ".join(f"{k} {c[k]}" for k in ("killed", "injured") if c[k] is not None)
        click.echo(f'    {flag}{c["by"]}{" (" + nums + ")" if nums else ""}: {_in_language(c)}"{c["quote"]}"')
    click.echo("  sources")
    for s in ev.sources:
        outlet, published = s["outlet"] or "outlet unknown", s["published"] or "date unknown"
        language = f", language {s['language']}" if s.get("language") else ""
        click.echo(f"    {s['article']} ({outlet}, {published}{language}) {s['start']}-{s['end']}")
    click.echo("  linking (each report: the event it joined, then the best candidates it turned down)")
    for mid, decisions in _by_report(links).items():
        chosen = [d for d in decisions if d["chosen"]]
        rejected = sorted((d for d in decisions if not d["chosen"]), key=lambda d: -(d["score"] or 0))
        for d in chosen:
            click.echo(f"    {mid} -> {d['event_id']}: {d['reason']}")
        for d in rejected[:3]:
            click.echo(f"        not {d['event_id']}: {d['reason']}")
        if len(rejected) > 3:
            click.echo(f"        ... and {len(rejected) - 3} more candidate(s) turned down")


def _in_language(entry: dict[str, Any]) -> str:
    """The language code shown before a quote ("[uk] "): quotes stay as published, in any language."""
    return f"[{entry['language']}] " if entry.get("language") else ""


def _by_report(links: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for d in links:
        out.setdefault(d["mention_id"], []).append(d)
    return out


@cli.command()
@click.argument("event_a")
@click.argument("event_b")
@by_option
@db_option
@errors_to_exit
def merge(event_a: str, event_b: str, by: str | None, db: str | None) -> None:
    """Merge two events a person knows to be one strike. Kept through later ingests.

    Example: warledger merge ev-1a2b3c4d5e6f ev-6f5e4d3c2b1a
    """
    with Store(db) as store:
        merged = store.merge(event_a, event_b, _person(by))
    click.echo(f"{event_a} and {event_b} are now one event: {merged}")


@cli.command()
@click.argument("event_id")
@click.argument("article_id")
@by_option
@db_option
@errors_to_exit
def split(event_id: str, article_id: str, by: str | None, db: str | None) -> None:
    """Take one article's report out of an event into an event of its own. Kept through later ingests.

    Example: warledger split ev-1a2b3c4d5e6f gva-0b1c2d3e4f5a
    """
    with Store(db) as store:
        new = store.split(event_id, article_id, _person(by))
    click.echo(f"article {article_id} now reports event {new}, apart from {event_id}")


@cli.command()
@click.option("--dry-run", is_flag=True, help="Print what would move; write nothing.")
@db_option
@errors_to_exit
def relink(dry_run: bool, db: str | None) -> None:
    """Link every stored report again, after the linking model or data changed.

    Reports are decided again in publication order (nothing is extracted again), then people's
    merges and splits are replayed; every report that moves is logged with why. All or nothing.

    Example: warledger relink --dry-run; warledger relink
    """
    from .store.relink import relink as relink_ledger

    with Store(db) as store:
        report = relink_ledger(store, dry_run=dry_run)
    click.echo(report.summary())


def _person(by: str | None) -> str:
    import getpass

    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "a person"


@cli.command(name="log")
@click.argument("event_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per change.")
@db_option
@errors_to_exit
def log_cmd(event_id: str, as_json: bool, db: str | None) -> None:
    """Print an event's change log: when, what changed, from what to what, and why.

    Example: warledger log ev-1a2b3c4d5e6f
    """
    with Store(db) as store:
        current = store.resolve(event_id)
        changes = store.changes(current)
    if as_json:
        for c in changes:
            click.echo(json.dumps(c.to_json(), ensure_ascii=False))
        return
    if current != event_id:
        click.echo(f"{event_id} is now {current}")
    for c in changes:
        what = c.action + (f" {c.field}" if c.field else "")
        delta = f"{_short(c.old)} -> {_short(c.new)}" if c.field or c.old is not None else _short(c.new)
        click.echo(f"{c.at[:19]}  {c.event_id}  {what:<22} {delta:<28} {c.why}")


@cli.command()
@click.option("--limit", type=int, default=None, help="Only the latest N skipped articles.")
@db_option
@errors_to_exit
def skipped(limit: int | None, db: str | None) -> None:
    """Print the articles the relevance gate kept from the pipeline: id, reason, published, title.

    Example: warledger skipped --db warledger.db
    """
    with Store(db) as store:
        rows = store.skipped(limit)
    if not rows:
        click.echo("No article has been skipped.")
        return
    table = [["article", "reason", "published", "title"]]
    table += [[s.id, s.reason, s.published or "-", s.title or "-"] for s in rows]
    click.echo(format_table(table))


def _short(value: Any) -> str:
    text = "-" if value is None else (value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
    return text if len(text) <= 40 else text[:37] + "..."


@cli.command()
@click.option(
    "--format", "fmt", default="jsonl", show_default=True, help="jsonl, csv (ACLED columns), geojson or parquet."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="File to write (default: stdout; parquet: required).",
)
@click.option("--since", default=None, metavar="TIMESTAMP", help="Only what changed after this UTC time (ISO 8601).")
@db_option
@errors_to_exit
def export(fmt: str, output: str | None, since: str | None, db: str | None) -> None:
    """Export every event as JSON lines, ACLED-layout CSV, GeoJSON or Parquet.

    With --since, only the events changed after that time, and one record per event deleted
    (merged into another) since then, so a downstream copy can be kept in step.

    Example: warledger export --format csv -o ledger.csv; warledger export --format parquet -o ledger.parquet;
    warledger export --since 2025-06-24T00:00:00
    """
    from .export import deletion_formats, exporter

    exp = exporter(fmt)
    if since is not None and not exp.keeps_deletions:
        raise WarledgerError(f"--since needs a format that can list deleted events ({deletion_formats()}), not {fmt}")
    if exp.binary and not output:
        raise WarledgerError(f"{fmt} is a binary format: give the file to write with -o FILE")
    with Store(db) as store:
        if since is None:
            evs = list(store.events())
            deleted: list[dict[str, Any]] = []
        else:
            evs, deleted = store.changed_since(since)
        changed = store.last_changed()
    if output:
        n = exp.write_file(evs, output, deleted, changed)
        click.echo(f"{n} event(s) written to {output}" + (f", {len(deleted)} deletion(s)" if deleted else ""), err=True)
    else:
        exp.write(evs, sys.stdout, deleted, changed)


@contextmanager
def _stopped_by_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT / SIGTERM set ``stop`` (the loop ends after the request or batch in hand); a second
    signal acts as it would have."""
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        stop.set()
        signal.signal(signum, previous[signum])

    for sig in (signal.SIGINT.value, signal.SIGTERM.value):
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _print_poll(result: PollResult | ScanResult) -> None:
    """One line per poll on stdout; its problems one line each on stderr."""
    click.echo(result.line())
    for problem in result.errors:
        click.echo(str(problem), err=True)


@cli.command()
@click.argument("sources", type=click.Path(dir_okay=False))
@click.option("--once", is_flag=True, help="Poll every source once, now, and exit (for scripts and cron).")
@db_option
@errors_to_exit
def follow(sources: str, once: bool, db: str | None) -> None:
    """Follow RSS / Atom feeds: each new item's page is read and stored as it is published.

    SOURCES is a TOML file naming the feeds, how often to poll them and how politely (README,
    docs/feeds.md). One line per poll; a source that fails is reported, tried again later with
    back-off, and the others go on. Runs until Ctrl-C or SIGTERM; a killed follower resumes
    where it was, reading nothing twice and losing nothing.

    Example: warledger follow sources.toml; warledger follow sources.toml --once
    """
    from .ingest.feeds import Follower, load_config

    config = load_config(sources)
    ledger = resolve_db_path(db)
    follower = Follower(config, ledger, on_poll=_print_poll)
    with _stopped_by_signals(follower.stop_event):
        if once:
            follower.run_once()
            return
        click.echo(
            f"warledger: following {len(config.sources)} source(s) into {shown(ledger)} (Ctrl-C stops)", err=True
        )
        follower.run()
    click.echo("warledger: stopped following", err=True)


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--once", is_flag=True, help="Read what has settled now, and exit.")
@click.option(
    "--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds between looks."
)
@click.option(
    "--settle",
    default=2.0,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds a file's size must hold before it is read.",
)
@db_option
@errors_to_exit
def watch(folder: str, once: bool, interval: float, settle: float, db: str | None) -> None:
    """Watch a folder: each .txt, .html or .jsonl file dropped into it is read once it is whole.

    What was read is remembered in the ledger (path and content hash): a restart reads nothing
    twice, and a file whose content changes is read again. A bad file is reported and skipped.

    Example: warledger watch inbox/; warledger watch inbox/ --once
    """
    from .ingest.feeds import Watcher

    ledger = resolve_db_path(db)
    watcher = Watcher(folder, ledger, settle=settle, on_scan=_print_poll)
    with _stopped_by_signals(watcher.stop_event):
        if once:
            _print_poll(watcher.run_once())
            return
        click.echo(f"warledger: watching {folder} into {shown(ledger)} (Ctrl-C stops)", err=True)
        watcher.run(interval)
    click.echo("warledger: stopped watching", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--closed", is_flag=True, help="Reading needs a token too (writing always does).")
@click.option(
    "--cors",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="An origin (https://host:port) whose pages may call the API (repeatable; default: none).",
)
@click.option(
    "--writes-per-minute",
    type=float,
    default=None,
    metavar="N",
    help="Writes a token or an address may make a minute after its first burst (0: no limit).",
)
@click.option(
    "--follow",
    "follow_sources",
    type=click.Path(dir_okay=False),
    default=None,
    metavar="SOURCES.toml",
    help="Also follow these feeds (as `warledger follow`), in the background.",
)
@click.option(
    "--poll",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="How often the open page asks for new events (0: never; ?poll= in the page's URL overrides it).",
)
@db_option
@errors_to_exit
def serve(
    host: str,
    port: int,
    closed: bool,
    follow_sources: str | None,
    poll: float,
    db: str | None,
    cors_origins: tuple[str, ...] = (),
    writes_per_minute: float | None = None,
) -> None:
    """Serve the REST API and the web page (map, timeline, event panel) on the ledger.

    Writing (POST /api/articles) needs a token: $WARLEDGER_TOKEN or one made by `warledger token create`.
    With --follow, the feeds of SOURCES.toml are followed in a background thread, stopped with the server.

    Example: warledger serve --port 8000, then open http://127.0.0.1:8000/
    """
    import uvicorn

    from .api import create_app

    config = None
    if follow_sources is not None:
        from .ingest.feeds import load_config

        config = load_config(follow_sources)
    tokens = [t for t in [os.environ.get("WARLEDGER_TOKEN", "")] if t]
    ledger = resolve_db_path(db)
    from .api.defences import WRITE_PER_MINUTE

    app = create_app(
        ledger,
        tokens=tokens,
        open_reads=not closed,
        follow=config,
        poll_seconds=poll,
        cors_origins=cors_origins,
        writes_per_minute=WRITE_PER_MINUTE if writes_per_minute is None else writes_per_minute,
    )
    click.echo(f"warledger: serving {shown(ledger)} at http://{host}:{port}/ (OpenAPI spec at /openapi.json)", err=True)
    if config is not None:
        click.echo(f"warledger: following {len(config.sources)} source(s) of {follow_sources}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")  # stops the follower as it ends


@cli.group()
def token() -> None:
    """API tokens for writing (POST /api/articles)."""


@token.command("create")
@click.argument("name")
@db_option
@errors_to_exit
def token_create(name: str, db: str | None) -> None:
    """Make a write token NAME and print it once (only its hash is kept).

    Example: warledger token create newsroom-feed
    """
    from .api import create_token

    click.echo(create_token(resolve_db_path(db), name))


@token.command("list")
@db_option
@errors_to_exit
def token_list(db: str | None) -> None:
    """List the stored write tokens: name, creation time and when each was last accepted for a
    write ("never used" until then; a token itself cannot be read back).

    Example: warledger token list
    """
    from .store import Store

    with Store(resolve_db_path(db)) as store:
        for row in store.tokens():
            used = f"last used {row['last_used_at']}" if row["last_used_at"] else "never used"
            click.echo(f"{row['name']}\tcreated {row['created_at']}\t{used}")


@token.command("revoke")
@click.argument("name")
@db_option
@errors_to_exit
def token_revoke(name: str, db: str | None) -> None:
    """Revoke the write token NAME: it is answered 401 from the next request on.

    Example: warledger token revoke newsroom-feed
    """
    from .store import Store

    with Store(resolve_db_path(db)) as store:
        if not store.revoke_token(name):
            raise WarledgerError(f"no token named {name!r}")
    click.echo(f"warledger: token {name!r} revoked", err=True)


@cli.command()
@click.option("--from", "date_from", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--country", default=None, help="Only events in this country (name or ISO code).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="report.html, .md or .pdf")
@db_option
@errors_to_exit
def report(date_from: Any, date_to: Any, country: str | None, output: str, db: str | None) -> None:
    """The situation report of a period: totals, chart, map, largest events, disputes.

    Example: warledger report --from 2025-06-23 --to 2025-06-24 -o report.html
    """
    from .report import write_report

    with Store(db) as store:
        rep = write_report(store, date_from.date(), date_to.date(), country, output)
    click.echo(f"{output}: {len(rep.events)} event(s), {rep.period}")


@cli.command(name="eval")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--all", "every", is_flag=True, help="CORPUS_DIR holds corpus folders: evaluate each.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--zero-is-unknown", is_flag=True, default=None, help="Read a gold count of 0 as unknown (ACLED).")
@click.option(
    "--misses",
    "misses",
    default=None,
    metavar="FIELD",
    help="Also list the articles where FIELD is wrong; 'spurious' / 'missed' list the unmatched events by kind.",
)
@click.option(
    "--linking",
    is_flag=True,
    help="Score how reports were grouped into events (gold 'event_key' or 'incident' per event): per article"
    " (its headline strike) and per (article, strike) mention, with fragments per strike and final toll.",
)
@click.option(
    "--calibrate", is_flag=True, help="Fit confidence per (field, evidence) on the scored pairs and write it."
)
@click.option(
    "--calibration-out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where --calibrate writes (default: the package's data/calibration.json).",
)
@errors_to_exit
def eval_cmd(
    corpus_dir: str,
    every: bool,
    as_json: bool,
    zero_is_unknown: bool | None,
    misses: str | None,
    linking: bool,
    calibrate: bool,
    calibration_out: str | None,
) -> None:
    """Ingest a corpus into a temporary database and score it against its gold.json.

    Example: warledger eval ../shared/corpus/seeds; warledger eval --all ../shared/corpus;
    warledger eval --linking ../shared/corpus/war_news; warledger eval --misses spurious ../shared/corpus/war_news;
    warledger eval --calibrate ../shared/corpus/war_news
    """
    if linking:
        from .evaluate import evaluate_linking, format_linking

        link_report = evaluate_linking(corpus_dir)
        click.echo(json.dumps(link_report.to_json(), indent=1) if as_json else format_linking(link_report))
        return
    from .evaluate import evaluate, evaluate_all, format_table

    reports = evaluate_all(corpus_dir) if every else [evaluate(corpus_dir, zero_is_unknown=zero_is_unknown)]
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports] if every else reports[0].to_json(), indent=1))
    else:
        click.echo(format_table(reports))
    for r in reports if misses else []:
        if misses in ("spurious", "missed"):
            for article, kind, what in r.spurious if misses == "spurious" else r.missed:
                click.echo(f"{r.corpus}\t{article}\t{kind}\t{what}")
            continue
        for name, article, gold, pred in r.misses:
            if name == misses:
                click.echo(f"{r.corpus}\t{article}\tgold={gold!r}\tpredicted={pred!r}")
    if calibrate:
        from . import calibrate as cal
        from .errors import EvalError

        rows = [row for r in reports for row in r.calibration_rows]
        if not rows:
            raise EvalError(f"{corpus_dir}: no every-event corpus with scored pairs to calibrate on")
        about = f"P(field right | evidence), fitted by `warledger eval --calibrate` on {len(rows)} scored fields of "
        about += ", ".join(r.corpus for r in reports if r.calibration_rows)
        table = cal.fit((row.field, row.evidence, row.correct) for row in rows)
        path = cal.save(table, calibration_out or cal.DEFAULT_PATH, about)
        click.echo(f"{path}: calibration of {len(rows)} scored fields", err=as_json)


@cli.command()
@click.argument("query")
@errors_to_exit
def geocode(query: str) -> None:
    """Resolve one place string (``-`` reads one per line from stdin); prints JSON lines.

    Example: warledger geocode "Krasnopil, Sumy region"
    """
    from .geo import Gazetteer

    gaz = Gazetteer.load()
    queries = [q.strip() for q in sys.stdin] if query == "-" else [query]
    for q in queries:
        if not q:
            continue
        place = gaz.geocode(q)
        row = (
            place.to_json()
            if place
            else {
                "query": q,
                "location": None,
                "admin1": None,
                "country": None,
                "latitude": None,
                "longitude": None,
                "geo_precision": None,
            }
        )
        row["query"] = q
        click.echo(json.dumps(row, ensure_ascii=False))


def demo_corpus() -> Path:
    """The seed reports beside the checkout when present, else our own examples/."""
    for candidate in (
        REPO_ROOT.parent / "shared" / "corpus" / "seeds",
        Path.cwd().parent / "shared" / "corpus" / "seeds",
    ):
        if candidate.is_dir():
            return candidate
    return REPO_ROOT / "examples"


@cli.command()
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Folder to read (default: ../shared/corpus/seeds, else examples/).",
)
@click.option("--serve", "serve_page", is_flag=True, help="Then serve the map and timeline page of the ledger.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port for --serve.")
@db_option
@errors_to_exit
def demo(corpus: str | None, serve_page: bool, port: int, db: str | None) -> None:
    """Ingest the demo corpus and print the ledger (and, with --serve, serve its page).

    Example: warledger demo; warledger demo --serve
    """
    path = Path(corpus) if corpus else demo_corpus()
    click.echo(f"Reading {path} into {shown(resolve_db_path(db))} ...")
    _ingest([str(path)], db, None)
    with Store(db) as store:
        evs = list(store.events())
    click.echo(events_table(evs))
    click.echo(
        "\nNext: `warledger show EVENT_ID` for the quotes behind an event; "
        "`warledger export --format csv` for the ACLED layout."
    )
    url = f"http://127.0.0.1:{port}/"
    if serve_page:
        click.echo(f"The map, timeline and event panel: {url} (Ctrl-C stops)")
        serve.callback(host="127.0.0.1", port=port, closed=False, follow_sources=None, db=db)  # type: ignore[misc]
    else:
        db_arg = f" --db {db}" if db else ""
        click.echo(f"The map, timeline and event panel: run `warledger serve{db_arg}`, then open {url}")


def main() -> None:
    cli()


if __name__ == "__main__":  # python -m warledger.cli
    main()
