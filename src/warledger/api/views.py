"""The answers the web page reads at scale, shaped for the wire, and their schemas for the OpenAPI spec.

``GET /api/points`` lists every matching event in a few bytes (50,000 events: about 2 MB of JSON,
a tenth of that gzipped), its repeated strings (types, places) written once and referred to by
position; the other answers are small whatever the ledger's size.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..geo import Box, Settlement
from ..store import Day, Point

POINT_FIELDS = ["event_id", "latitude", "longitude", "event_date", "killed", "type", "place"]


class PointsAnswer(BaseModel):
    """Every matching event (located or not), oldest first: each ``points`` row is ``fields``
    (``type`` and ``place``: a position in ``types`` / ``places``, or null)."""

    total: int
    cursor: int = Field(description="the change log's last id when read: poll /api/changes?after= with it")
    fields: list[str] = Field(examples=[POINT_FIELDS])
    types: list[str]
    places: list[str]
    points: list[list[str | float | int | None]] = Field(
        examples=[[["ev-26a789c3edfb", 47.90572, 33.39404, "2025-04-04", 18, 0, 0]]]
    )


class TimelineAnswer(BaseModel):
    """Events and killed per day of the matching events; ``first`` / ``last``: the whole ledger's days."""

    first: str | None
    last: str | None
    fields: list[str] = Field(examples=[["day", "events", "killed", "unknown"]])
    days: list[list[str | int | None]] = Field(
        description="killed is null when every toll of the day is unknown; unknown: events of unknown toll",
        examples=[[["2025-04-04", 3, 21, 1]]],
    )


class FacetValue(BaseModel):
    value: str
    events: int


class FacetsAnswer(BaseModel):
    """Per filter: the values the OTHER filters asked leave, as written, with their counts of events."""

    country: list[FacetValue]
    admin1: list[FacetValue]
    actor1: list[FacetValue]
    sub_event_type: list[FacetValue]
    weapon: list[FacetValue]


class ChangesAnswer(BaseModel):
    """What changed in the ledger after the cursor ``after``."""

    cursor: int = Field(description="the next ``after``; lower than the one sent when the ledger was replaced")
    events: list[str] = Field(description="events changed, created, merged away or deleted since, each once")
    more: bool = Field(description="more changes follow: ask again with the new cursor")
    poll: float = Field(description="seconds the page waits between two polls (the server's setting)")


class PlaceLabel(BaseModel):
    name: str
    latitude: float
    longitude: float
    population: int
    country: str


class PlacesAnswer(BaseModel):
    """Settlements inside the box, most populous first (GeoNames, from the gazetteer)."""

    places: list[PlaceLabel]


def points_answer(cursor: int, points: Sequence[Point]) -> dict[str, Any]:
    types: dict[str, int] = {}
    places: dict[str, int] = {}

    def ref(table: dict[str, int], value: str | None) -> int | None:
        return None if value is None else table.setdefault(value, len(table))

    rows = [
        [p.event_id, p.latitude, p.longitude, p.day, p.killed, ref(types, p.type), ref(places, p.place)] for p in points
    ]
    return {
        "total": len(rows),
        "cursor": cursor,
        "fields": POINT_FIELDS,
        "types": list(types),
        "places": list(places),
        "points": rows,
    }


def timeline_answer(span: tuple[str | None, str | None], days: Sequence[Day]) -> dict[str, Any]:
    return {
        "first": span[0],
        "last": span[1],
        "fields": ["day", "events", "killed", "unknown"],
        "days": [[d.day, d.events, d.killed, d.unknown] for d in days],
    }


def facets_answer(facets: dict[str, list[tuple[str, int]]]) -> dict[str, Any]:
    return {name: [{"value": v, "events": n} for v, n in values] for name, values in facets.items()}


def places_answer(found: Sequence[Settlement]) -> dict[str, Any]:
    return {
        "places": [
            {
                "name": s.name,
                "latitude": s.latitude,
                "longitude": s.longitude,
                "population": s.population,
                "country": s.country,
            }
            for s in found
        ]
    }


def parse_bbox(text: str) -> Box:
    """``west,south,east,north`` in degrees; ValueError with the reason when it is not one."""
    parts = text.split(",")
    if len(parts) != 4:
        raise ValueError(f"bbox {text!r}: expected west,south,east,north (4 numbers)")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        west = south = east = north = math.nan
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise ValueError(f"bbox {text!r}: expected west,south,east,north (4 numbers)")
    if not (-90 <= south <= north <= 90):
        raise ValueError(f"bbox {text!r}: south and north must lie in -90..90, south first")
    if not (-540 <= west <= 540 and -540 <= east <= 540) or west > east:
        raise ValueError(f"bbox {text!r}: west and east must lie in -540..540, west first")
    return Box(west, south, east, north)
