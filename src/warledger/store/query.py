"""Event filters as SQL over the stored event rows (``events``, migration 0007), never over full events.

    flt = EventFilter(country="Ukraine", min_killed=1)
    total, page = store.find_events(flt, limit=100)

Every value goes in as a bound parameter; text filters match whole and case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
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


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


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
            sql.append("e.date_to >= ?")
            args.append(self.date_from)
        if self.date_to:
            sql.append("e.date_from <= ?")
            args.append(self.date_to)
        for name in TEXT_FILTERS:
            value = getattr(self, name)
            if value:
                sql.append(f"lower(e.{name}) = ?")
                args.append(value.lower())
        if self.weapon:
            sql.append("EXISTS (SELECT 1 FROM event_weapons w WHERE w.event_id = e.event_id AND lower(w.weapon) = ?)")
            args.append(self.weapon.lower())
        if self.min_killed is not None:
            sql.append("e.killed >= ?")
            args.append(self.min_killed)
        if self.q:
            like = _like(self.q)
            places = " OR ".join(f"lower(e.{k}) LIKE ? ESCAPE '\\'" for k in ("location", "admin1", "country"))
            sql.append(
                f"({places} OR EXISTS (SELECT 1 FROM mentions m JOIN sources s ON s.mention_id = m.mention_id"
                " WHERE m.event_id = e.event_id AND (lower(s.quote) LIKE ? ESCAPE '\\'"
                " OR lower(m.location) LIKE ? ESCAPE '\\' OR lower(m.admin1) LIKE ? ESCAPE '\\')))"
            )
            args += [like] * 6
        return (" WHERE " + " AND ".join(sql)) if sql else "", args
