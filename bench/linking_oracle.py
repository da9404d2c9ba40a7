"""Linking alone: the corpus's gold strikes stored through the real store and linker, then scored.

    python bench/linking_oracle.py [--corpus ../shared/corpus/war_news]

`warledger eval --linking` measures extraction and linking together: a strike extraction misses
or misplaces cannot be linked. Here every article's strikes are the gold's own (place resolved
by the gazetteer from the gold's location / admin1 / country, the gold's date window, perpetrator,
killed / injured with the gold quote as their sentence), embedded and stored with
`Store.add_article` in publication order, exactly as ingest stores extracted strikes. What is left
wrong is linking's and toll reconciliation's. Prints the same mention-level measures as
`eval --linking` (B-cubed and pairwise over (article, strike) mentions, fragments per strike,
final killed / injured).

A strike still counts as not found when the reference's place / date test fails on the event it
landed in (an event takes the narrowest window and the most precise place of its reports), and
two gold strikes of one article at one place and day cannot be told apart by that test (both
mentions go to the same event): the figures are a ceiling of what extraction could reach, not 1.0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from warledger.evaluate import format_mentions, score_mentions  # noqa: E402
from warledger.geo import Gazetteer  # noqa: E402
from warledger.ingest import read_paths  # noqa: E402
from warledger.ledger import embedder  # noqa: E402
from warledger.link import decide  # noqa: E402
from warledger.link.embed import mention_text  # noqa: E402
from warledger.records import Article, DateWindow, Figure, Mention, Place, Quote  # noqa: E402
from warledger.store import Store  # noqa: E402


def _quote(article: Article, text: str | None) -> Quote | None:
    if not text:
        return None
    start = max(article.text.find(text[:60]), 0)
    return Quote(article.id, text, start, start + len(text))


def _place(gaz: Gazetteer, g: dict[str, Any]) -> Place | None:
    if g.get("location"):
        return gaz.resolve(g["location"], admin1=g.get("admin1"), country=g.get("country"))
    if g.get("admin1"):
        return gaz.resolve(g["admin1"], country=g.get("country"))
    return gaz.resolve(g["country"]) if g.get("country") else None


def gold_mention(gaz: Gazetteer, article: Article, g: dict[str, Any]) -> Mention:
    """The strike as perfect extraction would give it."""
    said = g.get("quotes") or {}
    quotes = [q for q in (_quote(article, t) for t in said.values()) if q]
    figures = {}
    for kind in ("killed", "injured"):
        if g.get(kind) is not None:
            q = _quote(article, said.get(kind)) or (quotes[0] if quotes else Quote(article.id, "", 0, 0))
            figures[kind] = Figure(kind, g[kind], None, None, q)
    window = None
    if g.get("date_from"):
        window = DateWindow(
            date.fromisoformat(g["date_from"]),
            date.fromisoformat(g.get("date_to") or g["date_from"]),
            g.get("date_precision") or "day",
        )
    return Mention(
        article=article.id,
        date=window,
        place=_place(gaz, g),
        actor1=g.get("actor1"),
        sub_event_type=g.get("sub_event_type"),
        figures=figures,  # type: ignore[arg-type]
        quotes=quotes,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "war_news"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))["events"]
    by_article: dict[str, list[dict[str, Any]]] = {}
    for g in gold:
        by_article.setdefault(g["article"], []).append(g)
    articles = sorted(read_paths([corpus]).articles, key=lambda a: (a.published or date.max, a.id))
    gaz = Gazetteer.load()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "oracle.db") as store:
        for article in articles:
            mentions = [gold_mention(gaz, article, g) for g in by_article.get(article.id, [])]
            vectors = embedder().embed([mention_text(article, m) for m in mentions]) if mentions else None
            store.add_article(article, mentions, [], vectors, decide)
        events = list(store.events())
    published = {a.id: a.published.isoformat() if a.published else "" for a in articles}
    scores = score_mentions(gold, published, events)
    print(format_mentions(f"{corpus.name} (gold strikes)", scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
