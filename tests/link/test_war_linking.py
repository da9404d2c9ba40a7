"""Linking on real war reporting (war_news articles read at test time): one strike told by several
outlets is one event with its toll as it stands, and the places of one barrage stay apart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Event
from warledger.store import Store

BARRAGE = ("RFERL_20221010_strikes_kyiv_cities.txt", "AlJazeera_20221010_key_events_day229.txt")
RZHYSHCHIV = ("Reuters_20230322_rzhyshchiv_three_killed.txt", "UkrainskaPravda_20230322_rzhyshchiv_toll_rises.txt")
ODESA = ("politico_20240315_double-strike-odesa.txt", "kyivindependent_20240316_odesa-death-toll-rises-to-21.txt")


@pytest.fixture(scope="module")
def ledger(corpus_dir: Path, reader, ledgers) -> Iterator[Store]:
    war_news = corpus_dir / "war_news"
    wanted = {*BARRAGE, *RZHYSHCHIV, *ODESA}
    articles = [a for a in read_paths([war_news]).articles if a.id in wanted]
    assert len(articles) == len(wanted)
    with Store(ledgers.new("war")) as store:
        ingest_articles(articles, store, reader)
        yield store


def _events_of(store: Store, article: str) -> list[Event]:
    return [ev for eid in store.article_events()[article] if (ev := store.event(eid)) is not None]


def _event_at(store: Store, article: str, location: str) -> Event:
    (ev,) = [ev for ev in _events_of(store, article) if ev.location == location]
    return ev


def _articles(ev: Event) -> set[str]:
    return {s["article"] for s in ev.sources}


def test_two_outlets_reporting_one_barrage_share_its_kyiv_event_and_keep_each_place_apart(ledger: Store) -> None:
    kyiv = _event_at(ledger, BARRAGE[0], "Kyiv")
    assert _articles(kyiv) == set(BARRAGE)
    places = [ev.location for ev in _events_of(ledger, BARRAGE[0]) if ev.geo_precision == "settlement"]
    assert {"Kyiv", "Lviv", "Dnipro", "Ternopil"} <= set(places)
    assert len(places) == len(set(places))  # one event per place: never two places in one event


def test_a_follow_up_with_a_risen_toll_joins_the_first_report_and_carries_the_toll_as_it_stands(
    ledger: Store,
) -> None:
    ev = _event_at(ledger, RZHYSHCHIV[0], "Rzhyshchiv")
    assert _articles(ev) == set(RZHYSHCHIV)
    killed = sorted(t["value"] for t in ev.toll_history if t["kind"] == "killed")
    assert ev.killed == max(killed) and ev.killed != sum(killed)  # the risen count, never a sum


def test_a_next_day_toll_update_joins_and_its_figure_is_the_best(ledger: Store) -> None:
    ev = _event_at(ledger, ODESA[1], "Odesa")
    assert set(ODESA) <= _articles(ev)
    latest = [t for t in ev.toll_history if t["kind"] == "killed" and t["article"] == ODESA[1]]
    assert latest and ev.killed == latest[-1]["value"]
    # each event says why its reports joined it
    assert any(link["chosen"] and link["reason"] for link in ledger.links(ev.event_id))
