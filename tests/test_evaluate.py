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
