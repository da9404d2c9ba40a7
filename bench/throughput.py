"""Throughput of the whole pipeline, in one process and in worker processes, against spaCy's own
NER-only rate on the same texts; and on a mixed stream behind the relevance gate.

    python bench/throughput.py [--n 2000] [--corpus ../shared/corpus/gva] [--workers 2] [--skip-mixed]

Prints one table, articles/s of:
  (a) spaCy NER alone (tok2vec + ner, the model's own rate), one process;
  (b) the whole pipeline without linking (sentences, entities, gazetteer, extraction and the
      SQLite write; every strike its own event), one process;
  (c) the whole pipeline with linking (embeddings, candidate search, scoring, merging, change
      log), one process, and (d) the same with ``--workers`` processes extracting;
  (e) a mixed stream (every corpus's articles plus as many unrelated news-like texts, shuffled;
      bench/mixed_stream.py) with the gate, linking on, ``--workers`` processes;
  (f) ``spark-ingest`` on local[workers] (bench/spark_rate.py), when pyspark and Java are there.
Then the bars of issue 12 and each process's peak resident memory. Loading the models, the
gazetteer, the worker processes and the JVM is timed apart and never counted in the rates.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "gva"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-mixed", action="store_true", help="leave out the mixed stream (e)")
    ap.add_argument("--skip-spark", action="store_true", help="leave out spark-ingest (f)")
    args = ap.parse_args()

    import spacy

    from warledger.ingest import read_paths
    from warledger.ledger import article_reader, embedders, ingest_articles
    from warledger.nlp.pipeline import MODEL
    from warledger.run import Workers, cores
    from warledger.store import Store
    from warledger.textable import format_table

    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: corpus not found", file=sys.stderr)
        return 2
    articles = read_paths([corpus]).articles[: args.n]
    n = len(articles)
    chars = sum(len(a.text) for a in articles)
    rows: list[tuple[str, ...]] = [("run", "articles", "seconds", "articles/s", "chars/s")]
    rates: dict[str, float] = {}
    events: dict[str, int] = {}

    def row(name: str, count: int, seconds: float, text_chars: int) -> None:
        rates[name] = count / seconds
        rows.append((name, str(count), f"{seconds:.1f}", f"{count / seconds:.1f}", f"{text_chars / seconds:,.0f}"))

    t_ner_load, ner_only = timed(
        lambda: spacy.load(MODEL, exclude=["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"])
    )
    t, _ = timed(lambda: [None for _ in ner_only.pipe((a.text for a in articles), batch_size=32)])
    row("spaCy NER only (tok2vec+ner), 1 process", n, t, chars)

    t_load, reader = timed(article_reader)
    t_embed_load, _ = timed(lambda: [m.embed(["warm up"]) for m in embedders(2)])
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)

        def ingest(name: str, label: str, items: list, **kw: Any) -> None:
            with Store(tmpdir / f"{name}.db") as store:
                t, report = timed(lambda: ingest_articles(items, store, reader, **kw))
                row(label, len(items), t, sum(len(a.text) for a in items))
                events[name] = store.counts()["events"]

        ingest("off", "warledger, linking off, 1 process", articles, link=False)
        cpu0 = os.times()
        ingest("on", "warledger, linking on, 1 process", articles)
        cpu1 = os.times()
        # how many cores the one process keeps busy: --workers can gain at most cores / this
        busy = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / (n / rates["warledger, linking on, 1 process"])
        one_peak = peak_rss_mib()

        t_workers_load, workers = timed(lambda: Workers(args.workers))
        with workers:
            t_workers_load += timed(workers.warm)[0]
            ingest("workers", f"warledger, linking on, --workers {args.workers}", articles, workers=workers)
            worker_peaks = workers.peak_mib()
        with Store(tmpdir / "on.db") as one, Store(tmpdir / "workers.db") as many:
            same = [e.to_json() for e in one.events()] == [e.to_json() for e in many.events()]

        mixed_note = ""
        if not args.skip_mixed:
            from mixed_stream import mixed_stream

            stream = mixed_stream()
            stream_chars = sum(len(a.text) for a in stream)
            notes = []
            for link in (False, True):
                with Workers(args.workers, link=link, gate=True) as gated:
                    gated.warm()
                    with Store(tmpdir / f"mixed-{link}.db") as store:
                        t, report = timed(partial(ingest_articles, stream, store, link=link, workers=gated))
                        name = f"mixed stream, gate on, linking {'on' if link else 'off'}, --workers {args.workers}"
                        row(name, len(stream), t, stream_chars)
                        notes.append(f"{report.skipped} skipped by the gate with linking {'on' if link else 'off'}")
                    worker_peaks += gated.peak_mib()
            mixed_note = f"mixed stream: {len(stream)} articles (bench/mixed_stream.py); " + ", ".join(notes)

        spark_note = ""
        same_spark: bool | None = None
        if not args.skip_spark:
            try:
                from spark_rate import spark_row
            except ImportError as exc:
                spark_note = f"spark-ingest: not measured ({exc})"
            else:
                run = spark_row(articles, f"local[{args.workers}]", tmpdir / "spark.db")
                rows.append(run.row)
                with Store(tmpdir / "on.db") as one, Store(tmpdir / "spark.db") as sparked:
                    same_spark = [e.to_json() for e in one.events()] == [e.to_json() for e in sparked.events()]
                spark_note = f"{run.note()}; ledger equals ingest's: {same_spark}"

    print(format_table(rows))
    ner = rates["spaCy NER only (tok2vec+ner), 1 process"]
    off = rates["warledger, linking off, 1 process"]
    on = rates["warledger, linking on, 1 process"]
    many = rates[f"warledger, linking on, --workers {args.workers}"]
    bars = [
        ("bar", "measured", "wanted", "met"),
        (f"--workers {args.workers} / 1 process, linking on", f"{many / on:.2f}x", ">= 1.70x", _yes(many / on >= 1.7)),
        ("1 process, linking off / spaCy NER only", f"{off / ner:.2f}", ">= 0.65", _yes(off / ner >= 0.65)),
        (
            "peak memory per worker process",
            f"{max(worker_peaks):.0f} MiB",
            "<= 1024 MiB",
            _yes(max(worker_peaks) <= 1024),
        ),
        (f"--workers {args.workers} ledger equals 1 process's", str(same), "True", _yes(same)),
    ]
    for link in ("off", "on"):
        key = f"mixed stream, gate on, linking {link}, --workers {args.workers}"
        if key in rates:
            bars.append(
                (
                    f"mixed stream with the gate, linking {link}",
                    f"{rates[key]:.1f}/s",
                    ">= 100",
                    _yes(rates[key] >= 100),
                )
            )
    if same_spark is not None:
        bars.append(("spark-ingest ledger equals 1 process's", str(same_spark), "True", _yes(same_spark)))
    print()
    print(format_table(bars))
    print(f"\ncorpus {corpus} ({n} articles, {chars:,} characters)")
    print(
        f"one process, linking on: {busy:.2f} cores busy (CPU seconds / wall seconds); on {cores()} cores"
        f" --workers can gain at most {cores() / busy:.2f}x"
    )
    print(
        f"events: {events['off']} with linking off, {events['on']} with linking on (1 process),"
        f" {events['workers']} with --workers"
    )
    for note in (mixed_note, spark_note):
        if note:
            print(note)
    print(
        f"load: spaCy NER-only model {t_ner_load:.1f} s; pipeline (model + gazetteer) {t_load:.1f} s;"
        f" linking models {t_embed_load:.1f} s; {args.workers} worker processes {t_workers_load:.1f} s"
    )
    print(
        f"peak RSS: {one_peak:.0f} MiB (the one process, every pipeline of the runs above loaded);"
        f" worker processes {', '.join(f'{p:.0f}' for p in worker_peaks)} MiB"
    )
    return 0


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


if __name__ == "__main__":
    raise SystemExit(main())
