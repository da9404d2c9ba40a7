"""The per-language place vocabularies of :mod:`warledger.geo.cyrillic`
(``data/cyrillic_places_uk.json``, ``data/cyrillic_places_ru.json``), read and checked once.

Every word is stored with all its pymorphy3 lemmas so that the finder can compare a text
word's lemmas with them by set intersection, whatever case the text puts it in."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warledger.datafiles import DATA_DIR, read_json_object
from warledger.errors import DataFileError
from warledger.geo._cyrillic_index import Forms, word_forms

LANGS = ("uk", "ru")
_KINDS = frozenset({"settlement", "admin2"})

# first word's form -> [(every word's forms, English name, kind)]
Phrases = dict[str, list[tuple[tuple[Forms, ...], str, str]]]


@dataclass(frozen=True, slots=True)
class CyrillicVocab:
    """One language's file, compiled; see the file's ``doc``."""

    path: str
    min_population: int
    large_population: int
    phrases: Phrases  # region names and countries: "Харківщина", "Республика Крым", "РФ"
    adjectives: dict[str, list[tuple[str, str]]]  # adjective form -> [(English admin1, region word)]
    admin1_words: Forms
    joiners: frozenset[str]
    admin2_words: dict[str, str]  # form -> kind ("район" -> admin2, "громада" -> settlement)
    admin2_between: Forms
    admin2_suffix: dict[str, str]  # country code -> English district word
    adjective_suffixes: tuple[str, ...]  # longest first
    city_districts: Forms  # "Шевченківський район" is a city's quarter, not a raion
    cues: Forms
    not_settlement_after: Forms  # "берег Дніпра" is the river, "вулиця Київська" a street
    cue_abbreviations: frozenset[str]
    prepositions: frozenset[str]
    endings: tuple[tuple[str, str], ...]
    romanisation: Romanisation

    def nominatives(self, low: str) -> list[str]:
        """Nominative guesses for an inflected word the dictionary does not know, by the
        ending table ("чернігівці" -> "чернігівка")."""
        out: list[str] = []
        for ending, nominative in self.endings:
            if low.endswith(ending) and len(low) - len(ending) >= 3:
                guess = low[: len(low) - len(ending)] + nominative
                if guess not in out:
                    out.append(guess)
        return out


_VOWELS = frozenset("аеєиіїоуыэюяё")


@dataclass(frozen=True, slots=True)
class Romanisation:
    """Letter tables of the file's ``transliteration`` object (see its ``about``)."""

    letters: dict[str, str]
    initial: dict[str, str]  # at the start of a word
    after_vowel: dict[str, str]
    pairs: dict[str, str]  # two letters read together ("зг" -> "zgh")

    def __call__(self, name: str) -> str:
        """``name`` in Latin letters, capitalised word by word ("драгунское" -> "Dragunskoye")."""
        low = name.lower()
        out: list[str] = []
        i = 0
        while i < len(low):
            pair = low[i : i + 2]
            if pair in self.pairs:
                out.append(self.pairs[pair])
                i += 2
                continue
            ch = low[i]
            start = i == 0 or not low[i - 1].isalpha()
            if start and ch in self.initial:
                out.append(self.initial[ch])
            elif not start and low[i - 1] in _VOWELS and ch in self.after_vowel:
                out.append(self.after_vowel[ch])
            else:
                out.append(self.letters.get(ch, ch))
            i += 1
        return "-".join(w[:1].upper() + w[1:] for w in "".join(out).split("-"))


def _romanisation(raw: dict[str, Any], where: str) -> Romanisation:
    table = raw.get("transliteration")
    if not isinstance(table, dict):
        raise DataFileError(where, "'transliteration' must be an object of letter tables")
    maps = {k: _str_map(table, k, f"{where} transliteration") for k in ("letters", "initial", "after_vowel", "pairs")}
    return Romanisation(**maps)


def vocab_path(lang: str) -> Path:
    return DATA_DIR / f"cyrillic_places_{lang}.json"


def _words(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w == w.lower().strip() and w for w in value):
        raise DataFileError(where, f"{key!r} must be a list of lower-case words")
    return value


def _str_map(raw: dict[str, Any], key: str, where: str) -> dict[str, str]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise DataFileError(where, f"{key!r} must be an object of strings")
    return value


def _int(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or value < 0:
        raise DataFileError(where, f"{key!r} must be a non-negative integer")
    return value


def _forms(words: list[str], lang: str) -> Forms:
    out: set[str] = set()
    for w in words:
        out |= word_forms(w, lang)
    return frozenset(out)


def _phrase(text: str, lang: str) -> tuple[Forms, ...]:
    return tuple(word_forms(w, lang) for w in text.split())


class _Compiler:
    def __init__(self, raw: dict[str, Any], lang: str, where: str) -> None:
        self.raw, self.lang, self.where = raw, lang, where
        self.phrases: Phrases = defaultdict(list)
        self.adjectives: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add_phrase(self, text: str, english: str, kind: str) -> None:
        words = _phrase(text, self.lang)
        for form in words[0]:
            self.phrases[form].append((words, english, kind))

    def regions(self) -> None:
        admin1 = self.raw.get("admin1")
        if not isinstance(admin1, dict):
            raise DataFileError(self.where, "'admin1' must be an object: English name -> {adj, word, names}")
        for english, entry in admin1.items():
            if not isinstance(entry, dict):
                raise DataFileError(self.where, f"admin1 {english!r} must be an object")
            for name in _words(entry, "names", f"{self.where} admin1 {english!r}"):
                self.add_phrase(name, english, "admin1")
            adj = entry.get("adj")
            if adj is None:
                continue
            if not isinstance(adj, str) or adj != adj.lower():
                raise DataFileError(self.where, f"admin1 {english!r}: 'adj' must be a lower-case word")
            word = entry.get("word", "область")
            for form in word_forms(adj, self.lang):
                self.adjectives[form].append((english, str(word)))

    def countries(self) -> None:
        countries = self.raw.get("countries")
        if not isinstance(countries, dict):
            raise DataFileError(self.where, "'countries' must be an object: English name -> names")
        for english in countries:
            for name in _words(countries, english, self.where):
                self.add_phrase(name, english, "country")


def _admin2_words(raw: dict[str, Any], lang: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for word, kind in _str_map(raw, "admin2_words", where).items():
        if kind not in _KINDS:
            raise DataFileError(where, f"admin2_words {word!r}: kind must be one of {sorted(_KINDS)}")
        for form in word_forms(word, lang):
            out.setdefault(form, kind)
    return out


def _endings(raw: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    value = raw.get("endings")
    ok = isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in value
    )
    if not ok or not isinstance(value, list):
        raise DataFileError(where, "'endings' must be a list of [text ending, nominative ending] pairs")
    return tuple((a, b) for a, b in value)


@functools.cache
def load_vocab(lang: str) -> CyrillicVocab:
    """The compiled vocabulary of ``lang`` (the file shipped with the package), read once.

    Raises:
        DataFileError: the file is missing or malformed (names the file and the key).
    """
    return read_vocab(vocab_path(lang), lang)


def read_vocab(path: Path, lang: str) -> CyrillicVocab:
    """Read and compile a vocabulary file for ``lang``.

    Raises:
        DataFileError: the file is missing or malformed (names the file and the key).
    """
    where = str(path)
    raw = read_json_object(path)
    comp = _Compiler(raw, lang, where)
    comp.regions()
    comp.countries()
    suffixes = sorted(_words(raw, "adjective_suffixes", where), key=len, reverse=True)
    return CyrillicVocab(
        path=where,
        min_population=_int(raw, "min_population", where),
        large_population=_int(raw, "large_population", where),
        phrases=dict(comp.phrases),
        adjectives=dict(comp.adjectives),
        admin1_words=_forms(_words(raw, "admin1_words", where), lang),
        joiners=frozenset(_words(raw, "admin1_joiners", where)),
        admin2_words=_admin2_words(raw, lang, where),
        admin2_between=_forms(_words(raw, "admin2_between", where), lang),
        admin2_suffix=_str_map(raw, "admin2_suffix", where),
        adjective_suffixes=tuple(suffixes),
        city_districts=_forms(_words(raw, "city_district_adjectives", where), lang),
        cues=_forms(_words(raw, "settlement_cues", where), lang),
        not_settlement_after=_forms(_words(raw, "not_settlement_after", where), lang),
        cue_abbreviations=frozenset(_words(raw, "cue_abbreviations", where)),
        prepositions=frozenset(_words(raw, "prepositions", where)),
        endings=_endings(raw, where),
        romanisation=_romanisation(raw, where),
    )
