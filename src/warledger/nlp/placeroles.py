"""Which place names can be strike places: the role a name plays in its sentence.

A place named in a war report is often not where anything struck:
- the dateline a story was filed under ("KYIV, Ukraine (AP) —", "MOSCOW:");
- a name used as a modifier ("Moscow-installed authorities", "Kyiv-based analysts");
- a capital standing for its government ("Moscow might launch", "attacks by Kyiv", "Kyiv said");
- a place after a political noun ("sanctions on Moscow", "talks in Istanbul");
- a place the strike was away from or came from ("a town outside Moscow", "launched from
  occupied Crimea", "except for Luhansk Oblast");
- a capital that signs a headline ("... strike on Ukraine: Kiev");
- a wire agency read as a place ("/TASS/.").
Those are dropped before extraction; the others stay candidates (extraction still decides).
Strike places also lie in the countries the article is about (``article_countries``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from .clauses import PlaceMentionLike
from .vocab import Vocab

P = TypeVar("P", bound=PlaceMentionLike)


def dateline_spans(text: str, agencies: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of datelines at the start of a paragraph: an upper-case place name, optional region
    and date, optional credited agency, then a dash or colon ("LVIV, Ukraine (Reuters) -")."""
    return [(m.start(), m.end()) for m in _dateline_re(agencies).finditer(text)]


@cache
def _dateline_re(agencies: tuple[str, ...]) -> re.Pattern[str]:
    agency = "|".join(re.escape(a) for a in sorted(agencies, key=len, reverse=True)) or "AP"
    caps = r"[A-Z][A-Z'’.\-]+(?:[ \-][A-Z][A-Z'’.\-]+)*"
    mixed = r"[A-Z][\w'’.\-]+(?: [A-Z][\w'’.\-]+)*"
    tail = r"(?:,\s*[A-Z][\w.]+(?: [A-Z]?[\w.]+)*)?(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?"
    return re.compile(
        rf"(?m)^[ \t]*(?:{caps}{tail}\s*(?:\((?:{agency})\))?\s*[—–:-]|{mixed}{tail}\s*\((?:{agency})\)\s*[—–:-]?)"
    )


def _words_before(text: str, at: int, n: int) -> list[str]:
    return re.findall(r"[\w'’-]+", text[max(0, at - 60) : at].lower())[-n:]


def is_political(pm: PlaceMentionLike, text: str, vocab: Vocab) -> bool:
    """True when the name stands for a government, a modifier or a venue of politics."""
    after = text[pm.end : pm.end + 2]
    if after[:1] == "-" and after[1:2].isalpha():
        return True  # "Moscow-installed", "Kyiv-based"
    before = _words_before(text, pm.start, 3)
    if vocab.political_re is not None and len(before) >= 2 and vocab.political_re.fullmatch(before[-2]):
        return True  # "sanctions on Moscow", "talks in Istanbul"
    if vocab.vicinity_re is not None and vocab.vicinity_re.search(text[max(0, pm.start - 40) : pm.start]):
        return True  # "a town outside Moscow": the strike was elsewhere
    line_end = text.find("\n", pm.end)
    rest = text[pm.end : len(text) if line_end == -1 else line_end].strip(" .”\"'")
    if not rest and re.search(r"(?:[:|]|\s[-–—])\s*$", text[max(0, pm.start - 4) : pm.start]):
        return True  # "... missile strike on Ukraine: Kiev": who said it, at the end of a headline
    if pm.kind == "settlement" and pm.text.lower() in vocab.actor_nouns:
        # a capital that is also a side: its government when it acts or speaks ("Moscow might
        # launch", "Kyiv said", "attacks by Kyiv"), a place otherwise ("strike on Kyiv")
        nxt = re.match(r"\s*([\w'’-]+)(?:\s+([\w'’-]+))?", text[pm.end : pm.end + 40])
        if nxt is None:
            return bool(before and before[-1] == "by")
        first, second = nxt.group(1).lower(), (nxt.group(2) or "").lower()
        acting = first in ("was", "is", "has", "had", "were") and second.endswith("ing")  # "Kyiv was targeting"
        passive = second == "by"  # "Kyiv targeted by drones" is the place
        return bool(before and before[-1] == "by") or (first in vocab.government_verbs and not passive) or acting
    return False


def article_countries(mentions: Sequence[PlaceMentionLike], share: float = 0.2) -> set[str]:
    """Country codes the article is about: the most named, and any named by ``share`` of its places."""
    counts = Counter(pm.best.country_code for pm in mentions if pm.best is not None and pm.best.country_code)
    if not counts:
        return set()
    total = sum(counts.values())
    return {counts.most_common(1)[0][0]} | {cc for cc, n in counts.items() if n >= share * total}


def strike_place_candidates(text: str, mentions: Sequence[P], vocab: Vocab) -> list[P]:
    """The mentions that can name where a strike landed (see the module's docstring)."""
    spans = dateline_spans(text, vocab.wire_agencies)
    agencies = {a.lower() for a in vocab.wire_agencies}
    return [
        pm
        for pm in mentions
        if not any(a <= pm.start < b for a, b in spans)
        and pm.text.lower() not in agencies  # "/TASS/." is an agency, not the Hungarian village
        and not is_political(pm, text, vocab)
    ]
