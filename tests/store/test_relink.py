"""`warledger relink`: every stored report decided again, people's corrections replayed, moves logged.

The ledger is five real war_news articles (three reports of the 2 March 2024 Odesa drone strike,
two of the 22 March 2023 Rzhyshchiv strike), read at test time and ingested once per module in
publication order; each test works on its own copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.errors import StoreError
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.link.config import linking_config
from warledger.store import Store
from warledger.store.relink import relink

AP = "ap_20240302_drone-strike-odesa-kills-4.txt"
BLOOMBERG = "bloomberg_20240302_seven-killed-drone-strike-odesa.txt"
KYIV = "kyivindependent_20240303_two-children-found-dead-odesa.txt"
REUTERS = "Reuters_20230322_rzhyshchiv_three_killed.txt"
PRAVDA = "UkrainskaPravda_20230322_rzhyshchiv_toll_rises.txt"


@pytest.fixture(scope="module")
def template(corpus_dir: Path, reader, ledgers) -> Path | str:
    wanted = {AP, BLOOMBERG, KYIV, REUTERS, PRAVDA}
    articles = [a for a in read_paths([corpus_dir / "war_news"]).articles if a.id in wanted]
    assert len(articles) == len(wanted)
    articles.sort(key=lambda a: (a.published.isoformat() if a.published else "9999", a.id))  # as relink reads
    path = ledgers.new("relink_template")
    with Store(path) as store:
        ingest_articles(articles, store, reader)
    return path


@pytest.fixture()
def ledger(template: Path | str, ledgers) -> Iterator[Store]:
    with Store(ledgers.copy(template)) as store:
        yield store


def _lead(store: Store, article: str) -> str:
    """The event of an article's lead strike."""
    return store.article_events()[article][0]


def _lead_report(store: Store, article: str) -> str:
    row = store.db.execute("SELECT mention_id FROM mentions WHERE article_id = ? AND seq = 0", (article,)).fetchone()
    return str(row[0])


def _snapshot(store: Store) -> dict[str, Any]:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in store.db.execute(sql)]

    return {
        "mentions": rows("SELECT mention_id, event_id FROM mentions ORDER BY mention_id"),
        "events": rows("SELECT event_id, wave_id, summary, created_at, updated_at FROM events ORDER BY event_id"),
        "aliases": rows("SELECT * FROM event_aliases ORDER BY old_id"),
        "changes": rows("SELECT * FROM changes ORDER BY id"),
        "links": rows("SELECT * FROM links ORDER BY id"),
        "corrections": rows("SELECT * FROM corrections ORDER BY id"),
    }


def test_relink_of_an_unchanged_ledger_changes_nothing(ledger: Store) -> None:
    assert _lead(ledger, AP) == _lead(ledger, BLOOMBERG) == _lead(ledger, KYIV)
    assert _lead(ledger, REUTERS) == _lead(ledger, PRAVDA)
    before = _snapshot(ledger)
    report = relink(ledger)
    assert (report.articles, report.mentions) == (5, len(before["mentions"]))
    assert report.moves == [] and report.created == report.removed == []
    assert report.events_before == report.events_after == len(before["events"])
    assert _snapshot(ledger) == before


def test_relink_after_a_threshold_change_moves_reports_and_logs_why(
    ledger: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    odesa = _lead(ledger, AP)
    with monkeypatch.context() as patch:
        patch.setitem(linking_config(), "threshold", 100.0)  # nothing reaches it: every report on its own
        report = relink(ledger)
    moved = {m.article_id for m in report.moves}
    assert {BLOOMBERG, KYIV, PRAVDA} <= moved and AP not in moved and REUTERS not in moved
    assert _lead(ledger, AP) == odesa  # the event keeps the id of its earliest report
    assert len({_lead(ledger, a) for a in (AP, BLOOMBERG, KYIV)}) == 3
    kyiv = _lead(ledger, KYIV)
    assert kyiv in report.created and report.events_after > report.events_before
    (row,) = [c for c in ledger.changes(kyiv) if c.action == "report moved"]
    assert (row.old, row.new) == (odesa, kyiv)
    assert row.why.startswith("relink: report ") and KYIV in row.why and "no event reaches +100.00" in row.why
    left = [c for c in ledger.changes(odesa) if c.action == "report removed" and c.new == kyiv]
    assert len(left) == 1 and left[0].why.startswith("relink: moved to ")
    assert any(c.field == "n_articles" and c.why == "relink" for c in ledger.changes(odesa))
    assert ledger.event(odesa).n_articles == 1  # type: ignore[union-attr]

    # the data back as it was: the reports come together again, the events made meanwhile are aliased
    back = relink(ledger)
    assert {m.article_id for m in back.moves} == moved
    assert _lead(ledger, AP) == _lead(ledger, BLOOMBERG) == _lead(ledger, KYIV) == odesa
    assert kyiv in back.removed and kyiv in back.merged
    assert ledger.resolve(kyiv) == odesa
    merged = [c for c in ledger.changes(odesa) if c.action == "merged" and c.old == kyiv]
    assert len(merged) == 1 and merged[0].why.startswith("relink: ")
    assert relink(ledger).moves == []


def test_dry_run_reports_the_same_and_writes_nothing(ledger: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(linking_config(), "threshold", 100.0)
    before = _snapshot(ledger)
    dry = relink(ledger, dry_run=True)
    assert dry.moves and _snapshot(ledger) == before
    wet = relink(ledger)
    assert [(m.mention_id, m.old, m.new) for m in wet.moves] == [(m.mention_id, m.old, m.new) for m in dry.moves]
    assert (wet.created, wet.removed) == (dry.created, dry.removed)


def test_a_failed_relink_leaves_the_ledger_untouched(ledger: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(linking_config(), "threshold", 100.0)
    before = _snapshot(ledger)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ledger.db.errors[0]("disk I/O error")  # the driver's own error, on either backend

    monkeypatch.setattr(ledger, "_refresh", broken)  # fails after every report has been moved
    with pytest.raises(StoreError, match="could not relink"):
        relink(ledger)
    assert _snapshot(ledger) == before


def test_a_persons_split_survives_relink(ledger: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    odesa = _lead(ledger, AP)
    kyiv_lead = _lead_report(ledger, KYIV)
    with monkeypatch.context() as patch:
        patch.setitem(linking_config(), "threshold", -100.0)  # anything not ruled out links
        assert kyiv_lead not in {m.mention_id for m in relink(ledger, dry_run=True).moves}  # it stays in Odesa
    apart = ledger.split(odesa, KYIV, by="tester")
    assert relink(ledger).moves == []  # the split is kept as it is
    monkeypatch.setitem(linking_config(), "threshold", -100.0)
    report = relink(ledger)
    assert report.splits == 1 and report.skipped == []
    assert _lead(ledger, KYIV) not in {_lead(ledger, AP), _lead(ledger, BLOOMBERG)}
    assert kyiv_lead in {m.mention_id for m in report.moves}  # away from its own event, never back to Odesa
    assert _lead(ledger, AP) == odesa and ledger.resolve(apart) != odesa


def test_a_persons_merge_survives_relink(ledger: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    odesa, rzhyshchiv = _lead(ledger, AP), _lead(ledger, REUTERS)
    merged = ledger.merge(odesa, rzhyshchiv, by="tester")  # a person's call, whatever the linker thinks
    assert relink(ledger).moves == []
    (a, b) = ledger.db.execute("SELECT mention_a, mention_b FROM corrections WHERE action = 'merge'").fetchone()
    monkeypatch.setitem(linking_config(), "threshold", 100.0)
    report = relink(ledger)
    assert report.merges == 1 and report.skipped == []
    together = ledger.event_of_mentions()
    assert together[a] == together[b]
    assert ledger.resolve(merged) == together[a]


def test_cli_relink_dry_run_then_for_real(ledger: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(ledger.path)
    runner = CliRunner()
    same = runner.invoke(cli, ["relink", "--db", db], catch_exceptions=False)
    assert same.exit_code == 0, same.output
    assert "moved        0 report(s)" in same.output and "dry run" not in same.output
    monkeypatch.setitem(linking_config(), "threshold", 100.0)
    changes = len(ledger.changes())
    dry = runner.invoke(cli, ["relink", "--dry-run", "--db", db], catch_exceptions=False)
    assert dry.exit_code == 0, dry.output
    assert "moved        3 report(s)" in dry.output and dry.output.rstrip().endswith("dry run: nothing written")
    assert len(ledger.changes()) == changes
    real = runner.invoke(cli, ["relink", "--db", db], catch_exceptions=False)
    assert "moved        3 report(s)" in real.output and "corrections  0 replayed" in real.output
    log = runner.invoke(cli, ["log", _lead(ledger, KYIV), "--db", db], catch_exceptions=False).output
    assert "report moved" in log and "relink: report" in log
    again = runner.invoke(cli, ["relink", "--db", db], catch_exceptions=False)
    assert "moved        0 report(s)" in again.output
