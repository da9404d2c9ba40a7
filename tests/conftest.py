"""Fixtures shared by every test package (kept here only, as spaCy's tests do)."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEEDS = CORPUS / "seeds"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


@pytest.fixture(scope="session")
def seeds_dir(corpus_dir: Path) -> Path:
    return corpus_dir / "seeds"


@pytest.fixture(scope="session")
def reader():
    """The nlp stage wired to the gazetteer, loaded once for the whole run."""
    from warledger.ledger import article_reader

    return article_reader()


@pytest.fixture()
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"
