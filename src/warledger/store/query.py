"""Event filters as SQL over the stored event rows (``events``, migration 0007), never over full events.

    flt = EventFilter(country="Ukraine", min_killed=1)
    total, page = store.find_events(flt, limit=100)

Every value goes in as a bound parameter; text filters match whole and case-insensitively.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# text filters: name -> events column
TEXT_FILTERS = ("country", "admin1", "location", "actor1", "sub_event_type")
FILTER_PARAMS = ("date_from", "date_to", *TEXT_FILTERS, "weapon", "min_killed", "q")
ORDER = " ORDER BY e.sort_key, e.event_id"  # oldest first, undated last (sort_key of an undated event)
UNDATED = "9999-99-99"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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


def _shifted(day: date, days: int) -> str:
    try:
        return (day + timedelta(days=days)).isoformat()
    except OverflowError:
        return date.min.isoformat()


def _like(text: str) -> tuple[str, list[str]]:
    """``text`` anywhere, in lower case, over ``search``: the clause and its arguments.

    An ESCAPE clause keeps SQLite's trigram index from serving a LIKE; so a ``%``, ``_`` or ``\\`` in
    the text is first matched as any one character (index-served), then exactly on the rows found.
    """
    text = text.lower()
    wild = re.sub(r"[%_\\]", "_", text)  # PostgreSQL's LIKE escapes with a backslash unless told otherwise
    if not re.search(r"[%_\\]", text):
        return "search LIKE ?", [f"%{text}%"]
    exact = re.sub(r"([%_\\])", r"\\\1", text)
    return "search LIKE ? AND search LIKE ? ESCAPE '\\'", [f"%{wild}%", f"%{exact}%"]


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

    def check(self) -> date | None:
        """Raise FilterError on a bad date or an empty window; RETURNS the first day asked."""
        first, last = _day("date_from", self.date_from), _day("date_to", self.date_to)
        if first and last and first > last:
            raise FilterError(f"date_from {self.date_from} is after date_to {self.date_to}")
        return first

    def where(self, longest: float | None = None) -> tuple[str, list[Any]]:
        """The WHERE clause over ``events e`` and its bound arguments.

        ``longest``: the longest stored window in days; with it, a window that overlaps the asked
        one is looked up as a range of ``date_from`` (index events_window), not a scan.
        """
        first = self.check()
        sql: list[str] = []
        args: list[Any] = []
        # the event's window overlaps the asked one; an undated event matches no date filter
        if self.date_from:
            sql.append("e.date_to >= ?")
            args.append(self.date_from)
            if first is not None and longest is not None:
                sql.append("e.date_from >= ?")
                args.append(_shifted(first, -math.ceil(longest)))
        if self.date_to:
            sql.append("e.date_from <= ?")
            args.append(self.date_to)
        for name in TEXT_FILTERS:
            value = getattr(self, name)
            if value:
                sql.append(f"lower(e.{name}) = ?")
                args.append(value.lower())
        if self.weapon:
            sql.append("e.event_id IN (SELECT event_id FROM event_weapons WHERE lower(weapon) = ?)")
            args.append(self.weapon.lower())
        if self.min_killed is not None:
            sql.append("e.killed >= ?")
            args.append(self.min_killed)
        if self.q:
            # the event's search text: its places, its reports' places and quotes (Store._write_row)
            clause, values = _like(self.q)
            sql.append(f"e.event_id IN (SELECT event_id FROM event_search WHERE {clause})")
            args += values
        return (" WHERE " + " AND ".join(sql)) if sql else "", args
