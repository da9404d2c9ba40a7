"""The offline gazetteer: find place names in text, resolve a name, geocode a place string.

>>> gz = Gazetteer.load()
>>> gz.geocode("Krasnopil, Sumy region").admin1
'Sumy Oblast'
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from warledger.geo._aliases import default_alias_path
from warledger.geo._build import GeoIndex, load_index
from warledger.geo._rank import Ranker, fuzzy_admin1, spelling, town_beats_admin1
from warledger.geo._text import REGION_WORDS, norm, skeleton, strip_admin1_suffix
from warledger.geo.context import in_theatre
from warledger.geo.matcher import Matcher, PlaceMention
from warledger.geo.settlements import Box, Settlement, Settlements
from warledger.records import Place

# Parts of a place string: "A, B", "A (B)", "A; B", "A in the B".
_PART_SPLIT_RE = re.compile(r"[,;()\[\]\n]+|\s+in\s+(?:the\s+)?(?=[A-Z])")
_LEADING_RE = re.compile(
    r"^(?:(?:the|near|nearby|outside(?:\s+of)?|(?:the\s+)?outskirts\s+of|(?:the\s+)?"
    r"(?:village|town|city|settlement|suburbs?|centre|center|vicinity|area)"
    r"\s+of|in|at|around|central|downtown|suburban)\s+)+",
    re.IGNORECASE,
)
_TRAILING_RE = re.compile(
    r"\s+(?:village|town|settlement|area|outskirts|suburbs?)$",
    re.IGNORECASE,
)
_REGION_OF_RE = re.compile(r"^(?:the\s+)?(region|oblast|province|governorate|state|krai)\s+of\s+(.+)$", re.IGNORECASE)
# A part that names a district, a municipality or a city's quarter, not a settlement.
_DISTRICT_RE = re.compile(
    r"\b(?:district|raion|rayon|hromada|community|municipality|okrug|microdistrict|neighbou?rhood|quarter)s?\b",
    re.IGNORECASE,
)
# A first part that names a district: "Lozova hromada", "Bucha district", "Izium raion".
_DISTRICT_PART_RE = re.compile(
    r"^(?:the\s+)?(.+?)\s+(?:(?:territorial|urban|rural|village|settlement|city)\s+)?"
    r"(?:district|raion|rayon|hromada|community|municipality|okrug)s?$",
    re.IGNORECASE,
)
# After a settlement's name inside a longer one: a capitalised word ("Novoselivka Druha").
_NAME_GOES_ON_RE = re.compile(r"[ \-‐‑]+([A-Z][^\W\d_]*)")
_POSSESSIVE_RE = re.compile(r"['’ʼ]s$")
_ADMIN1_ID_RE = re.compile(r"[A-Z]{2}\.\w+")
# A district without a region is placed by the town it is named after only if it is this
# large and spelt as the text spells it ("Bakhmut district").
_DISTRICT_TOWN_MIN_POP = 10_000
_OWN_NAME_SPELLING = 0.75
# A name unknown in the admin1 given with it: a namesake elsewhere this small is taken for
# another village, and the admin1 is returned instead.
_NAMESAKE_MAX_POP = 100_000


class Gazetteer:
    """Places worldwide from GeoNames (settlements of 1,000+ people, admin1 regions,
    countries), matched offline. Get the shared one with :meth:`load`."""

    def __init__(self, index: GeoIndex) -> None:
        self._ix = index
        self._rank = Ranker(index)
        self._matcher = Matcher(index, self._rank)
        self._settlements: Settlements | None = None  # made on first use (the map's labels)

    @classmethod
    def load(cls) -> Gazetteer:
        """The process-wide gazetteer: read from the disk cache when the data has not
        changed (under 1 s), else built (about 10 s) and cached.

        Raises:
            GazetteerError: a data package is missing or unreadable.
            DataFileError: ``data/place_aliases.json`` is malformed.
        """
        return _default_gazetteer()

    @classmethod
    def build(cls, alias_path: str | Path | None = None, *, use_cache: bool = True) -> Gazetteer:
        """A new, unshared gazetteer, optionally from another alias file.

        Raises:
            GazetteerError, DataFileError: as :meth:`load`.
        """
        path = Path(alias_path) if alias_path is not None else default_alias_path()
        return cls(load_index(path, use_cache=use_cache))

    # ------------------------------------------------------------------ text

    def find(self, text: str) -> list[PlaceMention]:
        """All place mentions in ``text``, left to right, non-overlapping, longest match
        first. Offsets index into ``text``; each mention's candidates are best first.

        A village unknown in the region written after it ("Dobrovillia, Kharkiv region") is a
        settlement mention whose best Place has the name as written, the region's point and
        ``geo_precision="admin1"``; a district ("Lozivskyi district") is an admin1 mention.
        An ambiguous name resolves inside the countries the text is about (``context.in_theatre``)."""
        return in_theatre(self._matcher.find(text))

    def settlements_in(self, box: Box, limit: int = 100) -> list[Settlement]:
        """The ``limit`` most populous settlements inside ``box``: the web page's labels at city zoom."""
        if self._settlements is None:
            self._settlements = Settlements(self._ix, lambda row: self._rank.display_name(row)[0])
        return self._settlements.within(box, limit)

    # ------------------------------------------------------------------ names

    def admin1_name(self, country_code: str, admin1_code: str) -> str | None:
        """The name of GeoNames admin1 ``admin1_code`` of ``country_code`` ("UA", "04" ->
        "Dnipropetrovsk Oblast"), or None if unknown."""
        return self._rank.admin1_name(country_code.upper(), admin1_code)

    def country_code(self, country: str) -> str | None:
        """ISO alpha-2 code for a country name, short form ("U.S.") or code, or None."""
        c = country.strip()
        if c in self._ix.country_abbr:
            return self._ix.country_abbr[c]
        if len(c) == 2 and c.isupper() and c in self._ix.countries:
            return c
        key = norm(c)
        return self._ix.country_keys.get(key[4:] if key.startswith("the ") else key)

    def admin1_ids(self, admin1: str, country: str | None = None) -> list[str]:
        """Admin1 ids ("UA.21") that a name such as "Sumy region", "Sumy Oblast" or
        "Calif." can mean, best first; only those of ``country`` (name or code) if given."""
        ix = self._ix
        text = admin1.strip()
        cc = self.country_code(country) if country else None
        if text in ix.admin1_abbr:
            ids: list[str] = [ix.admin1_abbr[text]]
        elif _ADMIN1_ID_RE.fullmatch(text) and text in ix.admin1:
            ids = [text]
        else:
            key = norm(text)
            if key.startswith("the "):
                key = key[4:]
            words = key.split(" ")
            typed = len(words) > 1 and words[-1] in REGION_WORDS
            found = ix.admin1_keys.get(key, ())
            if not found and typed:
                found = ix.admin1_keys.get(" ".join(words[:-1]), ())
            if not found:
                found = ix.admin1_keys.get(strip_admin1_suffix(key), ())
            ids = self._rank.rank_admin1(found, countries=(cc,) if cc else (), typed_first=typed)
        return [a for a in ids if cc is None or a[:2] == cc]

    def resolve(self, name: str, *, admin1: str | None = None, country: str | None = None) -> Place | None:
        """The place a name most likely means.

        Args:
            name: a settlement, region or country name ("Dnipro", "Sumy region").
            admin1: the region it is in, if known ("Sumy Oblast", "Sumy region", "UA.21").
            country: the country it is in, if known ("Ukraine", "UA").

        Returns:
            The best settlement (names in the given admin1/country first, then population
            and spelling); a region or country Place if ``name`` is one, or if ``name`` is
            not known in the given admin1; None if nothing matches.
        """
        cc = self.country_code(country) if country else None
        aids = tuple(self.admin1_ids(admin1, country)) if admin1 else ()
        return self._resolve(name, name, aids, (cc,) if cc else (), ())

    def _resolve(
        self,
        name: str,
        query: str,
        aids: tuple[str, ...],
        ccs: tuple[str, ...],
        soft_admin1s: tuple[str, ...],
    ) -> Place | None:
        ix, rk = self._ix, self._rank
        raw = _POSSESSIVE_RE.sub("", name.strip())
        key = norm(raw)
        if key.startswith("the "):
            key = key[4:]
        if not key:
            return None
        words = key.split(" ")
        if len(words) > 1 and words[-1] in REGION_WORDS and key not in ix.country_keys:
            region = self.admin1_ids(raw, ccs[0] if ccs else None)
            return rk.admin1_place(region[0], query) if region else None
        rows = ix.rows(key)
        if not rows and key not in ix.country_keys and key not in ix.admin1_keys:
            # Another romanisation ("Novotoshkivsky": Novotoshkivske), if it names one place
            # or the context picks among several.
            others = ix.skeletons.get(skeleton(key), ())
            if len(others) == 1 or aids or ccs:
                rows = others

        def aid(r: int) -> str:
            return f"{ix.cc[r]}.{ix.a1[r]}"

        if aids and not any(aid(r) in aids for r in rows):
            variants = [r for r in ix.skeletons.get(skeleton(key), ()) if aid(r) in aids]
            if variants:
                best = rk.rank_rows(key, variants, admin1s=aids, countries=ccs)
                return rk.city_place(best[0], query)
            near = rk.fuzzy(key, aids)
            if near is not None:
                return rk.city_place(near, query)
            if not rows or ix.pop[rows[0]] < _NAMESAKE_MAX_POP:
                return rk.admin1_place(aids[0], query)
        inside = [r for r in rows if aid(r) in aids or ix.cc[r] in ccs]
        if not inside:
            cc_key = ix.country_keys.get(key)
            if cc_key:
                return rk.country_place(cc_key, query)
            admin1s = ix.admin1_keys.get(key, ())
            if admin1s and not town_beats_admin1(ix, key, rows, admin1s):
                return rk.admin1_place(rk.rank_admin1(admin1s, countries=ccs)[0], query)
        if rows:
            best = rk.rank_rows(key, rows, admin1s=aids, countries=ccs, doc_admin1s=soft_admin1s)
            return rk.city_place(best[0], query)
        return None

    # ------------------------------------------------------------------ place strings

    def geocode(self, query: str) -> Place | None:
        """Geocode a free place string: "Krasnopil, Sumy region", "Kharkiv, Ukraine",
        "near Izium", "Hola Prystan (Kherson region)", "Zhytomyr oblast".

        The first part names the place; later parts that are regions or countries are its
        context (other later parts, such as a district named after a town, only nudge the
        ranking). Returns the settlement if one matches, else the region or country with
        that precision, else None. Also: a first part that is a region's name followed by
        one of its settlements gives the settlement ("Kharkiv (Staryi Saltiv)"); a district
        ("Izium raion, Kharkiv Oblast") gives its region at admin1 precision, with the point
        and name of the town it is named after if that town is in it; other romanisations of
        Ukrainian and Russian names are tried when no spelling matches ("Novotoshkivsky").
        """
        parts = [p.strip() for p in _PART_SPLIT_RE.split(query) if p and p.strip()]
        if not parts:
            return None
        first = _clean(parts[0])
        region_of = _REGION_OF_RE.match(first)
        if region_of:  # "region of Belgorod" -> "Belgorod region"
            first = f"{region_of.group(2)} {region_of.group(1)}"
        aids: list[str] = []
        ccs: list[str] = []
        soft: list[str] = []
        others: list[str] = []  # later parts that are neither a region nor a country
        fallback: Place | None = None
        for part in map(_clean, parts[1:]):
            cc = self.country_code(part)
            region = self.admin1_ids(part)
            typed = _ends_with_region_word(part)
            if not region and not cc and typed:
                region = fuzzy_admin1(self._ix, strip_admin1_suffix(norm(part)))  # "Dontesk"
            if cc:
                ccs.append(cc)
            aids.extend(a for a in region if a not in aids)
            if fallback is None and (region or cc):
                # "Sumy region" and "Texas" are regions; "Georgia" alone is the country.
                if region and (typed or not cc):
                    fallback = self._rank.admin1_place(region[0], query)
                elif cc:
                    fallback = self._rank.country_place(cc, query)
            if not region and not cc:
                soft += self._admin1s_named_in(part)
                others.append(part)
        district = _DISTRICT_PART_RE.match(first)
        if district:  # a district is never its namesake village
            return self._district_place(district.group(1), tuple(aids), tuple(ccs), query) or fallback
        place = self._resolve(first, query, tuple(aids), tuple(ccs), tuple(soft))
        if place is not None:
            return self._inner_settlement(first, place, others, query) or place
        for m in self.find(first):
            if m.kind == "settlement" and m.best is not None:
                goes_on = _NAME_GOES_ON_RE.match(first, m.end)
                if goes_on and norm(goes_on.group(1)) not in self._ix.lexicon:
                    continue  # "Novoselivka Druha" is not a Novoselivka
                return self._resolve(m.text, query, tuple(aids), tuple(ccs), tuple(soft))
        if fallback is None:
            # "Dontesk region", or a region's name misspelt alone ("Dnipropetovsk")
            key = strip_admin1_suffix(norm(first)) if _ends_with_region_word(first) else norm(first)
            region = fuzzy_admin1(self._ix, key)
            if region:
                return self._rank.admin1_place(region[0], query)
        return fallback

    def _district_place(self, name: str, aids: tuple[str, ...], ccs: tuple[str, ...], query: str) -> Place | None:
        """ "Lozova hromada, Kharkiv region": the region, with the point of the town the
        district is named after when that town is in it (``geo_precision="admin1"``)."""
        ix, rk = self._ix, self._rank
        key = norm(name)
        rows = ix.rows(key)
        if aids:
            rows = tuple(r for r in rows if f"{ix.cc[r]}.{ix.a1[r]}" in aids)
        if not rows:
            return None
        best = rk.rank_rows(key, rows, admin1s=aids, countries=ccs)[0]
        if not aids and (ix.pop[best] < _DISTRICT_TOWN_MIN_POP or spelling(key, ix.name[best]) < _OWN_NAME_SPELLING):
            return None  # an unsure namesake: nothing is known of the district
        return rk.district_place(f"{ix.cc[best]}.{ix.a1[best]}", best, query)

    def _inner_settlement(self, first: str, place: Place, others: list[str], query: str) -> Place | None:
        """ "Kyiv, Borodyanka", "Kharkiv (Staryi Saltiv)", "Kharkiv region, Lozova": a first
        part that names a region (the capital's name is the region's) followed by a settlement
        of that region: the settlement is the place, the first part only its region."""
        if not others or place.geo_precision == "country" or not place.country_code:
            return None
        ix, rk = self._ix, self._rank
        key = norm(first)
        if place.geo_precision == "settlement":
            area = {a for a in ix.admin1_keys.get(key, ()) if a[:2] == place.country_code}
            if not area:
                return None  # "Soledar, near Bakhmut": the first part is a town, not a region
        else:
            area = set()
        area.add(f"{place.country_code}.{place.admin1_code}")
        for part in others:
            if _DISTRICT_RE.search(part):
                continue  # "Kharkiv (Saltivka district)": a part of the city
            k = norm(part)
            rows = [
                r
                for r in ix.rows(k)
                if f"{ix.cc[r]}.{ix.a1[r]}" in area and ix.gid[r] != place.geonameid and ix.name[r] != place.location
            ]
            if rows:
                best = rk.rank_rows(k, rows, admin1s=tuple(area))
                return rk.city_place(best[0], query)
        return None

    def _admin1s_named_in(self, text: str) -> list[str]:
        """Admin1 of the first settlement named in ``text`` ("district de Bakhmut")."""
        for m in self.find(text):
            best = m.best
            if best is not None and best.admin1_code:
                return [f"{best.country_code}.{best.admin1_code}"]
        return []


def _clean(part: str) -> str:
    out = _TRAILING_RE.sub("", _LEADING_RE.sub("", part).strip()).strip()
    return out or part.strip()


def _ends_with_region_word(text: str) -> bool:
    words = norm(text).split(" ")
    return len(words) > 1 and words[-1] in REGION_WORDS


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return Gazetteer.build()
