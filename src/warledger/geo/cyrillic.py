"""Place names in Ukrainian and Russian text, resolved to what the English gazetteer knows.

The reading path for Cyrillic reports glosses each sentence into English; this module gives
it every place mention with its span in the original text and an English name that
:meth:`Gazetteer.geocode` resolves to the same place, so a Ukrainian and an English report
of one strike meet on one geonameid / admin1.

Where the names come from:

- settlements: GeoNames' Cyrillic alternate names of the places the gazetteer indexes in
  Ukraine, Russia, Belarus and Moldova (built once into a pickle, see :mod:`._cyrillic_index`);
- regions, raion words, countries, settlement cue words and case endings: the per-language
  files ``data/cyrillic_places_uk.json`` / ``_ru.json`` (:mod:`._cyrillic_vocab`).

Inflection is undone by pymorphy3 (every parse's lemma) and, for villages its dictionary
does not know, by the files' ending table ("Чернігівці" -> "Чернігівка"). Precision comes
first: only capitalised words start a name; a small place needs a cue word ("село") or an
earlier cued mention; a word that is also a person's name needs a preposition before it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from warledger.geo._cyrillic_index import CyrillicIndex, Forms, analyzer, load_cyrillic_index, word_forms
from warledger.geo._cyrillic_vocab import LANGS, CyrillicVocab, load_vocab
from warledger.geo.gazetteer import Gazetteer

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_SENTENCE_END = frozenset('.!?…:;\n"«»“”—–-()')
# Person-name tags of pymorphy3: a word that can be one needs a preposition to be a place.
_PERSON_TAGS = frozenset({"Surn", "Name", "Patr"})
# How much less an ending-table guess counts than a dictionary reading (see _Run._weight).
_GUESS_DISCOUNT = 10
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "ё": "е", "Ё": "Е"})


@dataclass(frozen=True, slots=True)
class CyrillicPlace:
    """One place mention: its span in the original text and its English name.

    ``english`` is text the English gazetteer resolves to the same place ("Zaporizhzhia",
    "Chernihivka, Zaporizhzhia Oblast", "Kharkiv Oblast", "Kramatorsk Raion", "Ukraine")."""

    start: int
    end: int
    english: str
    kind: str  # "settlement" | "admin1" | "admin2" | "country"
    geonameid: int | None


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str  # apostrophes and ё normalised, case kept
    low: str
    capital: bool
    cyrillic: bool
    sentence_start: bool
    dot_after: bool


@dataclass(slots=True)
class _Hit:
    first: int  # token indexes, inclusive
    last: int
    english: str
    kind: str
    geonameid: int | None
    admin1: str | None  # "UA.07": the admin1 the mention is in (namesakes are chosen by it)


class CyrillicPlaces:
    """Finds place mentions in Ukrainian or Russian text. Get the shared one with
    :func:`load_cyrillic_places`."""

    def __init__(self, gazetteer: Gazetteer, index: CyrillicIndex, vocabs: dict[str, CyrillicVocab]) -> None:
        self._gz = gazetteer
        self.index = index  # Cyrillic names -> gazetteer rows
        self.geo = gazetteer._ix  # the rows the Cyrillic index points into
        self._vocabs = vocabs
        self._english: dict[int, str] = {}
        self._admin1_ids: dict[str, str | None] = {}

    def find(self, text: str, lang: str) -> list[CyrillicPlace]:
        """Every place mention in ``text`` (``lang`` "uk" or "ru"), left to right, spans not
        overlapping. A region phrase spans all its words ("Харківської області"); a
        settlement spans its name only ("у Чернігівці" -> "Чернігівці").

        Raises:
            ValueError: ``lang`` is not "uk" or "ru".
        """
        if lang not in self._vocabs:
            raise ValueError(f"no Cyrillic place vocabulary for language {lang!r} (have: uk, ru)")
        toks = _tokens(text)
        if not toks:
            return []
        run = _Run(self, self._vocabs[lang], lang, text, toks)
        hits = run.find()
        return [CyrillicPlace(toks[h.first].start, toks[h.last].end, h.english, h.kind, h.geonameid) for h in hits]

    # ------------------------------------------------------------------ gazetteer links

    def admin1_id(self, english: str) -> str | None:
        """ "UA.07" for "Kharkiv Oblast": the admin1 the English gazetteer resolves ``english`` to."""
        if english not in self._admin1_ids:
            place = self._gz.geocode(english)
            ok = place is not None and place.country_code and place.admin1_code
            self._admin1_ids[english] = f"{place.country_code}.{place.admin1_code}" if ok and place else None
        return self._admin1_ids[english]

    def english_name(self, row: int) -> str:
        """The shortest English text that geocodes to this gazetteer row's geonameid: its
        name as English news write it ("Zaporizhzhia"), else "name, admin1", else "name,
        admin1, country"."""
        if row in self._english:
            return self._english[row]
        geo = self.geo
        name, gid = self._gz._rank.display_name(row)[0], geo.gid[row]
        aid = f"{geo.cc[row]}.{geo.a1[row]}"
        a1 = geo.admin1.get(aid)
        country = geo.countries.get(geo.cc[row])
        tries = [name]
        if a1 is not None:
            tries.append(f"{name}, {a1[0]}")
            if country is not None:
                tries.append(f"{name}, {a1[0]}, {country[0]}")
        best = tries[-1]
        for query in tries:
            place = self._gz.geocode(query)
            if place is not None and place.geonameid == gid:
                best = query
                break
        self._english[row] = best
        return best

    def row_admin1(self, row: int) -> str:
        return f"{self.geo.cc[row]}.{self.geo.a1[row]}"

    def population(self, row: int) -> int:
        return int(self.geo.pop[row])


class _Run:
    """One find() call: tokens, their forms, and the hits found so far."""

    def __init__(self, owner: CyrillicPlaces, vocab: CyrillicVocab, lang: str, text: str, toks: list[_Token]) -> None:
        self.o = owner
        self.text = text
        self.v = vocab
        self.lang = lang
        self.toks = toks
        self.used: list[bool] = [False] * len(toks)
        self.hits: list[_Hit] = []
        self._forms: dict[int, Forms] = {}

    def forms(self, i: int) -> Forms:
        if i not in self._forms:
            self._forms[i] = word_forms(self.toks[i].text, self.lang)
        return self._forms[i]

    def find(self) -> list[_Hit]:
        self._regions()
        self._districts()
        self._settlements()
        return sorted(self.hits, key=lambda h: h.first)

    def _take(self, hit: _Hit) -> None:
        for i in range(hit.first, hit.last + 1):
            self.used[i] = True
        self.hits.append(hit)

    def _free(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and not self.used[i]

    # ------------------------------------------------------------------ regions, countries

    def _regions(self) -> None:
        """Named regions and countries ("Харківщина", "Крим", "РФ"), then adjective + region
        word ("Харківської області", "Харківська та Сумська області")."""
        for i, tok in enumerate(self.toks):
            if not tok.capital or not tok.cyrillic or self.used[i]:
                continue
            named = self._phrase_at(i)
            if named is not None:
                self._take(named)
                continue
            for english, word_key in self._adjective_regions(i):
                end = self._region_word_after(i, word_key)
                if end is None:
                    continue
                last = end if end == i + 1 else i
                self._take(_Hit(i, last, english, "admin1", None, self.o.admin1_id(english)))
                break

    def _phrase_at(self, i: int) -> _Hit | None:
        best: _Hit | None = None
        for form in self.forms(i):
            for phrase, english, kind in self.v.phrases.get(form, ()):
                last = i + len(phrase) - 1
                if last >= len(self.toks) or (best is not None and last <= best.last):
                    continue
                if all(self._free(i + k) and self.forms(i + k) & phrase[k] for k in range(1, len(phrase))):
                    a1 = self.o.admin1_id(english) if kind == "admin1" else None
                    best = _Hit(i, last, english, kind, None, a1)
        return best

    def _adjective_regions(self, i: int) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for form in self.forms(i):
            out.extend(self.v.adjectives.get(form, ()))
        return out

    def _region_word_after(self, i: int, word_key: str) -> int | None:
        """Index of the region word closing an adjective at ``i``, across joined adjectives
        ("Харківська, Сумська та Полтавська області"); None if none closes it."""
        j = i + 1
        while j < len(self.toks) and j <= i + 8:
            forms = self.forms(j)
            if word_key in forms or (word_key == "область" and forms & self.v.admin1_words):
                return j
            low = self.toks[j].low
            joined = self.toks[j].capital and self._adjective_regions(j) and self._after_comma_or_joiner(j)
            if low in self.v.joiners or joined:
                j += 1
                continue
            return None
        return None

    # ------------------------------------------------------------------ raions, hromadas

    def _districts(self) -> None:
        """ "Краматорський район", "Сумского района", "Путивльська громада": an adjective
        named after a town, then a district word."""
        for i, tok in enumerate(self.toks):
            if not tok.capital or not tok.cyrillic or self.used[i]:
                continue
            j = self._district_word_after(i)
            if j is None:
                continue
            kind = self._district_kind(j)
            # "Шосткинській, Конотопській та Охтирській громадах": each adjective is a district.
            last = j if all(self.forms(k) & self.v.admin2_between for k in range(i + 1, j)) else i
            if kind is None or any(self.used[k] for k in range(i, last + 1)):
                continue
            if kind == "admin2" and self.forms(i) & self.v.city_districts:
                for k in range(i, last + 1):
                    self.used[k] = True  # a city's quarter: neither a raion nor a village
                continue
            row = self._district_town(i)
            if row is None:
                continue
            hit = self._district_hit(i, last, kind, row)
            if hit is not None:
                self._take(hit)

    def _district_word_after(self, i: int) -> int | None:
        """Index of the district word closing an adjective at ``i``, over words such as
        "міська" and over joined adjectives; None if no district word closes it."""
        j = i + 1
        while j < len(self.toks) and j <= i + 8:
            if self._district_kind(j) is not None:
                return j
            tok = self.toks[j]
            adjective = tok.capital and any("|" in f for f in self.forms(j)) and self._after_comma_or_joiner(j)
            if tok.low in self.v.joiners or self.forms(j) & self.v.admin2_between or adjective:
                j += 1
                continue
            return None
        return None

    def _after_comma_or_joiner(self, j: int) -> bool:
        """Whether a comma or "і"/"и" comes right before token ``j``: how joined adjectives
        ("Харківська, Сумська та Полтавська області") are told from a name and its district
        ("Черкаське Краматорського району")."""
        if self.toks[j - 1].low in self.v.joiners:
            return True
        return "," in self.text[self.toks[j - 1].end : self.toks[j].start]

    def _district_kind(self, j: int) -> str | None:
        for form in self.forms(j):
            kind = self.v.admin2_words.get(form)
            if kind is not None:
                return kind
        return None

    def _district_town(self, i: int) -> int | None:
        """The town a district adjective is named after: a name that the adjective's stem
        begins, in a region the text names if one fits, else the most populous."""
        rows: list[int] = []
        for form in self.forms(i):
            form = form.split("|")[0]
            for suffix in self.v.adjective_suffixes:
                if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                    rows.extend(self.o.index.towns_for_stem(form[: -len(suffix)]))
        if not rows:
            return None
        named = {h.admin1 for h in self.hits if h.admin1}
        return min(set(rows), key=lambda r: (self.o.row_admin1(r) not in named, -self.o.population(r)))

    def _district_hit(self, i: int, j: int, kind: str, row: int) -> _Hit | None:
        town = self.o.english_name(row)
        admin1 = self.o.row_admin1(row)
        if kind == "settlement":  # a hromada stands for its centre
            return _Hit(i, j, town, "settlement", int(self.o.geo.gid[row]), admin1)
        suffix = self.v.admin2_suffix.get(self.o.geo.cc[row])
        if suffix is None:
            return None
        bare = town.split(",")[0]
        return _Hit(i, j, f"{bare} {suffix}", "admin2", None, admin1)

    # ------------------------------------------------------------------ settlements

    def _settlements(self) -> None:
        """Settlements, multi-word names first; small places need a cue word, and a cued
        name is then taken wherever else the text repeats it."""
        pending: list[tuple[int, int, list[tuple[int, int]], bool]] = []
        for i, tok in enumerate(self.toks):
            if not tok.capital or not tok.cyrillic or self.used[i]:
                continue
            if i > 0 and self.forms(i - 1) & self.v.not_settlement_after:
                continue
            last, cands = self._candidates(i)
            cued = self._cued(i)
            if cands or cued:
                pending.append((i, last, cands, cued))
                for k in range(i, last + 1):
                    self.used[k] = True
        cued_rows = {r for i, last, cands, cued in pending if cued for _, r in cands}
        for i, last, cands, cued in pending:
            hit = self._choose(i, last, cands, cued, cued_rows)
            if hit is None:
                for k in range(i, last + 1):
                    self.used[k] = False
            else:
                self.hits.append(hit)

    def _candidates(self, i: int) -> tuple[int, list[tuple[int, int]]]:
        """(last token, [(fit, row)]) for the name starting at ``i``; fit 0 = the word or a
        dictionary lemma, 1 = only an ending-table guess."""
        for form in self.forms(i):
            for words, rows in self.o.index.multi.get(form, ()):
                last = i + len(words) - 1
                if last < len(self.toks) and all(
                    self._free(i + k) and self.forms(i + k) & words[k] for k in range(1, len(words))
                ):
                    return last, [(0, r) for r in rows]
        found: dict[int, int] = {}
        for form in self.forms(i):
            found.update((r, 0) for r in self.o.index.single.get(form, ()))
        for guess in self.v.nominatives(self.toks[i].low):
            for r in self.o.index.single.get(guess, ()):
                found.setdefault(r, 1)
        return i, [(fit, r) for r, fit in found.items()]

    def _cued(self, i: int) -> bool:
        """A settlement word right before the name: "селі", "посёлке", "с." (an abbreviation
        only with its dot: "с" alone is a Russian preposition)."""
        j = i - 1
        if j < 0:
            return False
        prev = self.toks[j]
        if prev.low in self.v.cue_abbreviations:
            return prev.dot_after
        return bool(self.forms(j) & self.v.cues)

    def _choose(self, i: int, last: int, cands: list[tuple[int, int]], cued: bool, cued_rows: set[int]) -> _Hit | None:
        named = {h.admin1 for h in self.hits if h.admin1}
        after = self._admin1_right_after(last)
        pool = cands
        if after is not None:  # "село Чаусы Погарского района": the village lies in that region
            pool = [c for c in cands if self.o.row_admin1(c[1]) == after]
        if not pool:
            return self._unknown_village(i, after) if cued else None
        fit, row = min(pool, key=lambda c: (self.o.row_admin1(c[1]) not in named, -self._weight(*c)))
        if not (cued or row in cued_rows or self._big_enough(i, last, row, fit)):
            return None
        gid = int(self.o.geo.gid[row])
        return _Hit(i, last, self.o.english_name(row), "settlement", gid, self.o.row_admin1(row))

    def _weight(self, fit: int, row: int) -> float:
        """A candidate's population, a tenth of it if only an ending guess finds it: the
        dictionary's reading wins unless the guess is a far larger place ("Каменского" is
        Kamianske, not a hamlet "Каменский")."""
        return self.o.population(row) / (_GUESS_DISCOUNT if fit else 1)

    def _unknown_village(self, i: int, after: str | None) -> _Hit | None:
        """A village GeoNames lacks, announced by a settlement word ("в селе Драгунское
        Белгородского округа"): named in Latin letters with its region, which the English
        gazetteer resolves to that region ("Dragunskoye, Belgorod Oblast"). The region is
        the one written right after it, else the only one the text names; else nothing."""
        parses = analyzer(self.lang).parse(self.toks[i].text)
        if parses and _PERSON_TAGS & parses[0].tag.grammemes:
            return None  # most likely a person: "мэр города Игорь Терехов"
        regions = {h.admin1 for h in self.hits if h.admin1 and h.kind in ("admin1", "admin2")}
        admin1 = after or (next(iter(regions)) if len(regions) == 1 else None)
        record = self.o.geo.admin1.get(admin1) if admin1 else None
        if record is None:
            return None
        name = self._nominative(self.toks[i].text)
        english = f"{self.v.romanisation(name)}, {record[0]}"
        return _Hit(i, i, english, "settlement", None, admin1)

    def _nominative(self, word: str) -> str:
        """The word if it can be a nominative (names after "село" usually stay so), else the
        dictionary's lemma of it."""
        parses = analyzer(self.lang).parse(word)
        if not parses or any(p.tag.case == "nomn" for p in parses):
            return word
        return str(parses[0].normal_form)

    def _admin1_right_after(self, last: int) -> str | None:
        """The admin1 of a region or district phrase written right after a name, with
        nothing but spaces between ("Чаусы Погарского района")."""
        for h in self.hits:
            if h.first == last + 1 and h.admin1 and h.kind in ("admin1", "admin2"):
                gap = self.text[self.toks[last].end : self.toks[h.first].start]
                return h.admin1 if not gap.strip() else None
        return None

    def _big_enough(self, i: int, last: int, row: int, fit: int) -> bool:
        """Whether an uncued name is taken: a multi-word name, a city, a town whose word is
        used as a place here (after a preposition, or mid-sentence and no person's name), or
        any place listed after one taken.
        A first name or surname next to another capitalised word is a person ("Владимир
        Путин"), however large the city named like it."""
        if last > i:
            return True
        tok = self.toks[i]
        listed = self._listed(i)
        after_preposition = (i > 0 and self.toks[i - 1].low in self.v.prepositions) or listed
        person = self._person_word(tok.text)
        if not after_preposition and self._in_full_name(i, person):
            return False
        pop = self.o.population(row)
        if pop >= self.v.large_population:
            return True
        if pop < self.v.min_population and not listed:
            return False
        if tok.sentence_start and not after_preposition:
            return False  # a capital there says nothing
        if fit == 1 and not after_preposition:
            return False  # a guessed ending needs the case a preposition asks for
        return after_preposition or not person

    def _listed(self, i: int) -> bool:
        """Whether the word follows a settlement already taken, after a comma or "і"/"и"
        ("по Бахмуту, Покровську та Костянтинівці"): it shares that place's preposition, and
        a list of places makes a small one as sure as a settlement word would."""
        j = i - 1
        if j >= 0 and self.toks[j].low in self.v.joiners:
            j -= 1
        if j < 0:
            return False
        gap = self.text[self.toks[j].end : self.toks[i].start]
        if gap.strip(" ,\n") not in ("", self.toks[i - 1].text):
            return False
        return any(h.last == j and h.kind == "settlement" for h in self.hits)

    def _in_full_name(self, i: int, person: bool) -> bool:
        """Whether the word at ``i`` is part of a person's full name: a word that can name a
        person (a first name, a surname, or any animate noun) beside a first name or surname
        in the same sentence ("Володимир Зеленський", "Олександр Прокудін")."""
        animate = person or any("anim" in p.tag.grammemes for p in analyzer(self.lang).parse(self.toks[i].text))
        for j in (i - 1, i + 1):
            if not 0 <= j < len(self.toks) or not self.toks[j].capital:
                continue
            if self.toks[max(i, j)].sentence_start:
                continue
            if animate and self._person_word(self.toks[j].text):
                return True
        return False

    def _person_word(self, word: str) -> bool:
        return any(_PERSON_TAGS & p.tag.grammemes for p in analyzer(self.lang).parse(word))


def _tokens(text: str) -> list[_Token]:
    clean = text.translate(_APOSTROPHES)
    out: list[_Token] = []
    for m in _WORD_RE.finditer(clean):
        word = m.group()
        k = m.start() - 1
        while k >= 0 and clean[k] in " \t\xa0":
            k -= 1
        out.append(
            _Token(
                m.start(),
                m.end(),
                word,
                word.lower(),
                word[0].isupper(),
                bool(_CYRILLIC_RE.search(word)),
                k < 0 or clean[k] in _SENTENCE_END,
                clean[m.end() : m.end() + 1] == ".",
            )
        )
    return out


@functools.cache
def load_cyrillic_places() -> CyrillicPlaces:
    """The process-wide finder: the English gazetteer, the Cyrillic name index (read from its
    disk cache, built once in a few seconds), and both language vocabularies.

    Raises:
        GazetteerError: a data package is missing.
        DataFileError: a vocabulary file is malformed.
    """
    gz = Gazetteer.load()
    vocabs = {lang: load_vocab(lang) for lang in LANGS}
    return CyrillicPlaces(gz, load_cyrillic_index(gz._ix), vocabs)


__all__ = ["CyrillicPlace", "CyrillicPlaces", "load_cyrillic_places"]
