"""Casualty phrasing, in sentences written for these tests."""

from __future__ import annotations

import pytest

from warledger.nlp.casualties import find_figures


def figures(text: str) -> dict[str, tuple[int | None, int | None, int | None]]:
    out = {}
    for h in find_figures(text):
        if h.more_at is None:
            out.setdefault(h.kind, (h.quantity.value, h.quantity.low, h.quantity.high))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The rocket attack killed 12 people, including four children.",
            {"killed": (12, None, None), "children_killed": (4, None, None)},
        ),
        (
            "At least seven civilians were killed and another 40 were wounded.",
            {"killed": (7, 7, None), "injured": (40, None, None)},
        ),
        (
            "The blast left a further 19 people injured and 6 in hospital.",
            {"injured": (19, None, None), "hospitalized": (6, None, None)},
        ),
        ("Shelling killed a 63-year-old man on Tuesday.", {"killed": (1, None, None)}),
        (
            "The drone hit a bus, killing two and wounding dozens more.",
            {"killed": (2, None, None), "injured": (None, 24, None)},
        ),
        (
            "Five people, including a baby, were killed in the strike.",
            {"killed": (5, None, None), "children_killed": (1, None, None)},
        ),
        ("Among the dead was a 9-year-old boy.", {"children_killed": (1, None, None)}),
        ("Officials said the death toll rose to 31.", {"killed": (31, None, None)}),
        ("No casualties were reported after the attack.", {"killed": (0, None, None), "injured": (0, None, None)}),
        ("Some 14 people were hurt when the shell landed.", {"injured": (14, None, None)}),
        ("More than 200 were hospitalised overnight.", {"hospitalized": (200, 200, None)}),
    ],
)
def test_casualties_patterns(text: str, expected: dict) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "A 12-storey building and 40 cars were damaged.",
        "The city of 300,000 people lies 30 miles from the front.",
        "Russia launched 48 drones and 6 missiles overnight.",
        "More than 500 rescuers were involved in the search.",
        "The factory was hit 3 times in 2023.",
    ],
)
def test_casualties_counts_of_other_things_are_ignored(text: str) -> None:
    assert find_figures(text) == []


def test_casualties_more_in_another_place_is_marked() -> None:
    hits = find_figures("Nine were killed in the city and three more in a nearby village.")
    more = [h for h in hits if h.more_at is not None]
    assert [(h.kind, h.quantity.value) for h in more] == [("killed", 3)]
