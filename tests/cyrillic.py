"""A real Ukrainian report and the strike the reading path finds in it, for the tests of what the
ledger's outputs show beside a quote (its article's language); the text is read from
../shared/corpus/ukr_ru_news at test time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from warledger.ingest import read_paths
from warledger.records import Article, Mention

UKR_RU = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "ukr_ru_news"
FILE = "uk_RegioNews_20230428_uman_toll_15.txt"


def uman_article() -> Article:
    """The report as ingest reads the file alone (no manifest): its language is detected."""
    read = read_paths([UKR_RU / FILE])
    assert not read.problems
    (article,) = read.articles
    article.published = date(2023, 4, 28)
    return article


def uman_mentions(article: Article) -> list[Mention]:
    """The strikes the reading path finds in the report (one: Uman, 15 killed, quoted in Ukrainian)."""
    from warledger.ledger import article_reader

    return article_reader().read(article).mentions
