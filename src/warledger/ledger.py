"""The main job, stage by stage: ingest -> nlp (+ geo) -> link -> store.

    report = ingest_paths(["../shared/corpus/seeds"], store)

Each article is read, its strikes extracted and placed, embedded for linking, and stored in one
transaction in which every strike is linked to the event it reports (or starts one); a bad file
is reported and skipped, never half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import WarledgerError
from .geo import Gazetteer
from .geo.cyrillic import load_cyrillic_places
from .ingest import read_paths
from .ingest.language import settle_language
from .link import decide
from .link.embed import Embedder
from .nlp.gate import RelevanceGate
from .nlp.pipeline import ArticleReader
from .records import Article
from .run import Extracted, Extraction, Workers
from .run.extract import BATCH
from .store import Ledger

# in one process, the strike texts of a batch of articles are embedded by EMBED_THREADS threads
# (each with a model of its own and its share of the cores, link/embed.py) while spaCy reads the
# next batch (run/extract.py)
EMBED_THREADS = 2
# a worker process costs its pipeline's loading (seconds): one is started per PER_WORKER new articles at most
PER_WORKER = 50


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    unchanged: int = 0
    mentions: int = 0
    skipped: int = 0  # by the relevance gate (recorded in the ledger with the reason: `warledger skipped`)
    problems: list[WarledgerError] = field(default_factory=list)


def article_reader() -> ArticleReader:
    """The nlp stage wired to the gazetteers, English and Cyrillic (loaded once per process)."""
    return ArticleReader(Gazetteer.load(), cyrillic=load_cyrillic_places())


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


_GATE: RelevanceGate | None = None


def relevance_gate() -> RelevanceGate:
    """The gate that skips articles reporting no violent event (nlp/gate.py), loaded once per process."""
    global _GATE
    if _GATE is None:
        _GATE = RelevanceGate.load()
    return _GATE


def ingest_articles(
    articles: Iterable[Article],
    store: Ledger,
    reader: ArticleReader | None = None,
    progress: Callable[[int], None] | None = None,
    link: bool = True,
    workers: int | Workers = 1,
    gate: bool = True,
) -> IngestReport:
    """Extract, link and store articles; an article already stored (or skipped) is left untouched.

    ``gate`` (on by default) skips, before spaCy, an article that reports no violent event; it is
    recorded with the reason (``Ledger.add_skipped``), not lost.

    ``workers`` > 1 (or a started ``run.Workers``) extracts in that many processes (at most one
    per ``PER_WORKER`` new articles: a few articles are read here sooner than a process starts); what they
    return is linked and stored here, in publication order, so the ledger is the same.
    ``link=False`` stores every strike as an event of its own (benchmarks measure linking's cost).
    """
    report = IngestReport()
    fresh = []
    for article in articles:
        report.read += 1
        if store.has_article(article) or store.has_skipped(article):
            report.unchanged += 1
            if progress:
                progress(1)
        else:
            fresh.append(settle_language(article))  # an Article made in code may come without one
    if not fresh:
        return report
    fresh.sort(key=publication_order)
    if isinstance(workers, Workers):
        stream = workers.run(fresh)
    elif (n := min(workers, len(fresh) // PER_WORKER)) > 1:
        with Workers(n, link=link, gate=gate) as pool:
            return store_all(pool.run(fresh), store, report, progress, link)
    else:
        # a second model (in a thread beside spaCy) only pays from the second batch on: a request of
        # a few articles (the API's) holds one model, not two
        models = embedders(EMBED_THREADS if len(fresh) > BATCH else 1) if link else []
        extraction = Extraction(reader or article_reader(), models, relevance_gate() if gate else None)
        stream = extraction.run(fresh, known=store.embeddings)
    return store_all(stream, store, report, progress, link)


def publication_order(article: Article) -> tuple[date, str]:
    """The order articles are linked in: as a feed brings them (and as `relink` replays them),
    by publication day, undated last, then id."""
    return (article.published or date.max, article.id)


def store_all(
    stream: Iterable[Extracted],
    store: Ledger,
    report: IngestReport,
    progress: Callable[[int], None] | None,
    link: bool,
) -> IngestReport:
    """Link and store each article as it comes, in the order given (``publication_order``; a bad
    one is reported, the others go on). Every way of spreading extraction ends here."""
    for done in stream:
        try:
            if done.skipped is not None:
                if store.add_skipped(done.article, done.skipped):
                    report.skipped += 1
                else:
                    report.unchanged += 1
            elif store.add_article(done.article, done.mentions, done.claims, done.vectors, decide if link else None):
                report.added += 1
                report.mentions += len(done.mentions)
            else:
                report.unchanged += 1
        except WarledgerError as exc:
            report.problems.append(exc)
        if progress:
            progress(1)
    return report


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
