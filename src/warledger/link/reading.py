"""What linking reads of a report: its own text, or, for a Ukrainian or Russian one, its English
gloss (``nlp.lang``) with the English names of its places.

The rare names two reports share and their sentence embeddings (an English model) are compared
across languages only in one language: "Одеса" / "Одессе" and "Odesa" are one token once glossed,
and a Russian report of a strike embeds near the English reports of it.
"""

from __future__ import annotations

from functools import cache

from ..nlp.lang import LANGUAGES, Glosser


@cache
def _glosser() -> Glosser:
    from ..geo.cyrillic import load_cyrillic_places

    return Glosser(load_cyrillic_places())


def in_english(text: str, language: str | None) -> str:
    """``text`` as linking compares it: itself, or its gloss when ``language`` is one glossed."""
    if language not in LANGUAGES:
        return text
    return _glosser().gloss(text, language).text
