"""Schema migrations: named, applied in order, each in its own transaction, recorded."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            source TEXT,
            published TEXT,
            outlet TEXT,
            url TEXT,
            title TEXT,
            language TEXT,
            place TEXT,
            text TEXT NOT NULL,
            ingested_at TEXT NOT NULL
        );
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            date_from TEXT, date_to TEXT, date_precision TEXT,
            country TEXT, admin1 TEXT, location TEXT,
            latitude REAL, longitude REAL, geo_precision TEXT, geonameid INTEGER,
            actor1 TEXT, sub_event_type TEXT,
            weapons TEXT NOT NULL DEFAULT '[]',
            targets TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL
        );
        CREATE INDEX events_date ON events(date_from);
        CREATE TABLE figures (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            value INTEGER, low INTEGER, high INTEGER,
            article_id TEXT NOT NULL,
            quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
        );
        CREATE INDEX figures_event ON figures(event_id);
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
            article_id TEXT NOT NULL,
            quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
        );
        CREATE INDEX sources_event ON sources(event_id);
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            event_id TEXT REFERENCES events(event_id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            by TEXT NOT NULL, statement TEXT NOT NULL,
            killed INTEGER, injured INTEGER, disputed INTEGER NOT NULL,
            quote TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL
        );
        CREATE INDEX claims_event ON claims(event_id);
        """,
    ),
    ("0002_figure_reporter", "ALTER TABLE figures ADD COLUMN reported_by TEXT"),
    (
        # one row per report of a strike (mentions) and one per strike (events), linked;
        # every linking decision, every person's correction and every change kept
        "0003_linking",
        """
        ALTER TABLE events RENAME TO mentions;
        ALTER TABLE mentions RENAME COLUMN event_id TO mention_id;
        ALTER TABLE figures RENAME COLUMN event_id TO mention_id;
        ALTER TABLE sources RENAME COLUMN event_id TO mention_id;
        ALTER TABLE claims RENAME COLUMN event_id TO mention_id;
        DROP INDEX figures_event;
        DROP INDEX sources_event;
        DROP INDEX claims_event;
        DROP INDEX events_date;
        CREATE TABLE events (
            event_id TEXT PRIMARY KEY,
            wave_id TEXT,
            date_from TEXT,
            summary TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        ALTER TABLE mentions ADD COLUMN event_id TEXT REFERENCES events(event_id);
        ALTER TABLE mentions ADD COLUMN embedding BLOB;
        PRAGMA defer_foreign_keys = ON;
        UPDATE figures SET mention_id = 'mn-' || substr(mention_id, 4);
        UPDATE sources SET mention_id = 'mn-' || substr(mention_id, 4);
        UPDATE claims SET mention_id = 'mn-' || substr(mention_id, 4) WHERE mention_id IS NOT NULL;
        UPDATE mentions SET mention_id = 'mn-' || substr(mention_id, 4);
        INSERT INTO events (event_id, date_from, created_at, updated_at)
            SELECT 'ev-' || substr(mention_id, 4), date_from, created_at, created_at FROM mentions;
        UPDATE mentions SET event_id = 'ev-' || substr(mention_id, 4);
        CREATE INDEX mentions_event ON mentions(event_id);
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE INDEX mentions_date ON mentions(date_from);
        CREATE INDEX figures_mention ON figures(mention_id);
        CREATE INDEX sources_mention ON sources(mention_id);
        CREATE INDEX claims_mention ON claims(mention_id);
        CREATE INDEX events_date ON events(date_from);
        CREATE INDEX events_wave ON events(wave_id);
        CREATE TABLE links (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            mention_id TEXT NOT NULL,
            event_id TEXT,
            chosen INTEGER NOT NULL,
            score REAL,
            reason TEXT NOT NULL,
            features TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX links_mention ON links(mention_id);
        CREATE INDEX links_event ON links(event_id);
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            mention_a TEXT NOT NULL,
            mention_b TEXT NOT NULL,
            by TEXT NOT NULL
        );
        CREATE INDEX corrections_a ON corrections(mention_a);
        CREATE INDEX corrections_b ON corrections(mention_b);
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            event_id TEXT NOT NULL,
            action TEXT NOT NULL,
            field TEXT,
            old TEXT,
            new TEXT,
            why TEXT NOT NULL
        );
        CREATE INDEX changes_event ON changes(event_id);
        CREATE INDEX changes_at ON changes(at);
        CREATE TABLE event_aliases (old_id TEXT PRIMARY KEY, event_id TEXT NOT NULL);
        ALTER TABLE articles ADD COLUMN tokens TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE line_counts (line TEXT PRIMARY KEY, n INTEGER NOT NULL);
        CREATE TABLE token_counts (token TEXT PRIMARY KEY, n INTEGER NOT NULL)
        """,
    ),
    (
        # API tokens for writing through the REST API: only their sha256 is kept
        "0004_api_tokens",
        """
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )
        """,
    ),
    (
        # per field of a report: what it rests on and how likely it is right (records.CONFIDENCE_FIELDS),
        # as JSON objects like weapons / targets; reports stored before have none
        "0005_field_confidence",
        """
        ALTER TABLE mentions ADD COLUMN evidence TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE mentions ADD COLUMN confidence TEXT NOT NULL DEFAULT '{}'
        """,
    ),
    (
        # linking's candidate search served by indexes (Store._candidates): articles by publication
        # day; mentions by date window (date_from, date_to), the few windows longer than a month
        # (a year's) apart, and the window length itself, whose maximum bounds how far before a
        # window the windows overlapping it can start. text_hash: the strike text's embedding is
        # computed once (ledger.ingest_articles looks it up). The aliases and claims indexes serve
        # the merges and the removal of an older version of an article. ledger_counts: the number
        # of articles (rare-name weights need it for every article; count(*) reads a whole index).
        "0006_candidate_indexes",
        """
        CREATE INDEX articles_published ON articles(published);
        CREATE TABLE ledger_counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
        INSERT INTO ledger_counts SELECT 'articles', count(*) FROM articles;
        DROP INDEX mentions_date;
        CREATE INDEX mentions_window ON mentions(date_from, date_to);
        CREATE INDEX mentions_span ON mentions(julianday(date_to) - julianday(date_from));
        CREATE INDEX mentions_long ON mentions(date_from, date_to)
            WHERE julianday(date_to) - julianday(date_from) > 31;
        ALTER TABLE mentions ADD COLUMN text_hash TEXT;
        CREATE INDEX mentions_text ON mentions(text_hash);
        CREATE INDEX event_aliases_event ON event_aliases(event_id);
        CREATE INDEX claims_article ON claims(article_id)
        """,
    ),
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; RETURNS the names applied now."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        # an explicit transaction: the DDL of a migration commits or rolls back with its data
        conn.execute("BEGIN")
        try:
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            conn.rollback()
            raise
        conn.commit()
        applied.append(name)
    return applied
