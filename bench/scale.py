"""Linking's cost against ledger size: seconds per 1,000 articles stored and linked when the ledger
already holds 1k, 2k, 4k and 8k articles.

    python bench/scale.py [--sizes 1000,2000,4000,8000] [--batch 1000] [--corpus ../shared/corpus/gva]

What is timed: ``Store.add_article`` with linking on (candidate search, rare-name weights, scoring,
events recomputed, change log, waves), one transaction per article, for ``--batch`` articles, and
the ledger's close. Extraction and embedding are NOT timed: every article of the corpus is read
(spaCy, gazetteer, extraction) and its strike texts embedded once, before anything is timed; they
cost the same whatever the ledger holds (bench/throughput.py measures them).

The articles: the corpus (GVA: 2,796 real US news articles, 2013-2017) in publication order, and
copies of it, so that the ledger can grow past the corpus with real, non-identical strikes: copy
k is moved ``SHIFT_YEARS * k`` years later (publication day and strike dates), gets a new id, and
a tag such as " ~b" ends each of its lines (a new hash, so new report ids; lines not repeated
across copies, so that ``link.keys`` does not take them for a site's boilerplate; the tag holds
no name-like token). The ledger is filled with copy 0, 1, 2... in publication order up to each
size; the timed batch is then the first ``--batch`` articles of the corpus in a copy of their
own, in years no other copy uses, so every size times the same articles and the same decisions
but for what the ledger already holds. Each timed batch opens the ledger afresh and closes it, as
``warledger ingest`` would, and stays in it (the ledger grows by the batch).

Wall and CPU seconds are both given: on a shared machine the CPU time is the steadier of the
two. "links/strike" (the rows the linker wrote per strike: one per candidate event scored, one
per event started) and "joined" (the strikes that joined an event) show that each size does the
same work. ``--cache FILE`` keeps what was read and embedded, for the next run.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import sys
import tempfile
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # imported in main(): --help stays quick
    from warledger.link.embed import Embedder
    from warledger.nlp.pipeline import ArticleFacts
    from warledger.records import Article, Claim, Mention

    Stored = tuple[Article, list[Mention], list[Claim], np.ndarray]

ROOT = Path(__file__).resolve().parents[1]
# years between two copies: a multiple of 4 (29 February stays a date) longer than the corpus
SHIFT_YEARS = 8
PROBE_COPY = 100  # timed batches are copies 100, 101, ...: years no filling copy reaches


@dataclass(slots=True)
class Read:
    """One article of the corpus as extraction left it, with its strike embeddings."""

    facts: ArticleFacts
    vectors: np.ndarray  # a row per strike


def _years_later(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February of a year that is no leap year
        return day.replace(year=day.year + years, day=28)


def _tag(k: int) -> str:
    """`` ~b``, `` ~dw``...: ``k`` in lower-case letters (no name-like token: no capital, no number)."""
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters = chr(ord("a") + r) + letters
        if not k:
            return " ~" + letters


def _marked(text: str, tag: str) -> tuple[str, Callable[[int], int]]:
    """``text`` with ``tag`` at the end of every line that is not blank, and where an offset into
    the text moves to. Every line of a copy differs from the original's, so a copy's lines are not
    counted as lines repeated across articles (which ``link.keys`` drops as a site's boilerplate)."""
    ends: list[int] = []  # where each tagged line ends, in the original
    parts = []
    pos = 0
    for part in text.split("\n"):
        if part.strip():
            ends.append(pos + len(part))
            parts.append(part + tag)
        else:
            parts.append(part)
        pos += len(part) + 1
    return "\n".join(parts), lambda offset: offset + len(tag) * bisect_left(ends, offset)


def copy_of(read: Read, k: int) -> Stored:
    """(article, mentions, claims, vectors) of copy ``k`` of an article (copy 0: the article)."""
    facts = read.facts
    if k == 0:
        return facts.article, facts.mentions, facts.claims, read.vectors
    years = SHIFT_YEARS * k
    facts = copy.deepcopy(facts)
    article = facts.article
    article.id = f"{article.id}~{k}"
    article.text, moved = _marked(article.text, _tag(k))
    article.published = _years_later(article.published, years)
    quotes = []
    for m in facts.mentions:
        m.article = article.id
        if m.date is not None:
            m.date.date_from = _years_later(m.date.date_from, years) or m.date.date_from
            m.date.date_to = _years_later(m.date.date_to, years) or m.date.date_to
        quotes += [*m.quotes, *(f.quote for f in m.figures.values()), *(c.quote for c in m.claims)]
    quotes += [c.quote for c in facts.claims]
    for q in {id(q): q for q in quotes}.values():
        q.article = article.id
        q.start, q.end = moved(q.start), moved(q.end)
        assert article.text[q.start : q.end] == q.text, (article.id, q)
    return article, facts.mentions, facts.claims, read.vectors


def read_corpus(corpus: Path, limit: int | None) -> list[Read]:
    """Every article read and embedded once, in publication order (the model embeds one batch
    while the next is read)."""
    from warledger.ingest import read_paths
    from warledger.ledger import article_reader, embedder

    articles = sorted(read_paths([corpus]).articles, key=lambda a: (a.published or date.min, a.id))[:limit]
    reader = article_reader()
    model = embedder()
    model.embed(["load the model here, not in the pool's thread"])
    jobs: list[tuple[list[ArticleFacts], list[list[str]], Future[np.ndarray]]] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        batch: list[ArticleFacts] = []
        for facts in reader.read_all(articles):
            batch.append(facts)
            if len(batch) == 64:
                jobs.append(_embed(pool, model, batch))
                batch = []
        if batch:
            jobs.append(_embed(pool, model, batch))
        out: list[Read] = []
        for facts_list, texts, future in jobs:
            table = dict(zip(dict.fromkeys(t for ts in texts for t in ts), future.result(), strict=True))
            for facts, ts in zip(facts_list, texts, strict=True):
                vectors = np.stack([table[t] for t in ts]) if ts else np.zeros((0, 384), dtype=np.float32)
                out.append(Read(facts, vectors))
    return out


def _embed(
    pool: Executor, model: Embedder, batch: list[ArticleFacts]
) -> tuple[list[ArticleFacts], list[list[str]], Future[np.ndarray]]:
    from warledger.link.embed import mention_text

    texts = [[mention_text(f.article, m) for m in f.mentions] for f in batch]
    return batch, texts, pool.submit(model.embed, list(dict.fromkeys(t for ts in texts for t in ts)))


def stream(reads: Sequence[Read]) -> Iterator[Stored]:
    """Copy 0, then copy 1, ... of the corpus, each in publication order."""
    k = 0
    while True:
        for r in reads:
            yield copy_of(r, k)
        k += 1
        if k >= PROBE_COPY:
            raise SystemExit("the ledger would need more copies than the years allow")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "gva"))
    ap.add_argument("--sizes", default="1000,2000,4000,8000", help="ledger sizes (articles) to time at")
    ap.add_argument("--batch", type=int, default=1000, help="articles timed at each size")
    ap.add_argument("--limit", type=int, default=None, help="read only the corpus' first N articles (by date)")
    ap.add_argument("--db", default=None, help="ledger file (default: a temporary one, removed after)")
    ap.add_argument("--cache", default=None, help="keep what was read and embedded in this file (pickle), reuse it")
    args = ap.parse_args()

    from warledger.link import decide
    from warledger.store import Store
    from warledger.textable import format_table

    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: corpus not found", file=sys.stderr)
        return 2
    sizes = sorted(int(s) for s in args.sizes.split(","))
    t0 = time.perf_counter()
    cache = Path(args.cache) if args.cache else None
    if cache and cache.exists():
        reads = [Read(f, v) for f, v in pickle.loads(cache.read_bytes())][: args.limit]
    else:
        reads = read_corpus(corpus, args.limit)
        if cache:
            cache.write_bytes(pickle.dumps([(r.facts, r.vectors) for r in reads]))
    t_read = time.perf_counter() - t0
    if len(reads) < args.batch:
        print(f"{corpus}: {len(reads)} articles, fewer than --batch {args.batch}", file=sys.stderr)
        return 2
    probe = reads[: args.batch]

    rows = [("ledger holds", "articles timed", "strikes", "links/strike", "joined", "wall s / 1,000", "CPU s / 1,000")]
    per_k: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "scale.db"
        filler = stream(reads)
        held = 0
        t_fill = 0.0
        for i, size in enumerate(sizes):
            t0 = time.perf_counter()
            with Store(path) as store:
                while held < size:
                    article, mentions, claims, vectors = next(filler)
                    held += store.add_article(article, mentions, claims, vectors, decide)
            t_fill += time.perf_counter() - t0
            copies = [copy_of(r, PROBE_COPY + i) for r in probe]
            strikes = sum(len(m) for _, m, _, _ in copies)
            store = Store(path)
            links_before = store.db.execute("SELECT coalesce(max(id), 0) FROM links").fetchone()[0]
            w0, c0 = time.perf_counter(), time.process_time()
            added = 0
            for article, mentions, claims, vectors in copies:
                added += store.add_article(article, mentions, claims, vectors, decide)
            store.close()  # timed too: what the last commits left in the write-ahead log goes to the file
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            with Store(path) as store:
                links, joined = store.db.execute(
                    "SELECT count(*), count(DISTINCT CASE WHEN chosen AND score IS NOT NULL THEN mention_id END)"
                    " FROM links WHERE id > ?",
                    (links_before,),
                ).fetchone()
            per_k.append((wall * 1000 / added, cpu * 1000 / added))
            rows.append(
                (
                    f"{held:,}",
                    f"{added:,}",
                    f"{strikes:,}",
                    f"{links / max(strikes, 1):.1f}",
                    f"{joined:,}",
                    f"{per_k[-1][0]:.1f}",
                    f"{per_k[-1][1]:.1f}",
                )
            )
            held += added
            print(f"  timed at {rows[-1][0]} articles: {per_k[-1][0]:.1f} s / 1,000", file=sys.stderr, flush=True)

    print("Store.add_article with linking on, per 1,000 articles, against the articles the ledger holds")
    print("(timed: storing and linking, and closing the ledger; extraction and embedding done beforehand, not timed)\n")
    print(format_table(rows))
    if len(per_k) > 1:
        print(
            f"\nratio {rows[-1][0]} / {rows[1][0]}: wall {per_k[-1][0] / per_k[0][0]:.2f}x,"
            f" CPU {per_k[-1][1] / per_k[0][1]:.2f}x"
        )
    print(
        f"\ncorpus {corpus}: {len(reads):,} articles read and embedded in {t_read:.0f} s (not timed);"
        f" filling the ledger between timed batches took {t_fill:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
