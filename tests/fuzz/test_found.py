"""Crashes bench/fuzz.py found, as regression tests through the real pipeline (the readers' own
finds are in tests/ingest/test_readers.py and tests/nlp/test_implausible.py)."""

from __future__ import annotations

from datetime import date

import pytest

from warledger.records import Article

TEXT = "A Russian missile strike on Kharkiv killed three people, the governor said."


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_publication_day_at_the_calendar_s_edge_anchors_nothing(reader, published: date) -> None:
    # an Article made in Python (not by a reader) with 0001-01-01 raised OverflowError: the
    # publication window is the day before too; such a day is now no anchor at all
    facts = reader.read(Article(id="edge", text=TEXT + " Last night drones hit Sumy.", published=published))
    assert [m.figures["killed"].value for m in facts.mentions if "killed" in m.figures] == [3]
    assert all(m.date is None for m in facts.mentions)
