"""What the web page reads at 50,000 events, each answered from the ``events`` columns (never by
reading every event's full record): every matching event's point (the map), events and killed per
day (the timeline), the filters' values with their counts (the selects) and the change log's
cursor (polling for what changed).

    points = store.points(EventFilter(country="Ukraine"))     # [Point(event_id, latitude, ...)]
    days = store.days(EventFilter(weapon="drone"))             # [Day("2025-04-04", 3, 21, 1)]
    cursor, changed = store.changed_after(0)                   # the log's last id, events changed
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..records import Event
from .db import Database
from .query import ORDER, UNDATED, EventFilter

# the filters whose values the page offers, with their counts: filter name -> events column
# ("weapon" is counted in event_weapons: an event has several)
FACETS = ("country", "admin1", "actor1", "sub_event_type", "weapon")
CHANGES_PAGE = 1000  # changed events listed at most per answer (more: ``more`` is set)
_DIGITS = 5  # a point's coordinates, rounded: about a metre


@dataclass(slots=True, frozen=True)
class Point:
    """One event as the map draws it: where (None: not located), when, its toll, type and place."""

    event_id: str
    latitude: float | None
    longitude: float | None
    day: str | None  # event_date (its window's first day)
    killed: int | None
    type: str | None  # sub_event_type as written
    place: str | None  # location, else admin1, else country, as written


@dataclass(slots=True, frozen=True)
class Day:
    """The matching events of one day: how many, their killed summed (None when every toll is unknown)
    and how many have an unknown toll (never counted as 0)."""

    day: str
    events: int
    killed: int | None
    unknown: int


def point_columns(event: Event) -> tuple[float | None, float | None, str | None, str | None]:
    """latitude, longitude, type_name, place_name of an event's row (migration 0011)."""
    place = event.location or event.admin1 or event.country
    return event.latitude, event.longitude, event.sub_event_type, place


def _and(where: str, clause: str) -> str:
    return f"{where} AND {clause}" if where else f" WHERE {clause}"


def _matching(where: str) -> str:
    """The events ``where`` keeps, as a set of ids: the filters are answered from their own indexes,
    and the columns read per event from another (events_points), never from the event's row."""
    return f" WHERE e.event_id IN (SELECT e.event_id FROM events e{where})" if where else ""


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), _DIGITS)


def points(db: Database, where: str, args: Sequence[Any]) -> list[Point]:
    """Every event matching ``where`` (over ``events e``), in ledger order (a dated event's sort_key is its day)."""
    rows = db.execute(
        "SELECT e.event_id, e.latitude, e.longitude, e.sort_key, e.killed, e.type_name, e.place_name"
        " FROM events e" + db.indexed_by("events_points") + _matching(where) + ORDER,
        args,
    )
    return [Point(r[0], _round(r[1]), _round(r[2]), None if r[3] == UNDATED else r[3], r[4], r[5], r[6]) for r in rows]


def days(db: Database, where: str, args: Sequence[Any]) -> list[Day]:
    """Events and killed per day (undated events left out), oldest first."""
    rows = db.execute(
        "SELECT e.sort_key, count(*), sum(e.killed), count(e.killed) FROM events e"
        + db.indexed_by("events_points")
        + _and(_matching(where), "e.sort_key < ?")
        + " GROUP BY e.sort_key ORDER BY e.sort_key",
        [*args, UNDATED],
    )
    # PostgreSQL sums integers as numeric: read back as int
    return [Day(r[0], int(r[1]), None if r[2] is None else int(r[2]), int(r[1]) - int(r[3])) for r in rows]


def day_span(db: Database) -> tuple[str | None, str | None]:
    """The first and the last event day of the whole ledger (index events_date)."""
    row = db.execute("SELECT min(date_from), max(date_from) FROM events").fetchone()
    return row[0], row[1]


def facet_query(name: str, where: str) -> str:
    """``SELECT value, count, an event having it`` for filter ``name`` over the events ``where`` keeps."""
    if name == "weapon":
        inside = _matching(where).replace("e.event_id IN", "w.event_id IN")
        return f"SELECT w.weapon, count(*), min(w.event_id) FROM event_weapons w{inside} GROUP BY w.weapon"
    # counted from the filter's own index (events_country, ..., events_type)
    where = _and(_matching(where), f"e.{name} IS NOT NULL")
    return f"SELECT e.{name}, count(*), min(e.event_id) FROM events e{where} GROUP BY e.{name}"


def shown_as(name: str, value: str, body: dict[str, Any]) -> str:
    """How an event's record writes a filter value stored in lower case (``value`` when it does not)."""
    if name == "weapon":
        return next((w for w in body.get("weapons") or () if w.lower() == value), value)
    written = body.get(name)
    return written if isinstance(written, str) and written.lower() == value else value


def facets(db: Database, wheres: dict[str, tuple[str, list[Any]]]) -> dict[str, list[tuple[str, int]]]:
    """Per filter name: its values as written, each with its count of events, by value. ``wheres``
    gives each name the clause of the OTHER filters asked (a select offers what they leave)."""
    counted: dict[str, list[tuple[str, int, str]]] = {}
    for name, (where, args) in wheres.items():
        counted[name] = [(r[0], int(r[1]), r[2]) for r in db.execute(facet_query(name, where), args)]
    # the values are stored in lower case: one record per value says how it is written
    ids = sorted({eid for rows in counted.values() for _, _, eid in rows})
    bodies = {
        r[0]: json.loads(r[1])
        for r in db.execute("SELECT event_id, body FROM events WHERE event_id" + db.any_of(), (db.values(ids),))
        if r[1]
    }
    out: dict[str, list[tuple[str, int]]] = {}
    for name, rows in counted.items():
        values = [(shown_as(name, value, bodies.get(eid, {})), n) for value, n, eid in rows]
        out[name] = sorted(values, key=lambda v: (v[0].lower(), v[0]))
    return out


def without(flt: EventFilter, name: str) -> EventFilter:
    """``flt`` with filter ``name`` left out."""
    return replace(flt, **{name: None})


def cursor(db: Database) -> int:
    """The change log's last id (0 when empty): it grows with every change to any event."""
    return int(db.execute("SELECT coalesce(max(id), 0) FROM changes").fetchone()[0])


def changed_after(db: Database, after: int, limit: int = CHANGES_PAGE) -> tuple[int, list[str], bool]:
    """The log's id up to which this answer reads, the events changed after ``after`` (each once,
    in the order of their first change; merged and deleted ones too) and whether more follow."""
    sql = "SELECT id, event_id FROM changes WHERE id > ? ORDER BY id LIMIT ?"
    rows = db.execute(sql, (after, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    # nothing after ``after``: the log's last id, lower than ``after`` when the ledger was replaced
    last = int(rows[-1][0]) if rows else cursor(db)
    return last, list(dict.fromkeys(r[1] for r in rows)), more
