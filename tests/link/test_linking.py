"""Linking reports into events: one strike told by several outlets is one event.

The reports below are written for these tests; the seeds are ingested first so that rare-name
weights are those of a ledger with other strikes in it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.store import Store

FIRST = Article(
    id="desk-1",
    title="Missile strike on Zaporizhzhia kills three",
    text=(
        "Missile strike on Zaporizhzhia kills three\n"
        "A Russian missile struck a bus depot on Sobornyi Avenue in Zaporizhzhia on Thursday morning, "
        "killing three people and injuring eight, regional governor Ivan Fedorov said.\n"
        "Fedorov said rescuers from the Khortytskyi district were searching the depot for survivors."
    ),
    published=date(2024, 5, 10),
    outlet="Desk One",
)
SECOND = Article(
    id="desk-2",
    title="Zaporizhzhia bus depot strike: toll rises to five",
    text=(
        "Zaporizhzhia bus depot strike: toll rises to five\n"
        "The toll of Thursday's Russian missile strike on the bus depot on Sobornyi Avenue in Zaporizhzhia "
        "rose to five dead and 11 injured, the State Emergency Service said on Friday.\n"
        "Governor Ivan Fedorov declared a day of mourning in the Khortytskyi district."
    ),
    published=date(2024, 5, 11),
    outlet="Wire Two",
)


@pytest.fixture()
def ledger(db_path: Path, reader, seeds_dir: Path):
    with Store(db_path) as store:
        ingest_articles(read_paths([seeds_dir]).articles, store, reader)
        yield store


def _only_event_of(store: Store, article_id: str) -> str:
    (eid,) = store.article_events()[article_id]
    return eid


def test_two_reports_of_one_strike_make_one_event_with_its_toll_history(ledger: Store, reader) -> None:
    ingest_articles([FIRST], ledger, reader)
    before = ledger.counts()["events"]
    ingest_articles([SECOND], ledger, reader)
    assert ledger.counts()["events"] == before  # the second report joined the first event
    eid = _only_event_of(ledger, "desk-1")
    assert _only_event_of(ledger, "desk-2") == eid
    ev = ledger.event(eid)
    assert ev is not None
    assert (ev.killed, ev.killed_low, ev.killed_high) == (5, 3, 5)  # latest credible figure, never 3 + 5
    assert (ev.injured, ev.n_articles, ev.n_outlets) == (11, 2, 2)
    assert ev.location == "Zaporizhzhia" and ev.date_from == "2024-05-09"
    killed = [
        (t["value"], t["reported_by"], t["article"], t["published"]) for t in ev.toll_history if t["kind"] == "killed"
    ]
    assert killed == [
        (3, "regional governor Ivan Fedorov", "desk-1", "2024-05-10"),
        (5, "State Emergency Service", "desk-2", "2024-05-11"),
    ]
    log = ledger.changes(eid)
    assert [c.action for c in log][:2] == ["created", "report added"]
    (toll,) = [c for c in log if c.field == "killed"]
    assert (toll.old, toll.new, toll.why) == (3, 5, "article desk-2")
    # the decision is kept with its score and the candidates it weighed
    chosen = [link for link in ledger.links(eid) if link["chosen"] and link["mention_id"].startswith("mn-")]
    assert any(link["score"] is not None and "names" in link["reason"] for link in chosen)


def test_unconfirmed_figure_is_history_not_the_best(ledger: Store, reader) -> None:
    third = Article(
        id="desk-3",
        title="Zaporizhzhia depot: witnesses speak of more dead",
        text=(
            "Zaporizhzhia depot: witnesses speak of more dead\n"
            "Witnesses said nine people were killed when the Russian missile hit the bus depot on Sobornyi Avenue "
            "in Zaporizhzhia on Thursday; governor Ivan Fedorov visited the Khortytskyi district."
        ),
        published=date(2024, 5, 12),
    )
    ingest_articles([FIRST, SECOND, third], ledger, reader)
    eid = _only_event_of(ledger, "desk-3")
    ev = ledger.event(eid)
    assert ev is not None and eid == _only_event_of(ledger, "desk-1")
    nine = [t for t in ev.toll_history if t["value"] == 9]
    assert nine and not nine[0]["credible"]
    assert (ev.killed, ev.killed_high) == (5, 5)


def test_reingest_changes_nothing_and_order_does_not_matter(ledgers, reader, seeds_dir: Path) -> None:
    arts = read_paths([seeds_dir]).articles + [FIRST, SECOND]

    def run(order: list[Article], name: str) -> tuple[list[dict], dict]:
        with Store(ledgers.new(name)) as store:
            ingest_articles(order, store, reader)
            counts = store.counts()
            ingest_articles(order, store, reader)
            assert store.counts() == counts  # the same articles again: no new row anywhere
            rows = [ev.to_json() for ev in store.events()]
        return rows, counts

    forward, counts = run(arts, "a.db")
    backward, counts_back = run(arts[::-1], "b.db")
    assert forward == backward
    assert counts["events"] == counts_back["events"] == 14  # 13 seed strikes + the depot


def test_recalled_strike_links_to_the_earlier_event(ledger: Store, reader) -> None:
    # the 2023-07-31 seed recalls a June 2023 strike on Kryvyi Rih that killed 11
    june = Article(
        id="desk-june",
        title="Missile strike on Kryvyi Rih apartment block kills 11",
        text=(
            "Missile strike on Kryvyi Rih apartment block kills 11\n"
            "Russian missiles hit a five-storey apartment block in Kryvyi Rih on Tuesday, killing 11 people, "
            "the head of the city's military administration Oleksandr Vilkul said."
        ),
        published=date(2023, 6, 13),
    )
    recalled = [eid for eid in ledger.event_ids() if (ev := ledger.event(eid)) and ev.date_to == "2023-06-30"]
    assert len(recalled) == 1
    ingest_articles([june], ledger, reader)
    eid = _only_event_of(ledger, "desk-june")
    ev = ledger.event(eid)
    assert ev is not None
    assert ev.n_articles == 2 and ev.killed == 11 and ev.date_from == ev.date_to == "2023-06-13"
    assert [e for e in ledger.event_ids() if e in recalled or e == eid] == [eid]


def test_person_split_and_merge_survive_later_ingests(ledger: Store, reader) -> None:
    ingest_articles([FIRST, SECOND], ledger, reader)
    eid = _only_event_of(ledger, "desk-1")
    apart = ledger.split(eid, "desk-2", by="tester")
    assert apart != eid and _only_event_of(ledger, "desk-2") == apart
    # a third report that matches both must not undo the person's split
    third = Article(
        id="desk-4",
        title="Zaporizhzhia mourns bus depot victims",
        text=(
            "Zaporizhzhia mourns bus depot victims\n"
            "Zaporizhzhia mourned the five people killed when a Russian missile hit the bus depot on Sobornyi "
            "Avenue on Thursday, governor Ivan Fedorov said, and 11 were injured in the Khortytskyi district."
        ),
        published=date(2024, 5, 11),
    )
    ingest_articles([third], ledger, reader)
    assert _only_event_of(ledger, "desk-1") != _only_event_of(ledger, "desk-2")
    assert [c.action for c in ledger.changes(apart)][0] == "created"
    merged = ledger.merge(_only_event_of(ledger, "desk-1"), apart, by="tester")
    ingest_articles([FIRST, SECOND, third], ledger, reader)  # re-ingest: nothing moves
    assert _only_event_of(ledger, "desk-1") == _only_event_of(ledger, "desk-2") == merged
    actions = [c.action for c in ledger.changes(merged)]
    assert "merged" in actions and "split" in actions


def test_export_since_gives_changes_and_deletions(ledger: Store, reader, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from warledger.cli import cli

    ingest_articles([FIRST], ledger, reader)
    mark = ledger.changes()[-1].at
    ingest_articles([SECOND], ledger, reader)
    eid = _only_event_of(ledger, "desk-1")
    by_article = ledger.article_events()
    one, other = by_article["000_c014f600812d5447.txt"][0], by_article["004_d22ff05fbc350318.txt"][0]
    gone = ledger.merge(one, other, by="tester")
    out = CliRunner().invoke(cli, ["export", "--since", mark, "--db", str(ledger.path)])
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    changed = {r["event_id"] for r in rows if not r.get("deleted")}
    deleted = [r for r in rows if r.get("deleted")]
    assert eid in changed and gone in changed
    assert len(deleted) == 1 and deleted[0]["merged_into"] == gone
    assert {"toll_history", "wave_id", "n_articles", "n_outlets"} <= set(rows[0])
    bad = CliRunner().invoke(cli, ["export", "--since", "yesterday", "--db", str(ledger.path)])
    assert bad.exit_code == 1 and "ISO 8601" in bad.output
