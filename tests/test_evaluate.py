"""The evaluation against gold: the seeds must meet the issue's bar."""

from __future__ import annotations

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
