"""One process's share of the work: articles in, their strikes out, ready to link.

    extraction = Extraction()                      # loads spaCy, the gazetteer, the linking model
    for done in extraction.run(articles): ...      # Extracted, one per article, in order

Everything here is a function of the article alone (plus the loaded resources), so the same code
runs in the ingest process, in ``--workers`` processes and in Spark executors. Only linking, which
reads other articles, happens after, in one place (``Ledger.add_article``).

A strike text's vector is computed from that text alone, one text per call to the model: the
vector does not depend on which texts shared a call, nor on which process computed it, so the
ledger is the same however the work was spread (and a text the ledger already holds need not be
embedded again).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Protocol

import numpy as np

from ..link.embed import DIM, Embedder, mention_text, text_key
from ..nlp.pipeline import ArticleReader
from ..records import Article, Claim, Mention

# articles read through spaCy at once; the strike texts of a batch are embedded (in threads, in
# the ingest process) while the next batch is read
BATCH = 32
# vectors kept for texts met recently (a syndicated copy, a new version of an article)
RECENT = 4096

Known = Callable[[set[str]], Mapping[str, np.ndarray]]


@dataclass(slots=True)
class Extracted:
    """An article read: its strikes and claims, each strike's vector (row i for mention i), or
    the reason it was skipped unread."""

    article: Article
    mentions: list[Mention]
    claims: list[Claim]
    vectors: np.ndarray | None = None
    skipped: str | None = None


class Gate(Protocol):
    """What skips an article before it is read (``nlp.gate.RelevanceGate`` is one)."""

    def check(self, article: Article) -> str | None: ...  # pragma: no cover


class Extraction:
    """The resources one process loads once, and the work done with them.

    ``models`` embed strike texts (none: no linking, no vectors); with two or more, each batch's
    texts are embedded in threads, one model each, while spaCy reads the next batch; with one (a
    worker process, one core), after each batch, so that spaCy's and the model's working memory
    are never needed at once.
    """

    def __init__(self, reader: ArticleReader, models: Sequence[Embedder] = (), gate: Gate | None = None) -> None:
        self.reader = reader
        self.models = list(models)
        self.gate = gate
        self.recent: OrderedDict[str, np.ndarray] = OrderedDict()

    def run(self, articles: Iterable[Article], known: Known | None = None) -> Iterator[Extracted]:
        """Each article read (or skipped by the gate), in the order given.

        ``known`` looks up vectors the ledger already holds, by text key (``Ledger.embeddings``).
        """
        batches = _batches(self._read(articles), BATCH)
        if not self.models:
            for batch in batches:
                yield from batch
            return
        if len(self.models) == 1:  # a worker process: the model runs between spaCy's batches, not beside them
            for batch in batches:
                self._remember_all(_embed_each(self.models[0], list(self._texts(batch, known, []).items())))
                yield from self._attach(batch, [])
            return
        with ThreadPoolExecutor(max_workers=len(self.models), thread_name_prefix="warledger-embed") as pool:
            pending: tuple[list[Extracted], list[Future[list[tuple[str, np.ndarray]]]]] | None = None
            for batch in batches:
                jobs = self._embed(pool, self._texts(batch, known, pending[0] if pending else []))
                if pending:
                    yield from self._attach(*pending)
                pending = (batch, jobs)
            if pending:
                yield from self._attach(*pending)

    def _read(self, articles: Iterable[Article]) -> Iterator[Extracted]:
        if self.gate is None:
            for f in self.reader.read_all(articles):
                yield Extracted(f.article, f.mentions, f.claims)
            return
        checked = [(a, self.gate.check(a)) for a in articles]
        facts = self.reader.read_all(a for a, why in checked if why is None)
        for article, why in checked:
            if why is None:
                f = next(facts)
                yield Extracted(f.article, f.mentions, f.claims)
            else:
                yield Extracted(article, [], [], skipped=why)

    def _texts(self, batch: Sequence[Extracted], known: Known | None, before: Sequence[Extracted]) -> dict[str, str]:
        """The batch's strike texts to embed, by key: not those known (to the ledger, or met
        recently, or in the batch ``before`` whose vectors are still being computed), and a text
        told twice only once."""
        texts = {text_key(t): t for e in batch for t in (mention_text(e.article, m) for m in e.mentions)}
        missing = set(texts) - self.recent.keys() - {k for e in before for k in _keys(e)}
        if known and missing:
            for key, vector in known(missing).items():
                self._remember(key, vector)
        return {k: t for k, t in texts.items() if k in missing and k not in self.recent}

    def _embed(self, pool: ThreadPoolExecutor, texts: dict[str, str]) -> list[Future[list[tuple[str, np.ndarray]]]]:
        """Embed in the pool's threads, each with a model of its own (no two threads share a tokenizer)."""
        todo = list(texts.items())
        shares = [todo[i :: len(self.models)] for i in range(len(self.models))]
        pairs = zip(self.models, shares, strict=True)
        return [pool.submit(_embed_each, model, share) for model, share in pairs if share]

    def _attach(self, batch: list[Extracted], jobs: list[Future[list[tuple[str, np.ndarray]]]]) -> list[Extracted]:
        """The batch with each strike's vector, once the threads are done."""
        for job in jobs:
            self._remember_all(job.result())
        for e in batch:
            keys = _keys(e)
            e.vectors = np.stack([self.recent[k] for k in keys]) if keys else np.zeros((0, DIM), dtype=np.float32)
        return batch

    def _remember_all(self, found: list[tuple[str, np.ndarray]]) -> None:
        for key, vector in found:
            self._remember(key, vector)

    def _remember(self, key: str, vector: np.ndarray) -> None:
        self.recent[key] = vector
        self.recent.move_to_end(key)
        while len(self.recent) > RECENT:
            self.recent.popitem(last=False)


def _keys(e: Extracted) -> list[str]:
    return [text_key(mention_text(e.article, m)) for m in e.mentions]


def _embed_each(model: Embedder, texts: list[tuple[str, str]]) -> list[tuple[str, np.ndarray]]:
    return [(key, model.embed([text])[0]) for key, text in texts]


def _batches(items: Iterable[Extracted], size: int) -> Iterator[list[Extracted]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
