"""One connection to the ledger database, SQLite or PostgreSQL, with one way to speak to both.

    db = connect("ledger.db")                       # or "postgresql://user@host:5432/ledger"
    with db.write():                                # the ledger's one write lock, one transaction
        db.execute("UPDATE events SET wave_id = ? WHERE event_id = ?", (wave, eid))
    rows = db.execute("SELECT * FROM events WHERE event_id " + db.any_of(), (db.values(ids),)).fetchall()

The store's SQL is written once, with ``?`` placeholders, in the subset both databases share;
the few differences are here (``any_of``, ``indexed_by``) and in the migrations. Rows answer to
``row[0]`` and ``row["name"]`` on both.

Writers are serialized. On SQLite ``write()`` is ``BEGIN IMMEDIATE`` (WAL journal, so readers
never wait), retried while another process holds the lock; on PostgreSQL it is a transaction
holding an advisory lock, so two writers never both decide that a strike starts a new event.
Only the linking of one article at a time is serialized: extraction, the slow part, is not.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ..errors import StoreError

DEFAULT_DB = "warledger.db"
URL_SCHEMES = ("postgresql://", "postgres://")
# how long a writer waits for the lock before it gives up with an error (another writer holds it)
LOCK_WAIT_SECONDS = 600.0
_ADVISORY_KEY = 0x77_6C_65_64  # "wled": the ledger's write lock on PostgreSQL


def is_url(db: str | os.PathLike[str]) -> bool:
    """True for a PostgreSQL URL, False for a SQLite path."""
    return isinstance(db, str) and db.startswith(URL_SCHEMES)


def resolve_db(db: str | os.PathLike[str] | None = None) -> str | Path:
    """``--db`` if given, else ``$WARLEDGER_DB``, else ``warledger.db``: a URL as is, a path as a Path."""
    value = db or os.environ.get("WARLEDGER_DB") or DEFAULT_DB
    return str(value) if is_url(value) else Path(value)


def shown(db: str | os.PathLike[str]) -> str:
    """How a database is named in messages: a path, or a URL without its password."""
    return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", str(db))


class Row(Protocol):
    def __getitem__(self, key: int | str) -> Any: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Database:
    """What the store needs of a connection; ``SqliteDatabase`` and ``PostgresDatabase`` give it."""

    dialect: str
    name: str  # the path or URL, as shown in messages
    errors: tuple[type[BaseException], ...]  # the driver's errors, turned into StoreError by the store
    integrity_errors: tuple[type[BaseException], ...]

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def write(self) -> Iterator[None]:
        """One transaction holding the ledger's write lock: committed on success, else rolled back."""
        raise NotImplementedError
        yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one state of the ledger (no writer's commit lands between them)."""
        raise NotImplementedError
        yield

    def close(self) -> None:
        raise NotImplementedError

    def any_of(self) -> str:
        """``IN``-list over one bound argument (pass ``values(list)``): ``col + any_of()``."""
        raise NotImplementedError

    def values(self, items: Iterable[Any]) -> Any:
        """The bound argument ``any_of`` takes."""
        raise NotImplementedError

    def indexed_by(self, index: str) -> str:
        """An index hint where the database takes one (SQLite), else nothing."""
        return ""


class SqliteDatabase(Database):
    dialect = "sqlite"
    errors = (sqlite3.Error,)
    integrity_errors = (sqlite3.IntegrityError,)

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        # autocommit (isolation_level None): transactions are only those write() / snapshot() open
        self.conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        # WAL: readers never block the writer, and a commit need not wait for the disk
        # (synchronous=NORMAL keeps the database consistent; only the last commits can be
        # lost to a power cut, never to a crash of the process)
        self._retry(lambda: self.conn.execute("PRAGMA journal_mode = WAL"))
        self.conn.execute("PRAGMA synchronous = NORMAL")

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        return self.conn.execute(sql, args)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def _retry(self, step: Any) -> Any:
        """Run ``step`` again while another process holds the lock, up to LOCK_WAIT_SECONDS."""
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return step()
            except sqlite3.OperationalError as exc:
                busy = "locked" in str(exc) or "busy" in str(exc)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.01, 0.1))

    @contextmanager
    def write(self) -> Iterator[None]:
        # IMMEDIATE: the write lock is taken before the first read, so what linking reads cannot
        # change before it writes (a deferred transaction would fail to upgrade under a writer)
        self._retry(lambda: self.conn.execute("BEGIN IMMEDIATE"))
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.rollback()
            raise
        if self.conn.in_transaction:
            self._retry(self.conn.commit)

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.rollback()

    def close(self) -> None:
        self.conn.close()

    def any_of(self) -> str:
        return " IN (SELECT value FROM json_each(?))"

    def values(self, items: Iterable[Any]) -> Any:
        return json.dumps(list(items), ensure_ascii=False)

    def indexed_by(self, index: str) -> str:
        return f" INDEXED BY {index}"


@lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PgRow:
    """A row that answers to an index and to a column name, like ``sqlite3.Row``."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[key if isinstance(key, int) else self._index[key]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)


class PostgresDatabase(Database):
    dialect = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg

        self.name = shown(url)
        self.errors = (psycopg.Error,)
        self.integrity_errors = (psycopg.IntegrityError,)
        self.conn = psycopg.connect(url, autocommit=True, row_factory=self._row_factory)

    @staticmethod
    def _row_factory(cursor: Any) -> Any:
        index = {c.name: i for i, c in enumerate(cursor.description or ())}
        return lambda values: _PgRow(values, index)

    def execute(self, sql: str, args: Sequence[Any] = ()) -> Cursor:
        if not args:  # no placeholders: the statement as written (a literal % stays one)
            return self.conn.execute(sql)  # type: ignore[arg-type, return-value]
        return self.conn.execute(_pg_sql(sql), list(args))  # type: ignore[arg-type, return-value]

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [list(r) for r in rows]
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(_pg_sql(sql), rows)  # type: ignore[arg-type]

    @contextmanager
    def write(self) -> Iterator[None]:
        with self.conn.transaction():
            self.conn.execute(f"SET LOCAL lock_timeout = '{int(LOCK_WAIT_SECONDS)}s'")
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (_ADVISORY_KEY,))
            yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        if self.conn.info.transaction_status != 0:  # inside write(): one transaction already
            yield
            return
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    def close(self) -> None:
        self.conn.close()

    def any_of(self) -> str:
        return " = ANY(?)"

    def values(self, items: Iterable[Any]) -> Any:
        return list(items)


def connect(db: str | os.PathLike[str]) -> Database:
    """Open a SQLite file or a PostgreSQL URL; StoreError when it cannot be opened."""
    try:
        if is_url(db):
            return PostgresDatabase(str(db))
        return SqliteDatabase(Path(db))
    except StoreError:
        raise
    except Exception as exc:  # the drivers' own errors: sqlite3.Error, psycopg.Error
        raise StoreError(f"{shown(db)}: cannot open the ledger database ({exc})") from exc
