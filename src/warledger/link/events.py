"""Stable event ids and toll reconciliation."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ..records import Article, Figure, Mention


@dataclass(slots=True)
class LinkedEvent:
    event_id: str
    seq: int
    mention: Mention


def event_id(article: Article, seq: int) -> str:
    """Deterministic: the same article text and strike position always give the same id."""
    return "ev-" + hashlib.sha1(f"{article.hash}:{seq}".encode()).hexdigest()[:12]


def link_article(article: Article, mentions: list[Mention]) -> list[LinkedEvent]:
    """One event per strike the article reports, in reading order."""
    return [LinkedEvent(event_id(article, i), i, m) for i, m in enumerate(mentions)]


def reconcile(figures: list[Figure]) -> tuple[int | None, int | None, int | None]:
    """Best, low and high of the figures reported for one toll (never their sum).

    The best is the last stated value; low / high span the stated values and bounds.
    """
    if not figures:
        return None, None, None
    if len(figures) == 1:
        f = figures[0]
        return f.value, f.low, f.high
    values = [f.value for f in figures if f.value is not None]
    lows = [f.low for f in figures if f.low is not None] + values
    highs = [f.high for f in figures if f.high is not None] + values
    best = values[-1] if values else None
    return best, (min(lows) if lows else None), (max(highs) if highs else None)
