"""``warledger eval`` per article language: the all-languages row, then one row per language (as
the manifest gives it, else detected) when a corpus has more than one; a one-language corpus's
table is as before. The gold's own fields (killed_min, places, marginal) are read as the
reference scorer (../shared/eval/score.py) reads them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.evaluate import EvalReport, Scorer, _score, evaluate, format_table
from warledger.geo import Gazetteer
from warledger.records import Event

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
UKR_RU = SHARED / "corpus" / "ukr_ru_news"
SCORE_PY = SHARED / "eval" / "score.py"
pytestmark = pytest.mark.skipif(not (UKR_RU.is_dir() and SCORE_PY.is_file()), reason="../shared absent")


def _check_split(report: EvalReport) -> None:
    """Each language's row holds its part of the corpus: the parts add up to the whole."""
    assert [r.corpus for r in report.by_language] == ["ukr_ru_news ru", "ukr_ru_news uk"]
    assert [(r.articles, r.gold_events) for r in report.by_language] == [(9, 15), (11, 16)]
    for count in ("articles", "gold_events", "predicted_events", "matched"):
        assert sum(getattr(r, count) for r in report.by_language) == getattr(report, count)
    for name in ("killed", "location", "date"):
        assert sum(r.fields[name].scored for r in report.by_language) == report.fields[name].scored
    assert all(r.mode == report.mode == "every event" for r in report.by_language)


def _rows(table: str) -> list[list[str]]:
    """The first table's rows (after its head and rule), split into cells."""
    lines = table.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("corpus "))
    rows = []
    for ln in lines[head + 2 :]:
        if not ln.strip():
            break
        rows.append(ln.split())
    return rows


def test_eval_prints_a_row_per_language() -> None:
    res = CliRunner().invoke(cli, ["eval", str(UKR_RU)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = _rows(res.output)
    # corpus, mode (two words), articles, gold: the all-languages row, then each language's
    assert [r[:5] for r in rows[:1]] == [["ukr_ru_news", "every", "event", "20", "31"]]
    assert [r[:6] for r in rows[1:]] == [
        ["ukr_ru_news", "ru", "every", "event", "9", "15"],
        ["ukr_ru_news", "uk", "every", "event", "11", "16"],
    ]
    as_json = json.loads(CliRunner().invoke(cli, ["eval", "--json", str(UKR_RU)]).stdout)
    assert [(r["corpus"], r["gold_events"]) for r in as_json["by_language"]] == [
        ("ukr_ru_news ru", 15),
        ("ukr_ru_news uk", 16),
    ]


def test_languages_are_detected_where_the_manifest_gives_none(tmp_path: Path, reader) -> None:
    folder = tmp_path / "ukr_ru_news"
    folder.mkdir()
    for path in UKR_RU.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    shutil.copy(UKR_RU / "gold.json", folder / "gold.json")
    lines = (UKR_RU / "articles.jsonl").read_text("utf-8").splitlines()
    entries = [{k: v for k, v in json.loads(ln).items() if k != "language"} for ln in lines if ln.strip()]
    (folder / "articles.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), "utf-8")
    report = evaluate(folder, reader)
    _check_split(report)
    table = format_table([report]).splitlines()
    assert [ln.split()[:2] for ln in table[2:5]] == [
        ["ukr_ru_news", "every"],
        ["ukr_ru_news", "ru"],
        ["ukr_ru_news", "uk"],
    ]


def test_a_corpus_in_one_language_has_its_one_row(seeds_dir: Path, reader) -> None:
    report = evaluate(seeds_dir, reader)
    assert report.by_language == [] and "by_language" not in report.to_json()
    assert [r[0] for r in _rows(format_table([report]))] == ["seeds"]


def _as_predicted(g: dict[str, Any]) -> Event:
    """A gold event as the ledger would export it, had it read the strike right."""
    return Event(
        event_id=f"ev-{g['id']}",
        event_date=g["date_from"],
        date_from=g["date_from"],
        date_to=g["date_to"],
        country=g["country"],
        admin1=g["admin1"],
        location=g["location"],
        actor1=g["actor1"],
        sub_event_type=g["sub_event_type"],
        killed=g["killed"],
        injured=g["injured"],
        children_killed=g["children_killed"],
        hospitalized=g["hospitalized"],
        sources=[{"article": g["article"]}],
    )


@pytest.mark.parametrize("skip_marginal", [False, True])
def test_gold_fields_are_read_as_the_reference_scorer_reads_them(tmp_path: Path, skip_marginal: bool) -> None:
    """The gold's strikes, predicted as they are (or with the marginal ones skipped): our scorer and
    score.py agree on matches and on each field. killed_min and places set no field of their own
    (a minimum is scored as its figure; a joint toll as its entry's place) and a marginal entry
    skipped counts as missed in both, as score.py scores every gold event."""
    doc = json.loads((UKR_RU / "gold.json").read_text("utf-8"))
    assert {type(g["killed_min"]) for g in doc["events"]} == {bool}
    assert sum(bool(g.get("marginal")) for g in doc["events"]) == 10
    events = [_as_predicted(g) for g in doc["events"] if not (skip_marginal and g.get("marginal"))]
    by_article: dict[str, list[Event]] = {}
    for ev in events:
        by_article.setdefault(ev.sources[0]["article"], []).append(ev)
    gold_by_article: dict[str, list[dict[str, Any]]] = {str(a): [] for a in doc["articles"]}
    for g in doc["events"]:
        gold_by_article[g["article"]].append(g)
    ours = EvalReport("ukr_ru_news", "every event", len(doc["articles"]), len(doc["events"]), 0, 0)
    _score(ours, gold_by_article, by_article, Scorer(Gazetteer.load()))

    pred = tmp_path / "events.jsonl"
    pred.write_text("".join(json.dumps(ev.to_row(), ensure_ascii=False) + "\n" for ev in events), "utf-8")
    out = subprocess.run(
        [sys.executable, str(SCORE_PY), str(UKR_RU / "gold.json"), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    ref = json.loads(out.stdout)
    assert (ours.gold_events, ours.predicted_events, ours.matched) == (ref["gold"], ref["pred"], ref["matched"])
    assert ours.matched == 31 - 10 * skip_marginal
    assert ours.recall == pytest.approx(ref["recall"]) and ours.f1 == pytest.approx(ref["f1"])
    for name in ("killed", "injured", "children_killed", "location", "date"):
        assert ours.fields[name].accuracy == pytest.approx(ref["field_accuracy"][name]) == 1.0


def test_texts_too_short_to_tell_do_not_split_a_corpus(tmp_path: Path, reader) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    lines = [
        {
            "id": "a",
            "text": "A Russian missile hit a school in Kharkiv on Monday, killing two people, the governor said.",
        },
        {"id": "b", "text": "Kharkiv, 12.05.2025"},
    ]
    (folder / "articles.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), "utf-8")
    gold = {"about": "notes", "events": [{"article": "a", "killed": 2}, {"article": "b", "killed": None}]}
    (folder / "gold.json").write_text(json.dumps(gold), "utf-8")
    report = evaluate(folder, reader)
    assert report.articles == 2 and report.by_language == []
