"""Ukrainian and Russian reports, read through the gloss (nlp/lang): own sentences for the gloss,
real corpus articles (read at test time) for what the reader makes of them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from warledger.errors import DataFileError
from warledger.nlp.lang import Glosser, load_language
from warledger.records import Article


@pytest.fixture(scope="module")
def glosser() -> Glosser:
    return Glosser()


def test_inflected_casualty_words_and_number_words_become_the_english_vocabulary(glosser):
    text = glosser.gloss("Унаслідок ракетного удару загинули троє людей, ще пʼятеро дістали поранення.", "uk").text
    assert "missile strike" in text
    assert "killed 3 people" in text
    assert "5 injured" in text


def test_russian_number_words_in_any_case_and_compound_numbers(glosser):
    text = glosser.gloss("Погибли двадцать пять человек, среди них трое детей; ранены сто двадцать.", "ru").text
    assert "Killed 25 people" in text
    assert "including 3 children" in text
    assert "injured 120" in text


def test_a_singular_person_gets_the_article_english_counts_as_one(glosser):
    text = glosser.gloss("Погибла женщина, ранен пятилетний мальчик.", "ru").text
    assert text.startswith("Killed a woman, injured a 5-year-old boy")


def test_night_into_a_day_is_glossed_for_the_date_reader(glosser):
    assert "overnight into 15 august" in glosser.gloss("У ніч на 15 серпня дрон атакував місто.", "uk").text.lower()
    assert (
        "overnight into sunday" in glosser.gloss("В ночь на воскресенье беспилотник атаковал город.", "ru").text.lower()
    )


def test_offsets_map_a_gloss_span_back_to_whole_original_words(glosser):
    original = "Вночі загинули двоє людей."
    g = glosser.gloss(original, "uk")
    start = g.text.index("killed")
    s, e = g.original_span(start, start + len("killed 2"))
    assert original[s:e] == "загинули двоє"


def test_a_phrase_glossed_two_ways_is_an_error_naming_the_file(tmp_path: Path):
    bad = {"numbers": {}, "months": {}, "weekdays": {}, "gloss": {"killed": ["загинути"], "injured": ["загинути"]}}
    (tmp_path / "uk.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"uk\.json.*glossed both"):
        load_language("uk", tmp_path)


def _corpus_article(corpus_dir: Path, name: str) -> Article:
    folder = corpus_dir / "ukr_ru_news"
    meta = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["file"] == name:
            meta = row
    return Article(
        id=name,
        text=(folder / name).read_text(encoding="utf-8"),
        published=date.fromisoformat(meta["published"]),
        language=meta["language"],
    )


def test_a_ukrainian_report_gives_its_figures_with_quotes_in_ukrainian(reader, corpus_dir):
    article = _corpus_article(corpus_dir, "uk_InterfaxUkraine_20250916_zaporizhzhia_one_killed.txt")
    facts = reader.read(article)
    assert facts.article is article
    [strike] = facts.mentions
    assert strike.value("killed") == 1
    assert strike.value("injured") == 7
    assert strike.actor1 == "Russia"
    for fig in strike.figures.values():
        q = fig.quote
        assert article.text[q.start : q.end] == q.text
        assert any("\u0400" <= ch <= "\u04ff" for ch in q.text)


def test_a_russian_report_gives_its_figures_and_date_window(reader, corpus_dir):
    article = _corpus_article(corpus_dir, "ru_RadioSvoboda_20260123_cherkaske_four_killed.txt")
    strike = reader.read(article).mentions[0]
    assert (strike.value("killed"), strike.value("injured")) == (4, 5)
    assert strike.date is not None and str(strike.date.date_from) == "2026-01-22"
    assert strike.sub_event_type == "Air/drone strike"
    assert "погибли" in strike.figures["killed"].quote.text


def test_an_article_made_in_code_without_a_language_is_told_and_read(corpus_dir, db_path):
    from warledger.ledger import ingest_articles
    from warledger.store import Store

    article = _corpus_article(corpus_dir, "ru_RadioSvoboda_20260123_cherkaske_four_killed.txt")
    article.language = None
    with Store(db_path) as store:
        ingest_articles([article], store)
        events = list(store.events())
    assert article.language == "ru"
    assert any(e.location == "Cherkaske" and e.killed == 4 for e in events)
