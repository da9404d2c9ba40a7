"""The ``warledger`` command: thin click commands over the library.

Library code raises WarledgerError; only this module prints errors (one line) and sets exit codes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import WarledgerError
from .records import Event
from .store import Store, resolve_db_path
from .textable import format_table

F = TypeVar("F", bound=Callable[..., Any])
REPO_ROOT = Path(__file__).resolve().parents[2]


def db_option(fn: F) -> F:
    """``--db PATH`` (default: $WARLEDGER_DB, else ./warledger.db), shared by every command."""
    return click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False),
        default=None,
        help="Ledger database file (default: $WARLEDGER_DB or ./warledger.db).",
    )(fn)


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


def _ingest(paths: list[str], db: str | None) -> None:
    """Read, extract and store; one line per problem on stderr, a summary on stdout."""
    from tqdm import tqdm

    from .ingest import read_paths
    from .ledger import ingest_articles

    result = read_paths(paths)
    for problem in result.problems:
        click.echo(f"skipped {problem}", err=True)
    with Store(resolve_db_path(db)) as store:
        bar = tqdm(total=len(result.articles), unit="article", disable=len(result.articles) < 20, file=sys.stderr)
        report = ingest_articles(result.articles, store, progress=bar.update)
        bar.close()
        for failure in report.problems:
            click.echo(f"skipped {failure}", err=True)
        counts = store.counts()
    click.echo(
        f"{report.added} article(s) added, {report.unchanged} unchanged, {report.events} event(s) extracted, "
        f"{len(result.problems) + len(report.problems)} problem(s); ledger now holds {counts['articles']} "
        f"article(s) and {counts['events']} event(s)."
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@errors_to_exit
def ingest(paths: tuple[str, ...], db: str | None) -> None:
    """Read articles (folders, .txt, .html, .jsonl) into the ledger.

    Bad files are reported one line each and skipped; the rest of the batch is stored.
    Ingesting the same article twice changes nothing.

    Example: warledger ingest ../shared/corpus/seeds
    """
    _ingest(list(paths), db)


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
    with Store(resolve_db_path(db)) as store:
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
    with Store(resolve_db_path(db)) as store:
        ev = store.event(event_id)
        if ev is None:
            raise WarledgerError(f"no event {event_id!r} in {store.path}; `warledger events` lists them")
        figures = store.figures(event_id)
    click.echo(f"{ev.event_id}  {_date(ev)} ({ev.date_precision or 'date unknown'})")
    click.echo(
        f"  place    {_place(ev)}  [{ev.geo_precision or 'unplaced'}]"
        + (f"  ({ev.latitude:.4f}, {ev.longitude:.4f})" if ev.latitude is not None and ev.longitude is not None else "")
    )
    click.echo(f"  actor    {ev.actor1 or '?'}")
    click.echo(f"  type     {ev.sub_event_type or '?'}")
    click.echo(f"  weapons  {', '.join(ev.weapons) or '-'}")
    click.echo(f"  targets  {', '.join(ev.targets) or '-'}")
    click.echo("  figures")
    if not figures:
        click.echo("    none stated")
    for f in figures:
        where = f"{f.quote.article} {f.quote.start}-{f.quote.end}"
        by = f" per {f.reported_by}" if f.reported_by else ""
        click.echo(f'    {f.kind:<20} {_count(f.value, f.low, f.high):>6}{by}  [{where}] "{f.quote.text}"')
    click.echo("  claims (attributed, not part of the figures above)")
    if not ev.claims:
        click.echo("    none")
    for c in ev.claims:
        flag = "DISPUTED " if c["disputed"] else ""
        nums = ", ".join(f"{k} {c[k]}" for k in ("killed", "injured") if c[k] is not None)
        click.echo(f'    {flag}{c["by"]}{" (" + nums + ")" if nums else ""}: "{c["quote"]}"')
    click.echo("  sources")
    for s in ev.sources:
        outlet, published = s["outlet"] or "outlet unknown", s["published"] or "date unknown"
        click.echo(f"    {s['article']} ({outlet}, {published}) {s['start']}-{s['end']}")


@cli.command()
@click.option("--format", "fmt", default="jsonl", show_default=True, help="jsonl, csv (ACLED columns) or geojson.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="File to write (default: stdout).")
@db_option
@errors_to_exit
def export(fmt: str, output: str | None, db: str | None) -> None:
    """Export every event as JSON lines, ACLED-layout CSV or GeoJSON.

    Example: warledger export --format csv -o ledger.csv
    """
    from .export import exporter

    exp = exporter(fmt)
    with Store(resolve_db_path(db)) as store:
        evs = list(store.events())
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            n = exp.write(evs, fh)
        click.echo(f"{n} event(s) written to {output}", err=True)
    else:
        exp.write(evs, sys.stdout)


@cli.command(name="eval")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--all", "every", is_flag=True, help="CORPUS_DIR holds corpus folders: evaluate each.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--zero-is-unknown", is_flag=True, default=None, help="Read a gold count of 0 as unknown (ACLED).")
@click.option("--misses", "misses", default=None, metavar="FIELD", help="Also list the articles where FIELD is wrong.")
@errors_to_exit
def eval_cmd(corpus_dir: str, every: bool, as_json: bool, zero_is_unknown: bool | None, misses: str | None) -> None:
    """Ingest a corpus into a temporary database and score it against its gold.json.

    Example: warledger eval ../shared/corpus/seeds; warledger eval --all ../shared/corpus
    """
    from .evaluate import evaluate, evaluate_all, format_table

    reports = evaluate_all(corpus_dir) if every else [evaluate(corpus_dir, zero_is_unknown=zero_is_unknown)]
    if as_json:
        click.echo(json.dumps([r.to_json() for r in reports] if every else reports[0].to_json(), indent=1))
    else:
        click.echo(format_table(reports))
    for r in reports if misses else []:
        for name, article, gold, pred in r.misses:
            if name == misses:
                click.echo(f"{r.corpus}\t{article}\tgold={gold!r}\tpredicted={pred!r}")


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
@db_option
@errors_to_exit
def demo(corpus: str | None, db: str | None) -> None:
    """Ingest the demo corpus and print the ledger.

    Example: warledger demo
    """
    path = Path(corpus) if corpus else demo_corpus()
    click.echo(f"Reading {path} into {resolve_db_path(db)} ...")
    _ingest([str(path)], db)
    with Store(resolve_db_path(db)) as store:
        evs = list(store.events())
    click.echo(events_table(evs))
    click.echo(
        "\nNext: `warledger show EVENT_ID` for the quotes behind an event; "
        "`warledger export --format csv` for the ACLED layout."
    )


def main() -> None:
    cli()
