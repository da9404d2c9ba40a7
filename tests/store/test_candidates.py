"""Linking's candidate search (``Store._candidates``): served by the indexes of migration 0006,
it finds exactly the reports the query it replaced found (the reference below, a scan of every
stored report), window edges included."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from warledger.link.config import linking_config
from warledger.records import Article, DateWindow, Mention
from warledger.store import Store

# the query before migration 0006: one scan of every stored report (the reference)
REFERENCE_SQL = (
    " WHERE m.event_id IS NOT NULL AND m.article_id != ? AND ("
    " (CAST(? AS TEXT) IS NOT NULL AND a.published IS NOT NULL"
    " AND abs(julianday(a.published) - julianday(CAST(? AS TEXT))) <= CAST(? AS DOUBLE PRECISION))"
    " OR (CAST(? AS TEXT) IS NOT NULL AND m.date_from IS NOT NULL AND m.date_from <= ? AND m.date_to >= ?))"
)

NEW = date(2024, 6, 30)  # the new article's publication day
YEAR = DateWindow(date(2024, 1, 1), date(2024, 12, 31), "year", "in 2024")


def _article(i: int, published: date | None) -> Article:
    return Article(id=f"a{i}", text=f"report number {i}", published=published)


def _window(first: date, days: int, precision: str = "day") -> DateWindow:
    return DateWindow(first, first + timedelta(days=days), precision)  # type: ignore[arg-type]


# (publication day, the strike's window): at the window's and the publication gap's edges
STORED = [
    (NEW - timedelta(days=30), None),  # published 30 days before: in
    (NEW - timedelta(days=31), None),  # 31 days before: out
    (NEW + timedelta(days=30), None),  # 30 days after: in
    (NEW + timedelta(days=31), None),  # 31 days after: out
    (None, None),  # neither published nor dated: never
    (date(2023, 1, 5), _window(NEW - timedelta(days=1), 0)),  # dated the day before: out
    (date(2023, 1, 5), _window(NEW - timedelta(days=2), 2)),  # a window ending on the strike's day: in
    (date(2023, 1, 5), _window(NEW + timedelta(days=1), 0)),  # dated the day after: out
    (date(2023, 1, 5), _window(NEW - timedelta(days=30), 30, "month")),  # a month ending on that day: in
    (date(2023, 1, 5), _window(NEW - timedelta(days=31), 30, "month")),  # one ending the day before: out
    (date(2023, 1, 5), YEAR),  # a year's window, begun 181 days before: in
    (date(2023, 1, 5), _window(date(2023, 1, 1), 364, "year")),  # last year: out
    (None, _window(NEW, 0)),  # unpublished, dated that day: in
]


@pytest.fixture()
def ledger(db_path: Path) -> Iterator[Store]:
    """A temp-file ledger holding STORED, each report its own event (linking off: no model)."""
    with Store(db_path) as store:
        _fill(store)
        yield store


def _fill(store: Store) -> None:
    for i, (published, window) in enumerate(STORED):
        store.add_article(_article(i, published), [Mention(f"a{i}", date=window)], [], link=None)


def _new_item(store: Store, window: DateWindow | None, published: date | None = NEW):
    store.add_article(_article(99, published), [Mention("a99", date=window)], [], link=None)
    mid = store.db.execute("SELECT mention_id FROM mentions WHERE article_id = 'a99'").fetchone()[0]
    return store._item(mid)


def _reference(store: Store, item) -> list[str]:
    published = item.published.isoformat() if item.published else None
    first = item.date_from.isoformat() if item.date_from and item.date_to else None
    last = item.date_to.isoformat() if item.date_from and item.date_to else None
    rows = store.db.execute(
        store._ITEM_SQL + REFERENCE_SQL,
        (item.article_id, published, published, linking_config()["window_days"], first, last, first),
    ).fetchall()
    return [r["mention_id"] for r in rows]


@pytest.mark.parametrize(
    ("window", "published"),
    [
        (_window(NEW, 0), NEW),  # a strike dated to its publication day
        (_window(NEW - timedelta(days=1), 1), NEW),  # an overnight strike
        (None, NEW),  # undated: candidates by publication only
        (_window(NEW, 0), None),  # unpublished: candidates by date only
        (YEAR, NEW),  # a year's window of its own
        (None, None),  # neither: no candidate
    ],
)
def test_candidates_are_those_of_the_scan_they_replace(ledger: Store, window, published) -> None:
    item = _new_item(ledger, window, published)
    found = [c.mention_id for c in ledger._candidates(item)]
    assert found == _reference(ledger, item)  # the same reports, in the same order
    assert len(set(found)) == len(found)


def test_candidates_at_the_window_edges(ledger: Store) -> None:
    item = _new_item(ledger, _window(NEW, 0))
    found = {c.article_id for c in ledger._candidates(item)}
    assert found == {"a0", "a2", "a6", "a8", "a10", "a12"}


def test_candidates_query_is_served_by_indexes(sqlite_path: Path) -> None:
    """SQLite's query plan (PostgreSQL's planner picks its own, from the same indexes)."""
    seen: list[str] = []
    ledger = Store(sqlite_path)
    _fill(ledger)
    item = _new_item(ledger, _window(NEW, 0))
    ledger.db.conn.set_trace_callback(seen.append)
    ledger._candidates(item)
    ledger.db.conn.set_trace_callback(None)
    (sql,) = [s for s in seen if "WITH near" in s]
    plan = [r[3] for r in ledger.db.execute("EXPLAIN QUERY PLAN " + sql)]
    longest = [r[3] for r in ledger.db.execute("EXPLAIN QUERY PLAN " + seen[0])]
    assert not [p for p in plan if p.startswith("SCAN") and p != "SCAN near"], plan  # no table is scanned
    for index in ("articles_published", "mentions_window", "mentions_long"):
        assert any(f"INDEX {index}" in p for p in plan), (index, plan)
    assert "max(julianday" in seen[0] and longest == ["SEARCH mentions USING INDEX mentions_span"]
    ledger.close()


def test_candidates_migration_on_a_ledger_written_before(sqlite_path: Path) -> None:
    """A ledger written before 0006 gets the indexes and the same candidates."""
    from warledger.store.migrations import MIGRATIONS

    with Store(sqlite_path) as store:
        _fill(store)
    conn = sqlite3.connect(sqlite_path)
    with conn:  # undo 0011, 0008, 0007 and 0006 as a ledger written before them would be
        conn.execute("DROP INDEX events_points")
        conn.execute("DROP INDEX events_type")
        for column in ("latitude", "longitude", "type_name", "place_name"):
            conn.execute(f"ALTER TABLE events DROP COLUMN {column}")
        conn.execute("DROP TABLE event_weapons")
        conn.execute("DROP TABLE event_search")
        conn.execute("DROP INDEX events_window")
        conn.execute("DROP INDEX events_span")
        for index in ("order", "date_to", "country", "admin1", "location", "actor1", "killed", "unfilled", "search"):
            conn.execute(f"DROP INDEX events_{index}")
        conn.execute("DROP INDEX sources_article")
        for column in (
            "body",
            "sort_key",
            "date_to",
            "country",
            "admin1",
            "location",
            "actor1",
            "sub_event_type",
            "killed",
            "search_id",
        ):
            conn.execute(f"ALTER TABLE events DROP COLUMN {column}")
        conn.execute("DROP INDEX articles_published")
        for index in ("mentions_window", "mentions_span", "mentions_long", "mentions_text"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("DROP INDEX event_aliases_event")
        conn.execute("DROP INDEX claims_article")
        conn.execute("DROP TABLE ledger_counts")
        conn.execute("ALTER TABLE mentions DROP COLUMN text_hash")
        conn.execute("CREATE INDEX mentions_date ON mentions(date_from)")
        for name in ("0006_candidate_indexes", "0007_event_rows", "0008_event_search", "0011_event_points"):
            conn.execute("DELETE FROM schema_migrations WHERE name = ?", (name,))
    conn.close()
    with Store(sqlite_path) as store:
        names = [name for name, _ in MIGRATIONS]
        assert [n for n in names if n[:4] in ("0006", "0007", "0008", "0011")] == [
            "0006_candidate_indexes",
            "0007_event_rows",
            "0008_event_search",
            "0011_event_points",
        ]
        # the events' rows are filled in on open: what they hold is what their reports give
        assert [store.event(e) for e in store.event_ids()] == [store.rebuild(e) for e in store.event_ids()]
        indexes = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"articles_published", "mentions_window", "mentions_span", "mentions_long"} <= indexes
        assert "mentions_date" not in indexes
        counted = [tuple(r) for r in store.db.execute("SELECT name, n FROM ledger_counts")]
        assert counted == [("articles", len(STORED))]  # counted by the migration
        item = _new_item(store, _window(NEW, 0))
        assert [c.mention_id for c in store._candidates(item)] == _reference(store, item)


def test_stored_embeddings_are_found_by_text(db_path: Path) -> None:
    import numpy as np

    from warledger.link.embed import DIM, mention_text, text_key

    article = _article(1, NEW)
    mention = Mention("a1", date=_window(NEW, 0))
    vector = np.full(DIM, 0.05, dtype=np.float32)
    with Store(db_path) as store:
        store.add_article(article, [mention], [], vector[None, :], link=None)
        key = text_key(mention_text(article, mention))
        found = store.embeddings([key, "no such text"])
    assert list(found) == [key] and np.array_equal(found[key], vector)


def test_candidates_match_the_scan_on_random_windows(db_path: Path) -> None:
    """Publication days and windows of every length (a day .. past a year), drawn at random."""
    import random

    rng = random.Random(10)
    spans = [0, 0, 1, 6, 29, 30, 31, 32, 45, 90, 364, 365, 400]

    def draw() -> tuple[date | None, DateWindow | None]:
        published = NEW + timedelta(days=rng.randint(-120, 120)) if rng.random() < 0.85 else None
        start = NEW + timedelta(days=rng.randint(-500, 60))
        return published, (_window(start, rng.choice(spans)) if rng.random() < 0.8 else None)

    sizes: list[int] = []
    with Store(db_path) as store:
        for i in range(150):
            published, window = draw()
            store.add_article(_article(i, published), [Mention(f"a{i}", date=window)], [], link=None)
        for i in range(150, 190):
            published, window = draw()
            store.add_article(_article(i, published), [Mention(f"a{i}", date=window)], [], link=None)
            mid = store.db.execute("SELECT mention_id FROM mentions WHERE article_id = ?", (f"a{i}",)).fetchone()[0]
            item = store._item(mid)
            found = [c.mention_id for c in store._candidates(item)]
            assert found == _reference(store, item), i
            sizes.append(len(found))
    assert min(sizes) < 5 < max(sizes)  # the draw reaches both sparse and crowded windows


def test_the_count_of_articles_follows_new_articles_and_new_versions(db_path: Path) -> None:
    with Store(db_path) as store:
        _fill(store)
        store.add_article(Article(id="a1", text="a new version of report 1", published=NEW), [], [], link=None)
        counted = store.db.execute("SELECT n FROM ledger_counts WHERE name = 'articles'").fetchone()[0]
        assert counted == store.counts()["articles"] == len(STORED)
