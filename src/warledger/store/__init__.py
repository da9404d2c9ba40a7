"""store stage: the ledger database, SQLite (the default) or PostgreSQL, behind one interface.

    with Store("ledger.db") as ledger:          # or Store("postgresql://user@host/db")
        total, page = ledger.find_events(EventFilter(country="Ukraine"), limit=50)

``Ledger`` (base.py) is what callers may use; ``Store`` (sql.py) gives it on both databases, whose
differences stay in db.py and migrations.py. No SQL is written outside this package.
"""

from typing import TYPE_CHECKING

from .base import Ledger
from .db import DEFAULT_DB, is_url
from .query import FILTER_PARAMS, TEXT_FILTERS, EventFilter, FilterError
from .sql import Change, FeedState, SeenItem, SkippedArticle, Store, resolve_db_path
from .views import FACETS, Day, Point

if TYPE_CHECKING:  # mypy checks that Store gives everything Ledger promises
    _store_is_a_ledger: type[Ledger] = Store

__all__ = [
    "DEFAULT_DB",
    "FACETS",
    "FILTER_PARAMS",
    "TEXT_FILTERS",
    "Change",
    "Day",
    "EventFilter",
    "FeedState",
    "FilterError",
    "Ledger",
    "SeenItem",
    "SkippedArticle",
    "Point",
    "Store",
    "is_url",
    "resolve_db_path",
]
