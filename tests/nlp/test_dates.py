from __future__ import annotations

from datetime import date

import pytest

from warledger.nlp.dates import find_dates

SAT = date(2025, 4, 5)  # a Saturday
MON = date(2023, 7, 31)  # a Monday


@pytest.mark.parametrize(
    ("text", "published", "window", "precision"),
    [
        ("The missiles struck yesterday evening.", SAT, ("2025-04-04", "2025-04-04"), "day"),
        ("It was shelled earlier this week.", SAT, ("2025-03-31", "2025-04-04"), "week"),
        ("In early March a missile hit the centre.", SAT, ("2025-03-01", "2025-03-15"), "month"),
        ("A similar attack came in June.", MON, ("2023-06-01", "2023-06-30"), "month"),
        ("Drones attacked the city overnight.", SAT, ("2025-04-04", "2025-04-05"), "day"),
        ("The strike on Monday destroyed a school.", MON, ("2023-07-31", "2023-07-31"), "day"),
        ("It happened on Friday.", SAT, ("2025-04-04", "2025-04-04"), "day"),
        ("Nobody was hurt over the weekend.", MON, ("2023-07-29", "2023-07-30"), "week"),
        ("On 31 December 2022, forces shelled the village.", MON, ("2022-12-31", "2022-12-31"), "day"),
        ("03/15/2017: gunmen opened fire.", date(2017, 12, 31), ("2017-03-15", "2017-03-15"), "day"),
        ("It was hit last week.", SAT, ("2025-03-24", "2025-03-30"), "week"),
        # a night runs past midnight: the strike may be dated to either day
        ("Missiles hit the port on Saturday night.", MON, ("2023-07-29", "2023-07-30"), "day"),
        ("Drones struck yesterday night.", SAT, ("2025-04-04", "2025-04-05"), "day"),
    ],
)
def test_dates_relative_and_absolute(text: str, published: date, window: tuple[str, str], precision: str) -> None:
    hits = [h for h in find_dates(text, published) if not h.weak]
    assert hits, text
    w = hits[0].window
    assert (w.date_from.isoformat(), w.date_to.isoformat(), w.precision) == (*window, precision)


def test_dates_previous_day_is_relative_to_the_sentence_date() -> None:
    hits = find_dates("On Monday officials said the drones struck the previous day.", MON)
    assert [h.window.date_from.isoformat() for h in hits] == ["2023-07-31", "2023-07-30"]


@pytest.mark.parametrize("text", ["We did not have time to hide.", "It may take years.", "The talks were held."])
def test_dates_no_false_dates(text: str) -> None:
    assert [h for h in find_dates(text, SAT) if not h.weak] == []
