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


def all_figures(text: str) -> dict[str, int | None]:
    return {h.kind: h.quantity.value for h in find_figures(text) if h.more_at is None}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # counts of people named one by one
        ("A farmer and his three sons were killed when the shell landed.", {"killed": 4}),
        ("The gunman killed his wife and her two brothers.", {"killed": 3}),
        ("Osman, a local judge, and his driver were wounded.", {"injured": 2}),
        ("She was injured in the blast.", {"injured": 1}),
        ("The courier was killed in the ambush.", {"killed": 1}),
        ("Attackers shot and killed Ravi Patel, a shopkeeper, in the market.", {"killed": 1}),
        # attackers counted apart from their victims
        (
            "Three guards and five attackers were killed in the clash.",
            {"killed": 3, "perpetrators_killed": 5},
        ),
        (
            "Twelve people, including two civilians and ten gunmen, were killed.",
            {"killed": 2, "perpetrators_killed": 10},
        ),
        ("In addition to the bomber, nine people were killed.", {"perpetrators_killed": 1, "killed": 9}),
        ("He killed four co-workers before taking his own life.", {"killed": 4, "perpetrators_killed": 1}),
        # other ways of saying it
        ("The bombing claimed the lives of 14 people.", {"killed": 14}),
        ("The raid resulted in the deaths of 3 villagers.", {"killed": 3}),
        ("A man stabbed two people to death at the station.", {"killed": 2}),
        ("There were no reported casualties.", {"killed": 0, "injured": 0}),
        ("Six to nine soldiers were killed.", {"killed": None}),
        ("Between 5 and 7 people were killed.", {"killed": None}),
        ("The soldier was shot and killed at the checkpoint.", {"killed": 1}),
    ],
)
def test_casualties_general_patterns(text: str, expected: dict) -> None:
    got = all_figures(text)
    for kind, value in expected.items():
        assert got.get(kind, "missing") == value, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "Four of the dead were children.",
        "Russian forces intercepted 12 drones overnight.",
        "The army destroyed 10 tanks and 8 trucks.",
    ],
)
def test_casualties_parts_and_things_are_not_tolls(text: str) -> None:
    assert [h for h in find_figures(text) if h.kind in ("killed", "injured")] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A nurse and a porter were injured in the shelling.", {"injured": 2}),
        ("A farmer was killed and another wounded near the field.", {"killed": 1, "injured": 1}),
        ("Drones killed a local councillor outside his home.", {"killed": 1}),
        ("There were no reported injuries.", {"killed": 0, "injured": 0}),
        ("The bombers killed a guard and wounded two visitors.", {"killed": 1, "injured": 2}),
        ("Two porters and a medic were killed in the raid.", {"killed": 3}),
        ("The blast hit a van, killing the driver and a passenger.", {"killed": 2}),
        ("The bomber hit a car, killing two engineers and their driver.", {"killed": 3}),
        ("A man stabbed a nurse at the clinic and killed her.", {"killed": 1}),
        ("Police shot a 19 year old man dead after the attack.", {"killed": "missing"}),
    ],
)
def test_casualties_people_one_by_one(text: str, expected: dict) -> None:
    got = all_figures(text)
    for kind, value in expected.items():
        assert got.get(kind, "missing") == value, (text, got)
