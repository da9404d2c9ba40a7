"""Reports of one strike in two languages link into one event: BBC News Russian's report of the
drone strike on Odesa of 2 March 2024 (ukr_ru_news) and AP's in English (war_news), read from the
corpora at test time."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.store import Store

RUSSIAN = ("ukr_ru_news", "ru_BBCRussian_20240302_odesa_drone_apartment.txt")
ENGLISH = ("war_news", "ap_20240302_drone-strike-odesa-kills-4.txt")


def _article(corpus: Path, folder: str, name: str) -> Article:
    lines = (corpus / folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    meta = next(m for m in map(json.loads, lines) if m["file"] == name)
    return Article(
        id=name,
        text=(corpus / folder / name).read_text(encoding="utf-8"),
        published=date.fromisoformat(meta["published"]),
        outlet=meta.get("outlet"),
        title=meta.get("title"),
        language=meta.get("language"),
    )


def test_a_russian_and_an_english_report_of_one_strike_are_one_event(corpus_dir: Path, db_path: Path | str, reader):
    russian, english = _article(corpus_dir, *RUSSIAN), _article(corpus_dir, *ENGLISH)
    assert (russian.language, english.language) == ("ru", "en")
    with Store(db_path) as store:
        ingest_articles([russian, english], store, reader)
        events = list(store.events())
    [odesa] = [e for e in events if {s["article"] for s in e.sources} >= {russian.id, english.id}]
    assert (odesa.location, odesa.date_from) == ("Odesa", "2024-03-02")
    by_language = {s["language"]: s["quote"] for s in odesa.sources}
    assert set(by_language) == {"ru", "en"}
    assert any("\u0400" <= ch <= "\u04ff" for ch in by_language["ru"])  # the Russian report quoted in Russian
