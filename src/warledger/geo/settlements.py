"""Settlements inside a box of the map, most populous first: the labels the web page draws at city
zoom (it draws no tiles). Read from the gazetteer's own rows (GeoNames cities1000, and cities500 in
Ukraine and Russia), so nothing is loaded twice and nothing is downloaded.

    >>> Gazetteer.load().settlements_in(Box(35.9, 49.8, 36.5, 50.1), limit=1)[0].name
    'Kharkiv'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from warledger.geo._build import GeoIndex

MAX_SETTLEMENTS = 500  # one answer lists at most this many


@dataclass(slots=True, frozen=True)
class Box:
    """west, south, east, north in degrees. A box crossing the antimeridian has west > east once
    wrapped (Leaflet's bounds run past 180: they are wrapped here)."""

    west: float
    south: float
    east: float
    north: float

    def lon_ranges(self) -> list[tuple[float, float]]:
        """The box's longitudes as ranges inside [-180, 180]: one, or two across the antimeridian."""
        if self.east - self.west >= 360:
            return [(-180.0, 180.0)]
        west, east = _wrap(self.west), _wrap(self.east)
        return [(west, east)] if west <= east else [(west, 180.0), (-180.0, east)]


@dataclass(slots=True, frozen=True)
class Settlement:
    name: str
    latitude: float
    longitude: float
    population: int
    country: str  # ISO alpha-2
    geonameid: int


def _wrap(lon: float) -> float:
    return ((lon + 180.0) % 360.0) - 180.0


class Settlements:
    """The gazetteer's settlements as arrays, searched by box (a scan of 170,000 rows: about 1 ms)."""

    def __init__(self, index: GeoIndex, name_of: Callable[[int], str] | None = None) -> None:
        """``name_of(row)``: a settlement's name as English news write it (the gazetteer's, so the
        labels spell a town as the events do); GeoNames' own name without it."""
        self.index = index
        self.name_of = name_of or index.name.__getitem__
        # the rows are sorted by population, largest first: the first found are the ones to label
        self.lat = np.frombuffer(index.lat, dtype=np.float64)
        self.lon = np.frombuffer(index.lon, dtype=np.float64)

    def within(self, box: Box, limit: int = 100) -> list[Settlement]:
        """The ``limit`` most populous settlements inside ``box`` (at most MAX_SETTLEMENTS)."""
        inside = (self.lat >= box.south) & (self.lat <= box.north)
        across = np.zeros_like(inside)
        for west, east in box.lon_ranges():
            across |= (self.lon >= west) & (self.lon <= east)
        rows = np.flatnonzero(inside & across)[: max(0, min(limit, MAX_SETTLEMENTS))]
        ix = self.index
        return [
            Settlement(self.name_of(r), ix.lat[r], ix.lon[r], ix.pop[r], ix.cc[r], ix.gid[r])
            for r in (int(r) for r in rows)
        ]
