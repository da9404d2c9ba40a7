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


@pytest.fixture()
def data_file_error(tmp_path: Path):
    """Write ``content`` as a JSON data file, load it with ``loader`` and return the
    DataFileError message, checking that it names the file."""
    import json

    from warledger.errors import DataFileError

    def check(name: str, content: object, loader) -> str:
        path = tmp_path / name
        path.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(DataFileError) as info:
            loader(path)
        assert str(path) in str(info.value)
        return str(info.value)

    return check


@pytest.fixture()
def store_rated(reader):
    """Read ``article`` (one strike) with the real reader, set its fields' evidence and confidence,
    and store it in the ledger at ``path`` through the store; RETURNS the stored mention."""
    from warledger.store import Store

    def store(path: Path, article, evidence: dict[str, str], confidence: dict[str, float]):
        (facts,) = list(reader.read_all([article]))
        (mention,) = facts.mentions
        mention.evidence, mention.confidence = evidence, confidence
        with Store(path) as ledger:
            assert ledger.add_article(facts.article, facts.mentions, facts.claims)
        return mention

    return store
