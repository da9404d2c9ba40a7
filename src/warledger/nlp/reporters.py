"""Who gives a figure: 'the regional governor said', 'according to local police'.

Vocabulary in ``data/reporters.json``. The reporter is read from the figure's own sentence; a
sentence that names none leaves it unknown.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .vocab import DATA_DIR, load_json, phrase_pattern


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = load_json("reporters.json", DATA_DIR)
    sources = phrase_pattern([s.lower() for s in data["sources"]]).pattern
    verbs = "|".join(re.escape(v) for v in data["verbs"])
    # "<source phrase> said" : up to four words before the source noun, none a verb or comma
    # ... and the person's name after a title ("governor Ivan Fedorov said")
    name = r"(?:\s+(?-i:[A-Z])[\w'’.-]+){0,3}"
    before = re.compile(
        rf"(?P<who>(?:[\w'’.-]+\s+){{0,4}}?{sources}{name})(?:,[^,]{{1,60}},)?\s+(?:{verbs})\b", re.IGNORECASE
    )
    after = re.compile(rf"(?:according\s+to|{verbs})\s+(?P<who>(?:[\w'’.-]+\s+){{0,4}}?{sources})", re.IGNORECASE)
    return before, after


_LEADING = re.compile(r"^(?:the|a|an|that|and|but|while|as)\s+", re.IGNORECASE)


@lru_cache(maxsize=256)  # every figure of a sentence asks about the same sentence
def find_reporter(sentence: str) -> str | None:
    """The source a sentence attributes its figures to, or None."""
    before, after = _patterns()
    m = before.search(sentence) or after.search(sentence)
    if m is None:
        return None
    who = " ".join(m.group("who").split())
    while (stripped := _LEADING.sub("", who)) != who:
        who = stripped
    return who or None
