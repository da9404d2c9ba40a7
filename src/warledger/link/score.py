"""Is this report about that strike? A score with its reasons.

    comparison = compare(new, candidate, rarity)

Hard rules come first: two reports of one article are different strikes; different perpetrators,
settlements far apart, or strike dates too far apart never link. Then a weighted sum of features
in [0, 1] (weights and bias in ``data/linking.json``): the rare names the two articles share
(``keys``), the similarity of their sentence embeddings (``embed``), place and date agreement,
and how far apart the two reports were published.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .config import linking_config
from .keys import Rarity


@dataclass(slots=True)
class LinkItem:
    """One stored report of a strike, as the linker sees it."""

    mention_id: str
    article_id: str
    event_id: str | None
    published: date | None
    date_from: date | None
    date_to: date | None
    date_precision: str | None
    geonameid: int | None
    admin1: str | None
    country: str | None
    geo_precision: str | None
    latitude: float | None
    longitude: float | None
    actor1: str | None
    killed: int | None
    injured: int | None
    embedding: np.ndarray | None = field(default=None, repr=False)
    tokens: frozenset[str] = field(default=frozenset(), repr=False)
    norm: float = 0.0  # of ``tokens`` under the current rarity; set by the linker

    def window(self) -> tuple[date, date] | None:
        """The strike's date window; a report with no date of its own is dated by its publication."""
        if self.date_from and self.date_to:
            return self.date_from, self.date_to
        if self.published:
            return self.published, self.published
        return None

    def recalled(self) -> bool:
        """A strike the article recalls: dated days before the article was published."""
        return bool(self.date_to and self.published and (self.published - self.date_to).days > 2)


def km(a: LinkItem, b: LinkItem) -> float | None:
    if a.latitude is None or a.longitude is None or b.latitude is None or b.longitude is None:
        return None
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dl = math.radians(b.longitude - a.longitude)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def date_gap(a: LinkItem, b: LinkItem) -> int | None:
    """Days between the two date windows (0 when they overlap); None when either is undated."""
    wa, wb = a.window(), b.window()
    if wa is None or wb is None:
        return None
    if wa[1] < wb[0]:
        return (wb[0] - wa[1]).days
    if wb[1] < wa[0]:
        return (wa[0] - wb[1]).days
    return 0


@dataclass(slots=True)
class Comparison:
    """A scored pair: ``blocked`` names the hard rule that forbids the link, if any."""

    score: float
    features: dict[str, float]
    blocked: str | None = None

    def reason(self) -> str:
        """The hard rule, or the features that moved the score most."""
        if self.blocked:
            return self.blocked
        w = linking_config()["weights"]
        parts = sorted(self.features, key=lambda k: -abs(w[k] * self.features[k]))
        shown = [f"{k} {self.features[k]:.2f} ({w[k] * self.features[k]:+.1f})" for k in parts[:4] if self.features[k]]
        return f"score {self.score:+.2f}: " + ", ".join(shown)


def _blocked(a: LinkItem, b: LinkItem, d: float | None, gap: int | None) -> str | None:
    cfg = linking_config()
    hard = cfg["hard_rules"]
    if a.article_id == b.article_id:
        return "same article: reported as two strikes"
    if "perpetrators" in hard and a.actor1 and b.actor1 and a.actor1 != b.actor1:
        return f"perpetrators differ ({a.actor1} / {b.actor1})"
    if "countries" in hard and a.country and b.country and a.country != b.country:
        return f"countries differ ({a.country} / {b.country})"
    if (
        "places" in hard
        and d is not None
        and d > cfg["apart_km"]
        and a.geo_precision == b.geo_precision == "settlement"
    ):
        return f"places {d:.0f} km apart"
    if "dates" in hard and gap is not None and gap > cfg["window_days"]:
        return f"strike dates {gap} days apart"
    if "days" in hard and gap is not None and gap > cfg["day_slack"] and a.date_precision == b.date_precision == "day":
        return f"dated to days {gap} days apart"
    return None


def same_place(a: LinkItem, b: LinkItem) -> bool:
    """Placed alike: the same settlement (or within ``near_km``), the same region, or the same country."""
    if a.geo_precision != b.geo_precision or a.geo_precision is None:
        return False
    if a.geo_precision == "settlement":
        d = km(a, b)
        return a.geonameid == b.geonameid or (d is not None and d <= linking_config()["near_km"])
    if a.geo_precision == "admin1":
        return bool(a.admin1) and a.admin1 == b.admin1 and a.country == b.country
    return bool(a.country) and a.country == b.country


def same_strike_cell(a: LinkItem, b: LinkItem) -> bool:
    """Placed alike and dated to overlapping windows: the two could be one strike by where and when alone."""
    return same_place(a, b) and date_gap(a, b) == 0


def one_strike_twice(a: LinkItem, b: LinkItem) -> bool:
    """Could two passages of one article tell the same strike? (Same or unstated place, dates
    that overlap, no conflicting figure or perpetrator.) Reports often come back to their lead
    strike in a passage of its own, with no figure: that is no second strike."""
    if a.geo_precision == b.geo_precision == "settlement":
        if a.geonameid != b.geonameid:
            return False
    elif a.admin1 and b.admin1 and a.admin1 != b.admin1:
        return False
    gap = date_gap(a, b)
    if gap is not None and gap > 0:
        return False
    return all(
        x is None or y is None or x == y
        for x, y in ((a.killed, b.killed), (a.injured, b.injured), (a.actor1, b.actor1))
    )


def compare(a: LinkItem, b: LinkItem, rarity: Rarity) -> Comparison:
    """Score ``a`` against ``b``; the same inputs give the same answer in either order."""
    cfg = linking_config()
    window = cfg["window_days"]
    gap = date_gap(a, b)
    names, rare = rarity.overlap(a.tokens, b.tokens, a.norm, b.norm)
    d = km(a, b)
    if (a.recalled() or b.recalled()) and gap is not None:
        report_gap = min(gap, window) / window  # a recalled strike is matched by its date, not by its report's
    elif a.published and b.published:
        report_gap = min(abs((a.published - b.published).days), window) / window
    else:
        report_gap = 0.5
    features = {
        "names": names,
        "rare_names": rare,
        "text": float(np.dot(a.embedding, b.embedding)) if a.embedding is not None and b.embedding is not None else 0.0,
        "near": float(a.geo_precision == b.geo_precision == "settlement" and d is not None and d <= cfg["near_km"]),
        "other_admin1": float(bool(a.admin1 and b.admin1 and a.admin1 != b.admin1)),
        "same_dates": float(gap == 0 and a.date_from is not None and b.date_from is not None),
        "report_gap": report_gap,
        "far_place": float(
            bool(a.country and b.country and a.country != b.country)
            or (a.geo_precision == b.geo_precision == "settlement" and d is not None and d > cfg["apart_km"])
        ),
        "far_dates": float(gap is not None and gap > window),
    }
    score = cfg["bias"] + sum(cfg["weights"][k] * v for k, v in features.items())
    return Comparison(score, features, _blocked(a, b, d, gap))
