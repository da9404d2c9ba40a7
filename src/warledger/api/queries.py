"""Event filters as SQL over ``events.summary`` (and the reports' quotes), never over full events.

An event's fields live in the JSON ``summary`` column; only the page asked for is rebuilt with
``Store.event``. Every value goes in as a bound parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..records import Event
from ..store import Store

# text filters: query parameter -> summary field, matched whole and case-insensitively
TEXT_FILTERS = ("country", "admin1", "location", "actor1", "sub_event_type")
FILTER_PARAMS = ("date_from", "date_to", *TEXT_FILTERS, "weapon", "min_killed", "q")
PAGE_PARAMS = ("limit", "offset")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ORDER = " ORDER BY e.date_from IS NULL, e.date_from, e.event_id"


class FilterError(ValueError):
    """A filter value that cannot be used (the message names the parameter)."""


def _day(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        if not _DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from None


@dataclass(slots=True)
class EventFilter:
    """What a request asks for; empty values are no filter."""

    date_from: str | None = None
    date_to: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    actor1: str | None = None
    sub_event_type: str | None = None
    weapon: str | None = None
    min_killed: int | None = None
    q: str | None = None

    def check(self) -> None:
        """Raise FilterError on a bad date or an empty window."""
        first, last = _day("date_from", self.date_from), _day("date_to", self.date_to)
        if first and last and first > last:
            raise FilterError(f"date_from {self.date_from} is after date_to {self.date_to}")

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause over ``events e`` and its bound arguments."""
        self.check()
        sql: list[str] = []
        args: list[Any] = []
        # the event's window overlaps the asked one; an undated event matches no date filter
        if self.date_from:
            sql.append("json_extract(e.summary, '$.date_to') >= ?")
            args.append(self.date_from)
        if self.date_to:
            sql.append("e.date_from <= ?")
            args.append(self.date_to)
        for name in TEXT_FILTERS:
            value = getattr(self, name)
            if value:
                sql.append(f"lower(json_extract(e.summary, '$.{name}')) = lower(?)")
                args.append(value)
        if self.weapon:
            sql.append("EXISTS (SELECT 1 FROM json_each(e.summary, '$.weapons') w WHERE lower(w.value) = lower(?))")
            args.append(self.weapon)
        if self.min_killed is not None:
            sql.append("json_extract(e.summary, '$.killed') >= ?")
            args.append(self.min_killed)
        if self.q:
            like = "%" + self.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            places = " OR ".join(
                f"json_extract(e.summary, '$.{k}') LIKE ? ESCAPE '\\'" for k in ("location", "admin1", "country")
            )
            sql.append(
                f"({places} OR EXISTS (SELECT 1 FROM mentions m JOIN sources s ON s.mention_id = m.mention_id"
                " WHERE m.event_id = e.event_id AND (s.quote LIKE ? ESCAPE '\\'"
                " OR m.location LIKE ? ESCAPE '\\' OR m.admin1 LIKE ? ESCAPE '\\')))"
            )
            args += [like] * 6
        return (" WHERE " + " AND ".join(sql)) if sql else "", args


def count_events(store: Store, flt: EventFilter) -> int:
    """How many events match."""
    where, args = flt.where()
    return int(store.conn.execute("SELECT count(*) FROM events e" + where, args).fetchone()[0])


def page(store: Store, flt: EventFilter, limit: int, offset: int = 0) -> tuple[int, list[str]]:
    """How many events match, and the ids of one page of them, with the filter run once."""
    where, args = flt.where()
    rows = store.conn.execute(
        "SELECT e.event_id, count(*) OVER () FROM events e" + where + _ORDER + " LIMIT ? OFFSET ?",
        [*args, limit, offset],
    ).fetchall()
    if not rows:  # past the end (or nothing matches): count apart
        return count_events(store, flt), []
    return int(rows[0][1]), [r[0] for r in rows]


def event_ids(store: Store, flt: EventFilter) -> list[str]:
    """Every matching event id in ledger order (oldest first, undated last)."""
    where, args = flt.where()
    return [r[0] for r in store.conn.execute("SELECT e.event_id FROM events e" + where + _ORDER, args)]


def events(store: Store, ids: list[str]) -> Iterator[Event]:
    """The full events of ``ids``, in that order (an id gone meanwhile is skipped)."""
    for eid in ids:
        ev = store.event(eid)
        if ev is not None:
            yield ev
