"""A strike text is embedded once: not again for a new version of its article, nor for a copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from warledger import ledger
from warledger.link.embed import DIM
from warledger.records import Article
from warledger.store import Store

TEXT = "A Russian drone struck a fuel depot in Odesa on Sunday, killing two workers and injuring five."


class Counting:
    """Stands for the model: every text it is asked to embed is kept."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def load(self) -> None:
        pass

    def embed(self, texts: list[str]) -> np.ndarray:
        self.texts += texts
        return np.full((len(texts), DIM), DIM**-0.5, dtype=np.float32)


def test_a_strike_text_is_embedded_once(db_path: Path, reader, monkeypatch) -> None:
    model = Counting()
    monkeypatch.setattr(ledger, "embedders", lambda n: [model] * n)
    first = Article(id="own-1", text=TEXT, published=date(2024, 3, 4))
    with Store(db_path) as store:
        ledger.ingest_articles([first], store, reader)
        assert len(model.texts) == 1
        # a new version of the article, its strike told in the same words: nothing to embed
        again = Article(id="own-1", text=TEXT + "\nMore to follow.", published=date(2024, 3, 4))
        assert ledger.ingest_articles([again], store, reader).added == 1
        assert len(model.texts) == 1
        # two other articles telling it in the same words, in one batch: still nothing
        copies = [Article(id=f"copy-{i}", text=TEXT + "\n" + "Update." * i, published=date(2024, 3, 4)) for i in (1, 2)]
        assert ledger.ingest_articles(copies, store, reader).added == 2
        assert len(model.texts) == 1
        stored = store.db.execute("SELECT count(DISTINCT text_hash), count(*) FROM mentions").fetchone()
        assert tuple(stored) == (1, 3)


def test_new_strike_texts_of_a_batch_are_embedded_once_each(db_path: Path, reader, monkeypatch) -> None:
    model = Counting()
    monkeypatch.setattr(ledger, "embedders", lambda n: [model] * n)
    articles = [
        Article(id="a", text=TEXT, published=date(2024, 3, 4)),
        Article(id="b", text=TEXT + "\nAgain.", published=date(2024, 3, 4)),
        Article(id="c", text=TEXT.replace("Odesa", "Kharkiv"), published=date(2024, 3, 4)),
    ]
    with Store(db_path) as store:
        assert ledger.ingest_articles(articles, store, reader).added == 3
    assert len(model.texts) == len(set(model.texts)) == 2
