"""Throughput of the whole pipeline against spaCy's own NER-only rate, on the same texts.

    python bench/throughput.py [--n 1000] [--corpus ../shared/corpus/gva]

Prints one table: articles/s for (a) spaCy NER alone (tok2vec + ner, the model's own rate),
(b) the whole pipeline without linking (sentences, entities, gazetteer, extraction and the SQLite
write; every strike its own event), (c) the whole pipeline with linking (embeddings, candidate
search, scoring, merging, change log), and the process's peak resident memory. Loading the
models and the gazetteer is timed apart and not counted in the rates.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "gva"))
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()

    import spacy

    from warledger.ingest import read_paths
    from warledger.ledger import article_reader, embedder, ingest_articles
    from warledger.nlp.pipeline import MODEL
    from warledger.store import Store
    from warledger.textable import format_table

    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: corpus not found", file=sys.stderr)
        return 2
    articles = read_paths([corpus]).articles[: args.n]
    chars = sum(len(a.text) for a in articles)

    t0 = time.perf_counter()
    ner_only = spacy.load(MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
    t_ner_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in ner_only.pipe((a.text for a in articles), batch_size=32):
        pass
    t_ner = time.perf_counter() - t0

    t0 = time.perf_counter()
    reader = article_reader()
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    embedder().embed(["warm up"])
    t_embed_load = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "bench.db") as store:
            t0 = time.perf_counter()
            report = ingest_articles(articles, store, reader, link=False)
            t_all = time.perf_counter() - t0
            unlinked = store.counts()["events"]
        with Store(Path(tmp) / "linked.db") as store:
            t0 = time.perf_counter()
            ingest_articles(articles, store, reader)
            t_linked = time.perf_counter() - t0
            linked = store.counts()["events"]

    n = len(articles)
    rows = [
        ("run", "articles", "seconds", "articles/s", "chars/s"),
        ("spaCy NER only (tok2vec+ner)", str(n), f"{t_ner:.1f}", f"{n / t_ner:.1f}", f"{chars / t_ner:,.0f}"),
        ("warledger pipeline, linking off", str(n), f"{t_all:.1f}", f"{n / t_all:.1f}", f"{chars / t_all:,.0f}"),
        (
            "warledger pipeline, linking on",
            str(n),
            f"{t_linked:.1f}",
            f"{n / t_linked:.1f}",
            f"{chars / t_linked:,.0f}",
        ),
    ]
    print(format_table(rows))
    print(f"\ncorpus {corpus} ({chars:,} characters); strike reports read: {report.mentions}")
    print(f"events: {unlinked} with linking off, {linked} with linking on")
    print(
        f"load: spaCy NER-only model {t_ner_load:.1f} s; pipeline (model + gazetteer) {t_load:.1f} s;"
        f" linking model {t_embed_load:.1f} s"
    )
    print(f"peak RSS: {peak_rss_mib():.0f} MiB (whole process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
