"""From reports to events: stable ids, the merged event's fields, its toll history.

An event is the set of stored reports (mentions) that speak of one strike. Its fields are read
from them: the narrowest date window, the most precise place, the perpetrator most reports name,
and per toll the best current figure (``tolls.reconcile``). Its id is that of its earliest report
(by publication, then article id and position), so the same articles give the same ids in
whatever order they are ingested.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import FIGURE_KINDS, Article, Claim, Event, Figure, Quote, TollEntry
from .tolls import credible, reconcile

# a report's own fields, as stored for each mention and carried to its event
REPORT_FIELDS = (
    "date_from",
    "date_to",
    "date_precision",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1",
    "sub_event_type",
)
# the derived fields a change-log row can name (what a person sees change)
SUMMARY_FIELDS = (
    *REPORT_FIELDS,
    "weapons",
    "targets",
    "killed",
    "killed_low",
    "killed_high",
    "injured",
    "injured_low",
    "injured_high",
    "children_killed",
    "children_injured",
    "hospitalized",
    "perpetrators_killed",
    "perpetrators_injured",
    "wave_id",
    "n_articles",
    "n_outlets",
)
_PLACE_FIELDS = ("country", "admin1", "location", "latitude", "longitude", "geo_precision")
_PRECISION_RANK = {"settlement": 0, "admin1": 1, "country": 2}


def mention_id(article: Article, seq: int) -> str:
    """Deterministic: the same article text and strike position always give the same id."""
    return "mn-" + hashlib.sha1(f"{article.hash}:{seq}".encode()).hexdigest()[:12]


def event_id_of(anchor_mention_id: str) -> str:
    """An event is named after its earliest report."""
    return "ev-" + anchor_mention_id.split("-", 1)[1]


@dataclass(slots=True)
class Report:
    """One stored mention with what its article says about where and when it was published."""

    mention_id: str
    article_id: str
    seq: int
    outlet: str | None
    published: str | None
    url: str | None
    fields: dict[str, Any]  # date_*, place, actor1, sub_event_type, weapons, targets
    figures: list[Figure] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def order(self) -> tuple[str, str, int]:
        """Publication order; undated articles after dated ones, ties by article id and position."""
        return (self.published or "9999", self.article_id, self.seq)


def anchor(reports: Sequence[Report]) -> Report:
    return min(reports, key=Report.order)


def _most_common(values: list[Any]) -> Any:
    """The value most reports give; ties go to the earliest report (``values`` is in report order)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    top = max(counts.values())
    return next(v for v in present if counts[v] == top)


def _date(reports: Sequence[Report]) -> dict[str, Any]:
    """The common part of the reports' windows when there is one, else the narrowest window."""
    dated = [r.fields for r in reports if r.fields.get("date_from")]
    if not dated:
        return {"date_from": None, "date_to": None, "date_precision": None}
    lo = max(f["date_from"] for f in dated)
    hi = min(f["date_to"] for f in dated)
    narrowest = min(dated, key=lambda f: (f["date_to"] > f["date_from"], f["date_to"], f["date_from"]))
    if lo <= hi:
        return {"date_from": lo, "date_to": hi, "date_precision": "day" if lo == hi else narrowest["date_precision"]}
    return {k: narrowest[k] for k in ("date_from", "date_to", "date_precision")}


def _place(reports: Sequence[Report]) -> dict[str, Any]:
    placed = [r.fields for r in reports if r.fields.get("geo_precision")]
    if not placed:
        return {k: None for k in _PLACE_FIELDS}
    best = min(_PRECISION_RANK.get(f["geo_precision"], 9) for f in placed)
    finest = [f for f in placed if _PRECISION_RANK.get(f["geo_precision"], 9) == best]
    key = _most_common([(f["location"], f["admin1"], f["country"]) for f in finest])
    chosen = next(f for f in finest if (f["location"], f["admin1"], f["country"]) == key)
    return {k: chosen[k] for k in _PLACE_FIELDS}


def toll_history(reports: Sequence[Report]) -> list[TollEntry]:
    """Every figure of every report, oldest report first."""
    history = []
    for r in sorted(reports, key=Report.order):
        for fig in r.figures:
            history.append(
                TollEntry(
                    kind=fig.kind,
                    value=fig.value,
                    low=fig.low,
                    high=fig.high,
                    reported_by=fig.reported_by,
                    credible=credible(fig.reported_by),
                    article=r.article_id,
                    outlet=r.outlet,
                    published=r.published,
                    quote=fig.quote.text,
                    start=fig.quote.start,
                    end=fig.quote.end,
                )
            )
    return history


def summarize(event_id: str, reports: Sequence[Report], wave_id: str | None = None) -> Event:
    """The event as its reports tell it, with sources, claims and toll history."""
    reports = sorted(reports, key=Report.order)
    history = toll_history(reports)
    counts: dict[str, int | None] = {}
    for kind in FIGURE_KINDS:
        best, low, high = reconcile([e for e in history if e.kind == kind])
        counts[kind] = best
        if kind in ("killed", "injured"):
            counts[f"{kind}_low"], counts[f"{kind}_high"] = low, high
    weapons: list[str] = []
    targets: list[str] = []
    for r in reports:
        weapons += [w for w in r.fields.get("weapons", []) if w not in weapons]
        targets += [t for t in r.fields.get("targets", []) if t not in targets]
    date = _date(reports)
    sources = [
        {
            "article": r.article_id,
            "outlet": r.outlet,
            "published": r.published,
            "url": r.url,
            "quote": q.text,
            "start": q.start,
            "end": q.end,
        }
        for r in reports
        for q in r.quotes
    ]
    claims = [
        {
            "by": c.by,
            "statement": c.statement,
            "killed": c.killed,
            "injured": c.injured,
            "disputed": c.disputed,
            "article": c.quote.article,
            "quote": c.quote.text,
        }
        for r in reports
        for c in r.claims
    ]
    articles = {r.article_id for r in reports}
    outlets = {r.outlet or f"article:{r.article_id}" for r in reports}
    return Event(
        event_id=event_id,
        wave_id=wave_id,
        event_date=date["date_from"],
        **date,
        **_place(reports),
        actor1=_most_common([r.fields.get("actor1") for r in reports]),
        sub_event_type=_most_common([r.fields.get("sub_event_type") for r in reports]),
        weapons=weapons,
        targets=targets,
        **counts,  # type: ignore[arg-type]
        n_articles=len(articles),
        n_outlets=len(outlets),
        toll_history=[e.to_json() for e in history],
        sources=sources,
        claims=claims,
    )


def summary_of(event: Event) -> dict[str, Any]:
    """The fields a change-log row compares, as JSON values."""
    row = event.to_json()
    return {k: row[k] for k in SUMMARY_FIELDS}
