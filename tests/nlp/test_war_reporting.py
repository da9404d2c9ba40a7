"""Reading war reporting as it is written: datelines, capitals that speak, round-ups, headlines.

Each report here is written for the test; one test reads real articles from ../shared/corpus.
"""

from __future__ import annotations

import json
from datetime import date

from warledger.records import Article


def read(reader, text: str, published: date = date(2024, 3, 8)) -> list:
    return reader.read(Article(id="own", text=text, published=published)).mentions


def places(mentions) -> list[str | None]:
    return [(m.place.location or m.place.admin1 or m.place.country) if m.place else None for m in mentions]


def test_a_dateline_is_where_the_story_was_filed_not_a_strike_place(reader) -> None:
    mentions = read(
        reader,
        "KYIV, Ukraine (AP) — Russian missiles hit an apartment block in Zaporizhzhia on Thursday, "
        "killing five people, officials said.",
    )
    assert places(mentions) == ["Zaporizhzhia"]
    assert mentions[0].value("killed") == 5


def test_a_capital_that_acts_or_speaks_is_a_side_not_a_place(reader) -> None:
    mentions = read(
        reader,
        "A Russian drone struck a school in Sumy on Thursday, injuring three people.\n"
        "Moscow might launch more air raids in response, analysts warned, as sanctions on Moscow took effect.\n"
        "Kyiv said the strike on Sumy was a war crime.",
    )
    assert places(mentions) == ["Sumy"]


def test_a_general_statement_opens_no_strike(reader) -> None:
    mentions = read(
        reader,
        "A drone hit a house in Kherson on Thursday, injuring two people.\n"
        "Russia has been pounding the power grid with missiles and drones for weeks.\n"
        "Since February 2022, Russia has fired thousands of missiles at Ukrainian cities.",
    )
    assert places(mentions) == ["Kherson"]
    assert mentions[0].date.date_from == date(2024, 3, 7)


def test_a_total_over_several_places_is_no_one_strikes_toll(reader) -> None:
    mentions = read(
        reader,
        "Russian attacks on seven oblasts killed five people and injured 14 over the past day.\n"
        "In Kherson Oblast, a man was killed in shelling of Bilozerka, the governor said.",
    )
    assert all(m.value("killed") != 5 and m.value("injured") != 14 for m in mentions)
    assert [m.value("killed") for m in mentions] == [1]


def test_headline_and_lead_of_one_strike_make_one_record(reader) -> None:
    mentions = read(
        reader,
        "Russian missile attack kills 4, injures 6 in Kharkiv\n"
        "Russian forces struck the outskirts of Kharkiv with missiles overnight, killing four people and "
        "injuring six others, the regional governor said on March 8.",
    )
    assert len(mentions) == 1
    (m,) = mentions
    assert (m.value("killed"), m.value("injured"), m.place.location) == (4, 6, "Kharkiv")


def test_silence_is_unknown_and_no_date_phrase_gives_the_publication_window(reader) -> None:
    (m,) = read(reader, "A Russian glide bomb killed two people in Kostiantynivka, the regional governor said.")
    assert m.value("killed") == 2
    assert m.value("injured") is None and "injured" not in m.figures
    assert (m.date.date_from, m.date.date_to, m.date.precision) == (date(2024, 3, 7), date(2024, 3, 8), "publication")
    assert m.evidence["date"] == "publication, publication window"


def test_the_side_that_shoots_down_drones_is_not_the_one_that_struck(reader) -> None:
    (m,) = read(
        reader,
        "A drone attack on Kyiv overnight injured three people, the city's military administration said.\n"
        "Ukraine’s air force said it shot down 20 of the drones.",
    )
    assert m.actor1 == "Russia"


def test_a_side_does_not_strike_what_it_holds(reader) -> None:
    held, own = read(
        reader,
        "Shelling of Donetsk on Thursday killed two people, the Russian-installed mayor said.\n"
        "Separately, a missile strike on Odesa on Thursday injured eight people, Ukrainian officials said.",
    )
    assert (held.place.location, held.actor1) == ("Donetsk", "Ukraine")
    assert (own.place.location, own.actor1) == ("Odesa", "Russia")


def test_every_field_carries_its_evidence_and_a_confidence(reader) -> None:
    (m,) = read(reader, "A Russian missile struck a hospital in Dnipro on Thursday, killing three people.")
    assert set(m.evidence) >= {"place", "date", "actor1", "sub_event_type", "killed"}
    assert m.evidence["place"].startswith("settlement, named in a strike clause")
    assert all(0.0 <= p <= 1.0 for p in m.confidence.values())
    assert set(m.confidence) <= set(m.evidence)


def test_real_war_news_datelines_and_political_capitals(reader, corpus_dir) -> None:
    """On real articles: no strike is placed at a dateline city or a capital used for its government."""
    folder = corpus_dir / "war_news"
    manifest = [json.loads(line) for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["events"]
    checked = 0
    for entry in manifest:
        text = (folder / entry["file"]).read_text(encoding="utf-8")
        head = text.lstrip()[:40]
        dateline = next((c for c in ("KYIV", "MOSCOW") if head.startswith(c)), None)
        if dateline is None:
            continue
        city = dateline.title()
        if any(g["article"] == entry["file"] and g.get("location") == city for g in gold):
            continue  # the city was also struck: not a test of the dateline
        article = Article(id=entry["file"], text=text, published=date.fromisoformat(entry["published"]))
        mentions = reader.read(article).mentions
        assert city not in places(mentions), entry["file"]
        checked += 1
    assert checked >= 3


def test_a_round_up_spreads_its_figures_over_the_places_it_lists(reader) -> None:
    mentions = read(
        reader,
        "In Donetsk Oblast, Russian shelling on Thursday wounded four residents in Kramatorsk, two more in "
        "Druzhkivka, and one in Sloviansk, the governor said.",
    )
    by_place = {m.place.location: m.value("injured") for m in mentions}
    assert by_place == {"Kramatorsk": 4, "Druzhkivka": 2, "Sloviansk": 1}


def test_a_barrage_on_listed_cities_is_one_strike_per_city(reader) -> None:
    mentions = read(
        reader,
        "Russian missiles struck Lviv, Ternopil and Rivne on Thursday morning, officials said.\n"
        "Air raid alerts went off in Kyiv, Zhytomyr and Vinnytsia oblasts.",
    )
    assert sorted(places(mentions)) == ["Lviv", "Rivne", "Ternopil"]
    assert all(m.value("killed") is None for m in mentions)


def test_a_stated_none_is_zero_and_a_figure_after_a_list_goes_to_its_first_place(reader) -> None:
    mentions = read(
        reader,
        "Air defence forces destroyed two drones over the Leningrad and Novgorod regions overnight.\n"
        "Local authorities did not report any casualties.",
    )
    first, second = mentions
    assert (first.place.admin1, first.value("killed"), first.value("injured")) == ("Leningrad Oblast", 0, 0)
    assert (second.place.admin1, second.value("killed")) == ("Novgorod Oblast", None)


def test_names_resolve_in_the_countries_the_article_is_about(reader) -> None:
    mentions = read(
        reader,
        "Ukrainian drones struck an oil depot near Moscow on Thursday, injuring two people, the regional "
        "governor said.\n"
        "Zelenskiy landed in Berlin later that day to ask for more air defence.",
    )
    assert [(m.place.country, m.place.admin1) for m in mentions] == [("Russia", "Moscow")]


def test_a_place_given_beside_the_text_places_what_the_text_leaves_unplaced(reader) -> None:
    note = "Civilian homes hit by artillery fire on Thursday, three people wounded."
    given = reader.read(Article(id="n1", text=note, published=date(2024, 3, 8), place="Chuhuiv, Kharkiv region"))
    (m,) = given.mentions
    assert (m.place.location, m.place.admin1, m.evidence["place"].split(", ")[1]) == (
        "Chuhuiv",
        "Kharkiv Oblast",
        "given beside the text",
    )
    bare = reader.read(Article(id="n2", text="Civilian homes hit by artillery fire.", published=date(2024, 3, 8)))
    assert bare.mentions == []  # neither place nor figure: nothing a ledger can hold


def test_an_overnight_strike_takes_the_one_day_the_article_writes_out(reader) -> None:
    mentions = read(
        reader,
        "Russian missiles hit Dnipro early on Friday, March 8, killing four people, the governor said.\n"
        "Elsewhere, a drone attack on Sumy overnight injured two people.",
    )
    assert {(m.place.location, m.date.date_from, m.date.date_to) for m in mentions} == {
        ("Dnipro", date(2024, 3, 8), date(2024, 3, 8)),
        ("Sumy", date(2024, 3, 8), date(2024, 3, 8)),
    }
