"""The linker's rules on hand-made reports: hard rules, one strike told twice, tolls, waves."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np

from warledger.link import LinkItem, compare, reconcile
from warledger.link.keys import Rarity, line_key, tokens
from warledger.link.linker import decide
from warledger.link.score import one_strike_twice
from warledger.link.tolls import as_of_minutes, credible
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


def test_the_only_event_placed_and_dated_alike_wins_a_follow_up_with_little_else_in_common() -> None:
    # a follow-up from another outlet the next day: other words, sentences only alike, same city and day
    other_way = np.zeros(384, dtype=np.float32)
    other_way[0], other_way[1] = 1.0, -1.0  # orthogonal to VEC
    alike = 0.7 * VEC + np.sqrt(1 - 0.7**2) * other_way / np.linalg.norm(other_way)
    follow_up = replace(
        KHARKIV,
        mention_id="mn-k",
        article_id="k",
        event_id=None,
        published=date(2024, 5, 11),
        killed=9,
        embedding=alike.astype(np.float32),
        tokens=frozenset({"tsn"}),
    )
    for x in (KHARKIV, follow_up):
        x.norm = RARITY.norm(x.tokens)
    (d,) = decide([follow_up], {"mn-k": [KHARKIV]}, RARITY)
    assert d.event_id == "ev-a" and "the only event placed and dated alike" in d.reason
    # two strikes on that city that day: where and when no longer tell which, so neither is joined
    second = replace(KHARKIV, mention_id="mn-l", article_id="l", event_id="ev-l", killed=1, embedding=-VEC)
    second.norm = RARITY.norm(second.tokens)
    (d,) = decide([follow_up], {"mn-k": [KHARKIV, second]}, RARITY)
    assert d.event_id is None


def test_one_article_two_places_are_two_strikes_but_a_passage_without_figures_is_not() -> None:
    samar_like = replace(KHARKIV, mention_id="mn-f", geonameid=1, latitude=49.9, longitude=36.3, killed=2)
    assert not one_strike_twice(KHARKIV, samar_like)
    figureless = replace(KHARKIV, mention_id="mn-g", killed=None, injured=None)
    assert one_strike_twice(KHARKIV, figureless)
    earlier = replace(KHARKIV, mention_id="mn-h", killed=4)
    assert not one_strike_twice(KHARKIV, earlier)


def _entry(
    value: int,
    by: str | None,
    credible: bool = True,
    outlet: str = "Wire",
    published: str = "2024-05-10",
    quote: str = "q",
) -> TollEntry:
    return TollEntry("killed", value, None, None, by, credible, outlet, outlet, published, quote)


def test_reconcile_takes_the_latest_credible_figure_and_never_sums() -> None:
    rising = [
        _entry(18, "governor", outlet="A", published="2024-05-10"),
        _entry(19, "mayor", outlet="B", published="2024-05-11"),
        _entry(20, "emergency service", outlet="C", published="2024-05-12"),
    ]
    assert reconcile(rising) == (20, 18, 20)  # low / high: what each source last said
    assert reconcile([_entry(18, "governor"), _entry(40, "witnesses", credible=False)]) == (18, 18, 18)
    assert reconcile([]) == (None, None, None)


def test_an_anonymous_reporter_is_not_credible_wherever_the_words_stand() -> None:
    assert not credible("sources familiar with the matter") and not credible("an unnamed official")
    assert credible("regional governor Oleh Syniehubov") and credible("State Emergency Service")


def test_a_source_that_updated_its_count_no_longer_stands_by_the_old_one() -> None:
    one_wire = [_entry(18, "governor", published="2024-05-10"), _entry(20, "governor", published="2024-05-11")]
    assert reconcile(one_wire) == (20, 20, 20)


def test_a_stale_figure_told_again_later_does_not_lower_the_toll() -> None:
    history = [
        _entry(5, None, outlet="A", published="2024-05-10"),
        _entry(7, None, outlet="B", published="2024-05-11"),
        _entry(5, None, outlet="C", published="2024-05-20"),  # a follow-up recalling the first count
    ]
    assert reconcile(history)[0] == 7
    revised = [_entry(2, None, outlet="A", published="2024-05-10"), _entry(1, None, outlet="B", published="2024-05-11")]
    assert reconcile(revised)[0] == 1  # a new, lower figure is a revision and stands


def test_figures_of_one_day_are_ordered_by_their_as_of_time_then_by_value() -> None:
    same_day = [_entry(10, None, outlet="A"), _entry(8, None, outlet="B")]
    assert reconcile(same_day)[0] == 10  # no times: a toll rises during a day
    timed = [
        _entry(12, None, outlet="A", quote="As of 22:00, twelve people were killed"),
        _entry(9, None, outlet="B", quote="as of 9 a.m., nine were killed"),
    ]
    assert reconcile(timed)[0] == 12
    assert as_of_minutes("as of 10:30 pm the toll stood at 4") == 22 * 60 + 30
    assert as_of_minutes("killed by 8 August") == -1


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
