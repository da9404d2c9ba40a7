"""Whether a capitalised name is a place at all: people and ordinary words are kept out.

People: a word after a title ("President Volodymyr"), a known first name followed by a
capitalised word ("Volodymyr Zelensky"), a town's name right after a first name or before
"said" ("Maria Garcia", "Garcia said"). Ordinary words: a name that is also an English word
("Police", "Bar", "Mobile") needs a large town, or a position that is not the start of a
sentence or a headline; one written before "Street" or "County" names no town.
"""

from __future__ import annotations

from warledger.geo._build import GeoIndex
from warledger.geo._rank import spelling
from warledger.geo._spans import (
    CONTRACTION_RE,
    POSSESSIVE_RE,
    Span,
    Words,
    in_words,
    inflected_in,
    initial,
    joined,
)
from warledger.geo._text import (
    ADMIN_UNIT_WORDS,
    CONNECTORS,
    DISTRICT_WORDS,
    MONTHS_AND_DAYS,
    ORG_WORDS,
    REGION_WORDS,
    norm,
    norm_word,
)
from warledger.geo._words import PLACE_WORDS

# After a one-word name of a small town: the name is a person's ("Garcia said").
_PERSON_VERBS = PLACE_WORDS.person_verbs
# After a name: the name is a street's or a county's ("Shevchenko Street", "Harris County").
_BLOCKING_NEXT = PLACE_WORDS.street_words
# A town that is also an English word is taken without context only if it is this large.
WORD_TOWN_MIN_POP = 100_000
# Unknown names: each capitalised word at least this long.
_UNKNOWN_MIN_LEN = 3
# A one-word name unlike the town's own name (an alternate name only) is taken alone only
# if it is long and the town large ("Artemivsk" for Bakhmut, "Lemberg" for Lviv).
_EXONYM_SPELLING = 0.7
_SHORT_SPELLING = 0.85
_EXONYM_MIN_LEN = 6
_EXONYM_MIN_POP = 50_000


# --------------------------------------------------------------------------- people


def person_run(text: str, words: Words, i: int, persons: set[str]) -> int:
    """Skip the capitalised words of a person's name starting at word i; remember them
    (a surname said alone later, "Garcia said", is still the person)."""
    j = i
    while j < len(words) and words[j][2][0].isupper() and j - i < 4:
        persons.add(norm_word(words[j][2]))
        if j + 1 < len(words) and joined(text, words, j):
            j += 1
            continue
        return j + 1
    return j


def is_first_name(ix: GeoIndex, text: str, words: Words, i: int) -> bool:
    """Whether word i is a known first name followed by a capitalised word ("Volodymyr Zelensky")."""
    return (
        words[i][2].casefold() in ix.first_names
        and i + 1 < len(words)
        and words[i + 1][2][0].isupper()
        and text[words[i][1] : words[i + 1][0]] == " "
    )


def is_surname(ix: GeoIndex, text: str, words: Words, span: Span, out: list[Span]) -> bool:
    """ "Maria Garcia", "Garcia said": a one-word town name read as a person's name."""
    if span.words > 1 or span.region or span.cc:
        return False
    i = span.first
    if i + 1 < len(words) and text[span.end : words[i + 1][0]] == " ":
        if words[i + 1][2] in _PERSON_VERBS and not span.admin1s:
            if not span.rows or ix.pop[span.rows[0]] < WORD_TOWN_MIN_POP:
                return True
    if i == 0 or text[words[i - 1][1] : span.start] != " ":
        return False
    prev_start, _prev_end, prev = words[i - 1]
    if not prev[0].isupper() or len(prev) < 2 or (out and out[-1].end >= prev_start):
        return False
    key = norm_word(prev)
    if (
        inflected_in(key, ix.common)
        or key in ix.demonyms
        or key in REGION_WORDS
        or key in MONTHS_AND_DAYS
        or prev.isupper()
    ):
        return False  # "Downtown Houston", "Drone Attack Hits Kharkiv", "Russian Kursk"
    if key not in ix.lexicon:
        return True  # an unknown capitalised word before it: a first name ("Keanu Reeves")
    return not span.rows or ix.pop[span.rows[0]] < WORD_TOWN_MIN_POP


def personal(ix: GeoIndex, text: str, words: Words, u: Span, persons: set[str]) -> bool:
    """Whether an unknown run reads as a person's name: its first word is one ("Samad,
    Nangarhar" after "Abdul Samad said"), or a later word is a first name ("Mawlawi
    Abdul Samad"). A later word counted a surname only because of the run's own first
    word ("Nyzhnia Zorivka") is no evidence."""
    if norm_word(words[u.first][2]) in persons:
        return True
    for j in range(u.first + 1, u.first + u.words):
        if text[words[j - 1][1] : words[j][0]] != "-" and norm_word(words[j][2]) in ix.first_names:
            return True
    return False


# --------------------------------------------------------------------------- ordinary words


def placeish(ix: GeoIndex, raw: str, *, first_name_ok: bool = False) -> bool:
    """Whether a capitalised word the gazetteer lacks may be (part of) a village's name:
    not an English word, a stop word, a title, a month, a nationality or an organisation."""
    if len(raw) < _UNKNOWN_MIN_LEN or not raw[0].isupper() or raw.isupper():
        return False
    if CONTRACTION_RE.search(raw) or POSSESSIVE_RE.search(raw):
        return False
    key = norm_word(raw)
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
    return not inflected_in(key, ix.lexicon)


def gate(ix: GeoIndex, sp: Span, words: Words) -> int:
    """How much the name reads as ordinary English: 0 not at all; 1 it is an English
    noun ("Bath", "Moscow"); 2 a common word whose capital letter may only mark a
    sentence or a headline ("Mobile", "Man", "White House")."""
    keys = [norm_word(words[k][2]) for k in range(sp.first, sp.first + sp.words)]
    if sp.words == 1:
        keys = [sp.key]
    keys = [k for k in keys if k not in CONNECTORS]
    if not keys or not all(in_words(k, ix.lexicon) for k in keys):
        return 0
    return 2 if all(in_words(k, ix.common) for k in keys) else 1


def headline_word(text: str, sp: Span, words: Words) -> bool:
    """Capitalised only because it starts a sentence or sits in a Title-Case line."""
    if initial(text, sp.start):
        return True
    i = sp.first
    return i > 0 and words[i - 1][2][0].isupper() and "\n" not in text[words[i - 1][1] : sp.start]


def blocked_by_next(text: str, sp: Span, words: Words) -> bool:
    """ "Shevchenko Street", "Harris County": the name of a street or county, not a town."""
    nxt = sp.first + sp.words
    return nxt < len(words) and text[sp.end : words[nxt][0]] == " " and words[nxt][2].casefold() in _BLOCKING_NEXT


def admin1_ok(ix: GeoIndex, text: str, sp: Span, words: Words) -> bool:
    """Whether a region's bare name, with no region word, is taken as the region here."""
    if blocked_by_next(text, sp, words):
        return False
    g = gate(ix, sp, words)
    if not g:
        return True
    if g == 2:  # "Federal", "Central": only with a region word
        return False
    biggest = max(ix.admin1[a][2] for a in sp.admin1s if a in ix.admin1)
    return biggest >= 10 * WORD_TOWN_MIN_POP


def strong_alone(ix: GeoIndex, key: str, row: int) -> bool:
    """Whether a one-word name is strong enough alone for this town: short names must
    be the town's own name ("Ufa"), others close to it or, for large towns, long."""
    sim = spelling(key, ix.name[row])
    long_and_large = len(key) >= _EXONYM_MIN_LEN and ix.pop[row] >= _EXONYM_MIN_POP
    if sim < 1.0 and not long_and_large and norm(ix.name[row])[:1] != key[:1]:
        return False  # "Khel" is not Hel, "Khazar" not Hazar
    if len(key) <= 3:
        return sim == 1.0 and ix.pop[row] >= _EXONYM_MIN_POP
    if len(key) == 4:
        return sim >= _SHORT_SPELLING
    return sim >= _EXONYM_SPELLING or long_and_large


def town_rows(ix: GeoIndex, text: str, sp: Span, words: Words) -> tuple[int, ...]:
    """The rows a name without context may mean: () if it is no town here."""
    if blocked_by_next(text, sp, words):
        return ()
    if sp.key in ix.alias:
        return sp.rows
    rows_in = sp.rows
    if sp.words == 1:
        # A short foreign exonym ("Bala" for Basel, "Chora" for Chios) is too weak alone.
        rows_in = tuple(r for r in rows_in if strong_alone(ix, sp.key, r))
        if not rows_in:
            return ()
    g = gate(ix, sp, words)
    if not g:
        return rows_in
    # A word-like name must be (a spelling of) the town's own name, or its start ("New
    # York" for New York City), not a translated alternate ("White House": Casablanca).
    rows = tuple(r for r in rows_in if norm(ix.name[r]).startswith(sp.key) or spelling(sp.key, ix.name[r]) >= 0.8)
    if not rows or ix.pop[rows[0]] < WORD_TOWN_MIN_POP:
        return ()
    if g == 2 and headline_word(text, sp, words):
        return ()
    return rows
