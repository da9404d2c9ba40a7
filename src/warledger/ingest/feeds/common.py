"""What following feeds and watching a folder share: storing a batch of articles with one reader."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

from warledger.errors import WarledgerError
from warledger.nlp.pipeline import ArticleReader
from warledger.records import Article
from warledger.store import Ledger

ReaderSource = ArticleReader | Callable[[], ArticleReader] | None


@dataclass(slots=True)
class Batch:
    """What storing a batch did: the id each article is now stored under (None: not stored),
    which of them the relevance gate skipped (recorded in the ledger, not stored: ``warledger
    skipped``), how many were new to the ledger, and one line per problem."""

    ids: list[str | None] = field(default_factory=list)
    skipped: list[bool] = field(default_factory=list)
    added: int = 0
    problems: list[str] = field(default_factory=list)


class Ingester:
    """Extracts and stores batches of articles, loading the nlp stage on first use (10-20 s).

    ``reader``: a loaded reader, or a function giving one (``serve`` shares the API's); ``lock``:
    held while extracting, so that the API and the follower never use one reader at once.
    """

    def __init__(self, reader: ReaderSource = None, lock: threading.Lock | None = None) -> None:
        self._reader = reader
        self._loaded: ArticleReader | None = reader if isinstance(reader, ArticleReader) else None
        self.lock: AbstractContextManager[object] = lock if lock is not None else nullcontext()

    def reader(self) -> ArticleReader:
        if self._loaded is None:
            if callable(self._reader):
                self._loaded = self._reader()
            else:
                from warledger.ledger import article_reader

                self._loaded = article_reader()
        return self._loaded

    def store(self, store: Ledger, articles: Sequence[Article]) -> Batch:
        """Extract and store ``articles``. What is stored is read back from the ledger, so an
        article stored before (by its text's hash) counts as stored."""
        from warledger.ledger import ingest_articles

        batch = Batch()
        if articles:
            with self.lock:
                try:
                    report = ingest_articles(articles, store, reader=self.reader())
                    batch.added = report.added
                    batch.problems = [str(p) for p in report.problems]
                except WarledgerError as exc:
                    batch.problems = [str(exc)]
                except Exception as exc:  # one batch the nlp stage trips on must not stop the follower
                    batch.problems = [f"could not extract and store the batch ({type(exc).__name__}: {exc})"]
        batch.skipped = [store.has_skipped(a) for a in articles]
        pairs = zip(articles, batch.skipped, strict=True)
        batch.ids = [a.id if skipped else store.stored_id(a) for a, skipped in pairs]
        return batch
