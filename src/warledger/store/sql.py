"""The ledger in SQL, on SQLite or PostgreSQL (``db.py``): one write path, one transaction per
article, schema by migrations.

Tables: ``articles``; ``mentions`` (one strike as one article reports it, with its ``figures``,
``sources`` and ``claims``); ``events`` (one strike: the mentions linked to it); ``links`` (every
linking decision, chosen or rejected, with score and reason); ``corrections`` (a person's merges
and splits); ``changes`` (the append-only log of every change to an event); ``event_aliases``
(old ids of events merged into others).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import NotFound, StoreError, WarledgerError
from ..link import Decision, LinkItem, Report, decide, event_id_of, keys, mention_id, summarize, summary_of
from ..link.article import Linker, decide_article
from ..link.config import linking_config
from ..link.embed import from_blob, mention_text, text_key, to_blob
from ..link.events import REPORT_FIELDS
from ..link.reading import in_english
from ..link.waves import wave_groups
from ..records import Article, Claim, Event, Figure, Mention, Quote, json_text
from . import views
from .db import Database, Row, connect, resolve_db, shown
from .migrations import migrate
from .query import ORDER, TEXT_FILTERS, UNDATED, EventFilter
from .views import point_columns

# a window longer than this many days is 'long' (a year's): the partial index mentions_long of
# migration 0006 holds those, and its WHERE clause must read the same number
_LONG_WINDOW = 31
# an article stored after at most this many articles published later is linked as if it had come
# in publication order (theirs decided again after it); later than that, as it comes
LATE_RELINK_MAX = 50
_WALK_ABOVE = 2000  # a filter matching more events than this pages by walking them in order
_FIELD_COLUMNS = (*REPORT_FIELDS, "geonameid")  # mentions columns that are a report's own fields


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> str | Path:
    """``--db`` if given, else ``$WARLEDGER_DB``, else ``warledger.db``: a PostgreSQL URL as is."""
    return resolve_db(path)


# what a stored article and a skipped one both record of it, in this order
ARTICLE_COLUMNS = "id, hash, source, published, outlet, url, title, language"


def _article_values(article: Article) -> tuple[str | None, ...]:
    published = article.published.isoformat() if article.published else None
    return (
        article.id,
        article.hash,
        article.source,
        published,
        article.outlet,
        article.url,
        article.title,
        article.language,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _shifted(day: date, days: int) -> str:
    """``day`` moved by ``days`` as an ISO date string, held to the calendar's ends."""
    try:
        return (day + timedelta(days=days)).isoformat()
    except OverflowError:
        return (date.min if days < 0 else date.max).isoformat()


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def _order_key(article: Article) -> tuple[str, str]:
    """Where an article stands in publication order (undated last, then by id), as relink reads it."""
    return (article.published.isoformat() if article.published else "9999", article.id)


def _event(body: str) -> Event:
    return Event(**json.loads(body))


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


@dataclass(slots=True)
class Change:
    """One row of an event's change log."""

    at: str
    event_id: str
    action: str
    field: str | None
    old: Any
    new: Any
    why: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class FeedState:
    """What the ledger keeps of one followed source between polls (``warledger follow``): its
    HTTP validators, when it is next due (ISO 8601 UTC) and its failures in a row."""

    name: str
    url: str
    title: str | None = None  # the feed's own title (the articles' outlet unless the source names one)
    etag: str | None = None
    last_modified: str | None = None
    next_poll: str | None = None
    failures: int = 0
    last_error: str | None = None
    polled_at: str | None = None


ITEM_STATUSES = ("stored", "skipped", "duplicate", "failed", "rejected", "robots")
"""What became of a feed item: its article is stored; the relevance gate skipped it (recorded as
skipped); its link was stored from another item;
its page failed and is tried again; it can never be read (no text, 404); robots.txt forbids it."""


@dataclass(slots=True)
class SeenItem:
    """One feed item as the ledger remembers it; ``key`` is its guid, else its link."""

    source: str
    key: str
    link: str | None
    status: str
    title: str | None = None
    feed_published: str | None = None
    article_id: str | None = None
    attempts: int = 0
    problem: str | None = None
    at: str = ""


@dataclass(slots=True)
class SkippedArticle:
    """An article the relevance gate kept from the pipeline: what it was, and why."""

    id: str
    hash: str
    source: str | None
    published: str | None
    outlet: str | None
    url: str | None
    title: str | None
    language: str | None
    reason: str
    skipped_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Store:
    """``Store(db)`` opens (and migrates) the ledger: a SQLite path or a ``postgresql://`` URL.

    Use it as a context manager. Every method is one transaction (a write holds the ledger's
    write lock, see ``db.Database.write``), so several processes can share one ledger.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None) -> None:
        db = resolve_db(db)  # None: $WARLEDGER_DB, else ./warledger.db
        self.path = shown(db)  # how messages name the ledger
        self.db: Database = connect(db)
        try:
            migrate(self.db)
            self._fill_event_rows()
        except self.db.errors as exc:
            self.db.close()
            raise StoreError(f"{self.path}: cannot open the ledger database ({exc})") from exc
        # token -> articles it appears in: read from token_counts for the tokens a link needs, then
        # kept in step with what this Store writes (never the whole table: it grows with the ledger)
        self._token_counts: dict[str, int] = {}
        self._norms: dict[str, tuple[int, float]] = {}
        self._writes: int | None = None  # the ledger's write count when the caches were last right

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- writing: articles -------------------------------------------------------------

    def has_article(self, article: Article) -> bool:
        """True when this exact text is stored already (under any id)."""
        row = self.db.execute("SELECT 1 FROM articles WHERE hash = ?", (article.hash,)).fetchone()
        return row is not None

    def stored_hashes(self, hashes: Iterable[str]) -> set[str]:
        """Which of these text hashes (``Article.hash``) the ledger holds: ``has_article`` for
        articles whose text is elsewhere (a Spark job's executors)."""
        wanted, found = list(dict.fromkeys(hashes)), set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            sql = f"SELECT hash FROM articles WHERE hash IN ({','.join('?' * len(chunk))})"
            found |= {r[0] for r in self.db.execute(sql, chunk)}
        return found

    def add_article(
        self,
        article: Article,
        mentions: list[Mention],
        claims: list[Claim],
        vectors: np.ndarray | None = None,
        link: Linker | None = decide,
    ) -> bool:
        """Store one article and everything read from it, linked into events, all or nothing.

        A text already stored changes nothing (RETURNS False). A new text under a known id
        replaces that article's previous version; the events it was part of are updated.
        ``link=None`` stores each strike as an event of its own (to measure what linking costs).
        """
        if self.has_article(article):
            return False
        why = f"article {article.id}"
        try:
            with self.db.write():
                if self.has_article(article):  # another writer stored it meanwhile
                    return False
                self._forget_others()
                touched = self._remove_article(article.id, why)
                # read now: no longer a skipped article (an older version of it, or a gate since loosened)
                self.db.execute("DELETE FROM skipped WHERE id = ? OR hash = ?", (article.id, article.hash))
                self._insert_article(article, self._count_tokens(in_english(article.text, article.language)))
                ids = [
                    self._insert_mention(article, i, m, vectors[i] if vectors is not None else None)
                    for i, m in enumerate(mentions)
                ]
                for claim in claims:
                    self._insert_claim(None, claim)
                if link is None:
                    decisions = [Decision(mid, None, reason="linking off") for mid in ids]
                elif self._arrived_late(article):
                    # articles published after it are linked already: its reports and theirs are
                    # decided again in publication order, so arrival order never shapes the ledger
                    from .relink import relink_from

                    relink_from(self, _order_key(article), link, why)
                    self._norms.clear()
                    decisions = []
                else:
                    decisions = decide_article(self, ids, self._rarity, link)
                for decision in decisions:
                    touched |= self._apply(decision, why)
                self._refresh(touched, why)
        except BaseException as exc:
            # rolled back with the rest: counts are read again, the article's norm forgotten
            self._token_counts.clear()
            self._norms.pop(article.id, None)
            self._writes = None
            if isinstance(exc, self.db.errors):
                raise StoreError(f"{self.path}: could not store article {article.id} ({exc})") from exc
            raise
        return True

    # -- writing: articles the relevance gate skipped -------------------------------------

    def has_skipped(self, article: Article) -> bool:
        """True when this exact text was recorded as skipped already (under any id)."""
        row = self.db.execute("SELECT 1 FROM skipped WHERE hash = ?", (article.hash,)).fetchone()
        return row is not None

    def add_skipped(self, article: Article, reason: str) -> bool:
        """Record an article the relevance gate skipped, and why; RETURNS False when nothing changed
        (this text is recorded or stored already).

        A new text under a recorded id replaces its row. A stored article of that id stays as it
        is: a later text that names no violence (a stub, a paywall page) is no reason to drop what
        an earlier one reported.
        """
        if self.has_skipped(article) or self.has_article(article):
            return False
        try:
            with self.db.write():
                if self.has_skipped(article) or self.has_article(article):  # another writer meanwhile
                    return False
                self.db.execute("DELETE FROM skipped WHERE id = ?", (article.id,))
                self.db.execute(
                    f"INSERT INTO skipped ({ARTICLE_COLUMNS}, reason, skipped_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        *_article_values(article),
                        reason,
                        _now(),
                    ),
                )
        except self.db.errors as exc:
            raise StoreError(f"{self.path}: could not record skipped article {article.id} ({exc})") from exc
        return True

    def skipped(self, limit: int | None = None) -> list[SkippedArticle]:
        """The skipped articles in the order they were recorded; with ``limit``, the latest ones."""
        sql = "SELECT * FROM skipped ORDER BY skipped_at DESC, id DESC"
        rows = self.db.execute(sql + " LIMIT ?", (limit,)) if limit is not None else self.db.execute(sql)
        return [SkippedArticle(**{k: r[k] for k in r.keys()}) for r in reversed(rows.fetchall())]

    def _arrived_late(self, article: Article) -> bool:
        """True when articles published after this one (publication day, then id) are stored, at
        most LATE_RELINK_MAX of them: more would cost as many decisions again for one article
        (`warledger relink` puts the whole ledger in publication order)."""
        if article.published is None:
            sql, args = "SELECT 1 FROM articles WHERE published IS NULL AND id > ?", [article.id]
        else:
            day = article.published.isoformat()
            sql = "SELECT 1 FROM articles WHERE published > ? OR published IS NULL OR (published = ? AND id > ?)"
            args = [day, day, article.id]
        later = len(self.db.execute(sql + " LIMIT ?", [*args, LATE_RELINK_MAX + 1]).fetchall())
        return 0 < later <= LATE_RELINK_MAX

    def _forget_others(self) -> None:
        """Inside a write: drop the counts cached here when another process wrote since; count this write."""
        row = self.db.execute("SELECT n FROM ledger_counts WHERE name = 'writes'").fetchone()
        seen = row[0] if row else 0
        if seen != self._writes:
            self._token_counts.clear()
            self._norms.clear()
        self.db.execute(
            "INSERT INTO ledger_counts VALUES ('writes', 1) ON CONFLICT(name) DO UPDATE SET n = ledger_counts.n + 1"
        )
        self._writes = seen + 1

    def _rarity(self, items: Iterable[LinkItem]) -> keys.Rarity:
        """Rare-name weights for linking ``items``: the counts of their tokens are read once."""
        counts = self._token_counts
        missing = {t for item in items for t in item.tokens if t not in counts}
        if missing:
            found = dict(
                self.db.execute(
                    "SELECT token, n FROM token_counts WHERE token" + self.db.any_of(),
                    (self.db.values(sorted(missing)),),
                ).fetchall()
            )
            for t in missing:
                counts[t] = found.get(t, 0)
        n = self.db.execute("SELECT n FROM ledger_counts WHERE name = 'articles'").fetchone()[0]
        return keys.Rarity(n, counts, self._norms)

    def _count_tokens(self, text: str) -> list[str]:
        """Count the article's lines (to tell boilerplate) and its name-like tokens; RETURNS the tokens."""
        line_keys = sorted({keys.line_key(ln) for ln in keys.lines(text)})
        self.db.executemany(
            "INSERT INTO line_counts VALUES (?, 1) ON CONFLICT(line) DO UPDATE SET n = line_counts.n + 1",
            [(k,) for k in line_keys],
        )
        counts = {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT line, n FROM line_counts WHERE line" + self.db.any_of(),
                (self.db.values(line_keys),),
            )
        }
        toks = sorted(keys.tokens(text, counts))
        self.db.executemany(
            "INSERT INTO token_counts VALUES (?, 1) ON CONFLICT(token) DO UPDATE SET n = token_counts.n + 1",
            [(t,) for t in toks],
        )
        for t in toks:  # a count not read yet is read later, this article included
            if t in self._token_counts:
                self._token_counts[t] += 1
        return toks

    def _insert_article(self, article: Article, tokens: list[str]) -> None:
        self.db.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}, place, text, ingested_at, tokens)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                *_article_values(article),
                article.place,
                article.text,
                _now(),
                json.dumps(tokens, ensure_ascii=False),
            ),
        )
        self.db.execute("UPDATE ledger_counts SET n = n + 1 WHERE name = 'articles'")

    def _remove_article(self, article_id: str, why: str) -> set[str]:
        """Drop an older version of an article; RETURNS the events that lose a report."""
        rows = self.db.execute(
            "SELECT mention_id, event_id FROM mentions WHERE article_id = ?", (article_id,)
        ).fetchall()
        touched = {r["event_id"] for r in rows if r["event_id"]}
        self._norms.pop(article_id, None)  # the new version has its own tokens
        for r in rows:
            if r["event_id"]:
                self._log(r["event_id"], "report removed", None, r["mention_id"], None, f"{why} (new version)")
        if self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount:  # cascades to mentions
            self.db.execute("UPDATE ledger_counts SET n = n - 1 WHERE name = 'articles'")
        return touched

    def _insert_mention(self, article: Article, seq: int, m: Mention, vector: np.ndarray | None) -> str:
        mid = mention_id(article, seq)
        p, d = m.place, m.date
        self.db.execute(
            "INSERT INTO mentions (mention_id, article_id, seq, date_from, date_to, date_precision, country, admin1,"
            " location, latitude, longitude, geo_precision, geonameid, actor1, sub_event_type, weapons, targets,"
            " created_at, embedding, evidence, confidence, text_hash)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                mid,
                article.id,
                seq,
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
                _now(),
                to_blob(vector) if vector is not None else None,
                json.dumps(m.evidence, ensure_ascii=False, sort_keys=True),
                json.dumps(m.confidence, sort_keys=True),
                text_key(mention_text(article, m)),
            ),
        )
        for fig in m.figures.values():
            self.db.execute(
                'INSERT INTO figures (mention_id, kind, value, low, high, article_id, quote, start, "end", reported_by)'
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    mid,
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
            self.db.execute(
                'INSERT INTO sources (mention_id, article_id, quote, start, "end") VALUES (?,?,?,?,?)',
                (mid, article.id, q.text, q.start, q.end),
            )
        for claim in m.claims:
            self._insert_claim(mid, claim)
        return mid

    def _insert_claim(self, mid: str | None, c: Claim) -> None:
        self.db.execute(
            'INSERT INTO claims (mention_id, article_id, by, statement, killed, injured, disputed, quote, start, "end")'
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                mid,
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

    # -- linking -----------------------------------------------------------------------

    _ITEM_SQL = (
        "SELECT m.*, a.published, a.tokens, (SELECT value FROM figures f WHERE f.mention_id = m.mention_id"
        " AND f.kind = 'killed') AS killed, (SELECT value FROM figures f WHERE f.mention_id = m.mention_id"
        " AND f.kind = 'injured') AS injured FROM mentions m JOIN articles a ON a.id = m.article_id"
    )

    @staticmethod
    def _to_item(r: Row) -> LinkItem:
        return LinkItem(
            mention_id=r["mention_id"],
            article_id=r["article_id"],
            event_id=r["event_id"],
            published=_day(r["published"]),
            date_from=_day(r["date_from"]),
            date_to=_day(r["date_to"]),
            date_precision=r["date_precision"],
            geonameid=r["geonameid"],
            admin1=r["admin1"],
            country=r["country"],
            geo_precision=r["geo_precision"],
            latitude=r["latitude"],
            longitude=r["longitude"],
            actor1=r["actor1"],
            killed=r["killed"],
            injured=r["injured"],
            embedding=from_blob(r["embedding"]),
            tokens=frozenset(json.loads(r["tokens"])),
        )

    def _item(self, mid: str) -> LinkItem:
        return self._to_item(self.db.execute(self._ITEM_SQL + " WHERE m.mention_id = ?", (mid,)).fetchone())

    _SPAN = "julianday(date_to) - julianday(date_from)"  # a window's length in days (index mentions_span)

    def _candidates(self, item: LinkItem) -> list[LinkItem]:
        """Linked reports of other articles published within the window, or dated to the same days.

        Every part of the search is a range on an index (migration 0006), so its cost follows the
        reports near the item's dates, not the size of the ledger: articles published within
        ``window_days`` (articles_published); windows overlapping the item's that start at most
        ``_LONG_WINDOW`` days before it (mentions_window), the longer windows that start at most
        the longest stored window (mentions_span) before it (mentions_long). The same reports as a
        scan of every report finds (dates are stored as ISO days, which both SQLite and the linker
        read), in the order they were stored.
        """
        days = math.floor(linking_config()["window_days"])
        parts: list[str] = []
        args: list[Any] = []
        if item.published is not None:
            parts.append(
                "SELECT m.rowid FROM articles a JOIN mentions m ON m.article_id = a.id"
                " WHERE a.published BETWEEN ? AND ?"
            )
            args += [_shifted(item.published, -days), _shifted(item.published, days)]
        if item.date_from is not None and item.date_to is not None:
            first, last = item.date_from.isoformat(), item.date_to.isoformat()
            longest = self.db.execute(f"SELECT max({self._SPAN}) FROM mentions").fetchone()[0]
            parts += [
                f"SELECT rowid FROM mentions{self.db.indexed_by('mentions_window')}"
                " WHERE date_from BETWEEN ? AND ? AND date_to >= ?",
                f"SELECT rowid FROM mentions{self.db.indexed_by('mentions_long')} WHERE {self._SPAN} > {_LONG_WINDOW}"
                " AND date_from BETWEEN ? AND ? AND date_to >= ?",
            ]
            args += [_shifted(item.date_from, -_LONG_WINDOW), last, first]
            args += [_shifted(item.date_from, -math.ceil(max(longest or 0, 0))), last, first]
        if not parts:
            return []
        rows = self.db.execute(
            f"WITH near(id) AS ({' UNION '.join(parts)}) " + self._ITEM_SQL + " JOIN near ON near.id = m.rowid"
            " WHERE m.event_id IS NOT NULL AND m.article_id != ? ORDER BY m.rowid",
            [*args, item.article_id],
        ).fetchall()
        return [self._to_item(r) for r in rows]

    def embeddings(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of strike texts by their ``link.embed.text_key`` (those the ledger has)."""
        wanted = sorted(set(hashes))
        if not wanted:
            return {}
        rows = self.db.execute(
            "SELECT text_hash, embedding FROM mentions WHERE text_hash"
            + self.db.any_of()
            + " AND embedding IS NOT NULL",
            (self.db.values(wanted),),
        )
        return {r[0]: vec for r in rows if (vec := from_blob(r[1])) is not None}

    def _split_from(self, mid: str) -> set[str]:
        """Reports a person has split from this one."""
        rows = self.db.execute(
            "SELECT mention_a, mention_b FROM corrections WHERE action = 'split' AND (mention_a = ? OR mention_b = ?)",
            (mid, mid),
        ).fetchall()
        return {r["mention_b"] if r["mention_a"] == mid else r["mention_a"] for r in rows}

    def _kept_apart(self, candidates: Sequence[LinkItem]) -> set[frozenset[str]]:
        """Pairs of candidate events a person has split apart: never merged again."""
        event_of = {c.mention_id: c.event_id for c in candidates if c.event_id}
        if not event_of:
            return set()
        rows = self.db.execute(
            "SELECT mention_a, mention_b FROM corrections WHERE action = 'split'"
            f" AND mention_a{self.db.any_of()} AND mention_b{self.db.any_of()}",
            (self.db.values(event_of), self.db.values(event_of)),
        ).fetchall()
        return {frozenset((event_of[r[0]], event_of[r[1]])) for r in rows if event_of[r[0]] != event_of[r[1]]}

    def _record_links(self, d: Decision, now: str, prefix: str = "") -> None:
        """Keep a decision in ``links``: every candidate weighed, and the new event when it started one."""
        for c in d.candidates:
            self.db.execute(
                "INSERT INTO links (at, mention_id, event_id, chosen, score, reason, features) VALUES (?,?,?,?,?,?,?)",
                (now, d.mention_id, c.event_id, int(c.chosen), c.score, prefix + c.reason, json.dumps(c.features)),
            )
        if d.event_id is None:
            self.db.execute(
                "INSERT INTO links (at, mention_id, event_id, chosen, score, reason) VALUES (?,?,?,1,NULL,?)",
                (now, d.mention_id, event_id_of(d.mention_id), f"{prefix}new event: {d.reason}"),
            )

    def _apply(self, d: Decision, why: str) -> set[str]:
        """Record a decision and carry it out; RETURNS the events whose reports changed."""
        now = _now()
        self._record_links(d, now)
        if d.event_id is None:
            eid = event_id_of(d.mention_id)
            self._new_event(eid, now)
            self.db.execute("UPDATE mentions SET event_id = ? WHERE mention_id = ?", (eid, d.mention_id))
            self._log(eid, "created", None, None, d.mention_id, why)
            return {eid}
        self.db.execute("UPDATE mentions SET event_id = ? WHERE mention_id = ?", (d.event_id, d.mention_id))
        self._log(d.event_id, "report added", None, None, d.mention_id, f"{why}: score {d.score:.2f}, {d.reason}")
        for other in d.merge:
            self._merge_into(d.event_id, other, f"{why}: its report {d.mention_id} is about both")
        return {d.event_id}

    def _new_event(self, eid: str, now: str) -> None:
        self.db.execute(
            "INSERT INTO events (event_id, created_at, updated_at) VALUES (?,?,?) ON CONFLICT(event_id) DO NOTHING",
            (eid, now, now),
        )
        self.db.execute("DELETE FROM event_aliases WHERE old_id = ?", (eid,))

    def _merge_into(self, keep: str, gone: str, why: str) -> None:
        self.db.execute("UPDATE mentions SET event_id = ? WHERE event_id = ?", (keep, gone))
        self._log(keep, "merged", None, gone, keep, why)
        self._drop_event(gone, keep, why)

    def _drop_event(self, gone: str, into: str | None, why: str) -> None:
        self._log(gone, "deleted", None, gone, into, why)
        self.db.execute(
            "DELETE FROM event_search WHERE rowid = (SELECT search_id FROM events WHERE event_id = ?)", (gone,)
        )
        self.db.execute("DELETE FROM events WHERE event_id = ?", (gone,))
        if into:
            self.db.execute(
                "INSERT INTO event_aliases VALUES (?, ?)"
                " ON CONFLICT(old_id) DO UPDATE SET event_id = excluded.event_id",
                (gone, into),
            )
            self.db.execute("UPDATE event_aliases SET event_id = ? WHERE event_id = ?", (into, gone))

    def _refresh(self, event_ids: Iterable[str], why: str) -> None:
        """Recompute events from their reports; log what changed; regroup their waves."""
        alive = set()
        for eid in sorted(set(event_ids)):
            if self.db.execute("SELECT 1 FROM events WHERE event_id = ?", (eid,)).fetchone() is None:
                continue
            reports = self.reports(eid)
            if not reports:
                self._drop_event(eid, None, why + " (no report left)")
                continue
            # the event is named after its earliest report: a report published earlier renames it
            named = event_id_of(min(reports, key=Report.order).mention_id)
            taken = self.db.execute("SELECT 1 FROM events WHERE event_id = ?", (named,)).fetchone()
            if named != eid and not taken:
                self._new_event(named, _now())
                self.db.execute("UPDATE mentions SET event_id = ? WHERE event_id = ?", (named, eid))
                self.db.execute(
                    "UPDATE events SET summary = (SELECT summary FROM events WHERE event_id = ?) WHERE event_id = ?",
                    (eid, named),
                )
                self._log(named, "renamed", None, eid, named, why + ": an earlier report now names the event")
                self._drop_event(eid, named, why + f": renamed {named}")
                eid = named
            self._store_summary(eid, summarize(eid, reports), reports, why)
            alive.add(eid)
        self._regroup_waves(alive, why)

    def _store_summary(self, eid: str, event: Event, reports: Sequence[Report], why: str) -> None:
        row = self.db.execute("SELECT summary, wave_id FROM events WHERE event_id = ?", (eid,)).fetchone()
        old = json.loads(row["summary"])
        event.wave_id = row["wave_id"]
        new = summary_of(event)
        for key, value in new.items():
            # a new event's first values are in its 'created' row's event, not one row each
            if old and key != "wave_id" and old.get(key) != value:
                self._log(eid, "changed", key, old.get(key), value, why)
        self.db.execute(
            "UPDATE events SET summary = ?, updated_at = ? WHERE event_id = ?",
            (json.dumps(new, ensure_ascii=False), _now(), eid),
        )
        self._write_row(event, reports)

    def _write_row(self, event: Event, reports: Sequence[Report]) -> None:
        """Keep the event's full record, the columns the filters read and its search text (the fast read path)."""
        eid = event.event_id
        self.db.execute(
            "UPDATE events SET body = ?, sort_key = ?, date_from = ?, date_to = ?, country = ?, admin1 = ?,"
            " location = ?, actor1 = ?, sub_event_type = ?, killed = ?, latitude = ?, longitude = ?,"
            " type_name = ?, place_name = ? WHERE event_id = ?",
            (
                json_text(event.to_row()),
                event.date_from or UNDATED,
                event.date_from,
                event.date_to,
                *[_lower(getattr(event, name)) for name in TEXT_FILTERS],  # matched whole, in any case
                event.killed,
                *point_columns(event),  # the map's columns (store/views.py)
                eid,
            ),
        )
        self.db.execute("DELETE FROM event_weapons WHERE event_id = ?", (eid,))
        weapons = dict.fromkeys(w.lower() for w in event.weapons)
        self.db.executemany("INSERT INTO event_weapons VALUES (?, ?)", [(eid, w) for w in weapons])
        places = [event.location, event.admin1, event.country]
        places += [r.fields.get(k) for r in reports for k in ("location", "admin1")]
        quotes = [q.text for r in reports for q in r.quotes]
        search = "\n".join(dict.fromkeys(t for t in [*places, *quotes] if t)).lower()
        sid = self.db.execute("SELECT search_id FROM events WHERE event_id = ?", (eid,)).fetchone()[0]
        if sid is None:  # its row in event_search, for good (writers are serialized: max + 1 is free)
            sid = self.db.execute("SELECT coalesce(max(search_id), 0) + 1 FROM events").fetchone()[0]
            self.db.execute("UPDATE events SET search_id = ? WHERE event_id = ?", (sid, eid))
        self.db.execute("DELETE FROM event_search WHERE rowid = ?", (sid,))
        self.db.execute("INSERT INTO event_search (rowid, event_id, search) VALUES (?, ?, ?)", (sid, eid, search))

    def _fill_event_rows(self) -> None:
        """Events stored before their rows were kept (migration 0007) get them now, once."""
        if self.db.execute("SELECT 1 FROM events WHERE body IS NULL LIMIT 1").fetchone() is None:
            return
        with self.db.write():
            for r in self.db.execute("SELECT event_id, wave_id FROM events WHERE body IS NULL").fetchall():
                reports = self.reports(r[0])
                self._write_row(summarize(r[0], reports, r[1]), reports)

    def _regroup_waves(self, event_ids: set[str], why: str) -> None:
        """Events of one barrage (same day, same perpetrator, reported together) share a wave_id."""
        if not event_ids:
            return
        # the touched events, the events reported beside them, and their old wave mates
        marks = ",".join("?" * len(event_ids))
        ids = list(event_ids)
        near = {
            r[0]
            for r in self.db.execute(
                f"SELECT DISTINCT m2.event_id FROM mentions m1 JOIN mentions m2 ON m2.article_id = m1.article_id"
                f" WHERE m1.event_id IN ({marks})",
                ids,
            )
            if r[0]
        }
        near |= {
            r[0]
            for r in self.db.execute(
                "SELECT event_id FROM events WHERE wave_id IN"
                f" (SELECT wave_id FROM events WHERE event_id IN ({marks}))",
                ids,
            )
        }
        near |= event_ids
        marks = ",".join("?" * len(near))
        summaries = {
            r["event_id"]: (json.loads(r["summary"]), r["wave_id"])
            for r in self.db.execute(
                f"SELECT event_id, summary, wave_id FROM events WHERE event_id IN ({marks})", list(near)
            )
        }
        articles: dict[str, set[str]] = {e: set() for e in summaries}
        for r in self.db.execute(f"SELECT event_id, article_id FROM mentions WHERE event_id IN ({marks})", list(near)):
            articles[r["event_id"]].add(r["article_id"])
        waves = wave_groups({e: s for e, (s, _) in summaries.items()}, articles)
        for eid, (_, old_wave) in summaries.items():
            wave = waves.get(eid)
            if wave != old_wave:
                body = self.db.execute("SELECT body FROM events WHERE event_id = ?", (eid,)).fetchone()[0]
                row = json_text({**json.loads(body), "wave_id": wave}) if body else None
                self.db.execute("UPDATE events SET wave_id = ?, body = ? WHERE event_id = ?", (wave, row, eid))
                self._log(eid, "changed", "wave_id", old_wave, wave, why)

    def _log(self, eid: str, action: str, field: str | None, old: Any, new: Any, why: str) -> None:
        self.db.execute(
            "INSERT INTO changes (at, event_id, action, field, old, new, why) VALUES (?,?,?,?,?,?,?)",
            (_now(), eid, action, field, _json(old), _json(new), why),
        )

    # -- a person's corrections --------------------------------------------------------

    def resolve(self, event_id: str) -> str:
        """The current id of an event (an id merged away leads to the event it went into)."""
        if self.db.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone():
            return event_id
        row = self.db.execute("SELECT event_id FROM event_aliases WHERE old_id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"{self.path}: no event {event_id}")
        return str(row[0])

    def merge(self, keep: str, other: str, by: str) -> str:
        """A person says two events are one strike; RETURNS the merged event's id."""
        keep, other = self.resolve(keep), self.resolve(other)
        if keep == other:
            raise WarledgerError(f"{self.path}: {keep} and {other} are already one event")
        a = self.mention_ids(keep)
        b = self.mention_ids(other)
        shared = self._articles(keep) & self._articles(other)
        if shared:
            raise WarledgerError(
                f"{self.path}: cannot merge {keep} and {other}: article {sorted(shared)[0]} reports them as two strikes"
            )
        why = f"merged by {by}"
        with self.db.write():
            now = _now()
            self.db.execute(
                "INSERT INTO corrections (at, action, mention_a, mention_b, by) VALUES (?,?,?,?,?)",
                (now, "merge", a[0], b[0], by),
            )
            both = self.db.values(a + b)
            self.db.execute(
                f"DELETE FROM corrections WHERE action = 'split' AND mention_a{self.db.any_of()}"
                f" AND mention_b{self.db.any_of()}",
                (both, both),
            )
            self._merge_into(keep, other, why)
            self._refresh([keep], why)
        return self.resolve(keep)

    def split(self, event_id: str, article_id: str, by: str) -> str:
        """A person says an article's report is not about this event; RETURNS its new event's id."""
        eid = self.resolve(event_id)
        rows = self.db.execute(
            "SELECT mention_id FROM mentions WHERE event_id = ? AND article_id = ?", (eid, article_id)
        ).fetchall()
        if not rows:
            raise WarledgerError(f"{self.path}: article {article_id} is not a report of event {eid}")
        moving = [r[0] for r in rows]
        staying = [m for m in self.mention_ids(eid) if m not in moving]
        if not staying:
            raise WarledgerError(
                f"{self.path}: article {article_id} is the only report of event {eid}: nothing to split"
            )
        why = f"split by {by}"
        with self.db.write():
            now = _now()
            for m in moving:
                for s in staying:
                    self.db.execute(
                        "INSERT INTO corrections (at, action, mention_a, mention_b, by) VALUES (?,?,?,?,?)",
                        (now, "split", m, s, by),
                    )
            new_id = event_id_of(min(moving))
            if new_id == eid:  # the event was named after this report: the rest is renamed below
                new_id = "ev-" + hashlib.sha1(f"split:{eid}:{min(moving)}".encode()).hexdigest()[:12]
            self._new_event(new_id, now)
            self.db.execute(
                f"UPDATE mentions SET event_id = ? WHERE mention_id IN ({','.join('?' * len(moving))})",
                [new_id, *moving],
            )
            self._log(eid, "split", None, article_id, new_id, why)
            self._log(new_id, "created", None, None, moving[0], f"{why}: article {article_id} taken out of {eid}")
            self._refresh([eid], why)
            self._refresh([new_id], why)
            new_id = self.resolve(new_id)
        return new_id

    def mention_ids(self, eid: str) -> list[str]:
        """The stored reports of one event."""
        rows = self.db.execute("SELECT mention_id FROM mentions WHERE event_id = ? ORDER BY mention_id", (eid,))
        return [r[0] for r in rows]

    def _articles(self, eid: str) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT article_id FROM mentions WHERE event_id = ?", (eid,))}

    # -- reading -----------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        return {
            t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "mentions", "events", "figures", "claims", "changes", "skipped")
        }

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One stored article's row (text, outlet, url, published, ...), or None."""
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else {k: row[k] for k in row.keys()}

    def _longest(self, flt: EventFilter) -> float | None:
        """With a date filter: the longest stored window in days, which bounds it (index events_span)."""
        if not flt.date_from:
            return None
        return float(self.db.execute(f"SELECT max({self._SPAN}) FROM events").fetchone()[0] or 0)

    def _where(self, flt: EventFilter | None, walk: bool = False) -> tuple[str, list[Any]]:
        flt = flt or EventFilter()
        return flt.where(self._longest(flt), self.db.dialect, walk)

    def event_ids(self, flt: EventFilter | None = None) -> list[str]:
        """Ids of the events ``flt`` matches (all without one), oldest first, undated last."""
        where, args = self._where(flt)
        return [r[0] for r in self.db.execute("SELECT e.event_id FROM events e" + where + ORDER, args)]

    def count_events(self, flt: EventFilter | None = None) -> int:
        """How many events ``flt`` matches."""
        flt = flt or EventFilter()
        sql, args = flt.count(self._longest(flt), self.db.dialect)
        return int(self.db.execute(sql, args).fetchone()[0])

    def find_events(
        self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> tuple[int, list[Event]]:
        """How many events match, and one page of them (all from ``offset`` without ``limit``), read from their rows."""
        total, rows = self.event_rows(flt, limit, offset)
        return total, [_event(r) for r in rows]

    def event_rows(
        self, flt: EventFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> tuple[int, list[str]]:
        """As ``find_events``, each event as its stored export row: JSON text (``records.json_text``)."""
        with self.db.snapshot():
            total = self.count_events(flt)
            where, args = self._where(flt, walk=limit is not None and total > _WALK_ABOVE)
            if limit is None:
                rows = self.db.execute("SELECT e.body FROM events e" + where + ORDER, args).fetchall()
                return total, [r[0] for r in rows[offset:]]
            # the page's ids first, then their records: rows skipped or sorted are never read whole.
            # Many matches: walk the events in order and keep the first that match (SQLite's
            # planner would rather fetch every match and sort them); few: fetch them and sort.
            many = total > _WALK_ABOVE and self.db.indexed_by("events_order")
            ids = [
                r[0]
                for r in self.db.execute(
                    f"SELECT e.event_id FROM events e{many or ''}" + where + ORDER + " LIMIT ? OFFSET ?",
                    [*args, limit, offset],
                )
            ]
            body = {
                r[0]: r[1]
                for r in self.db.execute(
                    "SELECT event_id, body FROM events WHERE event_id" + self.db.any_of(), (self.db.values(ids),)
                )
            }
        return total, [body[e] for e in ids]

    # -- the web page's reads (views.py): columns of events, never every event's record --

    def points(self, flt: EventFilter | None = None) -> list[views.Point]:
        """Every event ``flt`` matches as the map draws it (located or not), in ledger order."""
        return views.points(self.db, *self._where(flt))

    def days(self, flt: EventFilter | None = None) -> list[views.Day]:
        """Events and killed per day of the events ``flt`` matches, oldest first (undated left out)."""
        return views.days(self.db, *self._where(flt))

    def day_span(self) -> tuple[str | None, str | None]:
        """The first and the last event day of the whole ledger (None, None when no event is dated)."""
        return views.day_span(self.db)

    def facets(self, flt: EventFilter | None = None) -> dict[str, list[tuple[str, int]]]:
        """Per filter of ``views.FACETS``: the values the OTHER filters of ``flt`` leave, as written,
        each with its count of events."""
        flt = flt or EventFilter()
        with self.db.snapshot():
            return views.facets(self.db, {name: self._where(views.without(flt, name)) for name in views.FACETS})

    def cursor(self) -> int:
        """The change log's last id: it grows with every change to an event (0: none yet)."""
        return views.cursor(self.db)

    def changed_after(self, after: int, limit: int = views.CHANGES_PAGE) -> tuple[int, list[str], bool]:
        """(the cursor this answer reads up to, the events changed after ``after``, whether more follow)."""
        return views.changed_after(self.db, after, limit)

    def reports(self, eid: str) -> list[Report]:
        """The stored reports (mentions) of one event, with their figures, quotes and claims."""
        rows = self.db.execute(
            "SELECT m.*, a.outlet, a.published, a.url, a.language FROM mentions m"
            " JOIN articles a ON a.id = m.article_id WHERE m.event_id = ?",
            (eid,),
        ).fetchall()
        out = []
        for r in rows:
            mid = r["mention_id"]
            fields = {c: r[c] for c in _FIELD_COLUMNS}
            fields["weapons"] = json.loads(r["weapons"])
            fields["targets"] = json.loads(r["targets"])
            figures = [
                Figure(
                    f["kind"],
                    f["value"],
                    f["low"],
                    f["high"],
                    Quote(f["article_id"], f["quote"], f["start"], f["end"]),
                    f["reported_by"],
                )
                for f in self.db.execute("SELECT * FROM figures WHERE mention_id = ? ORDER BY id", (mid,))
            ]
            quotes = [
                Quote(q["article_id"], q["quote"], q["start"], q["end"])
                for q in self.db.execute("SELECT * FROM sources WHERE mention_id = ? ORDER BY start", (mid,))
            ]
            claims = [
                Claim(
                    c["by"],
                    c["statement"],
                    c["killed"],
                    c["injured"],
                    bool(c["disputed"]),
                    Quote(c["article_id"], c["quote"], c["start"], c["end"]),
                )
                for c in self.db.execute("SELECT * FROM claims WHERE mention_id = ? ORDER BY id", (mid,))
            ]
            out.append(
                Report(
                    mid,
                    r["article_id"],
                    r["seq"],
                    r["outlet"],
                    r["published"],
                    r["url"],
                    fields,
                    figures,
                    quotes,
                    claims,
                    json.loads(r["evidence"]),
                    json.loads(r["confidence"]),
                    r["language"],
                )
            )
        return out

    def events(self, flt: EventFilter | None = None) -> Iterator[Event]:
        """Every event ``flt`` matches (all without one), oldest first (undated last), as export rows."""
        where, args = self._where(flt)
        for r in self.db.execute("SELECT e.body FROM events e" + where + ORDER, args).fetchall():
            yield _event(r[0])

    def event(self, event_id: str) -> Event | None:
        """One event as stored (None when there is none by that id: see ``resolve`` for merged ids)."""
        row = self.db.execute("SELECT body FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return None if row is None or row[0] is None else _event(row[0])

    def rebuild(self, event_id: str) -> Event | None:
        """One event recomputed from its reports now, as its row is stored (what the row must equal)."""
        row = self.db.execute("SELECT wave_id FROM events WHERE event_id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        return _event(json_text(summarize(event_id, self.reports(event_id), row["wave_id"]).to_row()))

    def event_of_mentions(self) -> dict[str, str]:
        """mention id -> event id, for every linked report."""
        return {r[0]: r[1] for r in self.db.execute("SELECT mention_id, event_id FROM mentions")}

    def article_events(self) -> dict[str, list[str]]:
        """article id -> the events it reports, in its reading order."""
        out: dict[str, list[str]] = {}
        for r in self.db.execute("SELECT article_id, event_id FROM mentions ORDER BY article_id, seq"):
            out.setdefault(r[0], []).append(r[1])
        return out

    def mention_tolls(self) -> list[tuple[str, int, str, int | None, int | None]]:
        """(article, position, event, killed, injured) of every report, as that report gives them."""
        rows = self.db.execute(
            "SELECT m.article_id, m.seq, m.event_id,"
            " (SELECT value FROM figures f WHERE f.mention_id = m.mention_id AND f.kind = 'killed'),"
            " (SELECT value FROM figures f WHERE f.mention_id = m.mention_id AND f.kind = 'injured')"
            " FROM mentions m ORDER BY m.article_id, m.seq"
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]

    def changes(self, event_id: str | None = None, since: str | None = None) -> list[Change]:
        """The change log, oldest first: of one event (and the ids merged into it) or since a time."""
        sql, args = "SELECT * FROM changes WHERE 1=1", []
        if event_id is not None:
            ids = [event_id] + [
                r[0] for r in self.db.execute("SELECT old_id FROM event_aliases WHERE event_id = ?", (event_id,))
            ]
            sql += f" AND event_id IN ({','.join('?' * len(ids))})"
            args += ids
        if since is not None:
            sql += " AND at > ?"
            args.append(since)
        rows = self.db.execute(sql + " ORDER BY id", args).fetchall()
        return [
            Change(
                r["at"],
                r["event_id"],
                r["action"],
                r["field"],
                json.loads(r["old"]) if r["old"] is not None else None,
                json.loads(r["new"]) if r["new"] is not None else None,
                r["why"],
            )
            for r in rows
        ]

    def last_changed(self) -> dict[str, str]:
        """Each event's id -> when it last changed (its latest change-log time, ISO 8601 UTC): an
        event is in ``changed_since(t)`` exactly when this is after ``t``."""
        rows = self.db.execute(
            "SELECT c.event_id, max(c.at) FROM changes c JOIN events e ON e.event_id = c.event_id GROUP BY c.event_id"
        )
        return {r[0]: r[1] for r in rows}

    def changed_since(self, since: str) -> tuple[list[Event], list[dict[str, Any]]]:
        """Events changed after ``since`` (ISO 8601, UTC when no zone is given) and those deleted since."""
        try:
            when = datetime.fromisoformat(since)
        except ValueError:
            raise WarledgerError(f"since {since!r}: not an ISO 8601 time (e.g. 2025-06-24T18:00:00)") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        at = when.astimezone(UTC).isoformat(timespec="microseconds")
        changes = self.changes(since=at)
        live = set(self.event_ids())
        events = [
            e
            for eid in dict.fromkeys(c.event_id for c in changes if c.event_id in live)
            if (e := self.event(eid)) is not None
        ]
        deleted = []
        for c in changes:
            if c.action == "deleted" and c.event_id not in live:
                into = self.resolve(c.new) if isinstance(c.new, str) and c.new else None
                deleted.append({"event_id": c.event_id, "deleted": True, "at": c.at, "merged_into": into, "why": c.why})
        return events, deleted

    def links(self, event_id: str) -> list[dict[str, Any]]:
        """Every linking decision that names this event or one of its reports, oldest first."""
        rows = self.db.execute(
            "SELECT * FROM links WHERE event_id = ?"
            " OR mention_id IN (SELECT mention_id FROM mentions WHERE event_id = ?) ORDER BY id",
            (event_id, event_id),
        ).fetchall()
        return [{k: r[k] for k in r.keys()} for r in rows]

    # -- API tokens (only their sha256 is kept: see api.tokens) --------------------------

    def add_token(self, name: str, token_hash: str) -> None:
        """Keep a new token's hash under ``name``; WarledgerError when the name is taken."""
        try:
            with self.db.write():
                self.db.execute(
                    "INSERT INTO api_tokens (name, hash, created_at) VALUES (?, ?, ?)",
                    (name, token_hash, datetime.now(UTC).isoformat(timespec="seconds")),
                )
        except self.db.integrity_errors:
            raise WarledgerError(f"{self.path}: a token named {name!r} exists already") from None

    def has_token(self, token_hash: str) -> bool:
        """True when a token with this hash is stored (compared in constant time with every stored
        hash: a lookup by index would answer faster for a near hash)."""
        rows = self.db.execute("SELECT hash FROM api_tokens").fetchall()
        return any([hmac.compare_digest(token_hash.encode(), r["hash"].encode()) for r in rows])

    def token_used(self, token_hash: str) -> None:
        """Record now as the last use of the stored token with this hash (none stored: nothing)."""
        with self.db.write():
            self.db.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE hash = ?",
                (datetime.now(UTC).isoformat(timespec="seconds"), token_hash),
            )

    def tokens(self) -> list[dict[str, str | None]]:
        """The stored tokens' names, creation and last-use times (None: never used; never their
        hashes), by name."""
        rows = self.db.execute("SELECT name, created_at, last_used_at FROM api_tokens ORDER BY name").fetchall()
        return [{"name": r["name"], "created_at": r["created_at"], "last_used_at": r["last_used_at"]} for r in rows]

    def revoke_token(self, name: str) -> bool:
        """Forget the token named ``name``; RETURNS False when there is none."""
        with self.db.write():
            gone = self.db.execute("DELETE FROM api_tokens WHERE name = ?", (name,)).rowcount
        return bool(gone)

    # -- followed feeds and watched folders (ingest/feeds) ---------------------------------
    # An item or a file is marked only after its article is stored (the caller's order of
    # writes), so a follower killed in between reads it again, and its hash changes nothing.

    def stored_id(self, article: Article) -> str | None:
        """The id under which this exact text is stored (maybe another article's), or None."""
        row = self.db.execute("SELECT id FROM articles WHERE hash = ?", (article.hash,)).fetchone()
        return None if row is None else str(row[0])

    def feed_state(self, name: str) -> FeedState | None:
        """What the ledger holds of a followed source, or None before its first poll."""
        row = self.db.execute("SELECT * FROM feed_sources WHERE name = ?", (name,)).fetchone()
        return None if row is None else FeedState(**{k: row[k] for k in row.keys()})

    def save_feed_state(self, state: FeedState) -> None:
        """Keep a source's state after a poll (all of it, replacing what was kept)."""
        values = asdict(state)
        names = list(values)
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        with self.db.write():
            self.db.execute(
                f"INSERT INTO feed_sources ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
                f" ON CONFLICT(name) DO UPDATE SET {updates}",
                list(values.values()),
            )

    @staticmethod
    def _seen(row: Row) -> SeenItem:
        return SeenItem(
            source=row["source"],
            key=row["item_key"],
            link=row["link"],
            status=row["status"],
            title=row["title"],
            feed_published=row["feed_published"],
            article_id=row["article_id"],
            attempts=row["attempts"],
            problem=row["problem"],
            at=row["at"],
        )

    def seen_items(self, source: str, item_keys: Iterable[str]) -> dict[str, SeenItem]:
        """The items of ``item_keys`` a source has seen already, by key."""
        item_keys = list(item_keys)
        if not item_keys:
            return {}
        rows = self.db.execute(
            "SELECT * FROM feed_items WHERE source = ? AND item_key" + self.db.any_of(),
            (source, self.db.values(item_keys)),
        )
        return {r["item_key"]: self._seen(r) for r in rows}

    def failed_items(self, source: str) -> list[SeenItem]:
        """A source's items whose page failed (to try again), oldest first."""
        rows = self.db.execute(
            "SELECT * FROM feed_items WHERE source = ? AND status = 'failed' ORDER BY at, item_key", (source,)
        )
        return [self._seen(r) for r in rows]

    def item_with_link(self, link: str) -> SeenItem | None:
        """An item of any source whose page at ``link`` is stored, or None."""
        row = self.db.execute(
            "SELECT * FROM feed_items WHERE link = ? AND status IN ('stored', 'duplicate')"
            " AND article_id IS NOT NULL ORDER BY at LIMIT 1",
            (link,),
        ).fetchone()
        return None if row is None else self._seen(row)

    def mark_item(self, item: SeenItem) -> None:
        """Remember what became of a feed item (replacing what was remembered of it)."""
        if item.status not in ITEM_STATUSES:
            raise ValueError(f"unknown feed item status {item.status!r}")
        item.at = _now()
        with self.db.write():
            self.db.execute(
                "INSERT INTO feed_items (source, item_key, link, title, feed_published, article_id, status,"
                " attempts, problem, at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(source, item_key) DO UPDATE SET"
                " link = excluded.link, title = excluded.title, feed_published = excluded.feed_published,"
                " article_id = excluded.article_id, status = excluded.status, attempts = excluded.attempts,"
                " problem = excluded.problem, at = excluded.at",
                (
                    item.source,
                    item.key,
                    item.link,
                    item.title,
                    item.feed_published,
                    item.article_id,
                    item.status,
                    item.attempts,
                    item.problem,
                    item.at,
                ),
            )

    def feed_items(self, source: str | None = None) -> list[SeenItem]:
        """Every remembered feed item (of one source), in the order they were last marked."""
        sql, args = "SELECT * FROM feed_items", []
        if source is not None:
            sql, args = sql + " WHERE source = ?", [source]
        return [self._seen(r) for r in self.db.execute(sql + " ORDER BY at, source, item_key", args)]

    def watched_file(self, path: str, content_hash: str) -> str | None:
        """What became of this file with this content (its status), or None when never read."""
        row = self.db.execute(
            "SELECT status FROM watched_files WHERE path = ? AND hash = ?", (path, content_hash)
        ).fetchone()
        return None if row is None else str(row[0])

    def mark_file(self, path: str, content_hash: str, status: str, articles: int, problem: str | None) -> None:
        """Remember that a watched file with this content was read (status ``read`` or ``bad``)."""
        with self.db.write():
            self.db.execute(
                "INSERT INTO watched_files (path, hash, status, articles, problem, at) VALUES (?,?,?,?,?,?)"
                " ON CONFLICT(path, hash) DO UPDATE SET status = excluded.status, articles = excluded.articles,"
                " problem = excluded.problem, at = excluded.at",
                (path, content_hash, status, articles, problem, _now()),
            )

    def loose_claims(self) -> list[dict[str, Any]]:
        """Claims an article makes that are tied to no single strike."""
        rows = self.db.execute("SELECT * FROM claims WHERE mention_id IS NULL ORDER BY id").fetchall()
        return [{k: r[k] for k in r.keys()} for r in rows]
