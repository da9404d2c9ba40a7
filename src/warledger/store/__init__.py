"""store stage: the ledger database (SQLite by default)."""

from .sqlite import DEFAULT_DB, Store, resolve_db_path

__all__ = ["DEFAULT_DB", "Store", "resolve_db_path"]
