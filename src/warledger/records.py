"""Typed records that flow between the stages.

ingest -> Article;  nlp -> Mention (one strike as one article tells it, with Figures and Claims);
geo -> Place;  link -> Event (one strike, its sources and claims).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any, Literal, get_args

# "publication": no date phrase, so the window is the day published and the night before
DatePrecision = Literal["day", "week", "month", "year", "publication"]
GeoPrecision = Literal["settlement", "admin1", "country"]
FigureKind = Literal[
    "killed",
    "injured",
    "children_killed",
    "children_injured",
    "hospitalized",
    "perpetrators_killed",
    "perpetrators_injured",
]
FIGURE_KINDS: tuple[FigureKind, ...] = get_args(FigureKind)
# the fields that carry a confidence: each figure kind, the place, the date window, actor and attack type
CONFIDENCE_FIELDS: tuple[str, ...] = (*FIGURE_KINDS, "place", "date", "actor1", "sub_event_type")


def content_hash(text: str) -> str:
    """Hash of the normalised text: the same article read twice hashes the same."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


EARLIEST_PUBLISHED = date(1900, 1, 1)
LATEST_PUBLISHED = date(2100, 12, 31)
"""The publication dates a report can have: readers refuse others, and the nlp anchors relative
dates ("last night", a day a week back) only inside them (0001-01-01 minus a day overflows)."""


def plausible_published(day: date | None) -> date | None:
    """``day`` when it lies between EARLIEST_PUBLISHED and LATEST_PUBLISHED, else None."""
    return day if day is not None and EARLIEST_PUBLISHED <= day <= LATEST_PUBLISHED else None


@dataclass(slots=True)
class Article:
    """One report as read from disk; ``id`` is the manifest id or the file name."""

    id: str
    text: str
    published: date | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    language: str | None = None
    place: str | None = None
    source: str = ""  # file (and line) it was read from

    @property
    def hash(self) -> str:
        return content_hash(self.text)


@dataclass(slots=True)
class Quote:
    """The sentence a fact was read from, with character offsets into the article text."""

    article: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Place:
    """A resolved place. ``geo_precision`` says how much of it is known: never a silent centroid."""

    query: str
    location: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: GeoPrecision
    geonameid: int | None = None
    country_code: str | None = None
    admin1_code: str | None = None
    alt_names: tuple[str, ...] = ()
    population: int | None = None  # a settlement's, as GeoNames gives it (ranks namesakes)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "location": self.location,
            "admin1": self.admin1,
            "country": self.country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "geo_precision": self.geo_precision,
        }


@dataclass(slots=True)
class DateWindow:
    date_from: date
    date_to: date
    precision: DatePrecision
    text: str = ""


@dataclass(slots=True)
class Figure:
    """One casualty figure as the text states it: best value and bounds."""

    kind: FigureKind
    value: int | None
    low: int | None
    high: int | None
    quote: Quote
    reported_by: str | None = None  # "regional governor", "Ukrainian police", as the sentence names it


@dataclass(slots=True)
class Claim:
    """What a party asserts, attributed and kept apart from the event's own figures."""

    by: str
    statement: str
    killed: int | None
    injured: int | None
    disputed: bool
    quote: Quote


@dataclass(slots=True)
class Mention:
    """One strike as one article reports it: the output of ``nlp`` + ``geo``."""

    article: str
    date: DateWindow | None = None
    place: Place | None = None
    actor1: str | None = None
    sub_event_type: str | None = None
    weapons: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    # per CONFIDENCE_FIELDS name: what the field rests on ("settlement in the strike clause",
    # "publication window", ...) and how likely it is right, in 0..1 (data/calibration.json)
    evidence: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def value(self, kind: str) -> int | None:
        fig = self.figures.get(kind)
        return fig.value if fig else None


@dataclass(slots=True)
class Source:
    article: str
    outlet: str | None
    published: str | None
    url: str | None
    quote: str
    start: int
    end: int


@dataclass(slots=True)
class TollEntry:
    """One figure in an event's toll history: who gave which number, where and when."""

    kind: str
    value: int | None
    low: int | None
    high: int | None
    reported_by: str | None
    credible: bool
    article: str
    outlet: str | None
    published: str | None
    quote: str
    start: int = 0  # the quote's offsets in the article text
    end: int = 0
    language: str | None = None  # the article's (ISO 639-1): the quote is in it, as published

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Event:
    """One strike in the ledger, merged from every report of it: the JSONL export row."""

    event_id: str
    wave_id: str | None = None
    event_date: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    date_precision: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: str | None = None
    actor1: str | None = None
    sub_event_type: str | None = None
    weapons: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    killed: int | None = None
    killed_low: int | None = None
    killed_high: int | None = None
    injured: int | None = None
    injured_low: int | None = None
    injured_high: int | None = None
    children_killed: int | None = None
    children_injured: int | None = None
    hospitalized: int | None = None
    # attackers among the dead / wounded, counted apart from the victims (never in killed / injured)
    perpetrators_killed: int | None = None
    perpetrators_injured: int | None = None
    n_articles: int = 0
    n_outlets: int = 0
    toll_history: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    # per CONFIDENCE_FIELDS name, from the report that gave the event's value (see Mention)
    evidence: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_row(self) -> dict[str, Any]:
        """The event as an export row: exactly ``EXPORT_KEYS``, confidences rounded to CONFIDENCE_DIGITS."""
        out = {k: getattr(self, k) for k in EXPORT_KEYS}  # not to_json(): asdict() copies every list deeply
        out["confidence"] = {k: round(v, CONFIDENCE_DIGITS) for k, v in self.confidence.items()}
        return out


EXPORT_KEYS: tuple[str, ...] = tuple(Event.__dataclass_fields__)
CONFIDENCE_DIGITS = 3


def to_record(value: Any) -> Any:
    """A record (Article, Mention, Claim, ... or a list of them) as JSON values: dataclasses as
    objects of all their fields, days as ISO strings, tuples as lists. ``article_from``,
    ``mention_from`` and ``claim_from`` read them back equal to what was written (Spark's
    executors hand extracted records to the driver this way)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_record(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: to_record(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_record(v) for v in value]
    return value


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def article_from(d: dict[str, Any]) -> Article:
    return Article(**{**d, "published": _day(d["published"])})


def quote_from(d: dict[str, Any]) -> Quote:
    return Quote(**d)


def claim_from(d: dict[str, Any]) -> Claim:
    return Claim(**{**d, "quote": quote_from(d["quote"])})


def mention_from(d: dict[str, Any]) -> Mention:
    window, place = d["date"], d["place"]
    return Mention(
        **{
            **d,
            "date": None
            if window is None
            else DateWindow(**{**window, **{k: _day(window[k]) for k in ("date_from", "date_to")}}),
            "place": None if place is None else Place(**{**place, "alt_names": tuple(place["alt_names"])}),
            "figures": {k: Figure(**{**f, "quote": quote_from(f["quote"])}) for k, f in d["figures"].items()},
            "claims": [claim_from(c) for c in d["claims"]],
            "quotes": [quote_from(q) for q in d["quotes"]],
        }
    )


def json_text(value: Any) -> str:
    """Compact JSON with ``<``, ``>`` and ``&`` as ``\\u`` escapes: article text never reads as markup
    where it is embedded in a page (the API's responses, the ledger's stored event rows)."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


LOW_CONFIDENCE = 0.6  # a field's confidence under this is shown as "low confidence" (show, the page)
