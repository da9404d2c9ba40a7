"""Find place mentions in running text.

Two passes over one text:

1. *Spans*: capitalised words, up to four per name (lower-case connectors such as "on" in
   "Rostov-on-Don" allowed inside), longest first; a trailing region word ("Sumy region",
   "Sumy Oblast") or a leading "region of" makes the span an admin1. People are skipped: a
   word after a title ("President Volodymyr") or a known first name followed by a
   capitalised word ("Volodymyr Zelensky") is not a place.
2. *Resolution*: a place written right after a name (", Kharkiv Oblast", " in the Sumy
   region", ", Ala.") is that name's context and narrows its candidates; names that are also
   English words ("Police", "Bar") need such context, or a large population and a position
   that is not the start of a sentence; countries and regions named anywhere in the text
   nudge the ranking of the others.

Two kinds of name need the region after them. A village the gazetteer lacks ("Dobrovillia,
Kharkiv region", "Nove in the Sumy region"), or lacks in that region, is still a settlement
mention: its best Place keeps the name as written with the region's representative point and
``geo_precision="admin1"``; only capitalised words that may be a village's name count (not
English words, first names, months, nationalities or organisations). A district ("Lozivskyi
district", "Bucha raion", "Lozova hromada") is never a settlement: it is an admin1 mention
of the region written after it, of the town it is named after, or of the one region the text
names, else it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Literal

from warledger.geo._build import GeoIndex
from warledger.geo._rank import MAX_CANDIDATES, Ranker, spelling, town_beats_admin1
from warledger.geo._text import (
    ADJECTIVE_MARK,
    ADMIN_UNIT_WORDS,
    CONNECTORS,
    DISTRICT_WORDS,
    MONTHS_AND_DAYS,
    ORG_WORDS,
    REGION_WORDS,
    norm,
    norm_word,
    skeleton,
)
from warledger.records import Place

MentionKind = Literal["settlement", "admin1", "country"]

_WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_POSSESSIVE_RE = re.compile(r"['’ʼ]s$")
_MAX_WORDS = 4
# A name must be written as one unit: words joined by one space or hyphen ("St. " also).
_JOIN_GAPS = frozenset({" ", "-", "‐", "‑", "\u00a0"})
# Between a name and the place that contains it: "A, B", "A (B", "A in (the) B".
_CONTEXT_GAP_RE = re.compile(r"\s*,\s*|\s*\(\s*|\s+in\s+(?:the\s+)?", re.IGNORECASE)
_IN_GAP_RE = re.compile(r"\s+in\s+(?:the\s+)?", re.IGNORECASE)
# ...and for a district also "A district of (the) B".
_DISTRICT_GAP_RE = re.compile(r"\s*,\s*|\s*\(\s*|\s+(?:in|of)\s+(?:the\s+)?", re.IGNORECASE)
# After a name: the word(s) that make it a district or municipality ("Bucha district").
# "Community" is a district only in lower case ("Lozova community", the English for a
# hromada), not in the name of a body ("Roseland Community Hospital").
_DISTRICT_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:(?:[Tt]erritorial|[Uu]rban|[Rr]ural|[Vv]illage|[Ss]ettlement|[Cc]ity)[ \u00a0]+)?(?:"
    + "|".join(f"(?i:{w})" for w in sorted(DISTRICT_WORDS - {"community", "communities"}))
    + r"|community|communities)\b(?![-'’])"
)
# ...unless a noun follows that makes the district word part of an institution's name.
_INSTITUTION_AFTER_RE = re.compile(
    r"[ \u00a0]+(?:[A-Z]|(?:attorneys?|courts?|hospitals?|colleges?|schools?|cent(?:er|re)s?|councils?|"
    r"offices?|stations?|police|leaders?|members?|groups?|organi[sz]ations?|churche?s?|clinics?|"
    r"foundations?|activists?|officials?|chiefs?|heads?|governors?|commanders?|administrations?|"
    r"elders?|residents?|meetings?|boards?|judges?|prosecutors?|headquarters)\b)"
)
# After the region that holds an unknown name ("Nadiia, Donetsk"): the phrase ends, or goes
# on with a preposition, a conjunction or an -ing clause; not with a noun or a verb, which
# make the region an attribute or a subject ("Ivanenko, Donetsk governor"; "According to
# Ukrinform, Kharkiv was shelled").
_AFTER_CONTAINER_RE = re.compile(r"\s*(?:$|[.,;:!?)\]\n]|[ \u00a0]+([a-z]+)\b)")
_FOLLOW_WORDS = frozenset(
    "and or but with without as on in at from by after before during amid while where when "
    "which that near to for of since until overnight early late".split()
)
# Before a name: it is a source or a speaker, not a place ("according to Ukrinform, ...").
_SOURCE_BEFORE_RE = re.compile(
    r"(?:according\s+to|reported\s+by|reports?\s+(?:by|from)|said|says|told|quoting|cited|citing|via)\s+$",
    re.IGNORECASE,
)
# Unknown names: up to this many capitalised words, each at least this long.
_UNKNOWN_MAX_WORDS = 3
_UNKNOWN_MIN_LEN = 3
# A district named after a town ("Bakhmut district") lies in the town's admin1 if the
# town is this large and the name is its own.
_DISTRICT_TOWN_MIN_POP = 10_000
# After a container: another place follows, so the container was an item of a list.
_LIST_GAP_RE = re.compile(r"\s*(?:,|and|or|&)\s*(?:and\s+)?", re.IGNORECASE)
_ABBR_AFTER_RE = re.compile(r"\s*,\s*((?:[A-Z]\.){2,}|[A-Z]\.[A-Z][a-z]\.|[A-Z][a-z]{1,4}\.|[A-Z]{2}\b)")
_BLOCKING_NEXT = frozenset(
    {
        "street",
        "avenue",
        "square",
        "boulevard",
        "road",
        "lane",
        "prospekt",
        "prospect",
        "highway",
        "drive",
        "alley",
        "embankment",
        "county",
        "parish",
        "township",
    }
)
_CONTRACTION_RE = re.compile(r"['’](?:ve|ll|re|d|m|t)$", re.IGNORECASE)
# After a one-word name of a small town: the name is a person's ("Garcia said").
_PERSON_VERBS = frozenset(
    {
        "said",
        "says",
        "told",
        "added",
        "wrote",
        "explained",
        "testified",
        "pleaded",
        "who",
        "admitted",
        "denied",
        "recalled",
        "insisted",
    }
)
_SENTENCE_END = frozenset(".!?:;\n\r—–•*#|")
_OPENERS = frozenset(" \t\"'“‘«([")
# A town that is also an English word is taken without context only if it is this large.
_WORD_TOWN_MIN_POP = 100_000
# A village unknown in the region the text puts it in: below this size the namesakes
# elsewhere are taken for other villages, and the region is what is known.
_NAMESAKE_MAX_POP = 50_000
# A one-word name unlike the town's own name (an alternate name only) is taken alone only
# if it is long and the town large ("Artemivsk" for Bakhmut, "Lemberg" for Lviv).
_EXONYM_SPELLING = 0.7
_SHORT_SPELLING = 0.85
_EXONYM_MIN_LEN = 6
_EXONYM_MIN_POP = 50_000


def _inflected_in(key: str, words: frozenset[str]) -> bool:
    """Whether ``key`` or its stem without -s, -es, -ed, -d or -ing is in ``words``."""
    if key in words:
        return True
    return any(key.endswith(suffix) and key[: -len(suffix)] in words for suffix in ("s", "es", "ed", "d", "ing"))


@dataclass(slots=True)
class PlaceMention:
    """A place named in a text: ``text[start:end]`` is the name as written."""

    start: int
    end: int
    text: str
    kind: MentionKind
    candidates: list[Place] = field(default_factory=list)

    @property
    def best(self) -> Place | None:
        """The top-ranked candidate, or None."""
        return self.candidates[0] if self.candidates else None


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    key: str
    first: int  # word index of the first word
    rows: tuple[int, ...] = ()
    admin1s: tuple[str, ...] = ()
    cc: str | None = None
    region: bool = False  # explicitly a region: "Sumy region", "region of Belgorod"
    abbr: bool = False  # a country abbreviation such as "U.S."
    words: int = 1
    unknown: bool = False  # a name the gazetteer lacks, written before a region: "Nadiia, Donetsk"
    district: bool = False  # "Lozivskyi district", "Lozove hromada": a district, not the town


@dataclass(slots=True)
class _Decision:
    span: _Span
    kind: MentionKind
    ids: list[int] | list[str]  # city rows, admin1 ids or [country code]
    admin1s: tuple[str, ...] = ()  # local context
    ccs: tuple[str, ...] = ()
    region_first: str | None = None  # a village unknown in this admin1: the admin1 first
    named: bool = False  # ...and the village's name is kept with it ("Nove" in Kharkiv Oblast)
    district: bool = False  # a district: ``ids`` its admin1, or [] to take the text's region


class Matcher:
    """Finds :class:`PlaceMention` s in text with a loaded :class:`GeoIndex`."""

    def __init__(self, index: GeoIndex, ranker: Ranker) -> None:
        self.ix = index
        self.rk = ranker

    # ------------------------------------------------------------------ public

    def find(self, text: str) -> list[PlaceMention]:
        """All place mentions in ``text``, left to right, non-overlapping, longest first."""
        words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
        spans, persons = self._spans(text, words)
        return self._resolve(text, words, spans, persons)

    # ------------------------------------------------------------------ pass 1: spans

    def _key(self, raw: str, last: bool) -> tuple[str, int]:
        """Key of a word, and how many trailing characters a possessive "'s" takes."""
        if last and len(raw) > 3 and _POSSESSIVE_RE.search(raw):
            return norm_word(raw[:-2]), 2
        return norm_word(raw), 0

    def _joined(self, text: str, words: list[tuple[int, int, str]], j: int) -> bool:
        """Whether word j and word j+1 are written as parts of one name."""
        gap = text[words[j][1] : words[j + 1][0]]
        if gap in _JOIN_GAPS:
            return True
        raw = words[j][2]
        # "St. Louis", "Mt. Vernon": a short capitalised abbreviation and its dot.
        return gap in (". ", ".") and len(raw) <= 3 and raw[0].isupper() and raw.isalpha()

    def _person_run(self, text: str, words: list[tuple[int, int, str]], i: int, persons: set[str]) -> int:
        """Skip the capitalised words of a person's name starting at word i; remember them
        (a surname said alone later, "Garcia said", is still the person)."""
        j = i
        while j < len(words) and words[j][2][0].isupper() and j - i < 4:
            persons.add(norm_word(words[j][2]))
            if j + 1 < len(words) and self._joined(text, words, j):
                j += 1
                continue
            return j + 1
        return j

    def _spans(self, text: str, words: list[tuple[int, int, str]]) -> tuple[list[_Span], set[str]]:
        ix = self.ix
        out: list[_Span] = []
        unknowns: list[_Span] = []
        persons: set[str] = set()
        i, n = 0, len(words)
        while i < n:
            start, end, raw = words[i]
            if not raw[0].isupper():
                i += 1
                continue
            abbr = ix.country_abbr.get(raw)
            if abbr:
                out.append(_Span(start, end, raw, i, cc=abbr, abbr=True))
                i += 1
                continue
            if _CONTRACTION_RE.search(raw):
                i += 1  # "I've"
                continue
            if raw.isupper() and len(raw) <= 3:
                # Acronyms ("AP", "SBU"), but not the start of a name in capitals ("NEW ORLEANS").
                span = self._longest(text, words, i)
                if span is None or span.words < 2:
                    i += 1
                    continue
            if text.startswith(".", end) and raw + "." in ix.admin1_abbr:
                i += 1  # "Fla.": a state abbreviation, read as context only
                continue
            if (
                i > 0
                and words[i - 1][2].casefold().rstrip(".") in ix.titles
                and (text[words[i - 1][1] : start] in (" ", ". "))
            ):
                i = self._person_run(text, words, i, persons)
                continue
            # "T-Mobile", "Dmytro-Darivka", "Miami-Dade": the word after a hyphen belongs to
            # a compound (a brand, an unlisted village, a county), not a place of its own.
            if i > 0 and text[words[i - 1][1] : start] == "-":
                prev = words[i - 1][2]
                if len(prev) <= 2 or prev[0].isupper():
                    i += 1
                    continue
            span = self._longest(text, words, i)
            if (span is None or span.words == 1) and self._is_first_name(text, words, i):
                i = self._person_run(text, words, i, persons)
                continue
            if span is None:
                # A candidate only: its later words are read on their own too ("Abdul Samad":
                # "Samad" must still be seen as a surname).
                unknown = self._unknown_run(text, words, i)
                if unknown is not None:
                    unknowns.append(unknown)
                i += 1
                continue
            if self._is_surname(text, words, span, out):
                persons.add(span.key)
                i += 1
                continue
            self._region_of(text, words, span)
            if not (span.region or span.cc):
                district = _DISTRICT_AFTER_RE.match(text, span.end)
                if district and not _INSTITUTION_AFTER_RE.match(text, district.end()):
                    span.district = True
                    span.end = district.end()
            out.append(span)
            i = span.first + span.words
            while i < n and words[i][0] < span.end:
                i += 1
        if unknowns:
            out = self._with_unknowns(text, words, out, unknowns, persons)
        return out, persons

    # ------------------------------------------------------------------ names the gazetteer lacks

    def _placeish(self, raw: str, *, first_name_ok: bool = False) -> bool:
        """Whether a capitalised word the gazetteer lacks may be (part of) a village's name:
        not an English word, a stop word, a title, a month, a nationality or an organisation."""
        if len(raw) < _UNKNOWN_MIN_LEN or not raw[0].isupper() or raw.isupper():
            return False
        if _CONTRACTION_RE.search(raw) or _POSSESSIVE_RE.search(raw):
            return False
        key = norm_word(raw)
        ix = self.ix
        if (
            key in ix.stop
            or key in ix.titles
            or key in ix.demonyms
            or key in MONTHS_AND_DAYS
            or key in REGION_WORDS
            or key in DISTRICT_WORDS
            or key in ADMIN_UNIT_WORDS
            or key in ORG_WORDS
            or key in CONNECTORS
            or (key in ix.first_names and not first_name_ok)
        ):
            return False
        return not _inflected_in(key, ix.lexicon)

    def _unknown_run(self, text: str, words: list[tuple[int, int, str]], i: int) -> _Span | None:
        """The capitalised words from word i that may name a village the gazetteer lacks
        ("Dmytro-Darivka", "Velyka Komyshuvakha"); kept only if a region follows them."""
        hyphen = i + 1 < len(words) and text[words[i][1] : words[i + 1][0]] == "-"
        if not self._placeish(words[i][2], first_name_ok=hyphen):
            return None
        j = i
        while (
            j - i + 1 < _UNKNOWN_MAX_WORDS
            and j + 1 < len(words)
            and self._joined(text, words, j)
            and self._placeish(words[j + 1][2], first_name_ok=True)
        ):
            j += 1
        start, end = words[i][0], words[j][1]
        return _Span(start, end, norm(text[start:end]), i, words=j - i + 1, unknown=True)

    def _with_unknowns(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        spans: list[_Span],
        unknowns: list[_Span],
        persons: set[str],
    ) -> list[_Span]:
        """Insert the unknown names that a region follows ("Nadiia, Donetsk", "Nove, Kharkiv
        region", "Rzhavets (Kharkiv Oblast)", "Tomashivka in the Sumy region")."""
        out = list(spans)
        taken_to = -1
        for u in unknowns:
            if u.start < taken_to or self._personal(text, words, u, persons):
                continue
            idx = next((k for k, sp in enumerate(out) if sp.start >= u.end), len(out))
            if idx == len(out) or not self._holds_unknown(text, words, u, out, idx):
                continue
            # Known names inside the run are part of it ("Nyzhnia Zorivka").
            inner = [k for k in range(idx) if out[k].end > u.start]
            if any(out[k].region or out[k].cc or out[k].abbr or out[k].district for k in inner):
                continue
            for k in reversed(inner):
                del out[k]
            idx -= len(inner)
            taken_to = u.end
            prev = out[idx - 1] if idx else None
            if (
                prev is not None
                and not (prev.region or prev.cc or prev.abbr or prev.district or prev.unknown or prev.admin1s)
                and text[prev.end : u.start] in _JOIN_GAPS
            ):
                # "Novoselivka Druha": a known name continued by an unknown word is another village
                out[idx - 1] = _Span(
                    prev.start,
                    u.end,
                    norm(text[prev.start : u.end]),
                    prev.first,
                    words=prev.words + u.words,
                    unknown=True,
                )
            else:
                out.insert(idx, u)
        return out

    def _personal(self, text: str, words: list[tuple[int, int, str]], u: _Span, persons: set[str]) -> bool:
        """Whether an unknown run reads as a person's name: its first word is one ("Samad,
        Nangarhar" after "Abdul Samad said"), or a later word is a first name ("Mawlawi
        Abdul Samad"). A later word counted a surname only because of the run's own first
        word ("Nyzhnia Zorivka") is no evidence."""
        if norm_word(words[u.first][2]) in persons:
            return True
        for j in range(u.first + 1, u.first + u.words):
            if text[words[j - 1][1] : words[j][0]] != "-" and norm_word(words[j][2]) in self.ix.first_names:
                return True
        return False

    def _holds_unknown(
        self, text: str, words: list[tuple[int, int, str]], u: _Span, spans: list[_Span], idx: int
    ) -> bool:
        """Whether spans[idx], right after the unknown name ``u``, is the region that holds it."""
        ix = self.ix
        nxt = spans[idx]
        if nxt.unknown or nxt.district or nxt.cc or nxt.abbr or not nxt.admin1s:
            return False
        if not _CONTEXT_GAP_RE.fullmatch(text, u.end, nxt.start):
            return False
        after = _AFTER_CONTAINER_RE.match(text, nxt.end)
        if after is None:
            return False  # "Ivanenko, Donetsk Regional ...": a capitalised word follows
        word = after.group(1)
        if word and word not in _FOLLOW_WORDS and not (word.endswith("ing") and _inflected_in(word, ix.common)):
            return False
        if _SOURCE_BEFORE_RE.search(text, max(0, u.start - 30), u.start):
            return False
        if nxt.region:
            return True
        # A bare region name ("Nadiia, Donetsk") is weaker: it must follow a comma or a
        # bracket, not start the sentence, and not start a list ("Izium, Kharkiv and Kupiansk").
        if _IN_GAP_RE.fullmatch(text, u.end, nxt.start) or self._initial(text, u.start):
            return False
        if idx + 1 < len(spans) and _LIST_GAP_RE.fullmatch(text, nxt.end, spans[idx + 1].start):
            return False
        return nxt.key not in ix.stop and self._admin1_ok(text, nxt, words)

    def _is_surname(self, text: str, words: list[tuple[int, int, str]], span: _Span, out: list[_Span]) -> bool:
        """ "Maria Garcia", "Garcia said": a one-word town name read as a person's name."""
        if span.words > 1 or span.region or span.cc:
            return False
        i = span.first
        ix = self.ix
        if i + 1 < len(words) and text[span.end : words[i + 1][0]] == " ":
            if words[i + 1][2] in _PERSON_VERBS and not span.admin1s:
                if not span.rows or ix.pop[span.rows[0]] < _WORD_TOWN_MIN_POP:
                    return True
        if i == 0 or text[words[i - 1][1] : span.start] != " ":
            return False
        prev_start, _prev_end, prev = words[i - 1]
        if not prev[0].isupper() or len(prev) < 2 or (out and out[-1].end >= prev_start):
            return False
        key = norm_word(prev)
        if (
            _inflected_in(key, ix.common)
            or key in ix.demonyms
            or key in REGION_WORDS
            or key in MONTHS_AND_DAYS
            or prev.isupper()
        ):
            return False  # "Downtown Houston", "Drone Attack Hits Kharkiv", "Russian Kursk"
        if key not in ix.lexicon:
            return True  # an unknown capitalised word before it: a first name ("Keanu Reeves")
        return not span.rows or ix.pop[span.rows[0]] < _WORD_TOWN_MIN_POP

    def _is_first_name(self, text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        return (
            words[i][2].casefold() in self.ix.first_names
            and i + 1 < len(words)
            and words[i + 1][2][0].isupper()
            and text[words[i][1] : words[i + 1][0]] == " "
        )

    def _longest(self, text: str, words: list[tuple[int, int, str]], i: int) -> _Span | None:
        ix = self.ix
        run = [i]
        j = i
        while len(run) < _MAX_WORDS + 1 and j + 1 < len(words) and self._joined(text, words, j):
            nxt = words[j + 1][2]
            low = nxt.casefold()
            if not (nxt[0].isupper() or low in CONNECTORS or low in REGION_WORDS):
                break
            j += 1
            run.append(j)
        for size in range(len(run), 0, -1):
            last = words[run[size - 1]][2]
            last_low = last.casefold()
            is_region_word = size >= 2 and last_low in REGION_WORDS
            if not last[0].isupper() and not is_region_word:
                continue
            if size > _MAX_WORDS and not is_region_word:
                continue
            keys = [norm_word(words[k][2]) for k in run[: size - 1]]
            last_key, cut = self._key(last, last=True)
            key = " ".join([*keys, last_key])
            span_end = words[run[size - 1]][1] - cut
            cc = ix.country_keys.get(key)
            admin1s = ix.admin1_keys.get(key, ())
            if cc is None and is_region_word:
                base = " ".join(keys)
                region_ids = admin1s or ix.admin1_keys.get(base, ())
                if region_ids:
                    return _Span(words[i][0], span_end, key, i, admin1s=region_ids, region=True, words=size)
                continue
            rows = ix.rows(key)
            if cc or admin1s or rows:
                return _Span(words[i][0], span_end, key, i, rows=rows, admin1s=admin1s, cc=cc, words=size)
        return None

    def _region_of(self, text: str, words: list[tuple[int, int, str]], span: _Span) -> None:
        """Widen "... region of Belgorod" to an admin1 span."""
        i = span.first
        if span.region or not span.admin1s or i < 2:
            return
        of, region = words[i - 1], words[i - 2]
        if (
            of[2].casefold() == "of"
            and region[2].casefold() in REGION_WORDS
            and text[region[1] : of[0]] == " "
            and text[of[1] : words[i][0]] == " "
        ):
            span.start = region[0]
            span.region = True

    # ------------------------------------------------------------------ pass 2: resolution

    def _initial(self, text: str, pos: int) -> bool:
        """Whether position ``pos`` starts a sentence, a line or the text."""
        j = pos - 1
        while j >= 0 and text[j] in _OPENERS:
            j -= 1
        return j < 0 or text[j] in _SENTENCE_END

    def _containers(
        self, text: str, spans: list[_Span], k: int
    ) -> tuple[tuple[str, ...], tuple[str, ...], _Span | None]:
        """Admin1s and countries written right after span k as its context."""
        sp = spans[k]
        m = _ABBR_AFTER_RE.match(text, sp.end)
        if m and m.group(1) in self.ix.admin1_abbr:
            return (self.ix.admin1_abbr[m.group(1)],), (), None
        if k + 1 >= len(spans):
            return (), (), None
        nxt = spans[k + 1]
        if not _CONTEXT_GAP_RE.fullmatch(text, sp.end, nxt.start):
            return (), (), None
        if not (nxt.region or nxt.abbr) and nxt.key in self.ix.stop:
            return (), (), None  # "South Hoxie in the South Deering ...": not a region
        if not (nxt.region or nxt.abbr) and k + 2 < len(spans) and not spans[k + 2].unknown:
            # "Izium, Kharkiv and Kupiansk" is a list, not "Izium in Kharkiv (region)".
            if _LIST_GAP_RE.fullmatch(text, nxt.end, spans[k + 2].start):
                return (), (), None
        ccs = (nxt.cc,) if nxt.cc else ()
        return nxt.admin1s, ccs, nxt

    def _gate(self, sp: _Span, words: list[tuple[int, int, str]]) -> int:
        """How much the name reads as ordinary English: 0 not at all; 1 it is an English
        noun ("Bath", "Moscow"); 2 a common word whose capital letter may only mark a
        sentence or a headline ("Mobile", "Man", "White House")."""
        keys = [norm_word(words[k][2]) for k in range(sp.first, sp.first + sp.words)]
        if sp.words == 1:
            keys = [sp.key]
        keys = [k for k in keys if k not in CONNECTORS]
        if not keys or not all(self._in(k, self.ix.lexicon) for k in keys):
            return 0
        return 2 if all(self._in(k, self.ix.common) for k in keys) else 1

    @staticmethod
    def _in(key: str, words: frozenset[str]) -> bool:
        # Plurals: WordNet lists lemmas ("saint"), texts write "Saints".
        return key in words or (key.endswith("s") and key[:-1] in words)

    def _headline_word(self, text: str, sp: _Span, words: list[tuple[int, int, str]]) -> bool:
        """Capitalised only because it starts a sentence or sits in a Title-Case line."""
        if self._initial(text, sp.start):
            return True
        i = sp.first
        return i > 0 and words[i - 1][2][0].isupper() and "\n" not in text[words[i - 1][1] : sp.start]

    def _blocked_by_next(self, text: str, sp: _Span, words: list[tuple[int, int, str]]) -> bool:
        """ "Shevchenko Street", "Harris County": the name of a street or county, not a town."""
        nxt = sp.first + sp.words
        return nxt < len(words) and text[sp.end : words[nxt][0]] == " " and words[nxt][2].casefold() in _BLOCKING_NEXT

    def _resolve(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        spans: list[_Span],
        persons: set[str],
    ) -> list[PlaceMention]:
        ix, rk = self.ix, self.rk
        decided: list[_Decision] = []
        forced: dict[int, tuple[MentionKind, list[str]]] = {}
        for k, sp in enumerate(spans):
            if not (sp.region or sp.abbr):
                if sp.key in ix.stop or sp.key in ix.demonyms or sp.key in MONTHS_AND_DAYS:
                    continue
                if sp.words == 1 and not sp.cc and (sp.key in persons or sp.key in ix.first_names):
                    if not self._containers(text, spans, k)[0]:
                        continue  # "Garcia said", "Mary": a person unless a region follows
            if k in forced:
                kind, ids = forced[k]
                decided.append(_Decision(sp, kind, ids))
                continue
            if sp.unknown:
                c_admin1s, _ccs, nxt = self._containers(text, spans, k)
                if c_admin1s:
                    decided.append(self._unknown_in_region(sp, c_admin1s))
                    if nxt is not None and not (nxt.region or nxt.abbr):
                        forced[k + 1] = ("admin1", rk.rank_admin1(c_admin1s))
                continue
            if sp.district:
                district = self._district(text, words, spans, k, forced)
                if district is not None:
                    decided.append(district)
                continue
            if sp.abbr:
                decided.append(_Decision(sp, "country", [sp.cc or ""]))
                continue
            if sp.region:
                ranked = rk.rank_admin1(sp.admin1s, typed_first=True)
                decided.append(_Decision(sp, "admin1", ranked))
                continue
            c_admin1s, c_ccs, nxt = self._containers(text, spans, k)
            inside = (
                [r for r in sp.rows if f"{ix.cc[r]}.{ix.a1[r]}" in c_admin1s or ix.cc[r] in c_ccs]
                if (c_admin1s or c_ccs)
                else []
            )
            if inside:
                if nxt is not None and not (nxt.region or nxt.abbr):
                    self._force_container(k + 1, nxt, inside, forced)
                decided.append(_Decision(sp, "settlement", list(sp.rows), c_admin1s, c_ccs))
                continue
            if c_admin1s and sp.rows and not sp.cc:
                typed = nxt is None or nxt.region or nxt.abbr
                # "Eringeti in Beni ...": a bare region name after "in" may be a namesake.
                bare_in = not typed and nxt is not None and _IN_GAP_RE.fullmatch(text, sp.end, nxt.start)
                if not bare_in and (typed or ix.pop[sp.rows[0]] < _NAMESAKE_MAX_POP):
                    decided.append(self._unknown_in_region(sp, c_admin1s))
                    if nxt is not None and not (nxt.region or nxt.abbr):
                        forced[k + 1] = ("admin1", rk.rank_admin1(c_admin1s))
                    continue
            kind = self._kind(sp)
            if kind == "country":
                decided.append(_Decision(sp, "country", [sp.cc or ""]))
            elif kind == "admin1":
                if self._admin1_ok(text, sp, words):
                    decided.append(_Decision(sp, "admin1", rk.rank_admin1(sp.admin1s)))
            else:
                rows_ok = self._town_rows(text, sp, words)
                if rows_ok:
                    sp.rows = rows_ok
                    decided.append(_Decision(sp, "settlement", list(rows_ok)))
        return self._finish(text, decided)

    def _unknown_in_region(self, sp: _Span, admin1s: tuple[str, ...]) -> _Decision:
        """ "Katerynivka, Kharkiv" where GeoNames has no Katerynivka in Kharkiv Oblast, or
        "Dobrovillia, Kharkiv" where it has none at all: another romanisation or a near
        spelling there if any, else the name as written in the oblast (admin1 precision,
        the oblast's coordinates) before any namesakes elsewhere."""
        ix = self.ix
        variants = [r for r in ix.skeletons.get(skeleton(sp.key), ()) if f"{ix.cc[r]}.{ix.a1[r]}" in admin1s]
        near = variants[0] if variants else self.rk.fuzzy(sp.key, admin1s)
        if near is not None:
            rows = [near, *(r for r in sp.rows if r != near)]
            return _Decision(sp, "settlement", rows, admin1s)
        region = self.rk.rank_admin1(admin1s)
        first = region[0] if region else None
        # A known name keeps its spelling if it looks like a village's name and its namesakes
        # are small ("Addis Ababa in the Oromiya region" is not an unknown village there).
        named = sp.unknown or (
            ix.pop[sp.rows[0]] < _NAMESAKE_MAX_POP
            and all(self._placeish(w, first_name_ok=True) for w in _WORD_RE.findall(sp.key.title()))
        )
        return _Decision(sp, "settlement", list(sp.rows), region_first=first, named=named)

    def _district(
        self,
        text: str,
        words: list[tuple[int, int, str]],
        spans: list[_Span],
        k: int,
        forced: dict[int, tuple[MentionKind, list[str]]],
    ) -> _Decision | None:
        """ "Lozivskyi district", "Lozova hromada": a district, never the namesake village. Its
        admin1 is the region written after it ("..., Kharkiv region", "... of Kharkiv");
        else it is found in :meth:`_finish` (the town it is named after, or the one region
        the text names); else the district is dropped."""
        ix, rk = self.ix, self.rk
        sp = spans[k]
        if self._gate(sp, words) and not self._town_rows(text, sp, words):
            return None  # "the Peace community", "the University community"
        nxt = spans[k + 1] if k + 1 < len(spans) else None
        if (
            nxt is not None
            and not (nxt.unknown or nxt.district or nxt.abbr or nxt.cc)
            and (nxt.admin1s or nxt.rows)
            and _DISTRICT_GAP_RE.fullmatch(text, sp.end, nxt.start)
            and (nxt.region or (nxt.key not in ix.stop and self._gate(nxt, words) < 2))
        ):
            if nxt.region:
                ids = rk.rank_admin1(nxt.admin1s, typed_first=True)
            elif nxt.rows and (not nxt.admin1s or town_beats_admin1(ix, nxt.key, nxt.rows, nxt.admin1s)):
                town = rk.rank_rows(nxt.key, nxt.rows)[0]
                ids = [f"{ix.cc[town]}.{ix.a1[town]}"]
                # "Lozova district, Kharkiv": the oblast, as the district's centre, Lozova, is
                # in it; "Kyiv District, Kharkiv" may be a part of the city of Kharkiv.
                centre = self._centre(sp, ids[0])
                if ids[0] in nxt.admin1s and centre is not None and centre != town:
                    forced[k + 1] = ("admin1", ids)
            else:
                ids = rk.rank_admin1(nxt.admin1s)
                forced[k + 1] = ("admin1", ids)
            if ids:
                return _Decision(sp, "admin1", ids, district=True)
        return _Decision(sp, "admin1", [], district=True)

    def _district_admin1(self, sp: _Span, doc_admin1s: set[str], doc_ccs: set[str], named_ccs: set[str]) -> str | None:
        """The admin1 of a district the text gives no region for, from the best evidence:
        a town of its name in a region the text names; a sizeable town of its name ("Bakhmut
        district"); the one region the text names; the only town of its name in a country
        the text names ("Darzab district ... Afghanistan"). An adjectival name ("Lozivskyi
        district") names no town: a village of that name is a namesake."""
        ix, rk = self.ix, self.rk
        if sp.admin1s and (not sp.rows or not town_beats_admin1(ix, sp.key, sp.rows, sp.admin1s)):
            return rk.rank_admin1(sp.admin1s, countries=tuple(doc_ccs))[0]  # "Taraba community"
        town = -1
        if sp.rows:
            town = rk.rank_rows(sp.key, sp.rows, doc_admin1s=doc_admin1s, doc_countries=doc_ccs)[0]
            aid = f"{ix.cc[town]}.{ix.a1[town]}"
            if aid in doc_admin1s:
                return aid
            if skeleton(sp.key).endswith(ADJECTIVE_MARK):
                town = -1
            elif ix.pop[town] >= _DISTRICT_TOWN_MIN_POP and self._strong_alone(sp.key, town):
                return aid
        if len(doc_admin1s) == 1:
            return next(iter(doc_admin1s))
        if town >= 0 and ix.cc[town] in named_ccs and sum(ix.cc[r] == ix.cc[town] for r in sp.rows) == 1:
            return f"{ix.cc[town]}.{ix.a1[town]}"
        return None

    def _force_container(
        self,
        k: int,
        nxt: _Span,
        inside: list[int],
        forced: dict[int, tuple[MentionKind, list[str]]],
    ) -> None:
        # "Atlanta, Georgia": Georgia is the admin1 that holds Atlanta, not the country.
        ix = self.ix
        aids = [a for a in nxt.admin1s if any(f"{ix.cc[r]}.{ix.a1[r]}" == a for r in inside)]
        if aids:
            forced[k] = ("admin1", self.rk.rank_admin1(aids))
        elif nxt.cc:
            forced[k] = ("country", [nxt.cc])

    def _kind(self, sp: _Span) -> MentionKind:
        if sp.cc:
            return "country"
        if sp.admin1s and sp.rows:
            town = town_beats_admin1(self.ix, sp.key, sp.rows, sp.admin1s)
            return "settlement" if town else "admin1"
        return "admin1" if sp.admin1s else "settlement"

    def _admin1_ok(self, text: str, sp: _Span, words: list[tuple[int, int, str]]) -> bool:
        if self._blocked_by_next(text, sp, words):
            return False
        gate = self._gate(sp, words)
        if not gate:
            return True
        if gate == 2:  # "Federal", "Central": only with a region word
            return False
        biggest = max(self.ix.admin1[a][2] for a in sp.admin1s if a in self.ix.admin1)
        return biggest >= 10 * _WORD_TOWN_MIN_POP

    def _strong_alone(self, key: str, row: int) -> bool:
        """Whether a one-word name is strong enough alone for this town: short names must
        be the town's own name ("Ufa"), others close to it or, for large towns, long."""
        ix = self.ix
        sim = spelling(key, ix.name[row])
        long_and_large = len(key) >= _EXONYM_MIN_LEN and ix.pop[row] >= _EXONYM_MIN_POP
        if sim < 1.0 and not long_and_large and norm(ix.name[row])[:1] != key[:1]:
            return False  # "Khel" is not Hel, "Khazar" not Hazar
        if len(key) <= 3:
            return sim == 1.0 and ix.pop[row] >= _EXONYM_MIN_POP
        if len(key) == 4:
            return sim >= _SHORT_SPELLING
        return sim >= _EXONYM_SPELLING or long_and_large

    def _town_rows(self, text: str, sp: _Span, words: list[tuple[int, int, str]]) -> tuple[int, ...]:
        """The rows a name without context may mean: () if it is no town here."""
        if self._blocked_by_next(text, sp, words):
            return ()
        ix = self.ix
        if sp.key in ix.alias:
            return sp.rows
        rows_in = sp.rows
        if sp.words == 1:
            # A short foreign exonym ("Bala" for Basel, "Chora" for Chios) is too weak alone.
            rows_in = tuple(r for r in rows_in if self._strong_alone(sp.key, r))
            if not rows_in:
                return ()
        gate = self._gate(sp, words)
        if not gate:
            return rows_in
        # A word-like name must be (a spelling of) the town's own name, or its start ("New
        # York" for New York City), not a translated alternate ("White House": Casablanca).
        rows = tuple(r for r in rows_in if norm(ix.name[r]).startswith(sp.key) or spelling(sp.key, ix.name[r]) >= 0.8)
        if not rows or ix.pop[rows[0]] < _WORD_TOWN_MIN_POP:
            return ()
        if gate == 2 and self._headline_word(text, sp, words):
            return ()
        return rows

    def _finish(self, text: str, decided: list[_Decision]) -> list[PlaceMention]:
        rk = self.rk
        doc_admin1s: set[str] = set()
        doc_ccs: set[str] = set()
        for d in decided:
            if d.kind == "admin1" and d.ids:
                doc_admin1s.add(str(d.ids[0]))
                doc_ccs.add(str(d.ids[0])[:2])
            elif d.kind == "country" and d.ids:
                doc_ccs.add(str(d.ids[0]))
            elif d.kind == "settlement" and not d.region_first:
                # "Houston" says the text is about the US, and so "Birmingham" is Alabama's.
                clear = rk.clear_country(d.span.key, [int(r) for r in d.ids])
                if clear:
                    doc_ccs.add(clear)
        named_ccs = {str(d.ids[0]) for d in decided if d.kind == "country" and d.ids}
        out: list[PlaceMention] = []
        for d in decided:
            sp = d.span
            surface = text[sp.start : sp.end]
            places: list[Place] = []
            if d.district and not d.ids:
                aid = self._district_admin1(sp, doc_admin1s, doc_ccs, named_ccs)
                if aid is None:
                    continue  # no region the district can be said to be in
                d.ids = [aid]
            if d.kind == "settlement":
                if d.region_first and d.named:
                    places.append(rk.named_place(_written_name(surface), d.region_first, surface))
                elif d.region_first:
                    places.append(rk.admin1_place(d.region_first, surface))
                rows = rk.rank_rows(
                    sp.key,
                    [int(r) for r in d.ids],
                    admin1s=d.admin1s,
                    countries=d.ccs,
                    doc_admin1s=doc_admin1s,
                    doc_countries=doc_ccs,
                )
                places += [rk.city_place(r, surface) for r in rows[: MAX_CANDIDATES - len(places)]]
            elif d.kind == "admin1":
                ordered = self._admin1_by_doc([str(a) for a in d.ids], doc_ccs)
                places = [rk.admin1_place(a, surface) for a in ordered[:MAX_CANDIDATES]]
                centre = self._centre(sp, ordered[0]) if d.district and ordered else None
                if centre is not None:
                    places[0] = rk.district_place(ordered[0], centre, surface)
            elif d.ids and d.ids[0]:
                places = [rk.country_place(str(d.ids[0]), surface)]
            if places:
                out.append(PlaceMention(sp.start, sp.end, surface, d.kind, places))
        return out

    def _centre(self, sp: _Span, aid: str) -> int | None:
        """The town a district is named after ("Lozova district": Lozova), if it is in the
        district's admin1 and the text writes its name (not "Lozivskyi", an adjective)."""
        ix = self.ix
        inside = [r for r in sp.rows if f"{ix.cc[r]}.{ix.a1[r]}" == aid]
        return self.rk.rank_rows(sp.key, inside)[0] if inside else None

    @staticmethod
    def _admin1_by_doc(ids: list[str], doc_ccs: Collection[str]) -> list[str]:
        # Stable: keeps the size order among regions of the countries the text names.
        return sorted(ids, key=lambda a: a[:2] not in doc_ccs)


def _written_name(surface: str) -> str:
    """A name as the text writes it, tidied: possessive, extra spaces and capitals gone."""
    name = " ".join(_POSSESSIVE_RE.sub("", surface.strip()).split())
    return name.title() if name.isupper() else name
