"""Reading speed by language: Ukrainian and Russian reports (through the gloss) against English.

    python bench/languages.py [--n 400] [--corpus ../shared/corpus]

The nlp stage alone (ArticleReader.read_all: gloss, sentences, entities, places, extraction; no
store, no linking), one process, on ``--n`` articles per language: ukr_ru_news's Ukrainian and
Russian articles and war_news's English ones, each set cycled to ``--n`` articles (copies get their
own ids; nothing is cached across articles but pymorphy3's word parses, as in a real stream).
war_news articles are full pages and ukr_ru_news mostly leads, so the table gives characters per
second too, and the English rate on war_news leads cut to the Ukrainian and Russian articles'
mean length. Loading is timed apart. Issue 14's bar: Ukrainian and Russian articles/s >= 0.5 of
English's.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from itertools import cycle, islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--n", type=int, default=400)
    args = ap.parse_args()

    from warledger.ingest import read_paths
    from warledger.ledger import article_reader
    from warledger.records import Article
    from warledger.textable import format_table

    corpus = Path(args.corpus)
    t0 = time.perf_counter()
    reader = article_reader()
    loaded = time.perf_counter() - t0
    cyrillic = read_paths([corpus / "ukr_ru_news"]).articles
    english = read_paths([corpus / "war_news"]).articles
    sets: dict[str, list[Article]] = {lang: [a for a in cyrillic if a.language == lang] for lang in ("uk", "ru")}
    sets["en"] = english
    mean = sum(len(a.text) for a in cyrillic) // max(1, len(cyrillic))
    sets[f"en, first {mean} characters"] = [replace(a, text=a.text[:mean]) for a in english]

    def stream(articles: list[Article]) -> list[Article]:
        return [replace(a, id=f"{a.id}#{i}") for i, a in enumerate(islice(cycle(articles), args.n))]

    reader.read_all(stream(sets["uk"])[:5])  # pymorphy3's dictionaries load on first use
    rows: list[tuple[str, ...]] = [("language", "articles", "seconds", "articles/s", "chars/s", "strikes")]
    rates: dict[str, float] = {}
    for name, articles in sets.items():
        todo = stream(articles)
        t0 = time.perf_counter()
        strikes = sum(len(f.mentions) for f in reader.read_all(todo))
        seconds = time.perf_counter() - t0
        chars = sum(len(a.text) for a in todo)
        rates[name] = len(todo) / seconds
        rows.append(
            (name, str(len(todo)), f"{seconds:.1f}", f"{rates[name]:.1f}", f"{chars / seconds:,.0f}", str(strikes))
        )
    print(format_table(rows))
    print()
    bars: list[tuple[str, ...]] = [("bar", "measured", "wanted", "met")]
    for lang in ("uk", "ru"):
        ratio = rates[lang] / rates["en"]
        bars.append((f"{lang} articles/s / en articles/s", f"{ratio:.2f}", ">= 0.50", "yes" if ratio >= 0.5 else "NO"))
    print(format_table(bars))
    print(f"\nload: pipeline (model + gazetteer + Cyrillic names) {loaded:.1f} s, not counted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
