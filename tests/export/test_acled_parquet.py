"""The ACLED columns the CSV gained (actor2, civilian_targeting, iso, admin2, timestamp) and the
typed Parquet export, on ledgers built through the real store (and, for Parquet, the seed reports
read by the real pipeline): what the ledger knows is filled, the rest left empty."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.export import exporter, parquet_schema
from warledger.export.exporters import ACLED_COLUMNS, civilian_targets
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import EXPORT_KEYS, Article, DateWindow, Figure, Mention, Place, Quote
from warledger.store import Store

SCHOOL = "A Russian drone hit a school in Sumy on 3 May 2025, killing four people."
BASE = "Ukrainian drones struck a military airfield in Kursk region on 9 June 2025."


def _mention(article: Article, day: date, place: Place, targets: list[str], killed: int | None) -> Mention:
    quote = Quote(article.id, article.text, 0, len(article.text))
    figures = {"killed": Figure("killed", killed, None, None, quote)} if killed is not None else {}
    return Mention(
        article=article.id,
        date=DateWindow(day, day, "day", day.isoformat()),
        place=place,
        actor1="Russia" if "Russian" in article.text else "Ukraine",
        sub_event_type="Air/drone strike",
        weapons=["drone"],
        targets=targets,
        figures=figures,
        quotes=[quote],
    )


SUMY = Place("Sumy", "Sumy", "Sumy Oblast", "Ukraine", 50.9216, 34.8003, "settlement", geonameid=692194)
KURSK_REGION = Place("Kursk region", None, "Kursk", "Russia", 51.7373, 36.1874, "admin1")


@pytest.fixture()
def ledger(db_path: Path) -> Path:
    school = Article(id="acled-school", text=SCHOOL, published=date(2025, 5, 4), outlet="Desk A")
    base = Article(id="acled-base", text=BASE, published=date(2025, 6, 10), outlet="Desk B")
    with Store(db_path) as store:
        assert store.add_article(school, [_mention(school, date(2025, 5, 3), SUMY, ["school"], 4)], [])
        assert store.add_article(base, [_mention(base, date(2025, 6, 9), KURSK_REGION, ["military"], None)], [])
    return db_path


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


def _csv_rows(db: Path, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "ledger.csv"
    res = run("export", "--format", "csv", "-o", str(out), "--db", str(db))
    assert res.exit_code == 0, res.output
    reader = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))
    assert reader.fieldnames is not None and reader.fieldnames[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    return list(reader)


def test_csv_fills_the_acled_columns_the_ledger_knows(ledger: Path, tmp_path: Path) -> None:
    started = int(datetime.now(UTC).timestamp())
    rows = {r["location"] or r["admin1"]: r for r in _csv_rows(ledger, tmp_path)}
    school, base = rows["Sumy"], rows["Kursk"]
    # a school is a civilian object: ACLED's civilian targeting, its civilians the country's
    assert (school["civilian_targeting"], school["actor2"]) == ("Civilian targeting", "Civilians (Ukraine)")
    assert (school["iso"], school["admin2"], school["fatalities"]) == ("804", "Sumskyi Raion", "4")
    # a military target is not; a point that stands for the whole oblast has no admin2
    assert (base["civilian_targeting"], base["actor2"], base["admin2"]) == ("", "", "")
    assert (base["iso"], base["country"], base["fatalities"]) == ("643", "Russia", "")
    with Store(ledger) as store:
        changed = store.last_changed()
    for row in (school, base):
        stamp = int(row["timestamp"])
        assert stamp == int(datetime.fromisoformat(changed[row["event_id_cnty"]]).timestamp())
        assert started - 600 <= stamp <= int(datetime.now(UTC).timestamp())


def test_timestamp_follows_the_last_change(ledger: Path, tmp_path: Path) -> None:
    with Store(ledger) as store:
        before = store.last_changed()
    rows = list(csv.DictReader(io.StringIO(_library_csv(ledger))))
    assert {r["timestamp"] for r in rows} == {""}  # no change times given: empty, not a guess
    follow = Article(id="acled-school-2", text=SCHOOL + " Six people died.", published=date(2025, 5, 5))
    with Store(ledger) as store:
        assert store.add_article(follow, [_mention(follow, date(2025, 5, 3), SUMY, ["school"], 6)], [])
        after = store.last_changed()
    school = {r["location"]: r for r in _csv_rows(ledger, tmp_path)}["Sumy"]
    eid = school["event_id_cnty"]
    assert school["fatalities"] == "6"  # the follow-up joined the event and changed its toll
    assert after[eid] > before[eid] and int(school["timestamp"]) == int(datetime.fromisoformat(after[eid]).timestamp())
    assert {k: v for k, v in after.items() if k != eid} == {k: v for k, v in before.items() if k != eid}


def _library_csv(db: Path) -> str:
    out = io.StringIO()
    with Store(db) as store:
        exporter("csv").write(store.events(), out)
    return out.getvalue()


def test_civilian_list_must_name_known_targets(data_file_error) -> None:
    bad = {"targets": {"school": ["school"]}, "civilian": ["school", "spaceship"]}
    assert "'civilian' must be a list of target names" in data_file_error("targets.json", bad, civilian_targets)
    assert "school" in civilian_targets() and "military" not in civilian_targets()


def _json_value(value: Any, kind: pa.DataType) -> Any:
    """A Parquet value as the JSON-lines export writes it."""
    if value is None:
        return None
    if pa.types.is_date32(kind):
        return value.isoformat()
    if pa.types.is_map(kind):
        return {k: _json_value(v, kind.item_type) for k, v in value}
    if pa.types.is_list(kind):
        return [_json_value(v, kind.value_type) for v in value]
    if pa.types.is_struct(kind):
        return {f.name: _json_value(value[f.name], f.type) for f in kind}
    return value


def _parquet_as_jsonl(path: Path) -> list[dict[str, Any]]:
    table = pq.read_table(path)
    return [{f.name: _json_value(row[f.name], f.type) for f in table.schema} for row in table.to_pylist()]


@pytest.fixture()
def seeds_ledger(db_path: Path, seeds_dir: Path, reader) -> Path:
    with Store(db_path) as store:
        ingest_articles(read_paths([seeds_dir]).articles, store, reader)
    return db_path


def test_parquet_is_typed_and_holds_what_jsonl_holds(seeds_ledger: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.parquet"
    res = run("export", "--format", "parquet", "-o", str(out), "--db", str(seeds_ledger))
    assert res.exit_code == 0, res.output
    schema = pq.read_schema(out)
    assert schema.names == list(EXPORT_KEYS)
    assert schema.equals(parquet_schema())
    assert schema.field("event_date").type == pa.date32() and schema.field("latitude").type == pa.float64()
    assert schema.field("killed").type == pa.int64() and schema.field("n_articles").type == pa.int64()
    jsonl = [json.loads(line) for line in run("export", "--db", str(seeds_ledger)).output.splitlines()]
    rows = _parquet_as_jsonl(out)
    assert f"{len(rows)} event(s) written to {out}" in res.output
    assert rows == jsonl  # every field, nested toll history, sources and claims included
    assert any(r["toll_history"] and r["claims"] for r in rows)
    killed = pq.read_table(out, columns=["killed", "children_killed"])
    assert killed.column("killed").null_count > 0  # unknown stays null, never 0
    assert 0 not in killed.column("children_killed").to_pylist()


def test_parquet_of_an_empty_ledger_has_the_columns(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty.parquet"
    assert run("export", "--format", "parquet", "-o", str(out), "--db", str(db_path)).exit_code == 0
    assert pq.read_table(out).num_rows == 0 and pq.read_schema(out).equals(parquet_schema())


def test_parquet_needs_a_file_and_refuses_since(ledger: Path, tmp_path: Path) -> None:
    res = run("export", "--format", "parquet", "--db", str(ledger))
    assert res.exit_code == 1
    assert res.output.strip() == "Error: [W000] parquet is a binary format: give the file to write with -o FILE"
    out = tmp_path / "since.parquet"
    res = run("export", "--format", "parquet", "-o", str(out), "--since", "2025-01-01T00:00:00", "--db", str(ledger))
    assert res.exit_code == 1 and not out.exists()
    assert "--since needs a format that can list deleted events (jsonl, geojson), not parquet" in res.output
    res = run("export", "--format", "parquet", "-o", str(tmp_path / "no" / "such" / "x.parquet"), "--db", str(ledger))
    assert res.exit_code == 1 and len(res.output.strip().splitlines()) == 1 and "cannot write" in res.output
