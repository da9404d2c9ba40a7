"""The SQLite ledger: migrations, idempotent re-ingest, all-or-nothing writes."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from warledger.errors import StoreError
from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.store import Store, resolve_db_path

OWN = Article(
    id="own-1",
    text="A Russian drone struck a fuel depot in Odesa on Sunday, killing two workers and injuring five.",
    published=date(2024, 3, 4),
    outlet="test desk",
)


def test_store_migrations_are_recorded_once(db_path: Path) -> None:
    with Store(db_path):
        pass
    with Store(db_path) as store:
        names = [r[0] for r in store.db.execute("SELECT name FROM schema_migrations")]
    assert names == [
        "0001_initial",
        "0002_figure_reporter",
        "0003_linking",
        "0004_api_tokens",
        "0005_field_confidence",
        "0006_candidate_indexes",
        "0007_event_rows",
        "0008_event_search",
        "0009_feeds",
        "0010_skipped",
        "0011_event_points",
        "0012_source_language",
        "0013_token_last_used",
    ]


def test_store_reingest_changes_nothing(db_path: Path, reader) -> None:
    with Store(db_path) as store:
        first = ingest_articles([OWN], store, reader)
        before = store.counts()
        again = ingest_articles([OWN], store, reader)
        assert store.counts() == before
    assert (first.added, again.added, again.unchanged) == (1, 0, 1)
    assert before["events"] == 1


def test_store_event_has_figures_with_quotes(db_path: Path, reader) -> None:
    with Store(db_path) as store:
        ingest_articles([OWN], store, reader)
        (ev,) = list(store.events())
    assert (ev.killed, ev.injured, ev.location, ev.actor1) == (2, 5, "Odesa", "Russia")
    assert ev.date_from == ev.date_to == "2024-03-03"
    src = ev.sources[0]
    assert OWN.text[src["start"] : src["end"]] == src["quote"]


def test_store_failed_write_leaves_nothing_half_written(db_path: Path, reader, monkeypatch) -> None:
    with Store(db_path) as store:
        ingest_articles([OWN], store, reader)
        before = store.counts()
        other = Article(
            id="own-2", text="Shelling killed three people in Kharkiv on Monday.", published=date(2024, 3, 5)
        )

        def broken(*args, **kwargs):
            raise store.db.errors[0]("disk I/O error")  # the driver's own error, on either backend

        monkeypatch.setattr(store, "_insert_claim", broken)
        monkeypatch.setattr(store, "_insert_mention", broken)
        report = ingest_articles([other], store, reader)
        assert store.counts() == before
        assert len(report.problems) == 1 and "own-2" in str(report.problems[0])


def test_store_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_text("these are notes, not a database\n" * 50)
    with pytest.raises(StoreError, match="notes.db"):
        Store(bad)


def test_store_db_path_from_env(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARLEDGER_DB", str(tmp_path / "x.db"))
    assert resolve_db_path(None) == tmp_path / "x.db"
    assert resolve_db_path("given.db") == Path("given.db")


def test_store_figures_keep_their_reporter(db_path: Path, reader) -> None:
    art = Article(
        id="own-3",
        text="Regional police said a drone strike on Kherson on Friday killed three people.",
        published=date(2024, 6, 8),
    )
    with Store(db_path) as store:
        ingest_articles([art], store, reader)
        (ev,) = list(store.events())
    (fig,) = [t for t in ev.toll_history if t["kind"] == "killed"]
    assert (fig["value"], fig["reported_by"], fig["article"]) == (3, "Regional police", "own-3")


def test_store_migrates_an_older_database(tmp_path: Path) -> None:
    """A ledger written before linking (one event per article strike) opens with its data intact."""
    from warledger.store.db import connect
    from warledger.store.migrations import MIGRATIONS, migrate

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    conn.executescript(MIGRATIONS[0][1])
    conn.execute("INSERT INTO schema_migrations VALUES ('0001_initial', 'then')")
    conn.execute(
        "INSERT INTO articles (id, hash, published, text, ingested_at)"
        " VALUES ('a1', 'h1', '2024-03-04', 'text', 'then')"
    )
    conn.execute(
        "INSERT INTO events (event_id, article_id, seq, date_from, date_to, date_precision, location, country,"
        " geo_precision, created_at) VALUES ('ev-0123456789ab', 'a1', 0, '2024-03-03', '2024-03-03', 'day',"
        " 'Odesa', 'Ukraine', 'settlement', 'then')"
    )
    conn.execute(
        'INSERT INTO figures (event_id, kind, value, article_id, quote, start, "end")'
        " VALUES ('ev-0123456789ab', 'killed', 2, 'a1', 'two killed', 0, 10)"
    )
    conn.commit()
    conn.close()
    db = connect(path)
    assert migrate(db) == [name for name, _ in MIGRATIONS[1:]]  # every one after 0001, in order
    db.close()
    with Store(path) as store:
        (ev,) = list(store.events())
        assert (ev.event_id, ev.location, ev.killed, ev.n_articles) == ("ev-0123456789ab", "Odesa", 2, 1)
        assert ev.evidence == {} and ev.confidence == {}  # reports stored before ratings have none
        assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_store_keeps_each_reports_evidence_and_confidence(db_path: Path, store_rated) -> None:
    """Stored per report as extracted; an event rebuilt from the ledger reads them back."""
    evidence = {"killed": "number in the strike clause", "place": "settlement in the strike clause"}
    mention = store_rated(db_path, OWN, evidence, {"killed": 0.91, "place": 0.45})
    with Store(db_path) as store:
        (ev,) = list(store.events())
        row = store.db.execute("SELECT evidence, confidence FROM mentions").fetchone()
    assert (ev.confidence, ev.evidence) == (mention.confidence, mention.evidence)
    assert json.loads(row["confidence"]) == {"killed": 0.91, "place": 0.45}
