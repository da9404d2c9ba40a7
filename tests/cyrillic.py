"""A real Ukrainian report stored with the strike its gold reads in it, for the tests of what the
ledger's outputs show beside a quote (its article's language). The mention is the gold's own
(place, date, killed and its quote), so these tests do not depend on the reading path; the text
and the quote are read from ../shared/corpus/ukr_ru_news at test time."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from warledger.ingest import read_paths
from warledger.records import Article, DateWindow, Figure, Mention, Place, Quote

UKR_RU = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "ukr_ru_news"
FILE = "uk_RegioNews_20230428_uman_toll_15.txt"
GOLD_ID = "uk06-a"  # Uman, 28 April 2023: 15 killed


def uman_article() -> Article:
    """The report as ingest reads the file alone (no manifest): its language is detected."""
    read = read_paths([UKR_RU / FILE])
    assert not read.problems
    (article,) = read.articles
    article.published = date(2023, 4, 28)
    return article


def uman_mention(article: Article) -> Mention:
    """The strike as the gold reads it, its killed figure quoted from the article."""
    gold = next(g for g in json.loads((UKR_RU / "gold.json").read_text("utf-8"))["events"] if g["id"] == GOLD_ID)
    sentence = gold["quotes"]["killed"]
    start = article.text.index(sentence)
    quote = Quote(article.id, sentence, start, start + len(sentence))
    day = date.fromisoformat(gold["date_from"])
    return Mention(
        article=article.id,
        date=DateWindow(day, day, "day"),
        place=Place("Умань", "Uman", "Cherkasy Oblast", "Ukraine", 48.7484, 30.2218, "settlement"),
        actor1=gold["actor1"],
        sub_event_type=gold["sub_event_type"],
        figures={"killed": Figure("killed", gold["killed"], gold["killed"], gold["killed"], quote)},
        quotes=[quote],
    )
