"""Articles the relevance gate skips are recorded once, with the reason, on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from warledger.cli import cli
from warledger.nlp.gate import NO_TERM, RelevanceGate
from warledger.records import Article
from warledger.store import Store

CALM = Article(
    id="calm-1",
    text="The city council approved a new budget for parks and libraries on Tuesday. " * 6,
    published=date(2025, 4, 1),
    outlet="test desk",
    url="https://example.org/budget",
    title="Council approves parks budget",
    language="en",
    source="own/calm.txt",
)


def test_a_skipped_article_is_recorded_once(db_path: Path) -> None:
    reason = RelevanceGate.load().check(CALM)
    assert reason == NO_TERM
    with Store(db_path) as store:
        assert not store.has_skipped(CALM)
        assert store.add_skipped(CALM, reason) is True
        before = store.counts()
        assert store.add_skipped(CALM, reason) is False  # the same article again
        assert store.add_skipped(replace(CALM, id="calm-copy"), reason) is False  # the same text, another id
        assert store.counts() == before and before["skipped"] == 1
        assert store.has_skipped(CALM) and store.has_skipped(replace(CALM, id="calm-copy"))
        assert not store.has_article(CALM)  # skipped is not stored
    with Store(db_path) as store:  # kept across opening the ledger again
        (row,) = store.skipped()
    assert (row.id, row.reason, row.published, row.title) == ("calm-1", NO_TERM, "2025-04-01", CALM.title)
    assert (row.hash, row.url, row.outlet, row.language, row.source) == (
        CALM.hash,
        CALM.url,
        "test desk",
        "en",
        "own/calm.txt",
    )
    assert row.skipped_at.startswith("20")


def test_a_new_text_under_a_skipped_id_replaces_it(db_path: Path) -> None:
    newer = replace(CALM, text=CALM.text + "The vote was unanimous.", title="Parks budget passes unanimously")
    with Store(db_path) as store:
        store.add_skipped(CALM, NO_TERM)
        assert store.add_skipped(newer, "only everyday-sense words (strike)") is True
        (row,) = store.skipped()
        assert (row.hash, row.title, row.reason) == (newer.hash, newer.title, "only everyday-sense words (strike)")
        assert not store.has_skipped(CALM) and store.has_skipped(newer)


def test_storing_an_article_forgets_its_skip(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add_skipped(CALM, NO_TERM)
        assert store.add_article(CALM, [], []) is True  # read after all (a gate since loosened)
        assert store.skipped() == [] and not store.has_skipped(CALM)
        assert store.add_skipped(CALM, NO_TERM) is False  # stored: never recorded as skipped


def test_latest_skipped_first_limit(db_path: Path) -> None:
    with Store(db_path) as store:
        for i in range(3):
            store.add_skipped(replace(CALM, id=f"calm-{i}", text=f"{CALM.text} Item {i}."), NO_TERM)
        assert [s.id for s in store.skipped()] == ["calm-0", "calm-1", "calm-2"]
        assert [s.id for s in store.skipped(limit=2)] == ["calm-1", "calm-2"]


def test_cli_skipped_prints_them(db_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["skipped", "--db", str(db_path)], catch_exceptions=False)
    assert empty.exit_code == 0 and "No article has been skipped." in empty.output
    with Store(db_path) as store:
        store.add_skipped(CALM, NO_TERM)
        store.add_skipped(
            replace(CALM, id="calm-2", text="Markets closed higher.", title=None, published=None), NO_TERM
        )
    res = runner.invoke(cli, ["skipped", "--db", str(db_path)], catch_exceptions=False)
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].split() == ["article", "reason", "published", "title"]
    assert lines[2].split() == ["calm-1", *NO_TERM.split(), "2025-04-01", *CALM.title.split()]
    assert lines[3].split() == ["calm-2", *NO_TERM.split(), "-", "-"]
    latest = runner.invoke(cli, ["skipped", "--limit", "1", "--db", str(db_path)], catch_exceptions=False)
    assert [ln.split()[0] for ln in latest.output.splitlines()[2:]] == ["calm-2"]
