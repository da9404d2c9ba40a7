"""Per-field confidence and attacker figures, end to end: a report stored through the real store and
linker, out through every export format, the API and ``warledger show``; unknown figures stay null."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from warledger.api import create_app
from warledger.cli import cli
from warledger.export import exporter
from warledger.records import EXPORT_KEYS, Article, DateWindow, Figure, Mention, Place, Quote
from warledger.store import Store

TEXT = (
    "A Russian drone hit a school in Sumy on 3 May 2025, killing four people and injuring 12. "
    "Two of the attackers were killed."
)
ARTICLE = Article(id="rated-1", text=TEXT, published=date(2025, 5, 4), outlet="Rated Desk")
EVIDENCE = {
    "killed": "number in the strike clause",
    "injured": "number in the strike clause",
    "place": "settlement in the strike clause",
    "date": "explicit date",
    "actor1": "named perpetrator",
}
CONFIDENCE = {
    "killed": 0.93251,
    "injured": 0.41,
    "place": 0.88,
    "date": 0.95,
    "actor1": 0.7,
    "perpetrators_killed": 0.5,
}


def rated_mention() -> Mention:
    first = Quote(ARTICLE.id, TEXT[:88], 0, 88)
    second = Quote(ARTICLE.id, TEXT[89:], 89, len(TEXT))
    return Mention(
        article=ARTICLE.id,
        date=DateWindow(date(2025, 5, 3), date(2025, 5, 3), "day", "3 May 2025"),
        place=Place("Sumy", "Sumy", "Sumy Oblast", "Ukraine", 50.9216, 34.8003, "settlement", geonameid=692194),
        actor1="Russia",
        sub_event_type="Air/drone strike",
        weapons=["drone"],
        targets=["school"],
        figures={
            "killed": Figure("killed", 4, None, None, first),
            "injured": Figure("injured", 12, None, None, first),
            "perpetrators_killed": Figure("perpetrators_killed", 2, None, None, second),
        },
        quotes=[first, second],
        evidence=dict(EVIDENCE),
        confidence=dict(CONFIDENCE),
    )


@pytest.fixture()
def ledger(db_path: Path) -> Path:
    with Store(db_path) as store:
        assert store.add_article(ARTICLE, [rated_mention()], [])
    return db_path


def _event(db: Path) -> Any:
    with Store(db) as store:
        (ev,) = list(store.events())
    return ev


def _export(db: Path, fmt: str) -> str:
    out = io.StringIO()
    with Store(db) as store:
        exporter(fmt).write(store.events(), out)
    return out.getvalue()


ROUNDED = {"killed": 0.933, "injured": 0.41, "place": 0.88, "date": 0.95, "actor1": 0.7, "perpetrators_killed": 0.5}


def test_stored_report_gives_its_event_evidence_and_confidence(ledger: Path) -> None:
    ev = _event(ledger)  # the event as stored: confidences rounded as exported, the report keeps them whole
    assert ev.confidence == ROUNDED and ev.evidence == EVIDENCE
    assert (ev.perpetrators_killed, ev.perpetrators_injured, ev.killed, ev.children_killed) == (2, None, 4, None)
    with Store(ledger) as store:
        before = store.counts()
        assert not store.add_article(ARTICLE, [rated_mention()], [])  # the same text again changes nothing
        assert store.counts() == before


def test_jsonl_carries_confidence_evidence_and_attackers(ledger: Path) -> None:
    (row,) = [json.loads(line) for line in _export(ledger, "jsonl").splitlines()]
    assert list(row) == list(EXPORT_KEYS)
    assert row["confidence"] == ROUNDED
    assert row["evidence"] == EVIDENCE
    assert (row["killed"], row["perpetrators_killed"], row["perpetrators_injured"]) == (4, 2, None)
    assert row["children_killed"] is None and row["hospitalized"] is None  # unknown is null, never 0


def test_geojson_properties_carry_confidence_and_attackers(ledger: Path) -> None:
    (feature,) = json.loads(_export(ledger, "geojson"))["features"]
    props = feature["properties"]
    assert props["confidence"] == ROUNDED and props["evidence"] == EVIDENCE
    assert (props["perpetrators_killed"], props["perpetrators_injured"], props["children_killed"]) == (2, None, None)


def test_csv_has_attacker_and_confidence_columns(ledger: Path) -> None:
    reader = csv.DictReader(io.StringIO(_export(ledger, "csv")))
    assert reader.fieldnames is not None
    assert reader.fieldnames[-6:] == [
        "confidence_killed",
        "confidence_injured",
        "confidence_place",
        "confidence_date",
        "confidence_actor1",
        "confidence_sub_event_type",
    ]
    (row,) = list(reader)
    assert (row["fatalities"], row["injured"], row["perpetrators_killed"], row["perpetrators_injured"]) == (
        "4",
        "12",
        "2",
        "",
    )
    assert (row["confidence_killed"], row["confidence_injured"], row["confidence_place"]) == ("0.933", "0.41", "0.88")
    assert (row["confidence_date"], row["confidence_actor1"], row["confidence_sub_event_type"]) == ("0.95", "0.7", "")
    assert row["children_killed"] == row["hospitalized"] == ""  # unknown is empty, never 0


def test_api_rows_and_detail_carry_confidence(ledger: Path) -> None:
    client = TestClient(create_app(ledger))
    (row,) = client.get("/api/events").json()["events"]
    assert row["confidence"] == ROUNDED and row["evidence"] == EVIDENCE
    assert (row["perpetrators_killed"], row["perpetrators_injured"], row["children_killed"]) == (2, None, None)
    detail = client.get(f"/api/events/{row['event_id']}").json()["event"]
    assert detail["confidence"] == ROUNDED and detail["perpetrators_killed"] == 2


def test_show_prints_confidence_beside_each_field_and_marks_low_ones(ledger: Path) -> None:
    ev = _event(ledger)
    res = CliRunner().invoke(cli, ["show", ev.event_id, "--db", str(ledger)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    lines = {line.split()[0]: line for line in res.output.splitlines() if line.strip()}
    assert "(confidence 0.933) [number in the strike clause]" in lines["killed"]
    assert "(confidence 0.41, low confidence)" in lines["injured"]
    assert "(confidence 0.88)" in lines["place"] and "(confidence 0.7)" in lines["actor"]
    assert "(confidence 0.95)" in lines[ev.event_id]  # the date, on the first line
    assert "confidence" not in lines["type"]  # not rated: nothing printed
    assert "(confidence 0.5, low confidence)" in lines["perpetrators_killed"]
    assert "attackers" in lines["perpetrators_killed"]
