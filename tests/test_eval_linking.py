"""Linking scored on (article, gold strike) mentions, as the reference scorer linking_war.py does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.errors import EvalError
from warledger.evaluate import (
    LinkingReport,
    dates_compatible,
    evaluate_linking,
    format_linking,
    place_compatible,
    score_mentions,
)
from warledger.records import Event

DAY = "2024-01-02"


def ev(eid: str, *articles: str, place: str = "Kyiv", day: str = DAY, **figures: int | None) -> Event:
    return Event(
        event_id=eid,
        country="Ukraine",
        location=place,
        date_from=day,
        date_to=day,
        sources=[{"article": a} for a in articles],
        **figures,  # type: ignore[arg-type]
    )


def gold(article: str, key: str, form: str = "event_key", **fields: Any) -> dict[str, Any]:
    return {"article": article, form: key, "country": "Ukraine", "location": "Kyiv", "date_from": DAY} | fields


def close(got: tuple[float, ...], want: tuple[float, ...]) -> bool:
    return all(abs(g - w) < 1e-9 for g, w in zip(got, want, strict=True))


def test_a_strike_split_over_two_events() -> None:
    s = score_mentions([gold("a1", "K"), gold("a2", "K")], {}, [ev("e1", "a1"), ev("e2", "a2")])
    assert (s.mentions, s.found, s.strikes, s.multi_report) == (2, 2, 1, 1)
    # each mention's event holds only itself (P 1), its strike is half in it (R 1/2)
    assert close(s.bcubed, (1.0, 0.5, 2 / 3))
    assert close(s.pairwise, (1.0, 0.0, 0.0))  # no pair said, the one true pair missed
    assert s.fragments == 2.0
    # both were found, so perfect linking would have put them in one event
    assert close(s.bcubed_if_linked, (1.0, 1.0, 1.0)) and s.fragments_if_linked == 1.0


def test_two_strikes_merged_into_one_event() -> None:
    s = score_mentions([gold("a1", "K1"), gold("a2", "K2")], {}, [ev("e1", "a1", "a2")])
    assert (s.mentions, s.found, s.strikes, s.multi_report) == (2, 2, 2, 0)
    assert close(s.bcubed, (0.5, 1.0, 2 / 3))
    assert close(s.pairwise, (0.0, 1.0, 0.0))  # one pair said, wrong; no true pair to find
    assert s.fragments is None


def test_a_mention_not_found_is_a_cluster_of_its_own() -> None:
    golds = [gold("a1", "K"), gold("a2", "K"), gold("a3", "K")]
    # a3 is cited only by events at another place or on another day: not found
    events = [ev("e1", "a1", "a2"), ev("e2", "a3", place="Lviv"), ev("e3", "a3", day="2024-01-09")]
    s = score_mentions(golds, {}, events)
    assert (s.mentions, s.found) == (3, 2)
    # recall per mention: 2/3, 2/3, 1/3 -> 5/9; F1 = 2 * 5/9 / (1 + 5/9) = 5/7
    assert close(s.bcubed, (1.0, 5 / 9, 5 / 7))
    assert close(s.pairwise, (1.0, 1 / 3, 0.5))
    assert s.fragments == 2.0  # e1 and the miss
    # linking cannot win back a mention extraction did not find: the bound is what this ledger has
    assert close(s.bcubed_if_linked, s.bcubed) and s.fragments_if_linked == 2.0


def test_the_event_with_most_articles_of_the_strike_stands_for_a_mention() -> None:
    golds = [gold("a1", "K"), gold("a2", "K"), gold("a3", "K2", killed=5)]
    events = [
        ev("e1", "a1", killed=9),  # larger toll, but one article of the strike
        ev("e2", "a1", "a2", killed=1),  # two articles of the strike: chosen for a1
        ev("e3", "a3", killed=2),
        ev("e4", "a3", killed=5),  # as many articles in common as e3, larger killed: chosen
    ]
    s = score_mentions(golds, {}, events)
    assert s.fragments == 1.0 and close(s.bcubed, (1.0, 1.0, 1.0))
    assert s.final_right["killed"] == 1 and s.final_scored["killed"] == 1


def test_final_toll_is_the_latest_published_figure_on_the_majority_event() -> None:
    golds = [
        gold("a1", "K", killed=3),
        gold("a2", "K", killed=7),  # published last: the final killed, though not last in the file
        gold("a3", "K", killed=5, injured=10),  # the only injured figure: the final one
        gold("a4", "K2", killed=2),  # no event cites a4: its final toll is missed
        gold("a5", "K3"),  # no figure: not scored
    ]
    published = {"a1": "2024-01-02", "a2": "2024-01-05", "a3": "2024-01-03", "a4": DAY, "a5": DAY}
    # K's mentions land 2 in e1, 1 in e2: e1 is K's event, and it lacks the injured figure
    events = [ev("e1", "a1", "a2", killed=7), ev("e2", "a3", killed=5, injured=10), ev("e3", "a5")]
    s = score_mentions(golds, published, events)
    assert (s.final_right, s.final_scored) == ({"killed": 1, "injured": 0}, {"killed": 2, "injured": 1})
    assert (s.final_share("killed"), s.final_share("injured")) == (0.5, 0.0)
    events[0].killed = 5  # an earlier figure
    assert score_mentions(golds, published, events).final_right["killed"] == 0


def test_final_toll_read_as_the_codebook_counts() -> None:
    golds = [gold("a1", "K", form="incident", killed=1, injured=0)]
    events = [ev("e1", "a1", perpetrators_killed=1)]  # the attacker died, nobody else was hurt
    assert score_mentions(golds, {}, events).final_right == {"killed": 0, "injured": 0}
    gva = score_mentions(golds, {}, events, with_perpetrators=True, silence_is_zero=True)
    assert gva.final_right == {"killed": 1, "injured": 1}


def test_gold_incident_reads_as_event_key() -> None:
    rows = [("a1", "K", 3), ("a2", "K", 4), ("a3", "L", 1)]
    events = [ev("e1", "a1", killed=4), ev("e2", "a2", "a3", killed=1)]
    by_key = score_mentions([gold(a, k, killed=n) for a, k, n in rows], {}, events)
    by_incident = score_mentions([gold(a, k, form="incident", killed=n) for a, k, n in rows], {}, events)
    assert by_key == by_incident
    assert by_key.mentions == 3 and by_key.strikes == 2 and by_key.fragments == 2.0


def test_gold_event_without_a_key_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"events": [gold("a1", "K"), {"article": "a2", "id": "x-2"}]}))
    with pytest.raises(EvalError) as info:
        evaluate_linking(tmp_path)
    msg = str(info.value)
    assert str(path) in msg and "x-2" in msg and "event_key" in msg and "incident" in msg and "\n" not in msg


def test_place_and_date_compatibility() -> None:
    g = gold("a1", "K", location="Zaporizhzhia", date_to="2024-01-03")
    assert place_compatible(g, ev("e", "a1", place="Zaporizhia"))  # transliteration-blind
    assert not place_compatible(g, Event("e", country="Russia", location="Zaporizhzhia"))  # another country
    oblast = gold("a1", "K", location=None, admin1="Kharkiv Oblast")
    assert place_compatible(oblast, Event("e", country="Ukraine", admin1="Kharkiv", location="Izium"))
    assert place_compatible(oblast, Event("e", country="Ukraine", location="Kharkiv"))
    assert not place_compatible(oblast, Event("e", country="Ukraine", admin1="Sumy Oblast", location="Sumy"))
    assert dates_compatible(g, ev("e", "a1", day="2024-01-03"))  # windows overlap
    assert not dates_compatible(g, ev("e", "a1", day="2024-01-04"))
    assert not dates_compatible(g, Event("e"))  # an undated event fits no dated strike
    assert dates_compatible({"article": "a1", "incident": "1"}, Event("e"))  # undated gold (GVA): no constraint


STRIKES = [
    "AP_20230117_dnipro_toll_40.txt",
    "AP_20230117_dnipro_final_toll_45.txt",
    "Reuters_20230706_lviv_missile_first.txt",
    "Reuters_20230706_lviv_missile_update.txt",
    "babel_20220710_chasiv-yar-death-toll-15.txt",
    "babel_20220711_chasiv-yar-death-toll-24.txt",
]


def test_cli_eval_linking_on_war_news_articles(corpus_dir: Path, tmp_path: Path) -> None:
    src = corpus_dir / "war_news"
    folder = tmp_path / "war_news"
    folder.mkdir()
    for name in STRIKES:
        shutil.copy(src / name, folder / name)
    manifest = [
        line for line in (src / "articles.jsonl").read_text().splitlines() if json.loads(line)["file"] in STRIKES
    ]
    (folder / "articles.jsonl").write_text("\n".join(manifest) + "\n")
    events = [g for g in json.loads((src / "gold.json").read_text())["events"] if g["article"] in STRIKES]
    (folder / "gold.json").write_text(json.dumps({"events": events}))
    res = CliRunner().invoke(cli, ["eval", "--linking", "--json", str(folder)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output[res.output.index("{") :])
    m = doc["mention_level"]
    keys = {g["event_key"] for g in events}
    assert (m["mentions"], m["strikes"], m["strikes_2plus_reports"]) == (len(events), len(keys), len(keys))
    assert 0 < m["found"] <= m["mentions"]
    assert m["final_toll"]["killed"]["scored"] == len(keys)
    assert doc["articles"] == len(STRIKES) and doc["gold_clusters"] == len(keys)


def test_format_linking_prints_both_tables() -> None:
    mentions = score_mentions([gold("a1", "K", killed=2), gold("a2", "K")], {}, [ev("e1", "a1", "a2", killed=2)])
    report = LinkingReport("demo", 2, 1, 1, (1.0, 1.0, 1.0), (1.0, 1.0, 1.0), mentions)
    text = format_linking(report)
    assert "article level" in text and "mention level" in text
    rows = [line.split() for line in text.splitlines()]
    assert ["demo", "2", "2", "1", "1", "B-cubed", "1.000", "1.000", "1.000"] in rows  # mentions found strikes 2+
    assert ["demo", "1.00", "1.000", "(1)", "-"] in rows  # fragments, final killed (n), no injured figure
    assert rows[-1] == ["demo", "(the", "same", "found", "mentions)", "1.000", "1.000", "1.000", "1.00"]
    assert report.to_json()["mention_level"]["final_toll"]["killed"] == {"share": 1.0, "scored": 1}
