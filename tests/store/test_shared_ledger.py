"""One ledger, several writers: each Store is a connection of its own, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from warledger.errors import NotFound
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Article, DateWindow, Mention, Place
from warledger.store import EventFilter, Store
from warledger.store.db import shown


def _strike(i: int) -> tuple[Article, list[Mention]]:
    """Article ``i`` reporting one strike of its own (linking off: no model needed)."""
    day = date(2024, 1, 1) + timedelta(days=i)
    article = Article(id=f"w{i}", text=f"report {i} of a strike", published=day)
    place = Place(f"Village {i % 7}", f"Village {i % 7}", "Kharkiv", "Ukraine", 49.9, 36.2, "settlement")
    return article, [Mention(article.id, date=DateWindow(day, day, "day", "on the day"), place=place)]


def _rows(store: Store) -> list[dict]:
    return [ev.to_json() for ev in store.events()]


def test_writers_in_threads_on_one_ledger_lose_nothing(db_path: Path | str) -> None:
    """Four connections write 40 articles at once: every one is stored once, none fails."""
    with Store(db_path):
        pass  # created and migrated once
    errors: list[BaseException] = []

    def write(share: list[int]) -> None:
        try:
            with Store(db_path) as store:
                for i in share:
                    article, mentions = _strike(i)
                    store.add_article(article, mentions, [], link=None)
                    store.add_article(article, mentions, [], link=None)  # again: nothing changes
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=([i for i in range(40) if i % 4 == k],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(db_path) as store:
        counts = store.counts()
        assert (counts["articles"], counts["mentions"], counts["events"]) == (40, 40, 40)
        assert store.count_events(EventFilter(location="village 3")) == len([i for i in range(40) if i % 7 == 3])


def test_two_stores_linking_by_turns_build_what_one_builds(db_path: Path | str, ledgers, reader, seeds_dir) -> None:
    """Rare-name counts one Store has cached are dropped when another wrote meanwhile."""
    articles = sorted(read_paths([seeds_dir]).articles, key=lambda a: (a.published or date.max, a.id))
    with Store(ledgers.new("alone")) as alone:
        ingest_articles(articles, alone, reader)
        expected = _rows(alone)
    with Store(db_path) as one, Store(db_path) as two:
        for n, article in enumerate(articles):
            ingest_articles([article], one if n % 2 == 0 else two, reader)
        assert ingest_articles(articles, two, reader).added == 0
        assert _rows(one) == _rows(two) == expected


def test_the_stored_event_rows_are_what_the_reports_give(db_path: Path | str, reader, seeds_dir) -> None:
    """The fast read path (stored rows) and a rebuild from the reports agree, event by event."""
    with Store(db_path) as store:
        ingest_articles(read_paths([seeds_dir]).articles, store, reader)
        ids = store.event_ids()
        assert ids and [store.event(e) for e in ids] == [store.rebuild(e) for e in ids]
        total, page = store.find_events(EventFilter(country="ukraine"), limit=2, offset=1)
        everything = [ev.event_id for ev in store.events(EventFilter(country="Ukraine"))]
        assert total == len(everything) and [ev.event_id for ev in page] == everything[1:3]
        assert [ev.event_id for ev in store.find_events(EventFilter(country="Ukraine"), offset=2)[1]] == everything[2:]
        # a weapon or a text alone is counted in its own table: the same count as the events listed
        weapon = next(w for ev in store.events() for w in ev.weapons)
        for flt in (EventFilter(weapon=weapon.upper()), EventFilter(q="KILLED"), EventFilter(q="ki")):
            assert store.count_events(flt) == len(list(store.events(flt))) > 0, flt


def test_an_unknown_event_is_not_found(db_path: Path | str) -> None:
    with Store(db_path) as store:
        with pytest.raises(NotFound, match="no event ev-nope"):
            store.resolve("ev-nope")
        assert store.event("ev-nope") is None


def test_an_in_memory_ledger_is_a_double_for_unit_tests() -> None:
    with Store(":memory:") as store:
        article, mentions = _strike(1)
        assert store.add_article(article, mentions, [], link=None)
        (ev,) = store.events()
        assert (ev.location, ev.date_from) == ("Village 1", "2024-01-02")


def test_a_url_is_named_without_its_password() -> None:
    assert shown("postgresql://desk:s3cret@db.example:5432/ledger") == "postgresql://desk:***@db.example:5432/ledger"
    assert shown("postgresql://desk@db/ledger") == "postgresql://desk@db/ledger"


def test_a_server_that_is_not_there_is_a_one_line_error() -> None:
    from warledger.errors import StoreError

    with pytest.raises(StoreError) as info:
        Store("postgresql://nobody:pw@127.0.0.1:1/none")
    assert "cannot open the ledger database" in str(info.value) and "pw" not in str(info.value)
    assert "\n" not in str(info.value)


def test_text_search_takes_wildcard_characters_literally(db_path: Path | str) -> None:
    """q is served by a trigram index on both backends; %, _ and \\ in it are the characters themselves."""
    from warledger.records import Quote

    text = "The strike hit depot_7 in Izium; 100% of it burned (unit a\\b said)."
    article, mentions = _strike(3)
    article.text = text
    mentions[0].quotes = [Quote(article.id, text, 0, len(text))]
    with Store(db_path) as store:
        store.add_article(article, mentions, [], link=None)
        found = {
            q: store.count_events(EventFilter(q=q)) for q in ("IZIUM", "depot_7", "depotx7", "100%", "1000", "a\\b")
        }
        assert found == {"IZIUM": 1, "depot_7": 1, "depotx7": 0, "100%": 1, "1000": 0, "a\\b": 1}


def test_arrival_order_does_not_shape_the_ledger(db_path: Path | str, ledgers, reader, corpus_dir, monkeypatch) -> None:
    """Articles arriving one by one, latest first (as from late feeds or another process), build
    the ledger that ingesting them in publication order builds: a late article's reports and
    those of the articles published after it are decided again in publication order. (On these
    80 shooting reports, linking each as it came gave 5 events that differ.)"""
    import warledger.store.sql

    monkeypatch.setattr(warledger.store.sql, "LATE_RELINK_MAX", 100)  # each article here is late by up to 79
    first: dict[str, Article] = {}  # one article per text: a repeated text is the same article
    for article in read_paths([corpus_dir / "gva" / "articles.jsonl"]).articles[:80]:
        first.setdefault(article.hash, article)
    articles = list(first.values())
    with Store(ledgers.new("in_order")) as in_order:
        ingest_articles(articles, in_order, reader)
        expected = _rows(in_order)
    with Store(db_path) as store:
        for article in sorted(articles, key=lambda a: (a.published or date.max, a.id), reverse=True):
            ingest_articles([article], store, reader)
        assert _rows(store) == expected
        assert [store.event(e) for e in store.event_ids()] == [store.rebuild(e) for e in store.event_ids()]


def test_an_article_later_than_the_bound_is_linked_as_it_comes(db_path: Path | str, monkeypatch) -> None:
    """Deciding again costs a decision per later report: past LATE_RELINK_MAX later articles, the
    article is linked as it comes (``warledger relink`` orders the whole ledger)."""
    import warledger.store.relink
    import warledger.store.sql

    monkeypatch.setattr(warledger.store.sql, "LATE_RELINK_MAX", 1)
    calls: list[tuple[str, str]] = []
    real = warledger.store.relink.relink_from
    monkeypatch.setattr(
        warledger.store.relink, "relink_from", lambda s, first, *a: calls.append(first) or real(s, first, *a)
    )
    with Store(db_path) as store:
        for i in (5, 4, 3):  # published latest first: late by 0, 1, then 2 articles
            article, mentions = _strike(i)
            store.add_article(article, mentions, [])
        assert calls == [("2024-01-05", "w4")]
        assert store.counts()["articles"] == 3
