"""What the parts of the matcher share: the words of a text, the spans read from them, the
decisions taken on the spans, and the gaps that join a name to its context.

A text is read as :data:`Words`, ``(start, end, raw)`` per word of :data:`WORD_RE`; a
:class:`Span` is a run of them that may name a place, and a :class:`Decision` what the
matcher takes it for before the candidates are ranked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, TypeAlias

MentionKind = Literal["settlement", "admin1", "country"]

#: The words of a text: ``(start, end, raw)``, left to right.
Words: TypeAlias = list[tuple[int, int, str]]

WORD_RE = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
POSSESSIVE_RE = re.compile(r"['’ʼ]s$")
CONTRACTION_RE = re.compile(r"['’](?:ve|ll|re|d|m|t)$", re.IGNORECASE)
# A name must be written as one unit: words joined by one space or hyphen ("St. " also).
JOIN_GAPS = frozenset({" ", "-", "‐", "‑", "\u00a0"})
# Between a name and the place that contains it: "A, B", "A (B", "A in (the) B".
CONTEXT_GAP_RE = re.compile(r"\s*,\s*|\s*\(\s*|\s+in\s+(?:the\s+)?", re.IGNORECASE)
IN_GAP_RE = re.compile(r"\s+in\s+(?:the\s+)?", re.IGNORECASE)
# After a container: another place follows, so the container was an item of a list.
LIST_GAP_RE = re.compile(r"\s*(?:,|and|or|&)\s*(?:and\s+)?", re.IGNORECASE)
_SENTENCE_END = frozenset(".!?:;\n\r—–•*#|")
_OPENERS = frozenset(" \t\"'“‘«([")


@dataclass(slots=True)
class Span:
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
class Decision:
    span: Span
    kind: MentionKind
    ids: list[int] | list[str]  # city rows, admin1 ids or [country code]
    admin1s: tuple[str, ...] = ()  # local context
    ccs: tuple[str, ...] = ()
    region_first: str | None = None  # a village unknown in this admin1: the admin1 first
    named: bool = False  # ...and the village's name is kept with it ("Nove" in Kharkiv Oblast)
    district: bool = False  # a district: ``ids`` its admin1, or [] to take the text's region


#: Spans whose kind a neighbour decided ("Atlanta, Georgia": Georgia is the admin1), by index.
Forced: TypeAlias = dict[int, tuple[MentionKind, list[str]]]


def inflected_in(key: str, words: frozenset[str]) -> bool:
    """Whether ``key`` or its stem without -s, -es, -ed, -d or -ing is in ``words``."""
    if key in words:
        return True
    return any(key.endswith(suffix) and key[: -len(suffix)] in words for suffix in ("s", "es", "ed", "d", "ing"))


def in_words(key: str, words: frozenset[str]) -> bool:
    """Whether ``key`` or, for a plural, its singular is in ``words``."""
    # Plurals: WordNet lists lemmas ("saint"), texts write "Saints".
    return key in words or (key.endswith("s") and key[:-1] in words)


def joined(text: str, words: Words, j: int) -> bool:
    """Whether word j and word j+1 are written as parts of one name."""
    gap = text[words[j][1] : words[j + 1][0]]
    if gap in JOIN_GAPS:
        return True
    raw = words[j][2]
    # "St. Louis", "Mt. Vernon": a short capitalised abbreviation and its dot.
    return gap in (". ", ".") and len(raw) <= 3 and raw[0].isupper() and raw.isalpha()


def initial(text: str, pos: int) -> bool:
    """Whether position ``pos`` starts a sentence, a line or the text."""
    j = pos - 1
    while j >= 0 and text[j] in _OPENERS:
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END
