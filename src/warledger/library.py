"""The library as a Python API: one function per step, for scripts and notebooks.

    ledger = open_ledger("strikes.db")
    ingest_into(ledger, ["../shared/corpus/seeds"])
    found = events(ledger, country="Ukraine", min_killed=1)
    export_events(found, "csv", "strikes.csv")

Each function is a thin layer over the stages (``ledger``, ``store``, ``api.queries``,
``export``); what they raise on purpose is a WarledgerError with a one-line message. They are
``ingest_into`` and ``export_events``, not ``ingest`` and ``export``: ``warledger.ingest`` and
``warledger.export`` are the stage packages. ``from warledger import open_ledger, ...`` works too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError, WarledgerError
from .export import exporter
from .ingest import read_paths
from .ingest.decode import BadInput
from .ingest.readers import json_article
from .ledger import IngestReport, article_reader, ingest_articles
from .nlp.pipeline import ArticleReader
from .records import Article, Event
from .store import EventFilter, FilterError, Ledger, Store, resolve_db_path

__all__ = ["FILTERS", "events", "export_events", "ingest_into", "open_ledger"]

FILTERS: tuple[str, ...] = tuple(f.name for f in fields(EventFilter))

Source = str | os.PathLike[str] | Article | Mapping[str, Any]

_READER: ArticleReader | None = None


def open_ledger(db: str | os.PathLike[str] | None = None) -> Store:
    """The ledger at ``db``: a SQLite file (created and migrated when new) or a PostgreSQL URL.

        ledger = open_ledger("strikes.db")   # or "postgresql://user@host/dbname"

    Without ``db``: ``$WARLEDGER_DB``, else ``warledger.db`` in the working directory. The Store
    is a context manager; ``ledger.close()`` when done. Raises StoreError if it cannot be opened.
    """
    return Store(resolve_db_path(db))


def _reader() -> ArticleReader:
    """The nlp stage, loaded on first use and kept for the process."""
    global _READER
    if _READER is None:
        _READER = article_reader()
    return _READER


def ingest_into(ledger: Store, sources: Source | Iterable[Source]) -> IngestReport:
    """Read, extract, link and store articles; RETURNS the IngestReport (read / added / problems).

        report = ingest_into(ledger, ["../shared/corpus/seeds"])   # or Article records, or dicts

    ``sources`` is a path (file or folder) or an iterable of paths, ``Article`` records and
    dicts in the JSON-lines article form (``id, text`` or ``html, published, outlet, url, title``).
    A dict without ``id`` is named ``py-`` + its text hash, so ingesting it again changes nothing.
    A bad file or dict is a problem in the report (InputError) and skipped; the rest is stored.
    """
    items: Iterable[Any] = [sources] if isinstance(sources, str | os.PathLike | Article | Mapping) else sources
    paths: list[Path] = []
    given: dict[str, Article] = {}
    problems: list[WarledgerError] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str | os.PathLike):
            paths.append(Path(item))
            continue
        if isinstance(item, Article):
            article = item
        elif isinstance(item, Mapping):
            where = f"article {n}"
            try:
                article = json_article(dict(item), Path("py"), n, where)
            except BadInput as bad:
                problems.append(InputError(where, bad.problem))
                continue
            if not item.get("id"):
                article.id = "py-" + article.hash[:16]
        else:
            raise TypeError(f"ingest_into() takes paths, Article records or dicts, not {type(item).__name__}")
        first = given.get(article.id)
        if first is None:
            given[article.id] = article
        elif first.text != article.text:
            problems.append(InputError(article.source or article.id, f"duplicate article id {article.id}"))
    read = read_paths(paths) if paths else None
    articles = [*(read.articles if read else []), *given.values()]
    report = ingest_articles(articles, ledger, _reader() if articles else None)
    report.problems = [*(read.problems if read else []), *problems, *report.problems]
    return report


def events(ledger: Ledger, **filters: str | date | int | None) -> list[Event]:
    """The events that match every filter given, oldest first (undated last).

        found = events(ledger, country="Ukraine", min_killed=1, date_from="2025-06-01")

    Filters (``FILTERS``): date_from, date_to (YYYY-MM-DD or a date; the event's window overlaps),
    country, admin1, location, actor1, sub_event_type, weapon (whole, any case), min_killed (int),
    q (text in the place names and quotes). None means no filter. An unknown name raises
    TypeError; a bad value raises WarledgerError.
    """
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"events() got unknown filter(s) {', '.join(unknown)}; filters are: {', '.join(FILTERS)}")
    values: dict[str, Any] = {k: v.isoformat() if isinstance(v, date) else v for k, v in filters.items()}
    killed = values.get("min_killed")
    if killed is not None and (isinstance(killed, bool) or not isinstance(killed, int)):
        raise WarledgerError(f"min_killed: {killed!r} is not a whole number")
    flt = EventFilter(**values)
    try:
        flt.check()
        return ledger.find_events(flt)[1]
    except FilterError as exc:
        raise WarledgerError(str(exc)) from None


def export_events(events: Iterable[Event], fmt: str, out: str | os.PathLike[str] | TextIO) -> int:
    """Write events as ``fmt`` (jsonl, csv, geojson, or parquet to a path) to a file path or a
    text stream; RETURNS how many events were written.

        n = export_events(found, "geojson", "strikes.geojson")

    Raises WarledgerError for an unknown format, or parquet given a stream.
    """
    writer = exporter(fmt)
    if isinstance(out, str | os.PathLike):
        return writer.write_file(events, out)
    return writer.write(events, out)
