"""Link one new report to the events already stored, or start a new event.

    decision = decide(item, candidates, cannot={...})

Every candidate event is scored: the mean of the report's scores against the event's reports in
the window (``score.compare``), so one look-alike report cannot pull in a different strike; any
hard rule against one of its reports rules the event out. The report joins the best event that
reaches the threshold. When it also reaches other events, and
none of them holds a report of the same article, those events are one strike told twice and are
merged. The decision keeps every candidate with its score and reason, joined or rejected, so a
person can audit it and undo it (``warledger split``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from .keys import Rarity
from .score import Comparison, LinkItem, compare
from .tolls import linking_config


@dataclass(slots=True)
class Candidate:
    event_id: str
    score: float
    reason: str
    features: dict[str, float]
    blocked: bool
    chosen: bool = False


@dataclass(slots=True)
class Decision:
    """Where a report goes: ``event_id`` None means it starts a new event."""

    mention_id: str
    event_id: str | None
    merge: list[str] = field(default_factory=list)  # further events found to be the same strike
    score: float | None = None
    reason: str = ""
    candidates: list[Candidate] = field(default_factory=list)


def _event_score(comparisons: list[Comparison]) -> tuple[float, str, dict[str, float], bool]:
    """(mean score, reason, features of the best-matching report, blocked) of one candidate event."""
    hard = next((c for c in comparisons if c.blocked), None)
    mean = sum(c.score for c in comparisons) / len(comparisons)
    best = max(comparisons, key=lambda c: c.score)
    if hard:
        return mean, hard.reason(), hard.features, True
    reason = best.reason() if len(comparisons) == 1 else f"mean of {len(comparisons)} reports; best {best.reason()}"
    return mean, reason, best.features, False


def decide(
    item: LinkItem,
    candidates: Sequence[LinkItem],
    rarity: Rarity,
    cannot: Iterable[str] = (),
    apart: Collection[frozenset[str]] = (),
) -> Decision:
    """Decide for ``item`` among stored reports ``candidates`` (each with its ``event_id``).

    ``cannot`` names reports a person has split from this one: their events are never joined;
    ``apart`` holds pairs of events a person has split: never merged again.
    """
    threshold = linking_config()["threshold"]
    for x in (item, *candidates):
        x.norm = rarity.norm(x.tokens, x.article_id)
    by_event: dict[str, list[LinkItem]] = defaultdict(list)
    for other in candidates:
        if other.event_id and other.mention_id != item.mention_id:
            by_event[other.event_id].append(other)
    cannot = set(cannot)
    scored: list[Candidate] = []
    for event_id, members in by_event.items():
        if any(m.mention_id in cannot for m in members):
            scored.append(Candidate(event_id, 0.0, "split apart by a person", {}, True))
            continue
        score, reason, features, blocked = _event_score([compare(item, m, rarity) for m in members])
        scored.append(Candidate(event_id, score, reason, {k: round(v, 4) for k, v in features.items()}, blocked))
    scored.sort(key=lambda c: (-c.score, c.event_id))
    above = [c for c in scored if not c.blocked and c.score >= threshold]
    if not above:
        top = next((c for c in scored if not c.blocked), None)
        why = f"no event reaches {threshold:+.2f}" + (f" (best {top.score:+.2f}, {top.reason})" if top else "")
        return Decision(item.mention_id, None, reason=why if scored else "no candidate event", candidates=scored)
    chosen = above[0]
    chosen.chosen = True
    merge: list[str] = []
    articles = {m.article_id for m in by_event[chosen.event_id]}
    for cand in above[1:]:
        theirs = {m.article_id for m in by_event[cand.event_id]}
        kept_apart = any(frozenset((cand.event_id, e)) in apart for e in [chosen.event_id, *merge])
        if not theirs & articles and not kept_apart:
            cand.chosen = True
            merge.append(cand.event_id)
            articles |= theirs
    return Decision(item.mention_id, above[0].event_id, merge, above[0].score, above[0].reason, scored)
