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
]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded; RETURNS the names applied now."""
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with conn:
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)",
                (name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        applied.append(name)
    return applied
