"""Each field of an event carries the evidence and confidence of the report its value comes from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from warledger.link import Report, summarize
from warledger.records import Figure, Quote

QUOTE = Quote("a", "a sentence", 0, 10)
PLACE = {"country": "Ukraine", "admin1": "Zaporizhzhia Oblast", "latitude": 47.8, "longitude": 35.2}


def report(
    article: str,
    published: str,
    fields: dict[str, Any],
    figures: Sequence[tuple[str, int, str | None]] = (),
    confidence: dict[str, float] | None = None,
) -> Report:
    full = {
        "date_from": None,
        "date_to": None,
        "date_precision": None,
        "country": None,
        "admin1": None,
        "location": None,
        "latitude": None,
        "longitude": None,
        "geo_precision": None,
        "actor1": None,
        "sub_event_type": None,
        "weapons": [],
        "targets": [],
        **fields,
    }
    confidence = confidence or {}
    return Report(
        f"mn-{article}",
        article,
        0,
        f"outlet {article}",
        published,
        None,
        full,
        [Figure(kind, value, None, None, QUOTE, by) for kind, value, by in figures],  # type: ignore[arg-type]
        [],
        [],
        {k: f"evidence of {article}" for k in confidence},
        confidence,
    )


FIRST = report(
    "first",
    "2024-05-10",
    {
        "date_from": "2024-05-09",
        "date_to": "2024-05-09",
        "date_precision": "day",
        **PLACE,
        "location": "Zaporizhzhya",
        "geo_precision": "settlement",
        "actor1": "Russia",
    },
    [("killed", 3, "regional governor"), ("injured", 8, None)],
    {"killed": 0.7, "injured": 0.55, "date": 0.5, "place": 0.8, "actor1": 0.6},
)
SECOND = report(
    "second",
    "2024-05-11",
    {
        "date_from": "2024-05-06",
        "date_to": "2024-05-12",
        "date_precision": "week",
        **PLACE,
        "geo_precision": "admin1",
        "actor1": "Russia",
    },
    [("killed", 5, "State Emergency Service")],
    {"killed": 0.9, "date": 0.95, "place": 0.99, "actor1": 0.8},
)
WITNESS = report(
    "third",
    "2024-05-12",
    {"actor1": None},
    [("killed", 7, "witnesses")],
    {"killed": 0.99, "actor1": 0.99},
)


def test_each_field_rests_on_the_report_its_value_comes_from() -> None:
    ev = summarize("ev-x", [WITNESS, SECOND, FIRST])
    assert (ev.killed, ev.injured, ev.location, ev.date_from, ev.date_to) == (
        5,
        8,
        "Zaporizhzhya",
        "2024-05-09",
        "2024-05-09",
    )
    assert ev.confidence == {
        "killed": 0.9,  # the credible latest figure (SECOND), not the witnesses' 7
        "injured": 0.55,  # the only injured figure
        "place": 0.8,  # the settlement FIRST gives, not SECOND's oblast
        "date": 0.5,  # the day FIRST gives, not SECOND's broader week
        "actor1": 0.8,  # the most confident report naming Russia
    }
    assert ev.evidence == {
        "killed": "evidence of second",
        "injured": "evidence of first",
        "place": "evidence of first",
        "date": "evidence of first",
        "actor1": "evidence of second",
    }


def test_a_field_without_value_or_without_rating_has_no_entry() -> None:
    unrated = report("plain", "2024-05-10", {"actor1": "Russia"}, [("killed", 2, None)])
    assert summarize("ev-y", [unrated]).confidence == {}
    ev = summarize("ev-z", [report("r", "2024-05-10", {}, [], {"killed": 0.9, "place": 0.8, "date": 0.7})])
    assert ev.killed is None and ev.confidence == {} and ev.evidence == {}


def test_date_window_common_to_reports_takes_the_most_confident_report_holding_it() -> None:
    a = report(
        "a",
        "2024-05-10",
        {"date_from": "2024-05-08", "date_to": "2024-05-09", "date_precision": "day"},
        [],
        {"date": 0.6},
    )
    b = report(
        "b",
        "2024-05-10",
        {"date_from": "2024-05-09", "date_to": "2024-05-10", "date_precision": "day"},
        [],
        {"date": 0.7},
    )
    ev = summarize("ev-d", [a, b])
    assert (ev.date_from, ev.date_to) == ("2024-05-09", "2024-05-09")
    assert ev.confidence == {"date": 0.7}
