"""From reports to events: stable ids, the merged event's fields, its toll history.

An event is the set of stored reports (mentions) that speak of one strike. Its fields are read
from them: the narrowest date window, the most precise place, the perpetrator most reports name,
and per toll the best current figure (``tolls.current``). Its id is that of its earliest report
(by publication, then article id and position), so the same articles give the same ids in
whatever order they are ingested.

Each field's ``evidence`` / ``confidence`` is that of the report the event's value comes from
(``field_confidence``): the report of the chosen toll figure, of the chosen place, of the chosen
date window (the most confident of those giving it), or the most confident report naming the
chosen perpetrator / attack type. A field without a value has no entry.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import CONFIDENCE_FIELDS, FIGURE_KINDS, Article, Claim, Event, Figure, Quote, TollEntry
from .tolls import credible, current

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
    evidence: dict[str, str] = field(default_factory=dict)  # per CONFIDENCE_FIELDS name, as extracted
    confidence: dict[str, float] = field(default_factory=dict)
    language: str | None = None  # the article's (ISO 639-1), which its quotes are in

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


def _date_reports(reports: Sequence[Report], date: dict[str, Any]) -> list[Report]:
    """The reports giving the event's window: those whose window is it, else those whose window holds it."""
    if date["date_from"] is None:
        return []
    dated = [r for r in reports if r.fields.get("date_from")]
    window = (date["date_from"], date["date_to"])
    same = [r for r in dated if (r.fields["date_from"], r.fields["date_to"]) == window]
    return same or [r for r in dated if r.fields["date_from"] <= window[0] and r.fields["date_to"] >= window[1]]


def _place_key(f: dict[str, Any]) -> tuple[Any, Any, Any]:
    return (f["location"], f["admin1"], f["country"])


def _place_report(reports: Sequence[Report]) -> Report | None:
    """The report whose place the event takes: the most precise, the one most reports give, the earliest."""
    placed = [r for r in reports if r.fields.get("geo_precision")]
    if not placed:
        return None
    best = min(_PRECISION_RANK.get(r.fields["geo_precision"], 9) for r in placed)
    finest = [r for r in placed if _PRECISION_RANK.get(r.fields["geo_precision"], 9) == best]
    key = _most_common([_place_key(r.fields) for r in finest])
    return next(r for r in finest if _place_key(r.fields) == key)


def _place(chosen: Report | None) -> dict[str, Any]:
    return {k: chosen.fields[k] if chosen else None for k in _PLACE_FIELDS}


def _toll_entries(reports: Sequence[Report]) -> list[tuple[Report, TollEntry]]:
    """Every figure of every report with its report, oldest report first."""
    history = []
    for r in sorted(reports, key=Report.order):
        for fig in r.figures:
            history.append(
                (
                    r,
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
                        language=r.language,
                    ),
                )
            )
    return history


def toll_history(reports: Sequence[Report]) -> list[TollEntry]:
    """Every figure of every report, oldest report first."""
    return [e for _, e in _toll_entries(reports)]


def _most_confident(reports: Sequence[Report], name: str) -> Report | None:
    """Of the reports giving the event's value of ``name``, the most confident (the earliest on a tie)."""
    if not reports:
        return None
    return max(reports, key=lambda r: r.confidence.get(name, -1.0))


def field_confidence(sources: dict[str, Sequence[Report]]) -> tuple[dict[str, str], dict[str, float]]:
    """Evidence and confidence per CONFIDENCE_FIELDS name, read from the reports giving each field's value."""
    evidence: dict[str, str] = {}
    confidence: dict[str, float] = {}
    for name in CONFIDENCE_FIELDS:
        r = _most_confident(sources.get(name, ()), name)
        if r is None:
            continue
        if name in r.evidence:
            evidence[name] = r.evidence[name]
        if name in r.confidence:
            confidence[name] = r.confidence[name]
    return evidence, confidence


def summarize(event_id: str, reports: Sequence[Report], wave_id: str | None = None) -> Event:
    """The event as its reports tell it, with sources, claims and toll history."""
    reports = sorted(reports, key=Report.order)
    entries = _toll_entries(reports)
    history = [e for _, e in entries]
    counts: dict[str, int | None] = {}
    sources_of: dict[str, Sequence[Report]] = {}  # per CONFIDENCE_FIELDS name: the reports giving its value
    for kind in FIGURE_KINDS:
        of_kind = [e for e in history if e.kind == kind]
        chosen, low, high = current(of_kind)
        counts[kind] = chosen.value if chosen else None
        if kind in ("killed", "injured"):
            counts[f"{kind}_low"], counts[f"{kind}_high"] = low, high
        sources_of[kind] = [r for r, e in entries if e is chosen]
    weapons: list[str] = []
    targets: list[str] = []
    for r in reports:
        weapons += [w for w in r.fields.get("weapons", []) if w not in weapons]
        targets += [t for t in r.fields.get("targets", []) if t not in targets]
    date = _date(reports)
    place = _place_report(reports)
    actor1 = _most_common([r.fields.get("actor1") for r in reports])
    sub_event_type = _most_common([r.fields.get("sub_event_type") for r in reports])
    sources_of["date"] = _date_reports(reports, date)
    sources_of["place"] = [place] if place else []
    sources_of["actor1"] = [r for r in reports if actor1 is not None and r.fields.get("actor1") == actor1]
    sources_of["sub_event_type"] = [
        r for r in reports if sub_event_type is not None and r.fields.get("sub_event_type") == sub_event_type
    ]
    evidence, confidence = field_confidence(sources_of)
    sources = [
        {
            "article": r.article_id,
            "outlet": r.outlet,
            "published": r.published,
            "url": r.url,
            "quote": q.text,
            "start": q.start,
            "end": q.end,
            "language": r.language,
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
            "language": r.language,
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
        **_place(place),
        actor1=actor1,
        sub_event_type=sub_event_type,
        weapons=weapons,
        targets=targets,
        **counts,  # type: ignore[arg-type]
        n_articles=len(articles),
        n_outlets=len(outlets),
        toll_history=[e.to_json() for e in history],
        sources=sources,
        claims=claims,
        evidence=evidence,
        confidence=confidence,
    )


def summary_of(event: Event) -> dict[str, Any]:
    """The fields a change-log row compares, as JSON values."""
    row = event.to_json()
    return {k: row[k] for k in SUMMARY_FIELDS}
