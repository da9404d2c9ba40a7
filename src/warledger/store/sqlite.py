"""The ledger in SQLite: one write path, one transaction per article, schema by migrations."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..link import LinkedEvent, reconcile
from ..records import FIGURE_KINDS, Article, Claim, Event, Figure, Quote
from .migrations import migrate

DEFAULT_DB = "warledger.db"
# events columns that are Event fields as they are
_EVENT_COLUMNS = (
    "date_from",
    "date_to",
    "date_precision",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "actor1",
    "sub_event_type",
)


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` if given, else ``$WARLEDGER_DB``, else ``warledger.db`` in the working directory."""
    return Path(path or os.environ.get("WARLEDGER_DB") or DEFAULT_DB)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """``Store(path)`` opens (and migrates) the database; use as a context manager."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            # WAL: readers never block the writer, and a commit need not wait for the disk
            # (synchronous=NORMAL keeps the database consistent; only the last commits can be
            # lost to a power cut, never to a crash of the process)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the ledger database ({exc})") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- writing -----------------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        """True when this exact text is stored already (under any id)."""
        row = self.conn.execute("SELECT 1 FROM articles WHERE hash = ?", (article.hash,)).fetchone()
        return row is not None

    def add_article(self, article: Article, events: list[LinkedEvent], claims: list[Claim]) -> bool:
        """Store one article and everything read from it, all or nothing.

        A text already stored changes nothing (RETURNS False). A new text under a known id
        replaces that article's previous version and its events.
        """
        if self.has_article(article):
            return False
        now = _now()
        try:
            with self.conn:
                self.conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
                self.conn.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        article.id,
                        article.hash,
                        article.source,
                        article.published.isoformat() if article.published else None,
                        article.outlet,
                        article.url,
                        article.title,
                        article.language,
                        article.place,
                        article.text,
                        now,
                    ),
                )
                for ev in events:
                    self._insert_event(ev, article, now)
                for claim in claims:
                    self._insert_claim(None, claim)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not store article {article.id} ({exc})") from exc
        return True

    def _insert_event(self, ev: LinkedEvent, article: Article, now: str) -> None:
        m = ev.mention
        p = m.place
        d = m.date
        self.conn.execute(
            "INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ev.event_id,
                article.id,
                ev.seq,
                d.date_from.isoformat() if d else None,
                d.date_to.isoformat() if d else None,
                d.precision if d else None,
                p.country if p else None,
                p.admin1 if p else None,
                p.location if p else None,
                p.latitude if p else None,
                p.longitude if p else None,
                p.geo_precision if p else None,
                p.geonameid if p else None,
                m.actor1,
                m.sub_event_type,
                json.dumps(m.weapons),
                json.dumps(m.targets),
                now,
            ),
        )
        for fig in m.figures.values():
            self.conn.execute(
                'INSERT INTO figures (event_id, kind, value, low, high, article_id, quote, start, "end", reported_by)'
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    ev.event_id,
                    fig.kind,
                    fig.value,
                    fig.low,
                    fig.high,
                    article.id,
                    fig.quote.text,
                    fig.quote.start,
                    fig.quote.end,
                    fig.reported_by,
                ),
            )
        for q in m.quotes:
            self.conn.execute(
                'INSERT INTO sources (event_id, article_id, quote, start, "end") VALUES (?,?,?,?,?)',
                (ev.event_id, article.id, q.text, q.start, q.end),
            )
        for claim in m.claims:
            self._insert_claim(ev.event_id, claim)

    def _insert_claim(self, event_id: str | None, c: Claim) -> None:
        self.conn.execute(
            'INSERT INTO claims (event_id, article_id, by, statement, killed, injured, disputed, quote, start, "end")'
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                event_id,
                c.quote.article,
                c.by,
                c.statement,
                c.killed,
                c.injured,
                int(c.disputed),
                c.quote.text,
                c.quote.start,
                c.quote.end,
            ),
        )

    # -- reading -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {
            t: self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "events", "figures", "claims")
        }

    def article(self, article_id: str) -> sqlite3.Row | None:
        return self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()

    def event_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT event_id FROM events ORDER BY date_from, event_id")]

    def figures(self, event_id: str) -> list[Figure]:
        rows = self.conn.execute("SELECT * FROM figures WHERE event_id = ? ORDER BY id", (event_id,)).fetchall()
        return [
            Figure(
                r["kind"],
                r["value"],
                r["low"],
                r["high"],
                Quote(r["article_id"], r["quote"], r["start"], r["end"]),
                r["reported_by"],
            )
            for r in rows
        ]

    def events(self) -> Iterator[Event]:
        """Every event, oldest first (undated last), as export rows."""
        rows = self.conn.execute(
            "SELECT e.*, a.outlet, a.published, a.url FROM events e JOIN articles a ON a.id = e.article_id"
            " ORDER BY e.date_from IS NULL, e.date_from, e.article_id, e.seq"
        ).fetchall()
        for row in rows:
            yield self._event(row)

    def event(self, event_id: str) -> Event | None:
        row = self.conn.execute(
            "SELECT e.*, a.outlet, a.published, a.url FROM events e JOIN articles a ON a.id = e.article_id"
            " WHERE e.event_id = ?",
            (event_id,),
        ).fetchone()
        return self._event(row) if row else None

    def _event(self, row: sqlite3.Row) -> Event:
        eid = row["event_id"]
        by_kind: dict[str, list[Figure]] = {k: [] for k in FIGURE_KINDS}
        for fig in self.figures(eid):
            by_kind.setdefault(fig.kind, []).append(fig)
        best = {k: reconcile(v) for k, v in by_kind.items()}
        sources = [
            {
                "article": r["article_id"],
                "outlet": row["outlet"],
                "published": row["published"],
                "url": row["url"],
                "quote": r["quote"],
                "start": r["start"],
                "end": r["end"],
            }
            for r in self.conn.execute("SELECT * FROM sources WHERE event_id = ? ORDER BY start", (eid,))
        ]
        claims = [
            {
                "by": r["by"],
                "statement": r["statement"],
                "killed": r["killed"],
                "injured": r["injured"],
                "disputed": bool(r["disputed"]),
                "article": r["article_id"],
                "quote": r["quote"],
            }
            for r in self.conn.execute("SELECT * FROM claims WHERE event_id = ? ORDER BY id", (eid,))
        ]
        counts: dict[str, int | None] = {}
        for kind, (value, low, high) in best.items():
            counts[kind] = value
            if kind in ("killed", "injured"):
                counts[f"{kind}_low"], counts[f"{kind}_high"] = low, high
        return Event(
            event_id=eid,
            event_date=row["date_from"],
            **{col: row[col] for col in _EVENT_COLUMNS},
            weapons=json.loads(row["weapons"]),
            targets=json.loads(row["targets"]),
            **counts,  # type: ignore[arg-type]
            sources=sources,
            claims=claims,
        )

    def loose_claims(self) -> list[dict[str, Any]]:
        """Claims an article makes that are tied to no single strike."""
        return [dict(r) for r in self.conn.execute("SELECT * FROM claims WHERE event_id IS NULL ORDER BY id")]
