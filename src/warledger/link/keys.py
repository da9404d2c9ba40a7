"""The rare words two reports of one strike share: names, ages, numbers.

Two outlets describing the same strike name the same streets, victims, officials and units, even
when their sentences differ. Each article keeps the set of its name-like tokens (capitalised
words, "N-year-old" ages, numbers of three or more digits), read from its first characters once
the lines that many articles repeat (site menus, teasers, bylines) are dropped. Tokens are
weighted by how rare they are among the articles seen so far (inverse document frequency), so
"Ukraine" or "Police" weigh little and "Hollow Road" or "Zelenska" much.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping

CAPITALISED = re.compile(r"\b[A-Z][a-zA-Z'’.]*[a-z][a-zA-Z'’]*\b|\b[A-Z]{2,}\b")
AGE = re.compile(r"\b(\d{1,3})[- ]year[- ]old\b", re.IGNORECASE)
NUMBER = re.compile(r"\b\d{3,}\b")
POSSESSIVE = re.compile(r"['’]s?$")
READ_CHARS = 3000  # the lead of an article, where the strike is told
BOILERPLATE_AFTER = 3  # a line seen in this many articles is the site's, not the story's


def line_key(line: str) -> str:
    return hashlib.sha1(" ".join(line.split()).encode()).hexdigest()[:16]


def lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def tokens(text: str, line_counts: Mapping[str, int]) -> set[str]:
    """The article's name-like tokens, its repeated lines (``line_counts`` >= 3) left out."""
    kept = "\n".join(ln for ln in lines(text) if line_counts.get(line_key(ln), 0) < BOILERPLATE_AFTER)
    kept = kept[:READ_CHARS]
    found = {POSSESSIVE.sub("", m.group(0).lower()) for m in CAPITALISED.finditer(kept)}
    found |= {"#age" + m.group(1) for m in AGE.finditer(kept)}
    found |= {"#" + m.group(0) for m in NUMBER.finditer(kept)}
    return found


class Rarity:
    """Inverse document frequency over the articles seen so far, ``log(1 + N / df)``.

    The one added keeps a token every article has from weighing nothing while the ledger is small.
    """

    def __init__(self, articles: int, df: Mapping[str, int], norms: dict[str, tuple[int, float]] | None = None) -> None:
        self.articles = articles
        self.df = df
        # article id -> (articles seen when computed, norm), reused while the ledger has that many
        # articles: a norm is a function of the ledger's state, never of when a process computed it,
        # so processes writing one ledger, and relink, weigh alike
        self.norms = norms if norms is not None else {}

    def idf(self, token: str) -> float:
        return math.log(1 + max(self.articles, 1) / max(self.df.get(token, 0), 1))

    def norm(self, toks: Iterable[str], key: str | None = None) -> float:
        """Length of a token set's idf vector; with ``key``, reused while the ledger does not grow."""
        if key is not None and key in self.norms:
            seen, value = self.norms[key]
            if self.articles == seen:
                return value
        value = math.sqrt(sum(self.idf(t) ** 2 for t in toks))
        if key is not None:
            self.norms[key] = (self.articles, value)
        return value

    def overlap(self, a: frozenset[str], b: frozenset[str], norm_a: float, norm_b: float) -> tuple[float, float]:
        """(idf-weighted cosine, summed idf of the shared rare tokens capped at 60, over 60)."""
        shared = a & b
        if not shared or not norm_a or not norm_b:
            return 0.0, 0.0
        idfs = {t: self.idf(t) for t in shared}
        cosine = sum(v * v for v in idfs.values()) / (norm_a * norm_b)
        rare_cap = max(5, 0.02 * self.articles)
        share = min(60.0, sum(v for t, v in idfs.items() if self.df.get(t, 0) <= rare_cap)) / 60
        return cosine, share
