"""The evaluation against gold: the seeds must meet the issue's bar."""

from __future__ import annotations

import json
from pathlib import Path

from warledger.evaluate import evaluate, format_table


def test_evaluate_seeds_meet_the_bar(seeds_dir: Path, reader) -> None:
    report = evaluate(seeds_dir, reader)
    table = format_table([report])
    assert report.mode == "every event"
    assert report.f1 is not None and report.f1 >= 0.90, table
    for name in ("killed", "injured", "location", "date"):
        acc = report.fields[name].accuracy
        assert acc is not None and acc >= 0.90, table


def test_evaluate_headline_mode_on_acled(corpus_dir: Path, reader) -> None:
    report = evaluate(corpus_dir / "acled", reader)
    assert report.mode == "headline"
    assert report.articles == report.gold_events
    assert report.fields["admin1"].scored == report.gold_events


def _corpus(root: Path, name: str, articles: list[dict], gold: list[dict]) -> Path:
    import json

    folder = root / name
    folder.mkdir()
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    (folder / "gold.json").write_text(json.dumps({"about": name, "events": gold}))
    return folder


def test_evaluate_all_scores_each_corpus_folder(tmp_path: Path, reader) -> None:
    from warledger.evaluate import evaluate_all

    _corpus(
        tmp_path,
        "incidents",
        [
            {"id": "a", "text": "Gunmen opened fire on a bus near Mosul, killing six passengers and wounding nine."},
            {"id": "b", "text": "A bomb exploded at a market in Kano. No casualties were reported."},
        ],
        [{"article": "a", "killed": 6, "injured": 9}, {"article": "b", "killed": 0, "injured": 0}],
    )
    _corpus(
        tmp_path,
        "places",
        [{"id": "p1", "text": "Homes were hit by shelling.", "place": "Izium, Kharkiv oblast"}],
        [{"article": "p1", "place_text": "Izium, Kharkiv oblast", "latitude": 49.2128, "longitude": 37.2569}],
    )
    reports = {r.corpus: r for r in evaluate_all(tmp_path, reader)}
    assert set(reports) == {"incidents", "places"}
    inc = reports["incidents"]
    assert inc.mode == "headline"
    assert (inc.fields["killed"].right, inc.fields["injured"].right) == (2, 2)
    geo = reports["places"].geo
    assert geo is not None and geo.strings == 1 and geo.within(10) == 1.0
    table = format_table(list(reports.values()))
    assert "geocoding of place strings" in table and "incidents" in table


def test_evaluate_counts_attackers_where_the_codebook_does(tmp_path: Path, reader) -> None:
    text = "Two attackers and three police officers were killed in the raid on the post."
    gold = [{"article": "x", "killed": 5}]
    counted = evaluate(_corpus(tmp_path, "gtd", [{"id": "x", "text": text}], gold), reader)
    victims_only = evaluate(_corpus(tmp_path, "wiki_terror", [{"id": "x", "text": text}], gold), reader)
    assert counted.fields["killed"].right == 1
    assert victims_only.fields["killed"].right == 0


# --- unmatched events by kind, negatives, silence as zero ---------------------------------------


def test_seeds_report_unmatched_events_by_kind_and_calibration_rows(seeds_dir: Path, reader) -> None:
    from warledger.evaluate import CALIBRATED, MISSED_KINDS, SPURIOUS_KINDS

    report = evaluate(seeds_dir, reader)
    kinds = report.error_kinds()
    assert kinds is not None
    assert list(kinds["spurious"]) == list(SPURIOUS_KINDS) and list(kinds["missed"]) == list(MISSED_KINDS)
    assert report.predicted_events == report.matched + sum(kinds["spurious"].values())
    assert report.gold_events == report.matched + sum(kinds["missed"].values())
    assert len(report.spurious) == sum(kinds["spurious"].values())
    table = format_table([report])
    assert "unmatched events by kind" in table and "no such strike" in table and "settlement not found" in table
    assert report.to_json()["errors"] == kinds
    # one calibration row per field the gold codes and the event rates: place, date, actor and type
    # always carry a rating; a figure the text does not give carries none and is left out
    assert all(r.evidence for r in report.calibration_rows)
    for name, check in CALIBRATED.items():
        rows = [r for r in report.calibration_rows if r.field == name]
        if name in ("place", "date", "actor1", "sub_event_type"):
            assert len(rows) == report.fields[check].scored
            assert sum(r.correct for r in rows) == report.fields[check].right
        else:
            assert 0 < len(rows) <= report.fields[check].scored
            assert sum(r.correct for r in rows) <= report.fields[check].right
    gold_articles = {g["article"] for g in json.loads((seeds_dir / "gold.json").read_text())["events"]}
    assert {r.article for r in report.calibration_rows} <= gold_articles


def test_articles_with_no_gold_strike_count_their_events_as_spurious(tmp_path: Path, reader) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    articles = [
        {
            "id": "two",
            "text": "A Russian missile hit Kharkiv, killing three people. A drone hit Odesa, killing one man.",
        },
        {"id": "none", "text": "A Russian missile hit Poltava, killing four people."},
    ]
    gold = [
        {"article": "two", "country": "Ukraine", "location": "Kharkiv", "killed": 3},
        {"article": "two", "country": "Ukraine", "location": "Odesa", "killed": 1},
    ]
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in articles))
    (folder / "gold.json").write_text(json.dumps({"about": "t", "articles": ["two", "none"], "events": gold}))
    report = evaluate(folder, reader)
    assert report.mode == "every event"
    assert report.matched == 2
    negatives = [s for s in report.spurious if s[0] == "none"]
    assert negatives and all(kind == "strike in an article that reports none" for _, kind, _ in negatives)
    assert report.predicted_events == report.matched + len(report.spurious)
    assert report.precision is not None and report.precision < 1.0


def test_a_predicted_null_reads_as_zero_where_the_codebook_writes_zero_for_silence() -> None:
    from warledger.evaluate import SILENCE_IS_ZERO, Scorer
    from warledger.records import Event

    silent = Event(event_id="e")  # no figure read
    gold = {"killed": 0, "injured": 0}
    assert {"gtd", "gva"} <= SILENCE_IS_ZERO and not {"seeds", "war_news", "ukr_ru_news"} & SILENCE_IS_ZERO
    assert Scorer(None, silence_is_zero=True).field_ok("injured", silent, gold) is True  # type: ignore[arg-type]
    assert Scorer(None).field_ok("injured", silent, gold) is False  # type: ignore[arg-type]
    # the gold's own null (no figure) is still not a zero
    assert Scorer(None, silence_is_zero=True).field_ok("injured", silent, {"injured": None}) is False  # type: ignore[arg-type]


# --- calibration ------------------------------------------------------------------------------------


def test_fit_smooths_each_evidence_kind_toward_its_field() -> None:
    from warledger.calibrate import confidence, fit

    rows = [("killed", "a", True)] * 3 + [("killed", "a", False)] + [("killed", "b", False)] * 2
    table = fit(rows)
    # field base (3 + 1) / (6 + 2) = 0.5; a: (3 + 5 * 0.5) / (4 + 5); b: (0 + 2.5) / (2 + 5)
    assert table["killed"]["*"] == 0.5
    assert abs(table["killed"]["a"] - 5.5 / 9) < 1e-12
    assert abs(table["killed"]["b"] - 2.5 / 7) < 1e-12
    assert confidence(table, "killed", "never seen") == 0.5
    assert confidence(table, "injured", "a") is None
    assert confidence(None, "killed", "a") is None


def test_calibration_file_round_trip_absent_and_malformed(tmp_path: Path, data_file_error) -> None:
    from warledger.calibrate import fit, load, save

    assert load(tmp_path / "absent.json") is None
    table = fit([("place", "settlement in the strike clause", True), ("place", "none", False)])
    path = save(table, tmp_path / "calibration.json")
    back = load(path)
    assert back is not None and set(back["place"]) == {"settlement in the strike clause", "none", "*"}
    assert abs(back["place"]["none"] - table["place"]["none"]) < 1e-4
    assert "probability" in data_file_error("bad.json", {"fields": {"killed": {"x": 1.5}}}, load)
    assert "fields" in data_file_error("bad2.json", {"fields": []}, load)
    (tmp_path / "broken.json").write_text("{not json")
    import pytest

    from warledger.errors import DataFileError

    with pytest.raises(DataFileError, match="broken.json"):
        load(tmp_path / "broken.json")


def test_reliability_bins_and_expected_calibration_error() -> None:
    from warledger.calibrate import Prediction, ece, reliability

    preds = [Prediction("killed", 0, 0.85, ok) for ok in (True, True, True, False)]
    preds += [Prediction("place", 1, 0.25, ok) for ok in (True, False)]
    bins = reliability(preds)
    assert len(bins) == 10 and [b.n for b in bins] == [0, 0, 2, 0, 0, 0, 0, 0, 4, 0]
    assert bins[8].accuracy == 0.75 and bins[2].accuracy == 0.5
    # 4/6 * |0.75 - 0.85| + 2/6 * |0.5 - 0.25|
    assert abs((ece(preds) or 0) - (4 / 6 * 0.1 + 2 / 6 * 0.25)) < 1e-12
    assert reliability([Prediction("date", 0, 1.0, True)])[-1].n == 1
    assert ece([]) is None


def test_cross_validation_fits_each_article_on_the_other_folds() -> None:
    from warledger.calibrate import Row, calibration_report, cross_validate, fold_of

    assert fold_of("AP_x.txt") == fold_of("AP_x.txt") and 0 <= fold_of("AP_x.txt") < 5
    arts: dict[int, str] = {}
    i = 0
    while len(arts) < 3:
        arts.setdefault(fold_of(f"art{i}"), f"art{i}")
        i += 1
    a, b, c = arts.values()
    rows = [Row(a, "killed", "x", True), Row(b, "killed", "x", False), Row(c, "killed", "x", True)]
    rows.append(Row(a, "date", "window", True))  # a field only one fold holds
    got = {(p.field, p.fold): p.confidence for p in cross_validate(rows)}
    # a: fitted on b (wrong) and c (right): base 2/4, x (1 + 2.5) / 7 = 0.5; same for c
    assert got[("killed", fold_of(a))] == 0.5 and got[("killed", fold_of(c))] == 0.5
    # b: fitted on a and c (both right): base 3/4, x (2 + 3.75) / 7
    assert abs(got[("killed", fold_of(b))] - 5.75 / 7) < 1e-12
    assert got[("date", fold_of(a))] == 0.5  # unseen field: uninformative
    summary = calibration_report(rows).to_json()
    by_fold = summary["ece_by_fold"]
    assert abs(by_fold[fold_of(b)] - 5.75 / 7) < 1e-12  # one wrong prediction at 0.82
    assert abs(by_fold[fold_of(a)] - 0.5) < 1e-12  # two right at 0.5
    assert abs(summary["ece_fold_mean"] - (0.5 + 5.75 / 7 + 0.5) / 3) < 1e-12
    assert sum(b["n"] for b in summary["reliability"]) == 4


def test_eval_calibrate_writes_the_table(seeds_dir: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from warledger.calibrate import load
    from warledger.cli import cli

    out = tmp_path / "cal.json"
    res = CliRunner().invoke(cli, ["eval", str(seeds_dir), "--calibrate", "--calibration-out", str(out)])
    assert res.exit_code == 0, res.output
    assert "unmatched events by kind" in res.output and str(out) in res.output
    table = load(out)
    assert table is not None and {"killed", "place", "date"} <= set(table)
    assert all(0.0 < p < 1.0 for entry in table.values() for p in entry.values())
