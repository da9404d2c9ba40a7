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


def test_a_long_comma_run_is_no_number(reader) -> None:
    # "killed 100,100,100,..." made the number pattern backtrack over every comma group (3,000
    # groups: 235 s, a fuzz find); a number has at most 8 comma groups, so this is no figure
    text = "A Russian missile strike on Kharkiv killed " + ",".join(["100"] * 1000) + " people."
    (mention,) = reader.read(Article(id="commas", text=text)).mentions
    assert mention.figures == {} and mention.claims == []
    (mention,) = reader.read(Article(id="fine", text="A missile strike on Kharkiv killed 1,000,000 people.")).mentions
    assert [c.by for c in mention.claims] == ["implausible figure"]


def test_spacy_gets_long_runs_broken_at_the_same_offsets() -> None:
    # 6,000 quote marks without a space took spaCy's tokenizer 4.7 s (quadratic; a fuzz find)
    from warledger.nlp.pipeline import RUN, _spaced

    text = "Kharkiv was hit. " + '"«' * 3000 + " The end."
    spaced = _spaced(text)
    assert len(spaced) == len(text) and max(len(w) for w in spaced.split()) <= RUN
    assert spaced.startswith("Kharkiv was hit. ") and spaced.endswith(" The end.")
    assert _spaced("x" * RUN) == "x" * RUN


def test_an_article_with_a_long_run_is_still_read(reader) -> None:
    text = "A Russian missile strike on Kharkiv killed three people. " + '"«' * 3000 + "\nThe end."
    (mention,) = reader.read(Article(id="run", text=text)).mentions
    assert mention.figures["killed"].value == 3
    assert mention.quotes[0].text.startswith("A Russian missile strike on Kharkiv killed three people.")


def test_a_long_chain_of_counted_groups_is_read_once(reader) -> None:
    # "were killed 5 100,100,100,... people": the counted groups before a count were searched for
    # one by one, each search over the whole clause (quadratic: over 5 s, a fuzz find); a sum takes
    # at most _CHAIN_GROUPS groups now. The 5 is the one count after the verb
    text = "A Russian missile strike on Odesa last night were killed 5 " + ",".join(["100"] * 3000) + " people."
    (mention,) = reader.read(Article(id="chain", text=text)).mentions
    assert mention.figures["killed"].value == 5


def test_a_publication_day_in_year_one_anchors_no_date_phrase() -> None:
    # find_dates("on the night of 3-4 May", published=0001-03-23) asked for year 0 (ValueError, a
    # fuzz find through the dates target, which calls it directly): such a day anchors nothing
    from warledger.nlp.dates import find_dates

    assert find_dates("A strike hit Kharkiv on the night of 3-4 May.", date(1, 3, 23)) == []
    assert [h.window.date_from for h in find_dates("It was on 4 May 2025.", date(1, 3, 23))] == [date(2025, 5, 4)]


def test_a_clause_naming_a_town_thousands_of_times_is_read(reader) -> None:
    # "Kharkiv, Kharkiv, ..." 3,000 times: each name looked at every other for its region
    # (quadratic: over 5 s through the API, a fuzz find); the regions are counted once now
    text = "A Russian missile strike on Kharkiv killed three people. " + "Kharkiv, " * 3000
    facts = reader.read(Article(id="towns", text=text))
    assert [m.figures["killed"].value for m in facts.mentions if "killed" in m.figures] == [3]
