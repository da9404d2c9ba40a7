"""Turn index rows into :class:`~warledger.records.Place` records, and rank candidates.

Ranking is population first, softened by how closely the text's spelling matches the place's
own GeoNames name (so "Sloviansk" beats Nikopol, which GeoNames also calls "Slov'iansk"),
and overridden by context: an admin1 or country the text gives beside the name, then the
alias file. Ukrainian and Russian places get no bonus of their own.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import replace
from difflib import SequenceMatcher
from functools import lru_cache

from warledger.geo._build import GeoIndex
from warledger.geo._text import national_spelling, norm
from warledger.records import Place

MAX_CANDIDATES = 10
# Score units are log10(population): +1 is worth a 10x larger town.
_ALIAS_BONUS = 100.0
_LOCAL_ADMIN1_BONUS = 20.0
_LOCAL_COUNTRY_BONUS = 10.0
_DOC_ADMIN1_BONUS = 0.7
_DOC_COUNTRY_BONUS = 1.0
_CLEAR_MARGIN = 1.0
# Only the most populous rows are compared by spelling; context is checked on all of them.
_SPELLING_ROWS = 40


class Ranker:
    """Builds Places from a :class:`GeoIndex` and orders candidate rows."""

    def __init__(self, index: GeoIndex) -> None:
        self.ix = index
        self._rows_by_admin1: dict[str, list[int]] | None = None
        # admin1 id -> first letter -> (name key, row): the names fuzzy_row compares, made once
        self._keys_by_admin1: dict[str, dict[str, list[tuple[str, int]]]] = {}

    # ------------------------------------------------------------------ places

    def admin1_name(self, country_code: str, admin1_code: str) -> str | None:
        """The admin1 name for a GeoNames (country, admin1 code) pair, if known."""
        rec = self.ix.admin1.get(f"{country_code}.{admin1_code}")
        return rec[0] if rec else None

    def country_name(self, cc: str) -> str | None:
        rec = self.ix.countries.get(cc)
        return rec[0] if rec else None

    def city_place(self, row: int, query: str) -> Place:
        ix = self.ix
        cc, a1 = ix.cc[row], ix.a1[row]
        name, alts = self.display_name(row)
        return Place(
            query=query,
            location=name,
            admin1=self.admin1_name(cc, a1) if a1 else None,
            country=self.country_name(cc),
            latitude=ix.lat[row],
            longitude=ix.lon[row],
            geo_precision="settlement",
            geonameid=ix.gid[row],
            country_code=cc,
            admin1_code=a1 or None,
            alt_names=alts,
            population=ix.pop[row],
        )

    def display_name(self, row: int) -> tuple[str, tuple[str, ...]]:
        """A town's name as English news write it, and its other names (GeoNames' spelling among them)."""
        ix = self.ix
        alts = tuple(ix.alts[row].split("\x1f")) if ix.alts[row] else ()
        name = ix.name[row]
        if ix.cc[row] == "UA" and (spelt := national_spelling(name)) != name:
            return spelt, (name, *alts)
        return name, alts

    def admin1_place(self, aid: str, query: str) -> Place:
        name, rep, _pop, _typed = self.ix.admin1[aid]
        cc, code = aid.split(".", 1)
        # The coordinates are a representative point (the admin1's most populous city), not a
        # centroid: geo_precision stays "admin1" so no one reads them as the event's site.
        lat = self.ix.lat[rep] if rep >= 0 else None
        lon = self.ix.lon[rep] if rep >= 0 else None
        return Place(
            query=query,
            location=None,
            admin1=name,
            country=self.country_name(cc),
            latitude=lat,
            longitude=lon,
            geo_precision="admin1",
            country_code=cc,
            admin1_code=code,
        )

    def named_place(self, name: str, aid: str, query: str) -> Place:
        """A settlement the gazetteer does not know, named in a known admin1 ("Dobrovillia,
        Kharkiv"): the name as written, with the admin1's representative point and
        ``geo_precision="admin1"``: the coordinates are the region's, not the village's."""
        return replace(self.admin1_place(aid, query), location=name)

    def district_place(self, aid: str, row: int, query: str) -> Place:
        """A district named after its centre, town ``row`` ("Lozova district"): the admin1 with
        the centre's name and coordinates, ``geo_precision="admin1"``: the event is somewhere in
        the district, not known to be in the town."""
        ix = self.ix
        place = self.admin1_place(aid, query)
        return replace(place, location=self.display_name(row)[0], latitude=ix.lat[row], longitude=ix.lon[row])

    def country_place(self, cc: str, query: str) -> Place:
        name, rep, _pop = self.ix.countries[cc]
        # Representative point: the capital (or largest city); geo_precision says "country".
        lat = self.ix.lat[rep] if rep >= 0 else None
        lon = self.ix.lon[rep] if rep >= 0 else None
        return Place(
            query=query,
            location=None,
            admin1=None,
            country=name,
            latitude=lat,
            longitude=lon,
            geo_precision="country",
            country_code=cc,
        )

    def fuzzy(self, key: str, admin1s: Iterable[str]) -> int | None:
        """A town in ``admin1s`` spelt nearly like ``key``; see :func:`closeness`."""
        return fuzzy_row(self, key, admin1s)

    # ------------------------------------------------------------------ ranking

    def rank_rows(
        self,
        key: str,
        rows: Iterable[int],
        *,
        admin1s: Collection[str] = (),
        countries: Collection[str] = (),
        doc_admin1s: Collection[str] = (),
        doc_countries: Collection[str] = (),
    ) -> list[int]:
        """Order city rows for the name ``key``: context, alias, then population and spelling.

        ``admin1s``/``countries`` are local context (given beside the name: strong);
        ``doc_*`` are places named elsewhere in the same text (a soft nudge).
        """
        ix = self.ix
        alias = set(ix.alias.get(key, ()))
        scored: list[tuple[float, int]] = []
        for i, row in enumerate(rows):
            pop = ix.pop[row]
            s = math.log10(pop + 1)
            if i < _SPELLING_ROWS:
                s += spelling(key, ix.name[row])
            aid = f"{ix.cc[row]}.{ix.a1[row]}"
            if aid in admin1s:
                s += _LOCAL_ADMIN1_BONUS
            elif ix.cc[row] in countries:
                s += _LOCAL_COUNTRY_BONUS
            if aid in doc_admin1s:
                s += _DOC_ADMIN1_BONUS
            if ix.cc[row] in doc_countries:
                s += _DOC_COUNTRY_BONUS
            if row in alias:
                s += _ALIAS_BONUS
            scored.append((-s, row))
        scored.sort()
        return [row for _, row in scored]

    def clear_country(self, key: str, rows: Iterable[int]) -> str | None:
        """The country a name surely means without context ("Houston": US): its best town
        there outscores every other country's by 10x population or more."""
        ix = self.ix
        best: dict[str, float] = {}
        for i, row in enumerate(rows):
            if i >= _SPELLING_ROWS:
                break
            s = math.log10(ix.pop[row] + 1) + spelling(key, ix.name[row])
            cc = ix.cc[row]
            if s > best.get(cc, -1.0):
                best[cc] = s
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= _CLEAR_MARGIN:
            return ranked[0][0]
        return None

    def rank_admin1(
        self, aids: Iterable[str], *, countries: Collection[str] = (), typed_first: bool = False
    ) -> list[str]:
        """Order admin1 ids: in a context country first; with ``typed_first`` (the text said
        "region"/"oblast"), real regions before city-states such as "Moscow"; then size."""

        def score(aid: str) -> tuple[bool, bool, int]:
            _name, _rep, pop, typed = self.ix.admin1[aid]
            return (aid[:2] not in countries, typed_first and not typed, -pop)

        return sorted((a for a in aids if a in self.ix.admin1), key=score)


@lru_cache(maxsize=65536)
def spelling(key: str, name: str) -> float:
    """Similarity (0..1) of the text's name key to a place's own GeoNames name."""
    other = norm(name)
    if other == key:
        return 1.0
    return SequenceMatcher(None, key, other).ratio()


# A bare name that is both a town and an admin1 is the town if the town is this large, or
# is a real town inside that admin1 (Sumy in Sumy Oblast)...
_TOWN_OVER_ADMIN1_POP = 100_000
_CAPITAL_TOWN_POP = 5_000
_REGION_TO_TOWN_MAX = 20
# ...unless the name is only a former name of the town that its admin1 kept: since 2016
# "Dnipropetrovsk" and "Kirovohrad" name oblasts, the cities are Dnipro and Kropyvnytskyi.
_OWN_NAME_SPELLING = 0.75


def town_beats_admin1(ix: GeoIndex, key: str, rows: tuple[int, ...], admin1s: Collection[str]) -> bool:
    """Whether a bare name that is both a town and an admin1 means the town."""
    if not rows:
        return False
    alias = set(ix.alias.get(key, ()))
    top = max(
        rows[:_SPELLING_ROWS],
        key=lambda r: (r in alias, math.log10(ix.pop[r] + 1) + spelling(key, ix.name[r])),
    )
    if top in alias:  # the alias file names this town: "Samar" is not Samara Oblast
        return True
    if spelling(key, ix.name[top]) < _OWN_NAME_SPELLING:
        return False
    pop = ix.pop[top]
    if f"{ix.cc[top]}.{ix.a1[top]}" in admin1s:
        return pop >= _CAPITAL_TOWN_POP
    # A town elsewhere must be large, and not tiny beside the region ("Virginia" is the US
    # state, not the South African town of 120,000).
    biggest = max((ix.admin1[a][2] for a in admin1s if a in ix.admin1), default=0)
    return pop >= _TOWN_OVER_ADMIN1_POP and pop * _REGION_TO_TOWN_MAX >= biggest


# A misspelt or unlisted village inside a given admin1 is taken only if this close.
_FUZZY_MIN_RATIO = 0.85
_FUZZY_MIN_PREFIX = 5
_FUZZY_MAX_EXTRA = 4


def closeness(key: str, name: str) -> float:
    """0, or how close two name keys are: one the start of the other with at most a few
    more letters ("krasnopil" / "krasnopillia"), or a near spelling ("dontesk")."""
    if not name or not key or name[0] != key[0]:
        return 0.0
    short, long_ = sorted((key, name), key=len)
    extra = len(long_) - len(short)
    if long_.startswith(short) and len(short) >= _FUZZY_MIN_PREFIX and extra <= _FUZZY_MAX_EXTRA:
        return 0.9 + 0.01 * (_FUZZY_MAX_EXTRA - extra)
    if 2 * len(short) < _FUZZY_MIN_RATIO * (len(short) + len(long_)):
        return 0.0  # too unlike in length (what real_quick_ratio tests, without its set-up)
    sm = SequenceMatcher(None, key, name)
    if sm.real_quick_ratio() < _FUZZY_MIN_RATIO or sm.quick_ratio() < _FUZZY_MIN_RATIO:
        return 0.0
    ratio = sm.ratio()
    return ratio if ratio >= _FUZZY_MIN_RATIO else 0.0


def _rows_by_admin1(ix: GeoIndex) -> dict[str, list[int]]:
    by: dict[str, list[int]] = {}
    for row, (cc, a1) in enumerate(zip(ix.cc, ix.a1, strict=True)):
        by.setdefault(f"{cc}.{a1}", []).append(row)
    return by


def _admin1_keys(rk: Ranker, aid: str) -> dict[str, list[tuple[str, int]]]:
    """The name keys of the towns of one admin1, by first letter (computed once per admin1)."""
    got = rk._keys_by_admin1.get(aid)
    if got is None:
        if rk._rows_by_admin1 is None:
            rk._rows_by_admin1 = _rows_by_admin1(rk.ix)
        ix = rk.ix
        got = {}
        for row in rk._rows_by_admin1.get(aid, ()):
            alts = ix.alts[row]
            for k in dict.fromkeys(norm(n) for n in [ix.name[row], *(alts.split("\x1f") if alts else ())]):
                if k:
                    got.setdefault(k[0], []).append((k, row))
        rk._keys_by_admin1[aid] = got
    return got


def fuzzy_row(rk: Ranker, key: str, admin1s: Iterable[str]) -> int | None:
    """A town in ``admin1s`` spelt nearly like ``key``, the closest (then largest)."""
    if not key:
        return None
    best: tuple[float, int] | None = None
    for aid in admin1s:
        for name, row in _admin1_keys(rk, aid).get(key[0], ()):
            score = closeness(key, name)
            if score and (best is None or score > best[0] or (score == best[0] and row < best[1])):
                best = (score, row)
    return best[1] if best else None


def fuzzy_admin1(ix: GeoIndex, key: str) -> list[str]:
    """Admin1 ids whose name is a near spelling of ``key`` ("dontesk" -> Donetsk Oblast)."""
    best = 0.0
    out: list[str] = []
    for name, aids in ix.admin1_keys.items():
        score = closeness(key, name) if len(name) >= _FUZZY_MIN_PREFIX else 0.0
        if score > best:
            best, out = score, list(aids)
        elif score and score == best:
            out += [a for a in aids if a not in out]
    return out
