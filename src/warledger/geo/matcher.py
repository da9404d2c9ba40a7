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

Two kinds of name need the region after them: a village the gazetteer lacks ("Dobrovillia,
Kharkiv region") and a district ("Lozivskyi district"); see :mod:`warledger.geo._regions`.

This module holds the scanner and the resolver; :mod:`warledger.geo._gates` decides whether
a name is a person's or an ordinary word, :mod:`warledger.geo._spans` holds what they share,
and the word lists are in ``data/place_words.json``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from warledger.geo import _gates, _regions
from warledger.geo._build import GeoIndex
from warledger.geo._rank import MAX_CANDIDATES, Ranker, town_beats_admin1
from warledger.geo._spans import (
    CONTEXT_GAP_RE,
    CONTRACTION_RE,
    IN_GAP_RE,
    LIST_GAP_RE,
    POSSESSIVE_RE,
    WORD_RE,
    Decision,
    Forced,
    MentionKind,
    Span,
    Words,
    joined,
)
from warledger.geo._text import CONNECTORS, MONTHS_AND_DAYS, REGION_WORDS, norm_word
from warledger.records import Place

__all__ = ["Matcher", "MentionKind", "PlaceMention"]

_MAX_WORDS = 4
_ABBR_AFTER_RE = re.compile(r"\s*,\s*((?:[A-Z]\.){2,}|[A-Z]\.[A-Z][a-z]\.|[A-Z][a-z]{1,4}\.|[A-Z]{2}\b)")


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


class Matcher:
    """Finds :class:`PlaceMention` s in text with a loaded :class:`GeoIndex`."""

    def __init__(self, index: GeoIndex, ranker: Ranker) -> None:
        self.ix = index
        self.rk = ranker

    # ------------------------------------------------------------------ public

    def find(self, text: str) -> list[PlaceMention]:
        """All place mentions in ``text``, left to right, non-overlapping, longest first."""
        words = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]
        spans, persons = self._spans(text, words)
        return self._resolve(text, words, spans, persons)

    # ------------------------------------------------------------------ pass 1: spans

    def _key(self, raw: str, last: bool) -> tuple[str, int]:
        """Key of a word, and how many trailing characters a possessive "'s" takes."""
        if last and len(raw) > 3 and POSSESSIVE_RE.search(raw):
            return norm_word(raw[:-2]), 2
        return norm_word(raw), 0

    def _spans(self, text: str, words: Words) -> tuple[list[Span], set[str]]:
        ix = self.ix
        out: list[Span] = []
        unknowns: list[Span] = []
        persons: set[str] = set()
        i, n = 0, len(words)
        while i < n:
            start, end, raw = words[i]
            if not raw[0].isupper():
                i += 1
                continue
            abbr = ix.country_abbr.get(raw)
            if abbr:
                out.append(Span(start, end, raw, i, cc=abbr, abbr=True))
                i += 1
                continue
            if CONTRACTION_RE.search(raw):
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
                i = _gates.person_run(text, words, i, persons)
                continue
            # "T-Mobile", "Dmytro-Darivka", "Miami-Dade": the word after a hyphen belongs to
            # a compound (a brand, an unlisted village, a county), not a place of its own.
            if i > 0 and text[words[i - 1][1] : start] == "-":
                prev = words[i - 1][2]
                if len(prev) <= 2 or prev[0].isupper():
                    i += 1
                    continue
            span = self._longest(text, words, i)
            if (span is None or span.words == 1) and _gates.is_first_name(ix, text, words, i):
                i = _gates.person_run(text, words, i, persons)
                continue
            if span is None:
                # A candidate only: its later words are read on their own too ("Abdul Samad":
                # "Samad" must still be seen as a surname).
                unknown = _regions.unknown_run(ix, text, words, i)
                if unknown is not None:
                    unknowns.append(unknown)
                i += 1
                continue
            if _gates.is_surname(ix, text, words, span, out):
                persons.add(span.key)
                i += 1
                continue
            self._region_of(text, words, span)
            if not (span.region or span.cc):
                _regions.mark_district(text, span)
            out.append(span)
            i = span.first + span.words
            while i < n and words[i][0] < span.end:
                i += 1
        if unknowns:
            out = _regions.with_unknowns(ix, text, words, out, unknowns, persons)
        return out, persons

    def _longest(self, text: str, words: Words, i: int) -> Span | None:
        ix = self.ix
        run = [i]
        j = i
        while len(run) < _MAX_WORDS + 1 and j + 1 < len(words) and joined(text, words, j):
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
                    return Span(words[i][0], span_end, key, i, admin1s=region_ids, region=True, words=size)
                continue
            rows = ix.rows(key)
            if cc or admin1s or rows:
                return Span(words[i][0], span_end, key, i, rows=rows, admin1s=admin1s, cc=cc, words=size)
        return None

    def _region_of(self, text: str, words: Words, span: Span) -> None:
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

    def _containers(self, text: str, spans: list[Span], k: int) -> tuple[tuple[str, ...], tuple[str, ...], Span | None]:
        """Admin1s and countries written right after span k as its context."""
        sp = spans[k]
        m = _ABBR_AFTER_RE.match(text, sp.end)
        if m and m.group(1) in self.ix.admin1_abbr:
            return (self.ix.admin1_abbr[m.group(1)],), (), None
        if k + 1 >= len(spans):
            return (), (), None
        nxt = spans[k + 1]
        if not CONTEXT_GAP_RE.fullmatch(text, sp.end, nxt.start):
            return (), (), None
        if not (nxt.region or nxt.abbr) and nxt.key in self.ix.stop:
            return (), (), None  # "South Hoxie in the South Deering ...": not a region
        if not (nxt.region or nxt.abbr) and k + 2 < len(spans) and not spans[k + 2].unknown:
            # "Izium, Kharkiv and Kupiansk" is a list, not "Izium in Kharkiv (region)".
            if LIST_GAP_RE.fullmatch(text, nxt.end, spans[k + 2].start):
                return (), (), None
        ccs = (nxt.cc,) if nxt.cc else ()
        return nxt.admin1s, ccs, nxt

    def _resolve(
        self,
        text: str,
        words: Words,
        spans: list[Span],
        persons: set[str],
    ) -> list[PlaceMention]:
        ix, rk = self.ix, self.rk
        decided: list[Decision] = []
        forced: Forced = {}
        for k, sp in enumerate(spans):
            if not (sp.region or sp.abbr):
                if sp.key in ix.stop or sp.key in ix.demonyms or sp.key in MONTHS_AND_DAYS:
                    continue
                if sp.words == 1 and not sp.cc and (sp.key in persons or sp.key in ix.first_names):
                    if not self._containers(text, spans, k)[0]:
                        continue  # "Garcia said", "Mary": a person unless a region follows
            if k in forced:
                kind, ids = forced[k]
                decided.append(Decision(sp, kind, ids))
                continue
            if sp.unknown:
                c_admin1s, _ccs, nxt = self._containers(text, spans, k)
                if c_admin1s:
                    decided.append(_regions.unknown_in_region(rk, sp, c_admin1s))
                    if nxt is not None and not (nxt.region or nxt.abbr):
                        forced[k + 1] = ("admin1", rk.rank_admin1(c_admin1s))
                continue
            if sp.district:
                district = _regions.district(rk, text, words, spans, k, forced)
                if district is not None:
                    decided.append(district)
                continue
            if sp.abbr:
                decided.append(Decision(sp, "country", [sp.cc or ""]))
                continue
            if sp.region:
                ranked = rk.rank_admin1(sp.admin1s, typed_first=True)
                decided.append(Decision(sp, "admin1", ranked))
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
                decided.append(Decision(sp, "settlement", list(sp.rows), c_admin1s, c_ccs))
                continue
            if c_admin1s and sp.rows and not sp.cc:
                typed = nxt is None or nxt.region or nxt.abbr
                # "Eringeti in Beni ...": a bare region name after "in" may be a namesake.
                bare_in = not typed and nxt is not None and IN_GAP_RE.fullmatch(text, sp.end, nxt.start)
                if not bare_in and (typed or ix.pop[sp.rows[0]] < _regions.NAMESAKE_MAX_POP):
                    decided.append(_regions.unknown_in_region(rk, sp, c_admin1s))
                    if nxt is not None and not (nxt.region or nxt.abbr):
                        forced[k + 1] = ("admin1", rk.rank_admin1(c_admin1s))
                    continue
            kind = self._kind(sp)
            if kind == "country":
                decided.append(Decision(sp, "country", [sp.cc or ""]))
            elif kind == "admin1":
                if _gates.admin1_ok(ix, text, sp, words):
                    decided.append(Decision(sp, "admin1", rk.rank_admin1(sp.admin1s)))
            else:
                rows_ok = _gates.town_rows(ix, text, sp, words)
                if rows_ok:
                    sp.rows = rows_ok
                    decided.append(Decision(sp, "settlement", list(rows_ok)))
        return self._finish(text, decided)

    def _force_container(self, k: int, nxt: Span, inside: list[int], forced: Forced) -> None:
        # "Atlanta, Georgia": Georgia is the admin1 that holds Atlanta, not the country.
        ix = self.ix
        aids = [a for a in nxt.admin1s if any(f"{ix.cc[r]}.{ix.a1[r]}" == a for r in inside)]
        if aids:
            forced[k] = ("admin1", self.rk.rank_admin1(aids))
        elif nxt.cc:
            forced[k] = ("country", [nxt.cc])

    def _kind(self, sp: Span) -> MentionKind:
        if sp.cc:
            return "country"
        if sp.admin1s and sp.rows:
            town = town_beats_admin1(self.ix, sp.key, sp.rows, sp.admin1s)
            return "settlement" if town else "admin1"
        return "admin1" if sp.admin1s else "settlement"

    def _finish(self, text: str, decided: list[Decision]) -> list[PlaceMention]:
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
                aid = _regions.district_admin1(rk, sp, doc_admin1s, doc_ccs, named_ccs)
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
                centre = _regions.centre(rk, sp, ordered[0]) if d.district and ordered else None
                if centre is not None:
                    places[0] = rk.district_place(ordered[0], centre, surface)
            elif d.ids and d.ids[0]:
                places = [rk.country_place(str(d.ids[0]), surface)]
            if places:
                out.append(PlaceMention(sp.start, sp.end, surface, d.kind, places))
        return out

    @staticmethod
    def _admin1_by_doc(ids: list[str], doc_ccs: Collection[str]) -> list[str]:
        # Stable: keeps the size order among regions of the countries the text names.
        return sorted(ids, key=lambda a: a[:2] not in doc_ccs)


def _written_name(surface: str) -> str:
    """A name as the text writes it, tidied: possessive, extra spaces and capitals gone."""
    name = " ".join(POSSESSIVE_RE.sub("", surface.strip()).split())
    return name.title() if name.isupper() else name
