"""Throughput of ``spark-ingest`` (extraction as a PySpark job, linking in the driver) on a local
master, over the same articles as bench/throughput.py.

    python bench/spark_rate.py [--n 300] [--corpus ../shared/corpus/gva] [--master local[2]]

``spark_row(articles)`` gives bench/throughput.py its table row. The articles are written as a
JSON-lines archive first; starting Spark (the JVM) and loading the pipeline in Spark's Python
workers are timed apart and not counted in the rate, as throughput.py does for its models.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("id", "text", "published", "outlet", "url", "title", "language", "place")


@dataclass
class SparkRun:
    row: tuple[str, str, str, str, str]  # run, articles, seconds, articles/s, chars/s
    jvm_s: float  # starting Spark: its JVM and the session
    load_s: float  # loading the pipeline in each Python worker
    workers: int
    events: int

    def note(self) -> str:
        return (
            f"spark: JVM start {self.jvm_s:.1f} s, pipeline load in {self.workers} Python worker(s)"
            f" {self.load_s:.1f} s (neither counted); events: {self.events}"
        )


def write_archive(articles: list, path: Path) -> None:
    """The articles as a JSON-lines archive, the fields spark-ingest reads."""
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            obj = {k: getattr(a, k) for k in FIELDS}
            obj["published"] = a.published.isoformat() if a.published else None
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")


def spark_row(articles: list, master: str = "local[2]", db: Path | None = None) -> SparkRun:
    """Run spark-ingest (linking on) over ``articles`` into a fresh SQLite ledger (``db``, else a
    temporary one); its row."""
    from warledger.run.spark import spark_ingest, spark_session, warm
    from warledger.store import Store

    n, chars = len(articles), sum(len(a.text) for a in articles)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive.jsonl"
        write_archive(articles, archive)
        t0 = time.perf_counter()
        with spark_session(master) as spark:
            t_jvm = time.perf_counter() - t0
            t0 = time.perf_counter()
            workers = warm(spark)
            t_load = time.perf_counter() - t0
            with Store(db or Path(tmp) / "spark.db") as store:
                t0 = time.perf_counter()
                spark_ingest([archive], store, spark=spark)
                t_job = time.perf_counter() - t0
                events = store.counts()["events"]
    row = (f"spark-ingest {master}, linking on", str(n), f"{t_job:.1f}", f"{n / t_job:.1f}", f"{chars / t_job:,.0f}")
    return SparkRun(row, t_jvm, t_load, len(workers), events)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "gva"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args()

    from warledger.ingest import read_paths
    from warledger.textable import format_table

    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"{corpus}: corpus not found", file=sys.stderr)
        return 2
    articles = read_paths([corpus]).articles[: args.n]
    run = spark_row(articles, args.master)
    print(format_table([("run", "articles", "seconds", "articles/s", "chars/s"), run.row]))
    print(f"\ncorpus {corpus}; {run.note()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
