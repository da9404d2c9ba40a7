"""End to end through the command line, on the seed reports and on bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from warledger.cli import cli
from warledger.records import EXPORT_KEYS


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_seeds_end_to_end(seeds_dir: Path, db_path: Path) -> None:
    res = run("ingest", str(seeds_dir), "--db", str(db_path))
    assert res.exit_code == 0, res.output
    assert "3 article(s) added" in res.output
    table = run("events", "--db", str(db_path)).output
    assert "Kryvyi Rih" in table and "Samar, Dnipropetrovsk Oblast" in table and "Moscow, Moscow, Russia" in table
    out = run("export", "--format", "jsonl", "--db", str(db_path)).output
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) >= 12
    assert all(list(r) == list(EXPORT_KEYS) for r in rows)
    assert {"perpetrators_killed", "perpetrators_injured", "evidence", "confidence"} <= set(EXPORT_KEYS)
    big = max(rows, key=lambda r: r["killed"] or 0)
    assert (big["killed"], big["children_killed"], big["injured"], big["hospitalized"]) == (18, 9, 61, 40)
    assert big["claims"] and big["claims"][0]["killed"] == 85 and big["claims"][0]["disputed"] is True
    shown = run("show", big["event_id"], "--db", str(db_path)).output
    assert "killed 18 people, including nine children" in shown
    assert "DISPUTED Russia (killed 85)" in shown


def test_cli_reingest_changes_nothing(seeds_dir: Path, db_path: Path) -> None:
    run("ingest", str(seeds_dir), "--db", str(db_path))
    first = run("export", "--db", str(db_path)).output
    again = run("ingest", str(seeds_dir), "--db", str(db_path))
    assert "0 article(s) added, 3 unchanged" in again.output
    assert run("export", "--db", str(db_path)).output == first


def test_cli_bad_input_reported_and_rest_stored(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Shelling killed four people in Kherson on Tuesday.\n")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 20)
    (folder / "latin1.txt").write_bytes("caf\xe9 was hit".encode("latin-1"))
    (folder / "feed.jsonl").write_text(
        '{"id": "a", "text": "A drone hit a house in Sumy, injuring two."}\n{"id": "b", "text": \n'
    )
    res = CliRunner().invoke(cli, ["ingest", str(folder), "--db", str(db_path)])
    assert res.exit_code == 0
    err = res.stderr if hasattr(res, "stderr") else res.output
    for name in ("empty.txt", "binary.txt", "latin1.txt", "feed.jsonl:2"):
        assert name in err
    assert "2 article(s) added" in res.output


def test_cli_export_csv_and_geojson(seeds_dir: Path, db_path: Path, tmp_path: Path) -> None:
    run("ingest", str(seeds_dir), "--db", str(db_path))
    csv_path, geo_path = tmp_path / "e.csv", tmp_path / "e.geojson"
    run("export", "--format", "csv", "-o", str(csv_path), "--db", str(db_path))
    run("export", "--format", "geojson", "-o", str(geo_path), "--db", str(db_path))
    rows = list(csv.DictReader(csv_path.read_text().splitlines()))
    assert {"event_id_cnty", "event_date", "sub_event_type", "actor1", "admin1", "location", "fatalities"} <= set(
        rows[0]
    )
    assert any(r["fatalities"] == "" for r in rows)  # unknown stays empty, never 0
    gj = json.loads(geo_path.read_text())
    assert gj["type"] == "FeatureCollection" and len(gj["features"]) == len(rows)
    unplaced = [f for f in gj["features"] if f["properties"]["geo_precision"] == "country"]
    assert all(f["geometry"] is None for f in unplaced)


def test_cli_unknown_event_and_format_are_one_line_errors(db_path: Path) -> None:
    res = CliRunner().invoke(cli, ["show", "ev-nope", "--db", str(db_path)])
    assert res.exit_code == 1 and "no event 'ev-nope'" in res.output
    res = CliRunner().invoke(cli, ["export", "--format", "xml", "--db", str(db_path)])
    assert res.exit_code == 1 and "Available: jsonl, csv, geojson" in res.output


def test_cli_demo_prints_ledger(db_path: Path) -> None:
    res = run("demo", "--db", str(db_path))
    assert res.exit_code == 0
    assert "event" in res.output and "killed" in res.output


def test_cli_geocode_one_string_and_stdin() -> None:
    res = run("geocode", "Krasnopil, Sumy region")
    row = json.loads(res.output)
    assert (row["location"], row["admin1"], row["country"]) == ("Krasnopillia", "Sumy Oblast", "Ukraine")
    res = CliRunner().invoke(cli, ["geocode", "-"], input="Kharkiv\nnowhere at all\n")
    rows = [json.loads(line) for line in res.output.splitlines()]
    assert [r["query"] for r in rows] == ["Kharkiv", "nowhere at all"]
    assert rows[0]["geo_precision"] == "settlement" and rows[1]["location"] is None


def test_cli_show_log_merge_split(seeds_dir: Path, db_path: Path) -> None:
    run("ingest", str(seeds_dir), "--db", str(db_path))
    rows = [json.loads(line) for line in run("export", "--db", str(db_path)).output.splitlines()]
    dnipro = next(r for r in rows if r["location"] == "Dnipro")
    samar = next(r for r in rows if r["location"] == "Samar")
    # one night's barrage on two places, told by one article: one wave
    assert dnipro["wave_id"] and dnipro["wave_id"] == samar["wave_id"]
    shown = run("show", dnipro["event_id"], "--db", str(db_path)).output
    assert "toll history" in shown and "per Ukrainian police" in shown and "wave " + dnipro["wave_id"] in shown
    kr = [r for r in rows if r["location"] == "Kryvyi Rih"]
    a, b = (
        kr[0]["event_id"],
        next(r["event_id"] for r in kr if r["sources"][0]["article"] != kr[0]["sources"][0]["article"]),
    )
    merged = run("merge", a, b, "--by", "analyst", "--db", str(db_path))
    assert merged.exit_code == 0 and "now one event" in merged.output
    new_id = merged.output.split(": ")[-1].strip()
    log = run("log", new_id, "--db", str(db_path)).output
    assert "merged" in log and "merged by analyst" in log
    article = kr[0]["sources"][0]["article"]
    split = run("split", new_id, article, "--by", "analyst", "--db", str(db_path))
    assert split.exit_code == 0, split.output
    assert len(run("export", "--db", str(db_path)).output.splitlines()) == len(rows)
    res = CliRunner().invoke(cli, ["split", new_id, "no-such-article", "--db", str(db_path)])
    assert res.exit_code == 1 and "is not a report of event" in res.output


def test_cli_report_and_token(seeds_dir: Path, db_path: Path, tmp_path: Path) -> None:
    run("ingest", str(seeds_dir), "--db", str(db_path))
    out = tmp_path / "sitrep.html"
    res = run("report", "--from", "2025-06-23", "--to", "2025-06-24", "-o", str(out), "--db", str(db_path))
    assert res.exit_code == 0 and "event(s)" in res.output
    assert "Dnipro" in out.read_text(encoding="utf-8")
    bad = CliRunner().invoke(
        cli, ["report", "--from", "2025-06-23", "--to", "2025-06-24", "-o", "x.doc", "--db", str(db_path)]
    )
    assert bad.exit_code == 1 and "x.doc" in bad.output
    made = run("token", "create", "feed", "--db", str(db_path))
    assert made.exit_code == 0 and made.output.startswith("wl_")
    again = CliRunner().invoke(cli, ["token", "create", "feed", "--db", str(db_path)])
    assert again.exit_code == 1 and "feed" in again.output


def test_cli_ingest_records_what_the_gate_skips(seeds_dir: Path, tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for f in seeds_dir.glob("*.txt"):
        (folder / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    calm = "The city council approved a new budget for parks, libraries and bus lanes on Tuesday. " * 12
    (folder / "council.txt").write_text(calm, encoding="utf-8")
    res = run("ingest", str(folder), "--db", str(db_path))
    assert res.exit_code == 0, res.output
    assert "3 article(s) added, 0 unchanged, 1 skipped by the gate" in res.output
    listed = run("skipped", "--db", str(db_path)).output
    assert "council" in listed and "no violence or casualty term" in listed
    again = run("ingest", str(folder), "--db", str(db_path))
    assert "0 article(s) added, 4 unchanged, 0 skipped by the gate" in again.output
