"""Schema migrations: named, applied in order, each in its own transaction, recorded.

The same named migrations build the same schema on SQLite and on PostgreSQL. Each is written
once, in SQLite's words; ``postgres()`` says it in PostgreSQL's (column types, identity keys,
the few statements only one of them needs), so the two schemas cannot drift apart.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from .db import Database

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
    (
        # the fast read path: each event's export row (``body``, JSON text) and the fields the API
        # filters on (in lower case: matched whole, in any case; plain columns let both databases
        # count from an index alone), written when its reports change (Store._write_row), so a
        # page of events is two indexed queries, not a rebuild of each event from its reports.
        # sort_key is date_from, undated events last. Ledgers stored before are filled in on
        # open (found through events_unfilled, so the check costs nothing once they are).
        "0007_event_rows",
        """
        ALTER TABLE events ADD COLUMN body TEXT;
        ALTER TABLE events ADD COLUMN sort_key TEXT;
        ALTER TABLE events ADD COLUMN date_to TEXT;
        ALTER TABLE events ADD COLUMN country TEXT;
        ALTER TABLE events ADD COLUMN admin1 TEXT;
        ALTER TABLE events ADD COLUMN location TEXT;
        ALTER TABLE events ADD COLUMN actor1 TEXT;
        ALTER TABLE events ADD COLUMN sub_event_type TEXT;
        ALTER TABLE events ADD COLUMN killed INTEGER;
        CREATE TABLE event_weapons (
            event_id TEXT NOT NULL REFERENCES events(event_id) ON DELETE CASCADE,
            weapon TEXT NOT NULL,
            PRIMARY KEY (event_id, weapon)
        );
        CREATE INDEX event_weapons_weapon ON event_weapons(weapon, event_id);
        CREATE INDEX events_order ON events(sort_key, event_id);
        CREATE INDEX events_date_to ON events(date_to);
        CREATE INDEX events_country ON events(country, sort_key, event_id);
        CREATE INDEX events_admin1 ON events(admin1, sort_key, event_id);
        CREATE INDEX events_location ON events(location, sort_key, event_id);
        CREATE INDEX events_actor1 ON events(actor1, sort_key, event_id);
        CREATE INDEX events_killed ON events(killed);
        CREATE INDEX events_unfilled ON events(event_id) WHERE body IS NULL;
        CREATE INDEX sources_article ON sources(article_id)
        """,
    ),
    (
        # the filters at 100k events (bench/api_load.py): a date window reads a range of
        # sort_key, a dated event's date_from (the longest stored window, from events_span,
        # bounds how early an overlapping window can start); a weapon is looked up by name; q searches a text kept
        # per event (its places and its reports' quotes, lower case) through a trigram index:
        # FTS5's trigram tokenizer on SQLite, pg_trgm on PostgreSQL (_PG_INSTEAD); the event's
        # search_id is its row there, so a match is an index lookup, not a read of each text.
        # Every event's row is written again on the next open (body NULL), filling its text.
        "0008_event_search",
        """
        CREATE INDEX events_window ON events(sort_key, date_to);
        CREATE INDEX events_span ON events(julianday(date_to) - julianday(date_from));
        ALTER TABLE events ADD COLUMN search_id INTEGER;
        CREATE UNIQUE INDEX events_search ON events(search_id);
        CREATE VIRTUAL TABLE event_search USING fts5(event_id UNINDEXED, search, tokenize = 'trigram');
        UPDATE events SET body = NULL
        """,
    ),
    (
        # following feeds and watch folders (ingest/feeds): per source its HTTP validators, when it
        # is next due and how often it failed in a row; per feed item (guid, else link) what became
        # of it, written only after its article is stored, so a killed follower reads it again
        # rather than losing it (the article's hash makes the second read change nothing); per
        # watched file (path and content hash) the same
        "0009_feeds",
        """
        CREATE TABLE feed_sources (
            name TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            next_poll TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            polled_at TEXT
        );
        CREATE TABLE feed_items (
            source TEXT NOT NULL,
            item_key TEXT NOT NULL,
            link TEXT,
            title TEXT,
            feed_published TEXT,
            article_id TEXT,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            problem TEXT,
            at TEXT NOT NULL,
            PRIMARY KEY (source, item_key)
        );
        CREATE INDEX feed_items_link ON feed_items(link);
        CREATE INDEX feed_items_status ON feed_items(source, status);
        CREATE TABLE watched_files (
            path TEXT NOT NULL,
            hash TEXT NOT NULL,
            status TEXT NOT NULL,
            articles INTEGER NOT NULL DEFAULT 0,
            problem TEXT,
            at TEXT NOT NULL,
            PRIMARY KEY (path, hash)
        )
        """,
    ),
    (
        # articles the relevance gate (nlp/gate.py) kept from the pipeline, recorded rather than lost:
        # one row per article id (a new text replaces it), one per text (hash), with the gate's reason
        "0010_skipped",
        """
        CREATE TABLE skipped (
            id TEXT PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            source TEXT,
            published TEXT,
            outlet TEXT,
            url TEXT,
            title TEXT,
            language TEXT,
            reason TEXT NOT NULL,
            skipped_at TEXT NOT NULL
        );
        CREATE INDEX skipped_order ON skipped(skipped_at, id)
        """,
    ),
    (
        # the web page's map at 50,000 events (store/views.py): every matching event's point, day
        # (its sort_key), toll, type and place, read from the index events_points alone, in ledger
        # order: on SQLite a column stored after an event's record (body, kilobytes) is read
        # through the record's overflow pages, which made a scan of every event cost a second.
        # The type and place are kept as written (the filter columns hold them in lower case);
        # events_type lets the type's values be counted from an index, as the other filters'.
        # Every event's row is written again on the next open (body NULL), filling them.
        "0011_event_points",
        """
        ALTER TABLE events ADD COLUMN latitude REAL;
        ALTER TABLE events ADD COLUMN longitude REAL;
        ALTER TABLE events ADD COLUMN type_name TEXT;
        ALTER TABLE events ADD COLUMN place_name TEXT;
        CREATE INDEX events_points ON events(sort_key, event_id, latitude, longitude, killed, type_name, place_name);
        CREATE INDEX events_type ON events(sub_event_type, sort_key, event_id);
        UPDATE events SET body = NULL
        """,
    ),
    (
        # each source and toll-history entry of an event's row names its article's language (the
        # quote is in it, as published): every event's row is written again on the next open
        "0012_source_language",
        """
        UPDATE events SET body = NULL
        """,
    ),
    (
        # when each API token was last accepted for a write (`warledger token list`): NULL until then
        "0013_token_last_used",
        "ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT",
    ),
]

# PostgreSQL only: statements run before a migration's own, and words said differently
_PG_BEFORE = {
    # the old events table keeps its key's index name after 0003 renames it to mentions
    "0003_linking": ["ALTER INDEX events_pkey RENAME TO mentions_pkey"],
    # SQLite's julianday() for the ISO days the ledger stores, so 0006's indexes read the same
    "0006_candidate_indexes": [
        "CREATE FUNCTION julianday(text) RETURNS double precision LANGUAGE sql IMMUTABLE"
        " AS $$ SELECT ($1::date - DATE '2000-01-01') + 2451544.5 $$"
    ],
}
_PG_AFTER = {
    # mentions are read in the order they were stored (SQLite's rowid)
    "0003_linking": ["ALTER TABLE mentions ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY"],
}
# PostgreSQL only: a statement said in other words altogether
_PG_INSTEAD = {
    "CREATE VIRTUAL TABLE event_search USING fts5(event_id UNINDEXED, search, tokenize = 'trigram')": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE TABLE event_search (rowid BIGINT PRIMARY KEY, event_id TEXT NOT NULL, search TEXT NOT NULL)",
        "CREATE INDEX event_search_trigrams ON event_search USING gin (search gin_trgm_ops)",
    ],
}
_PG_WORDS = [
    (r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (r"\bINTEGER\b", "BIGINT"),
    (r"\bREAL\b", "DOUBLE PRECISION"),
    (r"\bBLOB\b", "BYTEA"),
    # an expression index needs its own parentheses
    (r"ON (\w+)\((julianday\(date_to\) - julianday\(date_from\))\)", r"ON \1((\2))"),
]


def statements(name: str, sql: str, dialect: str) -> list[str]:
    """The statements of one migration, in the words of ``dialect``."""
    parts = [p.strip() for p in sql.split(";") if p.strip()]
    if dialect == "sqlite":
        return parts
    out = list(_PG_BEFORE.get(name, []))
    for part in parts:
        if part.startswith("PRAGMA"):  # SQLite's own switches (defer_foreign_keys on an empty table)
            continue
        if part in _PG_INSTEAD:
            out += _PG_INSTEAD[part]
            continue
        for pattern, repl in _PG_WORDS:
            part = re.sub(pattern, repl, part)
        out.append(part)
    return out + _PG_AFTER.get(name, [])


def migrate(db: Database) -> list[str]:
    """Apply every migration not yet recorded; RETURNS the names applied now.

    Each runs under the ledger's write lock, so processes opening a new ledger at once apply it once.
    """
    try:
        done = {r[0] for r in db.execute("SELECT name FROM schema_migrations")}
    except db.errors:
        done = set()  # a new ledger
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        with db.write():
            db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            if db.execute("SELECT 1 FROM schema_migrations WHERE name = ?", (name,)).fetchone():
                continue
            for statement in statements(name, sql, db.dialect):
                db.execute(statement)
            db.execute(
                "INSERT INTO schema_migrations VALUES (?, ?)", (name, datetime.now(UTC).isoformat(timespec="seconds"))
            )
        applied.append(name)
    return applied
