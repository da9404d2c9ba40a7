"""The main job, stage by stage: ingest -> nlp (+ geo) -> link -> store.

    report = ingest_paths(["../shared/corpus/seeds"], store)

Each article is read, its strikes extracted and placed, embedded for linking, and stored in one
transaction in which every strike is linked to the event it reports (or starts one); a bad file
is reported and skipped, never half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WarledgerError
from .geo import Gazetteer
from .ingest import read_paths
from .link import decide
from .link.embed import Embedder, mention_text
from .nlp.pipeline import ArticleReader
from .records import Article
from .store import Store


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


def ingest_articles(
    articles: Iterable[Article],
    store: Store,
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
    reader = reader or article_reader()
    for facts in reader.read_all(fresh):
        vectors = embedder().embed([mention_text(facts.article, m) for m in facts.mentions]) if link else None
        try:
            if store.add_article(facts.article, facts.mentions, facts.claims, vectors, decide if link else None):
                report.added += 1
                report.mentions += len(facts.mentions)
            else:
                report.unchanged += 1
        except WarledgerError as exc:
            report.problems.append(exc)
        if progress:
            progress(1)
    return report


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    reader: ArticleReader | None = None,
    progress: Callable[[int], None] | None = None,
) -> IngestReport:
    """Read files and folders (see ``ingest.read_paths``) into the store."""
    result = read_paths(paths)
    report = ingest_articles(result.articles, store, reader, progress)
    problems: list[WarledgerError] = list(result.problems)
    report.problems = problems + report.problems
    return report
