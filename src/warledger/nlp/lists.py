"""Clauses that list several strike places: a barrage ("blasts in Dnipro, Lviv and Ternopil") or a
round-up that spreads its figures over them ("three were wounded in Illinivka, three more in
Vyshneve, and one in Avdiivka").

Each listed place is a strike of its own. A count written right before a place ("one in Avdiivka",
"two people died in Dnipropetrovsk") is that place's figure; a figure that no place claims covers
them all and belongs to none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache

from ..records import Place
from .casualties import FigureHit
from .clauses import ClauseInfo
from .numbers import NUMBER_RE, Quantity, parse_quantity
from .vocab import Vocab


@cache
def _one_person(vocab: Vocab) -> re.Pattern[str]:
    """ "another", "one", "a 55-year-old man" before a place: one person."""
    nouns = "|".join(sorted((re.escape(n) for n in vocab.casualty["person_nouns"]), key=len, reverse=True))
    return re.compile(rf"\b(?:another|one|an?\s+(?:\d+-year-old\s+)?(?:{nouns}))\b", re.IGNORECASE)


@cache
def _regions_around(vocab: Vocab) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A plural region word right after a list of names, or "the oblasts of" before it."""
    words = "|".join(re.escape(w) for w in vocab.place_collectives) or "oblasts"
    after = re.compile(rf"^\s*(?:{words})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{words})\s+of\s+(?:the\s+)?$", re.IGNORECASE)
    return after, before


@dataclass(slots=True)
class Listed:
    at: int  # offset of the place's name in the clause text
    place: Place
    figures: list[FigureHit]


def listed_places(info: ClauseInfo, relation: Callable[[Place, Place], str]) -> list[tuple[int, Place]]:
    """The clause's places that are distinct strike places (no one inside another), in order."""
    out: list[tuple[int, Place]] = []
    for pos, place in info.places:
        relations = [relation(other, place) for _, other in out]
        if all(r == "clash" for r in relations):
            out.append((pos, place))
        elif "finer" in relations and "same" not in relations and "coarser" not in relations:
            # "In Donetsk Oblast, ... in Kramatorsk": the town stands for the region it lies in
            out = [(p, o) for (p, o), r in zip(out, relations, strict=True) if r != "finer"] + [(pos, place)]
    return out


def as_regions(info: ClauseInfo, listed: list[tuple[int, Place]], vocab: Vocab) -> list[tuple[int, Place]]:
    """ "Donetsk, Kherson and Kharkiv oblasts": each name is the region, not its namesake city."""
    if not listed:
        return listed
    text, base = info.clause.text, info.clause.start
    last_at, last = listed[-1]
    after = text[last_at - base + len(last.query) :]
    regions_after, regions_before = _regions_around(vocab)
    plural_last = last.query.lower().endswith(vocab.place_collectives) if vocab.place_collectives else False
    if not (plural_last or regions_after.match(after) or regions_before.search(text[: listed[0][0] - base])):
        return listed
    return [(at, _region_of(p)) for at, p in listed]


def _region_of(place: Place) -> Place:
    if place.geo_precision != "settlement" or not place.admin1:
        return place
    return replace(place, location=None, geo_precision="admin1", geonameid=None, alt_names=())


def _kind_before(text: str, vocab: Vocab) -> str | None:
    """The casualty kind whose word comes last in ``text`` ('wounded' -> injured)."""
    best: tuple[int, str] | None = None
    low = text.lower()
    for kind in ("killed", "injured"):
        for word in vocab.casualty[kind]:
            at = low.rfind(word)
            if at >= 0 and re.match(rf"{re.escape(word)}\b", low[at:]) and (best is None or at > best[0]):
                best = (at, kind)
    return best[1] if best else None


def _not_a_count(segment: str, m: re.Match[str], vocab: Vocab) -> bool:
    """Ages ("aged 25", "a 55-year-old") and things ("39 settlements") are not counts of people."""
    before, after = segment[max(0, m.start() - 6) : m.start()].lower(), segment[m.end() : m.end() + 25].lower()
    if "aged" in before or after.startswith(("-year", " year", ":", "th", "st", "nd", "rd")):
        return True  # an age, a time, a date ("on April 11th")
    word = re.match(r"[\s-]*([a-z]+)", after)
    return bool(word and word.group(1) in vocab.casualty["thing_nouns"])


def spread(info: ClauseInfo, listed: list[tuple[int, Place]], vocab: Vocab) -> list[Listed]:
    """Each listed place with the count written right before it, of the kind the clause names."""
    text, base = info.clause.text, info.clause.start
    out: list[Listed] = []
    prev_end = 0
    kind = None
    for pos, place in listed:
        at = pos - base
        segment = text[prev_end:at]
        kind = _kind_before(text[:at], vocab) or kind or _kind_before(text, vocab)
        figures: list[FigureHit] = []
        nums = [m for m in NUMBER_RE.finditer(segment) if not _not_a_count(segment, m, vocab)]
        quantity: Quantity | None = None
        if nums:
            quantity = parse_quantity(nums[-1].group(0))
        elif _one_person(vocab).search(segment):
            quantity = Quantity(1, None, None)
        if kind and quantity is not None and quantity.value is not None:
            figures.append(FigureHit(kind, quantity, prev_end, at))
        out.append(Listed(at, place, figures))
        prev_end = at + 1
    return out
