"""An event's toll over time: every figure kept, the current one chosen, none summed.

Each report of a strike gives at most one figure per kind (killed, injured, ...). ``reconcile``
reads the toll as it stands now from all of them:

- **credible figures only**: a figure whose reporter is in ``linking.json: unconfirmed_sources``
  ("witnesses", "sources", "social media") stays in the history but is never the toll while a
  credible one exists; a party's claims are not figures at all (they stay in ``claims``);
- **in the order they were reported**: by publication time, then by the "as of" time the quote
  states ("as of 10:00"), then by value: on one day a toll rises, so of two figures published
  the same day without times the higher is the later count;
- **stale figures do not lower the toll**: a figure that repeats a value already reported,
  after a higher one was reported, is an old count told again (a follow-up recalling the first
  toll) and is skipped; a new lower figure is a revision and stands;
- **best** is the last figure of that timeline; **low / high** span what each credible source
  (outlet, or article when no outlet is named) last reported, so a source that updated its own
  count no longer stands by the old one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ..records import TollEntry
from .config import linking_config


def credible(reported_by: str | None) -> bool:
    """A figure the outlet states itself, or that a named authority gives, is credible."""
    if not reported_by:
        return True
    return not _unconfirmed_pattern().search(reported_by)


@cache
def _unconfirmed_pattern() -> re.Pattern[str]:
    """Any of ``unconfirmed_sources`` as words of the reporter ("sources familiar with the matter")."""
    words = sorted(linking_config()["unconfirmed_sources"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@cache
def _as_of_pattern() -> re.Pattern[str]:
    return re.compile(linking_config()["as_of_pattern"], re.IGNORECASE)


def as_of_minutes(quote: str) -> int:
    """Minutes after midnight of the "as of" time a quote states ("as of 22:00", "as of 9 a.m."); -1 if none."""
    m = _as_of_pattern().search(quote)
    if not m or not (m["minute"] or m["half"]):  # "by 8 August" is a date, not a time
        return -1
    hour, minute = int(m["hour"]), int(m["minute"] or 0)
    half = (m["half"] or "").replace(".", "").lower()
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return hour * 60 + minute if hour < 24 and minute < 60 else -1


def _value(e: TollEntry) -> int:
    return e.value if e.value is not None else -1


def _reported_at(e: TollEntry) -> tuple[str, int, int]:
    return (e.published or "9999", as_of_minutes(e.quote), _value(e))


def _pool(entries: Sequence[TollEntry]) -> list[TollEntry]:
    """The figures a toll is read from: the credible ones, or every stated one when none is credible."""
    return [e for e in entries if e.credible and e.value is not None] or [e for e in entries if e.value is not None]


def timeline(entries: Sequence[TollEntry]) -> list[TollEntry]:
    """The figures the toll moved through, in reporting order, stale repeats left out."""
    moved: list[TollEntry] = []
    for e in sorted(_pool(entries), key=_reported_at):
        seen = [_value(m) for m in moved]
        if seen and _value(e) < max(seen) and _value(e) in seen:
            continue  # an old count told again after a higher one: stale
        moved.append(e)
    return moved


def current(entries: Sequence[TollEntry]) -> tuple[TollEntry | None, int | None, int | None]:
    """The figure the toll stands at (its report is the one cited), and low / high; never a sum."""
    moved = timeline(entries)
    if not moved:
        return None, None, None
    latest = _latest_per_source(moved)
    lows = [v for e in latest for v in (e.low, e.value) if v is not None]
    highs = [v for e in latest for v in (e.high, e.value) if v is not None]
    return moved[-1], min(lows), max(highs)


def _latest_per_source(moved: Sequence[TollEntry]) -> list[TollEntry]:
    last: dict[str, TollEntry] = {}
    for e in moved:
        last[e.outlet or f"article:{e.article}"] = e
    return list(last.values())


def reconcile(entries: Sequence[TollEntry]) -> tuple[int | None, int | None, int | None]:
    """Best, low and high of one toll from its history; never a sum."""
    best, low, high = current(entries)
    return (best.value if best else None), low, high
