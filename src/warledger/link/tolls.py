"""An event's toll over time: every figure kept, the best current one chosen, none summed.

Each report of a strike gives at most one figure per kind (killed, injured, ...). The figures of
all reports are ordered by publication (then by when they were stored, then by position in the
text); the best figure is the latest one from a credible source, and low / high span what
credible sources report. A figure is credible unless its reporter is in
``linking.json: unconfirmed_sources`` ("witnesses", "social media"); a party's claims are not
figures at all (they stay in ``claims``).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..records import TollEntry
from .config import linking_config


def credible(reported_by: str | None) -> bool:
    """A figure the outlet states itself, or that a named authority gives, is credible."""
    if not reported_by:
        return True
    who = reported_by.lower()
    return not any(who == u or who.endswith(" " + u) for u in linking_config()["unconfirmed_sources"])


def _pool(entries: Sequence[TollEntry]) -> list[TollEntry]:
    """The figures a toll is read from: the credible ones, or every stated one when none is credible."""
    return [e for e in entries if e.credible and e.value is not None] or [e for e in entries if e.value is not None]


def best_entry(entries: Sequence[TollEntry]) -> TollEntry | None:
    """The figure ``reconcile`` takes as the toll's best value (``entries`` oldest first), if any."""
    pool = _pool(entries)
    return pool[-1] if pool else None


def reconcile(entries: Sequence[TollEntry]) -> tuple[int | None, int | None, int | None]:
    """Best, low and high of one toll from its history (``entries`` oldest first); never a sum."""
    pool = _pool(entries)
    if not pool:
        return None, None, None
    best = pool[-1].value
    if len(entries) == 1:
        return best, entries[0].low, entries[0].high
    lows = [e.low for e in pool if e.low is not None] + [e.value for e in pool if e.value is not None]
    highs = [e.high for e in pool if e.high is not None] + [e.value for e in pool if e.value is not None]
    return best, min(lows), max(highs)
