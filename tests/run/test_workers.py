"""``--workers``: extraction in several processes builds the ledger one process builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.run import Workers
from warledger.store import Store


@pytest.fixture(scope="module")
def workers():
    with Workers(2) as pool:
        assert len(pool.warm()) == 2  # two processes, each with its own pipeline
        yield pool


def _rows(store: Store) -> list[dict]:
    return [ev.to_json() for ev in store.events()]


def _war_news(corpus_dir: Path, n: int) -> list[Article]:
    return read_paths([corpus_dir / "war_news" / "articles.jsonl"]).articles[:n]


def test_workers_build_the_ledger_one_process_builds(ledgers, reader, workers, corpus_dir) -> None:
    articles = _war_news(corpus_dir, 60)
    with Store(ledgers.new("one")) as one, Store(ledgers.new("two")) as two:
        ingest_articles(articles, one, reader)
        expected = _rows(one)
        assert len(expected) > 30
        report = ingest_articles(articles, two, workers=workers)
        assert report.added == len({a.hash for a in articles})
        assert _rows(two) == expected
        # the vectors linking used are the ones one process computes
        texts = "SELECT text_hash, embedding FROM mentions ORDER BY text_hash"
        assert [tuple(r) for r in two.db.execute(texts)] == [tuple(r) for r in one.db.execute(texts)]
        # again: nothing changes
        assert ingest_articles(articles, two, workers=workers).added == 0
        assert _rows(two) == expected
