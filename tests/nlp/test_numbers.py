from __future__ import annotations

import pytest

from warledger.nlp.numbers import Quantity, parse_quantity, words_to_int


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("eighteen", 18),
        ("twenty-one", 21),
        ("two hundred and five", 205),
        ("1,200", 1200),
        ("seven", 7),
        ("tree", None),
    ],
)
def test_numbers_words_to_int(text: str, value: int | None) -> None:
    assert words_to_int(text) == value


@pytest.mark.parametrize(
    ("num", "qual", "expected"),
    [
        ("6", "at least", Quantity(6, 6, None)),
        ("100", "over", Quantity(100, 100, None)),
        ("30", "up to", Quantity(30, None, 30)),
        ("dozens", None, Quantity(None, 24, None)),
        ("between 5 and 7", None, Quantity(None, 5, 7)),
        ("an", None, Quantity(1, None, None)),
    ],
)
def test_numbers_parse_quantity_bounds(num: str, qual: str | None, expected: Quantity) -> None:
    assert parse_quantity(num, qual) == expected
