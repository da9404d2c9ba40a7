"""Link one new report to the events already stored, or start a new event.

    decisions = decide(items, candidates, rarity)   # the strikes of one article, together

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
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .config import linking_config
from .keys import Rarity
from .score import Comparison, LinkItem, compare, one_strike_twice, same_strike_cell


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


def _why_new(scored: list[Candidate], threshold: float) -> str:
    if not scored:
        return "no candidate event"
    top = next((c for c in scored if not c.blocked), None)
    if top is None:
        return f"every candidate ruled out ({scored[0].reason})"
    return f"no event reaches {threshold:+.2f} (best {top.score:+.2f}, {top.reason})"


def score_candidates(
    item: LinkItem, candidates: Sequence[LinkItem], rarity: Rarity, cannot: Iterable[str] = ()
) -> tuple[list[Candidate], dict[str, set[str]]]:
    """Every candidate event scored for ``item``, best first, and the articles behind each event.

    ``cannot`` names reports a person has split from this one: their events are ruled out.
    """
    for x in (item, *candidates):
        x.norm = rarity.norm(x.tokens, x.article_id)
    by_event: dict[str, list[LinkItem]] = defaultdict(list)
    for other in candidates:
        if other.event_id and other.mention_id != item.mention_id:
            by_event[other.event_id].append(other)
    cannot = set(cannot)
    # the events placed and dated like this strike: when there is just one, where and when say it is that one
    in_cell = [e for e, members in by_event.items() if any(same_strike_cell(item, m) for m in members)]
    alone = linking_config()["weights"]["alone_in_cell"] if len(in_cell) == 1 else 0.0
    scored: list[Candidate] = []
    for event_id, members in by_event.items():
        if any(m.mention_id in cannot for m in members):
            scored.append(Candidate(event_id, 0.0, "split apart by a person", {}, True))
            continue
        score, reason, features, blocked = _event_score([compare(item, m, rarity) for m in members])
        if alone and event_id == in_cell[0]:
            score += alone
            features = {**features, "alone_in_cell": 1.0}
            reason = f"{reason}; the only event placed and dated alike ({alone:+.1f})"
        scored.append(Candidate(event_id, score, reason, {k: round(v, 4) for k, v in features.items()}, blocked))
    scored.sort(key=lambda c: (-c.score, c.event_id))
    return scored, {e: {m.article_id for m in members} for e, members in by_event.items()}


def decide(
    items: Sequence[LinkItem],
    candidates: Mapping[str, Sequence[LinkItem]],
    rarity: Rarity,
    cannot: Mapping[str, Iterable[str]] | None = None,
    apart: Collection[frozenset[str]] = (),
) -> list[Decision]:
    """Decide for the strikes of one article (``items``) together; one Decision each, in order.

    ``candidates`` maps each item's mention id to the stored reports it may join; ``cannot`` the
    reports a person split from it; ``apart`` pairs of events a person split, never merged again.
    Strikes are matched in reading order (the lead strike first), each to its best event; two
    strikes of one article join one event only when they can be one strike told twice
    (``score.one_strike_twice``: same place, same dates, no conflicting figure).
    """
    threshold = linking_config()["threshold"]
    cannot = cannot or {}
    scored: dict[str, list[Candidate]] = {}
    articles: dict[str, set[str]] = {}
    for item in items:
        scored[item.mention_id], behind = score_candidates(
            item, candidates.get(item.mention_id, ()), rarity, cannot.get(item.mention_id, ())
        )
        articles.update(behind)
    taken: dict[str, list[LinkItem]] = defaultdict(list)  # event -> strikes of this article in it

    merged: set[str] = set()  # events merged into another by an earlier strike of this article

    def free(event_id: str, item: LinkItem) -> bool:
        return event_id not in merged and all(one_strike_twice(item, other) for other in taken.get(event_id, ()))

    decisions = []
    for item in items:
        mine = scored[item.mention_id]
        open_ = [c for c in mine if not c.blocked and c.score >= threshold and free(c.event_id, item)]
        if not open_:
            decisions.append(Decision(item.mention_id, None, reason=_why_new(mine, threshold), candidates=mine))
            continue
        best = open_[0]
        best.chosen = True
        taken[best.event_id].append(item)
        # further events this strike reaches are the same strike told twice: merge them
        merge: list[str] = []
        seen = set(articles[best.event_id])
        for cand in open_[1:]:
            kept_apart = any(frozenset((cand.event_id, e)) in apart for e in [best.event_id, *merge])
            if not articles[cand.event_id] & seen and not kept_apart and cand.event_id not in taken:
                cand.chosen = True
                merge.append(cand.event_id)
                merged.add(cand.event_id)
                seen |= articles[cand.event_id]
        decisions.append(Decision(item.mention_id, best.event_id, merge, best.score, best.reason, mine))
    return decisions
