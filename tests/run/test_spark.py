"""``spark-ingest``: extraction as a PySpark job (local[2]) builds the ledger ``ingest`` builds, from
JSON lines and from Parquet; what the executors write round-trips the typed records exactly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.ingest import read_paths
from warledger.ledger import embedder, ingest_articles
from warledger.records import Article
from warledger.run import Extracted, Extraction
from warledger.run.spark import (
    COLUMNS,
    SOURCE_ROOT,
    extracted_from_row,
    extracted_row,
    spark_ingest,
    spark_session,
    warm,
    why,
)
from warledger.store import Store

N = 30
FIELDS = ("id", "text", "published", "outlet", "url", "title", "language", "place")


@dataclass
class Sample:
    articles: list[Article]
    jsonl: Path  # the articles, plus a blank line, a bad line and two repeated ids
    parquet: Path  # the articles alone, ``published`` as a date column


def _line(a: Article) -> str:
    obj = {k: getattr(a, k) for k in FIELDS}
    obj["published"] = a.published.isoformat() if a.published else None
    return json.dumps(obj, ensure_ascii=False)


@pytest.fixture(scope="module")
def sample(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    articles = read_paths([corpus_dir / "war_news" / "articles.jsonl"]).articles[:N]
    folder = tmp_path_factory.mktemp("archive")
    lines = [_line(a) for a in articles]
    same_again = lines[3]  # the same id and text again: dropped silently, as `ingest` does
    other_text = _line(replace(articles[5], text=articles[5].text + " Updated."))  # reported
    lines[10:10] = ["", '{"id": "broken", "text": ', same_again, other_text]
    jsonl = folder / "archive.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = {k: [getattr(a, k) for a in articles] for k in FIELDS}
    parquet = folder / "archive.parquet"
    pq.write_table(pa.table(columns), parquet)
    assert pq.read_schema(parquet).field("published").type == pa.date32()
    return Sample(articles, jsonl, parquet)


@pytest.fixture(scope="module")
def spark():
    with spark_session("local[2]") as session:
        assert len(warm(session)) == 2  # two Python workers, each with its own pipeline
        yield session


def _rows(store: Store) -> list[dict]:
    return [ev.to_json() for ev in store.events()]


def _vectors(store: Store) -> list[tuple]:
    """Every strike text's stored vector, by its key (rows as tuples: a PostgreSQL row has no ==)."""
    return [tuple(r) for r in store.db.execute("SELECT text_hash, embedding FROM mentions ORDER BY text_hash")]


def test_spark_ingest_builds_the_ledger_ingest_builds(ledgers, reader, spark, sample, tmp_path) -> None:
    read = read_paths([sample.jsonl])
    assert len(read.articles) == N and len(read.problems) == 2
    parquet_db = ledgers.new("parquet")
    with Store(ledgers.new("one")) as one, Store(ledgers.new("spark")) as two:
        ingest_articles(read.articles, one, reader)
        expected = _rows(one)
        assert len(expected) > N
        out = tmp_path / "extracted"
        report = spark_ingest([sample.jsonl], two, out=out, spark=spark)
        assert (report.read, report.added, report.unchanged) == (N, N, 0)
        assert [str(p) for p in report.problems] == [str(p) for p in read.problems]  # the bad line, the other text
        assert _rows(two) == expected
        assert _vectors(two) == _vectors(one)  # the same vectors
        kept = pq.read_table(out)
        assert kept.column_names == list(COLUMNS) and kept.num_rows == N
        # again: every text is stored, nothing is read or changed
        again = spark_ingest([sample.jsonl], two, spark=spark)
        assert (again.read, again.added, again.unchanged) == (N, 0, N)
        assert _rows(two) == expected
    # Parquet, through the command (it runs on the session already started)
    res = _spark_ingest(str(sample.parquet), "--master", "local[2]", "--db", str(parquet_db))
    assert res.exit_code == 0, res.output
    assert f"{N} article(s) added, 0 unchanged" in res.output
    with Store(parquet_db) as three:
        assert _rows(three) == expected


def test_what_executors_write_round_trips(reader, corpus_dir: Path, tmp_path: Path) -> None:
    articles = read_paths([corpus_dir / "war_news" / "articles.jsonl"]).articles[:12]
    done = list(Extraction(reader, [embedder()]).run(articles))
    done.append(Extracted(Article("skipped-1", "Nothing happened.", date(2025, 1, 2)), [], [], None, "no strike"))
    mentions = [m for e in done for m in e.mentions]
    # real records with every nested kind: figures, claims, quotes, places with other names, dates
    assert any(m.figures for m in mentions) and any(e.claims for e in done)
    assert any(m.place and m.place.alt_names for m in mentions) and any(m.date for m in mentions)
    path = tmp_path / "rows.parquet"
    types = {c: pa.binary() if c == "vectors" else pa.string() for c in COLUMNS}
    rows = [dict(zip(COLUMNS, extracted_row(e), strict=True)) for e in done]
    pq.write_table(pa.Table.from_pylist(rows, schema=pa.schema(types.items())), path)
    back = [extracted_from_row(r) for r in pq.read_table(path).to_pylist()]
    for before, after in zip(done, back, strict=True):
        assert (after.article, after.mentions, after.claims, after.skipped) == (
            before.article,
            before.mentions,
            before.claims,
            before.skipped,
        )
        if before.vectors is None:
            assert after.vectors is None
        else:
            assert after.vectors is not None and after.vectors.dtype == before.vectors.dtype
            assert np.array_equal(after.vectors, before.vectors) and after.vectors.shape == (len(before.mentions), 384)


def _spark_ingest(*args: str):
    return CliRunner().invoke(cli, ["spark-ingest", *args])


def test_bad_input_is_one_coded_line_and_touches_no_ledger(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    missing = tmp_path / "missing.jsonl"
    res = _spark_ingest(str(missing), "--db", str(db))
    assert res.exit_code == 1 and res.output == f"Error: [W100] {missing}: no such file or directory\n"
    textless = tmp_path / "textless.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["A drone hit a house in Sumy."]}), textless)
    res = _spark_ingest(str(textless), "--db", str(db))
    assert res.exit_code == 1
    assert res.output == f"Error: [W100] {textless}: no 'text' (or 'html') column; its columns: id, body\n"
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(b"PAR1 not really")
    res = _spark_ingest(str(damaged), "--db", str(db))
    assert res.exit_code == 1 and len(res.output.splitlines()) == 1 and "not a readable Parquet file" in res.output
    notes = tmp_path / "notes.txt"
    notes.write_text("A drone hit a house in Sumy.")
    res = _spark_ingest(str(notes), "--db", str(db))
    assert res.exit_code == 1 and "unsupported file type for spark-ingest" in res.output
    empty = tmp_path / "empty"
    empty.mkdir()
    res = _spark_ingest(str(empty), "--db", str(db))
    assert res.exit_code == 1 and "no .jsonl or .parquet file in this folder" in res.output
    assert not db.exists()  # refused before the ledger was opened


def test_an_out_folder_that_exists_is_refused(sample: Sample, tmp_path: Path) -> None:
    out = tmp_path / "extracted"
    out.mkdir()
    res = _spark_ingest(str(sample.jsonl), "--out", str(out), "--db", str(tmp_path / "ledger.db"))
    assert res.exit_code == 1
    assert res.output == f"Error: [W100] {out}: already exists: --out names a new folder for the extracted records\n"


def test_spark_without_java_is_one_coded_line(sample: Sample, tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java"), "PYTHONPATH": SOURCE_ROOT}
    command = [sys.executable, "-c", "from warledger.cli import main; main()", "spark-ingest", str(sample.jsonl)]
    run = subprocess.run([*command, "--db", str(db)], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1].startswith(
        "Error: [W620] cannot start Spark on local[*] (it needs Java 17 or later: `make java`): [JAVA_GATEWAY_EXITED]"
    )
    assert not db.exists()


def test_why_names_the_error_in_a_trace() -> None:
    worker = "An exception was thrown from the Python worker:\nTraceback (most recent call last):\n"
    worker += "  File \"x.py\", line 3, in f\n    import spacy\nModuleNotFoundError: No module named 'spacy'\n"
    assert why(RuntimeError(worker)) == "ModuleNotFoundError: No module named 'spacy'"
    java = "An error occurred while calling o52.parquet.\n: org.apache.spark.SparkException: Job aborted.\n"
    java += "\tat org.apache.spark.rdd.RDD.iterator(RDD.scala:336)\n"
    assert why(RuntimeError(java)) == "org.apache.spark.SparkException: Job aborted."
    assert why(RuntimeError("[JAVA_GATEWAY_EXITED] Java gateway process exited.")) == (
        "[JAVA_GATEWAY_EXITED] Java gateway process exited."
    )
