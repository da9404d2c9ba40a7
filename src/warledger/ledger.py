"""The main job, stage by stage: ingest -> nlp (+ geo) -> link -> store.

    report = ingest_paths(["../shared/corpus/seeds"], store)

Each article is read, its strikes extracted and placed, embedded for linking, and stored in one
transaction in which every strike is linked to the event it reports (or starts one); a bad file
is reported and skipped, never half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

import numpy as np

from .errors import WarledgerError
from .geo import Gazetteer
from .ingest import read_paths
from .link import decide
from .link.embed import DIM, Embedder, mention_text, text_key
from .nlp.pipeline import ArticleFacts, ArticleReader
from .records import Article
from .store import Ledger

# ingest with linking is a pipeline: the strike texts of a batch of EMBED_BATCH articles are
# embedded by EMBED_THREADS threads (each with a model of its own and its share of the cores,
# link/embed.py) while the next batch is read and the one before is stored and linked
EMBED_BATCH = 32
EMBED_THREADS = 2


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    unchanged: int = 0
    mentions: int = 0
    problems: list[WarledgerError] = field(default_factory=list)


def article_reader() -> ArticleReader:
    """The nlp stage wired to the gazetteer (both loaded once per process)."""
    return ArticleReader(Gazetteer.load())


_EMBEDDER: Embedder | None = None


def embedder() -> Embedder:
    """The linking model, loaded once per process on first use."""
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = Embedder()
    return _EMBEDDER


_MORE_EMBEDDERS: list[Embedder] = []


def embedders(n: int) -> list[Embedder]:
    """``n`` instances of the linking model, loaded now (here, not in the threads that use them):
    one per thread, so that no two threads share a model's tokenizer."""
    first = embedder()
    first.load()
    while len(_MORE_EMBEDDERS) < n - 1:
        more = Embedder()
        more.load()
        _MORE_EMBEDDERS.append(more)
    return [first, *_MORE_EMBEDDERS[: n - 1]]


def ingest_articles(
    articles: Iterable[Article],
    store: Ledger,
    reader: ArticleReader | None = None,
    progress: Callable[[int], None] | None = None,
    link: bool = True,
) -> IngestReport:
    """Extract, link and store articles; an article already stored is skipped untouched.

    ``link=False`` stores every strike as an event of its own (benchmarks measure linking's cost).
    """
    report = IngestReport()
    fresh = []
    for article in articles:
        report.read += 1
        if store.has_article(article):
            report.unchanged += 1
            if progress:
                progress(1)
        else:
            fresh.append(article)
    if not fresh:
        return report
    # linked in publication order, as a feed brings them (and as `relink` replays them)
    fresh.sort(key=lambda a: (a.published or date.max, a.id))
    reader = reader or article_reader()

    def store_batch(batch: Sequence[ArticleFacts], vectors: Sequence[np.ndarray | None]) -> None:
        for facts, vecs in zip(batch, vectors, strict=True):
            try:
                if store.add_article(facts.article, facts.mentions, facts.claims, vecs, decide if link else None):
                    report.added += 1
                    report.mentions += len(facts.mentions)
                else:
                    report.unchanged += 1
            except WarledgerError as exc:
                report.problems.append(exc)
            if progress:
                progress(1)

    if not link:
        for batch in _batches(reader.read_all(fresh), EMBED_BATCH):
            store_batch(batch, [None] * len(batch))
        return report
    with ThreadPoolExecutor(max_workers=EMBED_THREADS, thread_name_prefix="warledger-embed") as pool:
        previous: tuple[list[ArticleFacts], _Embedding] | None = None
        for batch in _batches(reader.read_all(fresh), EMBED_BATCH):
            vectors = previous[1].result() if previous else []  # waits for the batch before (read meanwhile)
            job = _Embedding(batch, store, pool, previous[1] if previous else None)
            if previous:
                store_batch(previous[0], vectors)  # while the threads embed this batch
            previous = (batch, job)
        if previous:
            store_batch(previous[0], previous[1].result())
    return report


def _batches(items: Iterable[ArticleFacts], size: int) -> Iterator[list[ArticleFacts]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class _Embedding:
    """The embeddings of the strike texts of a batch of articles, computed in ``pool``.

    A text is embedded once: one the ledger holds already (an unchanged strike of a new version
    of an article, a syndicated copy) is read back (``Store.embeddings``), as is one of the batch
    before (``before``, not stored yet); a text repeated in the batch is embedded once. Each
    article's new texts go to the model in one call, as they always did: the vectors are those
    of an ingest one article at a time (texts batched across articles are padded to the longest
    of their batch, which costs more than the calls it saves, and moves the 7th decimal).
    """

    def __init__(
        self, batch: Sequence[ArticleFacts], store: Ledger, pool: Executor, before: _Embedding | None = None
    ) -> None:
        texts = [[mention_text(f.article, m) for m in f.mentions] for f in batch]
        self.keys = [[text_key(t) for t in ts] for ts in texts]
        wanted = {k for ks in self.keys for k in ks}
        self.vectors: dict[str, np.ndarray] = {k: v for k, v in before.vectors.items() if k in wanted} if before else {}
        self.vectors.update(store.embeddings(wanted - self.vectors.keys()))
        seen = set(self.vectors)
        self.groups: list[dict[str, str]] = []  # key -> text, of each article that has new texts
        for ks, ts in zip(self.keys, texts, strict=True):
            group = {k: t for k, t in zip(ks, ts, strict=True) if k not in seen}
            seen |= group.keys()
            if group:
                self.groups.append(group)
        # the articles are dealt out to the threads, each with a model of its own
        models = embedders(min(EMBED_THREADS, len(self.groups))) if self.groups else []
        self.shares = [self.groups[i :: len(models)] for i in range(len(models))]
        self.futures: list[Future[list[np.ndarray]]] = [
            pool.submit(_embed_each, model, [list(g.values()) for g in share])
            for model, share in zip(models, self.shares, strict=True)
        ]

    def result(self) -> list[np.ndarray]:
        """One array per article, a row per strike (waits for the model)."""
        for share, future in zip(self.shares, self.futures, strict=True):
            for group, vectors in zip(share, future.result(), strict=True):
                self.vectors.update(zip(group, vectors, strict=True))
        self.shares, self.futures = [], []
        return [
            np.stack([self.vectors[k] for k in ks]) if ks else np.zeros((0, DIM), dtype=np.float32) for ks in self.keys
        ]


def _embed_each(model: Embedder, calls: list[list[str]]) -> list[np.ndarray]:
    return [model.embed(texts) for texts in calls]


def ingest_paths(
    paths: Iterable[str | Path],
    store: Ledger,
    reader: ArticleReader | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read files and folders (see ``ingest.read_paths``) into the store."""
    result = read_paths(paths)
    report = ingest_articles(result.articles, store, reader, progress)
    problems: list[WarledgerError] = list(result.problems)
    report.problems = problems + report.problems
    return report
