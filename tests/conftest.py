"""Fixtures shared by every test package (kept here only, as spaCy's tests do)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
# WARLEDGER_TEST_BACKENDS=sqlite runs the ledger tests on SQLite alone (make test runs both)
BACKENDS = os.environ.get("WARLEDGER_TEST_BACKENDS", "sqlite,postgres").split(",")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")
    return CORPUS


@pytest.fixture(scope="session")
def seeds_dir(corpus_dir: Path) -> Path:
    return corpus_dir / "seeds"


@pytest.fixture(scope="session")
def gz():
    """The gazetteer, loaded once for the whole run (geo tests compare against it)."""
    from warledger.geo import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def reader():
    """The nlp stage wired to the gazetteer, loaded once for the whole run."""
    from warledger.ledger import article_reader

    return article_reader()


class Ledgers:
    """Fresh ledgers for one backend: a file in a temporary folder, or a database on the throw-away
    PostgreSQL server (``store.pgserver``); ``copy`` clones a built one (a file copy, or a
    PostgreSQL database made from it as a template)."""

    def __init__(self, backend: str, folder: Path, server: str | None) -> None:
        self.backend, self.folder, self.server = backend, folder, server
        self.made = 0
        self.frozen: dict[str, Path | str] = {}  # ledger -> its copy as built, which copies are made from

    def _name(self, name: str) -> str:
        self.made += 1
        return f"{re.sub(r'[^a-z0-9]+', '_', name.lower())}_{self.made}"

    def new(self, name: str = "ledger") -> Path | str:
        from warledger.store.pgserver import create_database

        if self.server is None:
            return self.folder / f"{self._name(name)}.db"
        return create_database(self.server, self._name(name))

    def freeze(self, source: Path | str) -> None:
        """Keep ``source`` as it is now for ``copy`` (PostgreSQL copies a database only while no one
        is connected to it, and a served ledger keeps connections open)."""
        if self.server is not None:
            self.frozen[str(source)] = self.copy(source, "frozen")

    def copy(self, source: Path | str, name: str = "copy") -> Path | str:
        import psycopg

        source = self.frozen.get(str(source), source)
        if self.server is None:
            target = self.folder / f"{self._name(name)}.db"
            shutil.copy(source, target)
            return target
        target = self._name(name)
        with psycopg.connect(self.server + "postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{str(source).rsplit("/", 1)[1]}"')
        return self.server + target


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL server for the whole run, started on first use (``make test``
    installs Debian's postgresql when it is missing)."""
    from warledger.store.pgserver import temp_server

    with temp_server() as base:
        yield base


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test that uses a ledger runs once per backend: SQLite, then PostgreSQL."""
    return str(request.param)


@pytest.fixture(scope="session")
def ledgers(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Ledgers:
    server = request.getfixturevalue("pg_server") if backend == "postgres" else None
    return Ledgers(backend, tmp_path_factory.mktemp(backend), server)


@pytest.fixture()
def db_path(ledgers: Ledgers) -> Path | str:
    """A new, empty ledger of the backend under test (a path, or a postgresql:// URL)."""
    return ledgers.new()


@pytest.fixture()
def sqlite_path(tmp_path: Path) -> Path:
    """A ledger file, for tests of what only SQLite has (its file, PRAGMAs, query plans)."""
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
