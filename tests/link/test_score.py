"""The linker's rules on hand-made reports: hard rules, one strike told twice, tolls, waves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from warledger.link import LinkItem, compare, reconcile
from warledger.link.keys import Rarity, line_key, tokens
from warledger.link.linker import decide
from warledger.link.score import one_strike_twice
from warledger.link.waves import wave_groups
from warledger.records import TollEntry

VEC = np.ones(384, dtype=np.float32) / np.sqrt(384)
KHARKIV = LinkItem(
    mention_id="mn-a",
    article_id="a",
    event_id="ev-a",
    published=date(2024, 5, 10),
    date_from=date(2024, 5, 9),
    date_to=date(2024, 5, 9),
    date_precision="day",
    geonameid=706483,
    admin1="Kharkiv Oblast",
    country="Ukraine",
    geo_precision="settlement",
    latitude=49.98,
    longitude=36.25,
    actor1="Russia",
    killed=3,
    injured=8,
    embedding=VEC,
    tokens=frozenset({"kharkiv", "saltivka", "#age17", "synehubov"}),
)
RARITY = Rarity(100, {"kharkiv": 20, "saltivka": 2, "#age17": 3, "synehubov": 2})


def test_same_strike_from_another_outlet_scores_above_threshold() -> None:
    other = replace(KHARKIV, mention_id="mn-b", article_id="b", event_id=None, published=date(2024, 5, 11), killed=5)
    for x in (KHARKIV, other):
        x.norm = RARITY.norm(x.tokens)
    c = compare(other, KHARKIV, RARITY)
    assert c.blocked is None and c.score > 0
    (d,) = decide([other], {"mn-b": [KHARKIV]}, RARITY)
    assert d.event_id == "ev-a" and d.candidates[0].chosen


def test_hard_rules_name_their_reason() -> None:
    odesa = replace(
        KHARKIV,
        mention_id="mn-c",
        article_id="c",
        geonameid=698740,
        admin1="Odesa Oblast",
        latitude=46.48,
        longitude=30.72,
    )
    assert "km apart" in (compare(odesa, KHARKIV, RARITY).blocked or "")
    other_side = replace(KHARKIV, mention_id="mn-d", article_id="d", actor1="Ukraine")
    assert "perpetrators differ" in (compare(other_side, KHARKIV, RARITY).blocked or "")
    next_day = replace(
        KHARKIV, mention_id="mn-n", article_id="n", date_from=date(2024, 5, 10), date_to=date(2024, 5, 10)
    )
    assert "dated to days 1 days apart" in (compare(next_day, KHARKIV, RARITY).blocked or "")
    later = replace(KHARKIV, mention_id="mn-e", article_id="e", date_from=date(2024, 8, 1), date_to=date(2024, 8, 1))
    assert "days apart" in (compare(later, KHARKIV, RARITY).blocked or "")
    (d,) = decide([later], {"mn-e": [KHARKIV]}, RARITY)
    assert d.event_id is None and d.candidates[0].blocked and "days apart" in d.reason


def test_one_article_two_places_are_two_strikes_but_a_passage_without_figures_is_not() -> None:
    samar_like = replace(KHARKIV, mention_id="mn-f", geonameid=1, latitude=49.9, longitude=36.3, killed=2)
    assert not one_strike_twice(KHARKIV, samar_like)
    figureless = replace(KHARKIV, mention_id="mn-g", killed=None, injured=None)
    assert one_strike_twice(KHARKIV, figureless)
    earlier = replace(KHARKIV, mention_id="mn-h", killed=4)
    assert not one_strike_twice(KHARKIV, earlier)


def _entry(value: int, by: str | None, credible: bool = True) -> TollEntry:
    return TollEntry("killed", value, None, None, by, credible, "a", None, None, "q")


def test_reconcile_takes_the_latest_credible_figure_and_never_sums() -> None:
    assert reconcile([_entry(18, "governor"), _entry(19, "mayor"), _entry(20, "emergency service")]) == (20, 18, 20)
    assert reconcile([_entry(18, "governor"), _entry(40, "witnesses", credible=False)]) == (18, 18, 18)
    assert reconcile([]) == (None, None, None)


def test_tokens_skip_boilerplate_lines_and_keep_names_ages_numbers() -> None:
    text = (
        "Subscribe to our Newsletter\n"
        "A 17-year-old was hurt on Saltivka Road, Oleh Synehubov said; 1200 homes lost power."
    )
    menu = {line_key("Subscribe to our Newsletter"): 5}
    got = tokens(text, menu)
    assert {"saltivka", "road", "oleh", "synehubov", "#age17", "#1200"} <= got
    assert "newsletter" not in got


def test_waves_group_one_nights_strikes_reported_together() -> None:
    day = {"date_precision": "day", "date_from": "2025-06-24", "actor1": "Russia"}
    summaries = {
        "ev-1": {**day, "location": "Dnipro", "admin1": "Dnipropetrovsk Oblast"},
        "ev-2": {**day, "location": "Samar", "admin1": "Dnipropetrovsk Oblast"},
        "ev-3": {**day, "location": "Kharkiv", "admin1": "Kharkiv Oblast"},
    }
    waves = wave_groups(summaries, {"ev-1": {"x"}, "ev-2": {"x"}, "ev-3": {"y"}})
    assert waves == {"ev-1": "wv-1", "ev-2": "wv-1"}
