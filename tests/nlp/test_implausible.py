"""A toll above ``implausible_above`` (casualty_terms.json) is kept as a flagged claim with its
quote, never as a number: through the real reader, the store (both backends) and the JSON-lines export."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from warledger.export import exporter
from warledger.nlp.extract import IMPLAUSIBLE
from warledger.nlp.numbers import words_to_int
from warledger.nlp.vocab import load_vocab
from warledger.records import Article
from warledger.store import Store

SENTENCES = [
    "The strike killed 10^30 people in Kharkiv on 3 May 2025.",
    "A Russian missile strike on Kharkiv on 3 May 2025 killed 5,000,000,000 people, the governor said.",
    "A Russian drone strike on Kharkiv on 3 May 2025 killed 99999999999999999999 people.",
]


def test_the_ceiling_is_read_from_the_data_file() -> None:
    assert load_vocab().implausible_above == 100_000


@pytest.mark.parametrize("sentence", SENTENCES)
def test_an_implausible_toll_is_flagged_not_counted(reader, sentence: str) -> None:
    facts = reader.read(Article(id="x", text=sentence, published=date(2025, 5, 4)))
    (mention,) = facts.mentions
    assert "killed" not in mention.figures
    (flag,) = [c for c in mention.claims if c.by == IMPLAUSIBLE]
    assert flag.killed is None and flag.injured is None and flag.disputed
    assert flag.quote.text.strip() == sentence
    assert any(q.text.strip() == sentence for q in mention.quotes)


def test_a_plausible_figure_beside_an_implausible_one_counts(reader) -> None:
    text = "A Russian drone strike on Kharkiv on 3 May 2025 killed five people and injured 200,000."
    (mention,) = reader.read(Article(id="x", text=text, published=date(2025, 5, 4))).mentions
    assert mention.figures["killed"].value == 5
    assert "injured" not in mention.figures
    assert [c.by for c in mention.claims] == [IMPLAUSIBLE]


def test_the_stored_and_exported_event_keeps_the_flag_and_no_number(reader, db_path) -> None:
    articles = [
        Article(id=f"huge-{i}", text=s, published=date(2025, 5, 4), outlet="Desk") for i, s in enumerate(SENTENCES)
    ]
    with Store(db_path) as ledger:
        for facts in reader.read_all(articles):
            assert ledger.add_article(facts.article, facts.mentions, facts.claims)
        events = list(ledger.events())
        out = io.StringIO()
        exporter("jsonl").write(events, out)
    assert events
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert all(row["killed"] is None and row["injured"] is None for row in rows)
    flagged = [c for row in rows for c in row["claims"] if c["by"] == IMPLAUSIBLE]
    assert {c["statement"] for c in flagged} == set(SENTENCES)
    assert all(c["killed"] is None and c["disputed"] for c in flagged)


def test_a_number_too_long_for_int_is_read_as_a_huge_floor() -> None:
    # int() refuses strings over 4,300 digits: a 5,000-digit toll crashed the reader (fuzz find)
    assert words_to_int("9" * 5000) == 10**30
    assert words_to_int("10^30") == 10**30
    assert words_to_int("2**3") == 8


def test_a_5000_digit_toll_is_flagged_not_a_crash(reader) -> None:
    # found by bench/fuzz.py: _is_year called int() on it, which refuses over 4,300 digits
    text = "A Russian missile strike on Sumy on 3 May 2025 injured " + "9" * 5000 + " people."
    (mention,) = reader.read(Article(id="x", text=text, published=date(2025, 5, 4))).mentions
    assert "injured" not in mention.figures
    assert [c.by for c in mention.claims] == [IMPLAUSIBLE]
