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


def _text(text: str, dialect: str) -> tuple[str, list[str]]:
    """``text`` anywhere in an event's search text: the clause over ``event_search`` and its arguments.

    SQLite: an FTS5 phrase, which its trigram tokenizer matches as a substring (any characters,
    in any case) from the index alone; shorter than a trigram, a LIKE. PostgreSQL: a LIKE,
    which pg_trgm's index serves.
    """
    if dialect == "sqlite" and len(text) >= 3:
        return "event_search MATCH ?", ['"' + text.lower().replace('"', '""') + '"']
    return _like(text)


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

    def given(self) -> list[str]:
        """The names of the filters asked for."""
        return [name for name in FILTER_PARAMS if getattr(self, name) not in (None, "")]

    def count(self, longest: float | None = None, dialect: str = "sqlite") -> tuple[str, list[Any]]:
        """``SELECT count(*)`` of the matching events, and its arguments. A weapon or a text alone is
        counted in its own table (one row per event there): not a lookup of each match in events."""
        self.check()
        if self.given() == ["weapon"]:
            return "SELECT count(*) FROM event_weapons WHERE weapon = ?", [(self.weapon or "").lower()]
        if self.given() == ["q"]:
            clause, values = _text(self.q or "", dialect)
            return f"SELECT count(*) FROM event_search WHERE {clause}", values
        where, args = self.where(longest, dialect)
        return "SELECT count(*) FROM events e" + where, args

    def where(self, longest: float | None = None, dialect: str = "sqlite", walk: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause over ``events e`` and its bound arguments, for ``dialect``'s database.

        ``longest``: the longest stored window in days; with it, a window that overlaps the asked
        one is looked up as a range of ``sort_key`` (index events_window), not a scan. ``walk``:
        the events are walked in order and each is checked (a weapon: one lookup per event) rather
        than every match fetched first.
        """
        first = self.check()
        sql: list[str] = []
        args: list[Any] = []
        # the event's window overlaps the asked one; an undated event matches no date filter. A
        # dated event's sort_key is its date_from: bounds on it are a range of the order itself
        # (events_order, events_window), so a page of a window is read in order from its start
        if self.date_from:
            sql.append("e.date_to >= ?")
            args.append(self.date_from)
            if first is not None and longest is not None:
                sql.append("e.sort_key >= ?")
                args.append(_shifted(first, -math.ceil(longest)))
        if self.date_to:
            sql.append("e.sort_key <= ?")
            args.append(self.date_to)
        for name in TEXT_FILTERS:
            value = getattr(self, name)
            if value:
                sql.append(f"e.{name} = ?")  # stored in lower case
                args.append(value.lower())
        if self.weapon:
            if walk:
                sql.append("EXISTS (SELECT 1 FROM event_weapons w WHERE w.event_id = e.event_id AND w.weapon = ?)")
            else:
                sql.append("e.event_id IN (SELECT event_id FROM event_weapons WHERE weapon = ?)")
            args.append(self.weapon.lower())
        if self.min_killed is not None:
            sql.append("e.killed >= ?")
            args.append(self.min_killed)
        if self.q:
            # the event's search text: its places, its reports' places and quotes (Store._write_row)
            clause, values = _text(self.q, dialect)
            if walk and dialect != "sqlite":  # a check of the event's own text: cheap on PostgreSQL
                sql.append(f"EXISTS (SELECT 1 FROM event_search WHERE rowid = e.search_id AND {clause})")
            else:  # listed once from the text index (an FTS5 search per event costs a search each)
                sql.append(f"e.search_id IN (SELECT rowid FROM event_search WHERE {clause})")
            args += values
        return (" WHERE " + " AND ".join(sql)) if sql else "", args
