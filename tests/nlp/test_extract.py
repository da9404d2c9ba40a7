"""Splitting a report into strikes, on a report written for this test."""

from __future__ import annotations

from datetime import date

import pytest

from warledger.records import Article

REPORT = Article(
    id="own-report",
    published=date(2024, 5, 10),  # a Friday
    text=(
        "A Russian missile hit a hospital in Kharkiv on Thursday, killing seven people, including two children.\n"
        "Another 30 were wounded, regional officials said.\n"
        "Russia's defence ministry claimed the strike hit a command post and killed 40 soldiers.\n"
        "Its statement offered no evidence.\n"
        "Earlier this week, a drone struck a bus near Nikopol, killing a 52-year-old driver.\n"
        "In March, Russian forces shelled the same district of Kharkiv, killing three.\n"
        "A Ukrainian drone attack on Belgorod injured four people overnight, while another drone hit an oil depot "
        "in the Kursk region.\n"
    ),
)


def by_place(reader):
    facts = reader.read(REPORT)
    out = {}
    for m in facts.mentions:
        key = (m.place.location or m.place.admin1) if m.place else None
        out.setdefault(key, []).append(m)
    return facts, out


def test_extract_every_strike_is_found(reader) -> None:
    facts, places = by_place(reader)
    assert len(facts.mentions) == 5
    assert sorted(k for k in places if k) == ["Belgorod", "Kharkiv", "Kursk Oblast", "Nikopol"]
    assert len(places["Kharkiv"]) == 2


def test_extract_figures_dates_and_actors(reader) -> None:
    _, places = by_place(reader)
    main, earlier = places["Kharkiv"]
    assert (main.value("killed"), main.value("children_killed"), main.value("injured")) == (7, 2, 30)
    assert main.date.date_from == date(2024, 5, 9) and main.actor1 == "Russia"
    assert earlier.value("killed") == 3 and earlier.date.precision == "month"
    (bus,) = places["Nikopol"]
    assert bus.value("killed") == 1 and bus.date.precision == "week"
    (belgorod,) = places["Belgorod"]
    assert belgorod.actor1 == "Ukraine" and belgorod.value("injured") == 4
    assert belgorod.sub_event_type == "Air/drone strike"


def test_extract_claims_kept_apart(reader) -> None:
    _, places = by_place(reader)
    main = places["Kharkiv"][0]
    assert main.value("killed") == 7
    (claim,) = main.claims
    assert (claim.by, claim.killed, claim.disputed) == ("Russia", 40, True)


def test_extract_every_figure_quotes_its_sentence(reader) -> None:
    facts, _ = by_place(reader)
    for m in facts.mentions:
        for fig in m.figures.values():
            q = fig.quote
            assert REPORT.text[q.start : q.end] == q.text


def test_extract_rising_toll_updates_the_same_strike(reader) -> None:
    text = (
        "A Russian missile struck a shopping centre in Kremenchuk on Monday, killing 10 people.\n"
        "By Tuesday the death toll rose to 18, the regional governor said.\n"
    )
    facts = reader.read(Article(id="own-toll", text=text, published=date(2022, 6, 28)))
    (m,) = facts.mentions
    assert m.value("killed") == 18
    assert m.figures["killed"].quote.text.startswith("By Tuesday")


@pytest.mark.parametrize(
    ("sentence", "reporter"),
    [
        ("Local police said four people were killed.", "Local police"),
        ("Nine were injured, according to the regional administration.", "regional administration"),
        ("Eleven died, the mayor told reporters.", "mayor"),
        ("Two people were wounded.", None),
    ],
)
def test_extract_figures_keep_who_reported_them(sentence: str, reporter: str | None) -> None:
    from warledger.nlp.reporters import find_reporter

    assert find_reporter(sentence) == reporter
