"""Each quote carries its article's language: a real Ukrainian report (language detected on
reading) stored with its gold strike, then read back through the ledger, ``warledger show``, the
API's event detail and every export; a ledger stored before sources named their language gets it
on open (migration 0012). The page's side is in tests/web/test_page.py."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from cyrillic import UKR_RU, uman_article, uman_mentions
from fastapi.testclient import TestClient

from warledger.api import create_app
from warledger.cli import cli
from warledger.records import Event
from warledger.store import Store

pytestmark = pytest.mark.skipif(not UKR_RU.is_dir(), reason="../shared/corpus/ukr_ru_news absent")
TOKEN = "language-token"


@pytest.fixture()
def uman_db(db_path: Path | str) -> Path | str:
    article = uman_article()
    assert article.language == "uk"  # detected: read without its manifest
    with Store(db_path) as store:
        assert store.add_article(article, uman_mentions(article), [])
    return db_path


def _event(db: Path | str) -> Event:
    with Store(db) as store:
        (ev,) = list(store.events())
    return ev


def test_sources_and_toll_history_name_the_articles_language(uman_db: Path | str) -> None:
    ev = _event(uman_db)
    assert (ev.location, ev.killed) == ("Uman", 15)
    (toll,) = ev.toll_history
    assert toll["language"] == "uk" and "кількість жертв" in toll["quote"]  # the quote as published
    assert {s["language"] for s in ev.sources} == {"uk"}
    assert ev.sources[0]["quote"] == toll["quote"]


def test_show_gives_the_language_beside_each_quote(uman_db: Path | str) -> None:
    ev = _event(uman_db)
    res = CliRunner().invoke(cli, ["show", ev.event_id, "--db", str(uman_db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    (quoted,) = [ln for ln in lines if "кількість жертв" in ln]
    assert quoted.strip().startswith("[uk] \u201c")  # the quote as published, its language before it
    assert any("uk_RegioNews_20230428_uman_toll_15.txt" in ln and "language uk" in ln for ln in lines)


def test_api_event_detail_gives_the_language(uman_db: Path | str) -> None:
    ev = _event(uman_db)
    client = TestClient(create_app(uman_db, tokens=[TOKEN]))
    detail = client.get(f"/api/events/{ev.event_id}", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert detail["event"]["toll_history"][0]["language"] == "uk"
    assert detail["event"]["sources"][0]["language"] == "uk"
    assert detail["articles"]["uk_RegioNews_20230428_uman_toll_15.txt"]["language"] == "uk"


def test_exports_carry_the_language_and_keep_their_columns(uman_db: Path | str, tmp_path: Path) -> None:
    runner = CliRunner()
    out = {}
    for fmt in ("jsonl", "csv", "parquet"):
        path = tmp_path / f"events.{fmt}"
        res = runner.invoke(cli, ["export", "--format", fmt, "-o", str(path), "--db", str(uman_db)])
        assert res.exit_code == 0, res.output
        out[fmt] = path
    (row,) = [json.loads(ln) for ln in out["jsonl"].read_text("utf-8").splitlines()]
    assert [t["language"] for t in row["toll_history"]] == ["uk"]
    assert {s["language"] for s in row["sources"]} == {"uk"}
    (cells,) = list(csv.DictReader(io.StringIO(out["csv"].read_text("utf-8"))))
    assert {s["language"] for s in json.loads(cells["sources"])} == {"uk"}
    assert "language" not in cells  # the ACLED layout keeps its columns: the language is in 'sources'
    (typed,) = pq.read_table(out["parquet"]).to_pylist()
    assert typed["toll_history"][0]["language"] == typed["sources"][0]["language"] == "uk"


def test_a_ledger_stored_before_gets_the_language_on_open(uman_db: Path | str) -> None:
    with Store(uman_db) as store, store.db.write():
        body = json.loads(store.db.execute("SELECT body FROM events").fetchone()[0])
        for entry in body["sources"] + body["toll_history"]:
            del entry["language"]
        store.db.execute("UPDATE events SET body = ?", (json.dumps(body, ensure_ascii=False),))
        store.db.execute("DELETE FROM schema_migrations WHERE name = '0012_source_language'")
    assert "language" not in json.dumps(body["sources"])
    ev = _event(uman_db)
    assert [t["language"] for t in ev.toll_history] == ["uk"]
    assert {s["language"] for s in ev.sources} == {"uk"}


def test_posted_articles_get_their_language(db_path: Path | str, reader) -> None:
    """POST /api/articles: the language an item gives is kept, else it is told from the text."""
    ria, meduza = (
        UKR_RU / f"ru_{name}.txt"
        for name in ("RIA_20250815_belgorod_centre_drone", "Meduza_20250815_kursk_apartment_drone")
    )
    client = TestClient(create_app(db_path, tokens=[TOKEN], reader=reader))
    items = [
        {"id": "posted-ru", "text": ria.read_text("utf-8")},
        {"id": "posted-given", "text": meduza.read_text("utf-8"), "language": "uk"},  # kept, wrong as it is
    ]
    body = client.post("/api/articles", json=items, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert body["problems"] == [] and body["added"] + body["skipped"] == 2
    with Store(db_path) as store:
        stored = {a: store.article(a) for a in ("posted-ru", "posted-given")}
        skipped = {s.id: s.language for s in store.skipped()}
    languages = {a: row["language"] if row else skipped[a] for a, row in stored.items()}
    assert languages == {"posted-ru": "ru", "posted-given": "uk"}
