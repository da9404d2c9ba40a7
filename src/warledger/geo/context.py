"""Resolution with the document as context: a name resolves inside the countries the article is about.

An article about the war in Ukraine that names "Moscow" or "Paradise" means the places there, not the
towns of the same name in Idaho or Nevada. The article's *theatre* is read from its own place
mentions: every country that at least ``THEATRE_SHARE`` of the unambiguous mentions lie in (the most
named country always counts). Each ambiguous mention then takes its best candidate inside the theatre.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..records import Place
from .matcher import PlaceMention

# a country is part of an article's theatre when this share of its unambiguous place mentions lie there
THEATRE_SHARE = 0.2


def theatre(mentions: Sequence[PlaceMention]) -> set[str]:
    """Country codes the article is about, from the mentions whose candidates agree on a country."""
    counts: Counter[str] = Counter()
    for pm in mentions:
        codes = {c.country_code for c in pm.candidates if c.country_code}
        if len(codes) == 1:
            counts[codes.pop()] += 1
    if not counts:
        return set()
    total = sum(counts.values())
    top = counts.most_common(1)[0][0]
    return {top} | {cc for cc, n in counts.items() if n >= THEATRE_SHARE * total}


# a namesake inside the theatre is taken unless the best one outside is this many times larger
# ("landed in Berlin" is Germany's capital, not a village of that name in Russia)
DWARFED = 10


def _not_dwarfed(best: Place, inside: list[Place]) -> bool:
    largest = max((c.population or 0) for c in inside)
    return best.population is None or best.population < DWARFED * max(largest, 1)


def in_theatre(mentions: Sequence[PlaceMention]) -> list[PlaceMention]:
    """The mentions with each ambiguous one's candidates reordered to put the theatre's first."""
    where = theatre(mentions)
    out = []
    for pm in mentions:
        inside = [c for c in pm.candidates if c.country_code in where]
        if (
            inside
            and pm.candidates
            and pm.candidates[0].country_code not in where
            and _not_dwarfed(pm.candidates[0], inside)
        ):
            rest = [c for c in pm.candidates if c.country_code not in where]
            pm = PlaceMention(pm.start, pm.end, pm.text, pm.kind, inside + rest)
        out.append(pm)
    return out
