"""Names that need the region written after them: villages the gazetteer lacks, and districts.

A village the gazetteer lacks ("Dobrovillia, Kharkiv region", "Nove in the Sumy region"),
or lacks in that region, is still a settlement mention: its best Place keeps the name as
written with the region's representative point and ``geo_precision="admin1"``; only
capitalised words that may be a village's name count (not English words, first names,
months, nationalities or organisations). A district ("Lozivskyi district", "Bucha raion",
"Lozova hromada") is never a settlement: it is an admin1 mention of the region written after
it, of the town it is named after, or of the one region the text names, else it is dropped.
"""

from __future__ import annotations

import re

from warledger.geo._build import GeoIndex
from warledger.geo._gates import admin1_ok, gate, personal, placeish, strong_alone, town_rows
from warledger.geo._rank import Ranker, town_beats_admin1
from warledger.geo._spans import (
    CONTEXT_GAP_RE,
    IN_GAP_RE,
    JOIN_GAPS,
    LIST_GAP_RE,
    WORD_RE,
    Decision,
    Forced,
    Span,
    Words,
    inflected_in,
    initial,
    joined,
)
from warledger.geo._text import ADJECTIVE_MARK, DISTRICT_WORDS, norm, skeleton
from warledger.geo._words import PLACE_WORDS

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
_FOLLOW_WORDS = PLACE_WORDS.follow_words
# Before a name: it is a source or a speaker, not a place ("according to Ukrinform, ...").
_SOURCE_BEFORE_RE = re.compile(
    r"(?:according\s+to|reported\s+by|reports?\s+(?:by|from)|said|says|told|quoting|cited|citing|via)\s+$",
    re.IGNORECASE,
)
# Unknown names: up to this many capitalised words.
_UNKNOWN_MAX_WORDS = 3
# A district named after a town ("Bakhmut district") lies in the town's admin1 if the
# town is this large and the name is its own.
_DISTRICT_TOWN_MIN_POP = 10_000
# A village unknown in the region the text puts it in: below this size the namesakes
# elsewhere are taken for other villages, and the region is what is known.
NAMESAKE_MAX_POP = 50_000


# --------------------------------------------------------------------------- unknown villages


def unknown_run(ix: GeoIndex, text: str, words: Words, i: int) -> Span | None:
    """The capitalised words from word i that may name a village the gazetteer lacks
    ("Dmytro-Darivka", "Velyka Komyshuvakha"); kept only if a region follows them."""
    hyphen = i + 1 < len(words) and text[words[i][1] : words[i + 1][0]] == "-"
    if not placeish(ix, words[i][2], first_name_ok=hyphen):
        return None
    j = i
    while (
        j - i + 1 < _UNKNOWN_MAX_WORDS
        and j + 1 < len(words)
        and joined(text, words, j)
        and placeish(ix, words[j + 1][2], first_name_ok=True)
    ):
        j += 1
    start, end = words[i][0], words[j][1]
    return Span(start, end, norm(text[start:end]), i, words=j - i + 1, unknown=True)


def with_unknowns(
    ix: GeoIndex,
    text: str,
    words: Words,
    spans: list[Span],
    unknowns: list[Span],
    persons: set[str],
) -> list[Span]:
    """Insert the unknown names that a region follows ("Nadiia, Donetsk", "Nove, Kharkiv
    region", "Rzhavets (Kharkiv Oblast)", "Tomashivka in the Sumy region")."""
    out = list(spans)
    taken_to = -1
    for u in unknowns:
        if u.start < taken_to or personal(ix, text, words, u, persons):
            continue
        idx = next((k for k, sp in enumerate(out) if sp.start >= u.end), len(out))
        if idx == len(out) or not _holds_unknown(ix, text, words, u, out, idx):
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
            and text[prev.end : u.start] in JOIN_GAPS
        ):
            # "Novoselivka Druha": a known name continued by an unknown word is another village
            out[idx - 1] = Span(
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


def _holds_unknown(ix: GeoIndex, text: str, words: Words, u: Span, spans: list[Span], idx: int) -> bool:
    """Whether spans[idx], right after the unknown name ``u``, is the region that holds it."""
    nxt = spans[idx]
    if nxt.unknown or nxt.district or nxt.cc or nxt.abbr or not nxt.admin1s:
        return False
    if not CONTEXT_GAP_RE.fullmatch(text, u.end, nxt.start):
        return False
    after = _AFTER_CONTAINER_RE.match(text, nxt.end)
    if after is None:
        return False  # "Ivanenko, Donetsk Regional ...": a capitalised word follows
    word = after.group(1)
    if word and word not in _FOLLOW_WORDS and not (word.endswith("ing") and inflected_in(word, ix.common)):
        return False
    if _SOURCE_BEFORE_RE.search(text, max(0, u.start - 30), u.start):
        return False
    if nxt.region:
        return True
    # A bare region name ("Nadiia, Donetsk") is weaker: it must follow a comma or a
    # bracket, not start the sentence, and not start a list ("Izium, Kharkiv and Kupiansk").
    if IN_GAP_RE.fullmatch(text, u.end, nxt.start) or initial(text, u.start):
        return False
    if idx + 1 < len(spans) and LIST_GAP_RE.fullmatch(text, nxt.end, spans[idx + 1].start):
        return False
    return nxt.key not in ix.stop and admin1_ok(ix, text, nxt, words)


def unknown_in_region(rk: Ranker, sp: Span, admin1s: tuple[str, ...]) -> Decision:
    """ "Katerynivka, Kharkiv" where GeoNames has no Katerynivka in Kharkiv Oblast, or
    "Dobrovillia, Kharkiv" where it has none at all: another romanisation or a near
    spelling there if any, else the name as written in the oblast (admin1 precision,
    the oblast's coordinates) before any namesakes elsewhere."""
    ix = rk.ix
    variants = [r for r in ix.skeletons.get(skeleton(sp.key), ()) if f"{ix.cc[r]}.{ix.a1[r]}" in admin1s]
    near = variants[0] if variants else rk.fuzzy(sp.key, admin1s)
    if near is not None:
        rows = [near, *(r for r in sp.rows if r != near)]
        return Decision(sp, "settlement", rows, admin1s)
    region = rk.rank_admin1(admin1s)
    first = region[0] if region else None
    # A known name keeps its spelling if it looks like a village's name and its namesakes
    # are small ("Addis Ababa in the Oromiya region" is not an unknown village there).
    named = sp.unknown or (
        ix.pop[sp.rows[0]] < NAMESAKE_MAX_POP
        and all(placeish(ix, w, first_name_ok=True) for w in WORD_RE.findall(sp.key.title()))
    )
    return Decision(sp, "settlement", list(sp.rows), region_first=first, named=named)


# --------------------------------------------------------------------------- districts


def mark_district(text: str, span: Span) -> None:
    """Widen a span followed by a district word ("Bucha district", "Lozova territorial
    community") to take it in, and mark it a district."""
    district = _DISTRICT_AFTER_RE.match(text, span.end)
    if district and not _INSTITUTION_AFTER_RE.match(text, district.end()):
        span.district = True
        span.end = district.end()


def district(rk: Ranker, text: str, words: Words, spans: list[Span], k: int, forced: Forced) -> Decision | None:
    """ "Lozivskyi district", "Lozova hromada": a district, never the namesake village. Its
    admin1 is the region written after it ("..., Kharkiv region", "... of Kharkiv");
    else it is found when the mentions are finished (:func:`district_admin1`: the town it
    is named after, or the one region the text names); else the district is dropped."""
    ix = rk.ix
    sp = spans[k]
    if gate(ix, sp, words) and not town_rows(ix, text, sp, words):
        return None  # "the Peace community", "the University community"
    nxt = spans[k + 1] if k + 1 < len(spans) else None
    if (
        nxt is not None
        and not (nxt.unknown or nxt.district or nxt.abbr or nxt.cc)
        and (nxt.admin1s or nxt.rows)
        and _DISTRICT_GAP_RE.fullmatch(text, sp.end, nxt.start)
        and (nxt.region or (nxt.key not in ix.stop and gate(ix, nxt, words) < 2))
    ):
        if nxt.region:
            ids = rk.rank_admin1(nxt.admin1s, typed_first=True)
        elif nxt.rows and (not nxt.admin1s or town_beats_admin1(ix, nxt.key, nxt.rows, nxt.admin1s)):
            town = rk.rank_rows(nxt.key, nxt.rows)[0]
            ids = [f"{ix.cc[town]}.{ix.a1[town]}"]
            # "Lozova district, Kharkiv": the oblast, as the district's centre, Lozova, is
            # in it; "Kyiv District, Kharkiv" may be a part of the city of Kharkiv.
            c = centre(rk, sp, ids[0])
            if ids[0] in nxt.admin1s and c is not None and c != town:
                forced[k + 1] = ("admin1", ids)
        else:
            ids = rk.rank_admin1(nxt.admin1s)
            forced[k + 1] = ("admin1", ids)
        if ids:
            return Decision(sp, "admin1", ids, district=True)
    return Decision(sp, "admin1", [], district=True)


def district_admin1(rk: Ranker, sp: Span, doc_admin1s: set[str], doc_ccs: set[str], named_ccs: set[str]) -> str | None:
    """The admin1 of a district the text gives no region for, from the best evidence:
    a town of its name in a region the text names; a sizeable town of its name ("Bakhmut
    district"); the one region the text names; the only town of its name in a country
    the text names ("Darzab district ... Afghanistan"). An adjectival name ("Lozivskyi
    district") names no town: a village of that name is a namesake."""
    ix = rk.ix
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
        elif ix.pop[town] >= _DISTRICT_TOWN_MIN_POP and strong_alone(ix, sp.key, town):
            return aid
    if len(doc_admin1s) == 1:
        return next(iter(doc_admin1s))
    if town >= 0 and ix.cc[town] in named_ccs and sum(ix.cc[r] == ix.cc[town] for r in sp.rows) == 1:
        return f"{ix.cc[town]}.{ix.a1[town]}"
    return None


def centre(rk: Ranker, sp: Span, aid: str) -> int | None:
    """The town a district is named after ("Lozova district": Lozova), if it is in the
    district's admin1 and the text writes its name (not "Lozivskyi", an adjective)."""
    ix = rk.ix
    inside = [r for r in sp.rows if f"{ix.cc[r]}.{ix.a1[r]}" == aid]
    return rk.rank_rows(sp.key, inside)[0] if inside else None
