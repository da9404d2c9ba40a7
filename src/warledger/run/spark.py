"""Extraction as a Spark job, for backfilling years of archived news.

    with spark_session("local[2]") as spark:
        report = spark_ingest(["archive/2023.jsonl", "archive/2024/"], store, spark=spark)

Spark reads the archive: JSON-lines or Parquet files of articles, one per line or row, with the
fields of our JSON-lines articles (``id, text, published, outlet, url, title, language, place``).
Its Python workers parse each row as ``warledger ingest`` does (``ingest.readers``), then extract
with the same ``Extraction`` the single-machine path runs, each worker loading the pipeline once
(``run.local.worker_extraction``) and reading a partition at a time (``mapPartitions``). The
extracted records are written as Parquet (``out``); the driver reads them back in publication
order and links and stores them in one place (``ledger.store_all``), so the ledger is the one
``warledger ingest`` builds from the same articles.

pyspark is imported here only, when a job runs: other commands never pay for it.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..datafiles import DATA_DIR
from ..errors import InputError, SparkError
from ..ingest.decode import BadInput
from ..ingest.readers import ManifestEntry, first_of_id, json_article, parse_json_line
from ..records import Article, article_from, claim_from, mention_from, to_record
from .extract import Extracted
from .local import worker_extraction

if TYPE_CHECKING:
    from ..ledger import IngestReport
    from ..store import Ledger

SUFFIXES = (".jsonl", ".parquet")
# a partition holds at most this many articles (there are at least as many partitions as cores)
PARTITION_ARTICLES = 256
# the columns of the extracted records as written by the executors (one row per article)
COLUMNS = ("day", "id", "article", "mentions", "claims", "vectors", "skipped")
SOURCE_ROOT = str(Path(__file__).resolve().parents[2])  # the folder warledger is imported from
BOM = b"\xef\xbb\xbf"

# one input row after parsing: ((file number, row number), where, the article or None, the problem or None)
Parsed = tuple[tuple[int, int], str, Article | None, str | None]


# -- the archive ---------------------------------------------------------------------------


def input_files(paths: Iterable[str | Path], out: str | Path | None = None) -> list[Path]:
    """The JSON-lines and Parquet files to read: each file given, and those under each folder
    given (a Parquet dataset as Spark writes it, too). Raises InputError for a path that is
    missing, of another type, or a Parquet file without a ``text`` (or ``html``) column, and
    for an ``out`` folder that exists already."""
    if out is not None and Path(out).exists():
        raise InputError(str(out), "already exists: --out names a new folder for the extracted records")
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _input_name(p))
            if not found:
                raise InputError(str(path), "no .jsonl or .parquet file in this folder")
            files += found
        elif not path.exists():
            raise InputError(str(path), "no such file or directory")
        elif path.suffix.lower() not in SUFFIXES:
            raise InputError(str(path), "unsupported file type for spark-ingest (expected .jsonl or .parquet)")
        else:
            files.append(path)
    for path in files:
        if path.suffix.lower() == ".parquet":
            _check_parquet(path)
    return files


def _input_name(path: Path) -> bool:
    hidden = path.name.startswith((".", "_"))  # Spark's _SUCCESS, Hadoop's .crc files
    return not hidden and path.suffix.lower() in SUFFIXES


def _check_parquet(path: Path) -> None:
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises several kinds for a damaged or foreign file
        raise InputError(str(path), f"not a readable Parquet file ({' '.join(str(exc).split())})") from None
    if "text" not in names and "html" not in names:
        raise InputError(str(path), f"no 'text' (or 'html') column; its columns: {', '.join(names) or 'none'}")


def parse_jsonl_line(file_no: int, path: str, line: tuple[bytes, int]) -> Parsed | None:
    """A JSON-lines row as ``warledger ingest`` reads it (None for a blank line)."""
    raw, index = line
    lineno = index + 1
    if lineno == 1 and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    if not raw.strip():
        return None
    where = f"{path}:{lineno}"
    try:
        item = parse_json_line(raw, Path(path), lineno)
    except BadInput as bad:
        return ((file_no, lineno), where, None, bad.problem)
    if isinstance(item, ManifestEntry):
        return ((file_no, lineno), where, None, "a manifest line ('file'): read it with warledger ingest")
    return ((file_no, lineno), where, item, None)


def parse_parquet_row(file_no: int, path: str, row: tuple[Mapping[str, Any], int]) -> Parsed:
    """A Parquet row read as a JSON-lines article with the same fields (days may be dates)."""
    values, index = row
    rowno = index + 1
    where = f"{path}:{rowno}"
    obj = {k: v.isoformat() if isinstance(v, date | datetime) else v for k, v in values.items()}
    try:
        return ((file_no, rowno), where, json_article(obj, Path(path), rowno, where), None)
    except BadInput as bad:
        return ((file_no, rowno), where, None, bad.problem)


# -- what the executors write ---------------------------------------------------------------


def extracted_row(done: Extracted) -> tuple[Any, ...]:
    """An extracted article as a row of ``COLUMNS``: its publication day (undated last) and id,
    to link in ``ledger.publication_order``; its records as their JSON (``records.to_record``);
    its vectors as a .npy blob (dtype and shape kept)."""
    article = done.article
    return (
        (article.published or date.max).isoformat(),
        article.id,
        _json(article),
        _json(done.mentions),
        _json(done.claims),
        None if done.vectors is None else _npy(done.vectors),
        done.skipped,
    )


def extracted_from_row(row: Mapping[str, Any]) -> Extracted:
    """``extracted_row`` read back: equal records, the same vectors."""
    blob = row["vectors"]
    return Extracted(
        article_from(json.loads(row["article"])),
        [mention_from(m) for m in json.loads(row["mentions"])],
        [claim_from(c) for c in json.loads(row["claims"])],
        None if blob is None else np.load(io.BytesIO(blob), allow_pickle=False),
        row["skipped"],
    )


def _json(value: Any) -> str:
    return json.dumps(to_record(value), ensure_ascii=False)


def _npy(vectors: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, vectors, allow_pickle=False)
    return out.getvalue()


def extract_partition(link: bool, gate: bool, articles: Iterable[Article]) -> Iterator[tuple[Any, ...]]:
    """One partition, in a Spark Python worker: the pipeline loaded once per worker process."""
    for done in worker_extraction(link, gate).run(articles):
        yield extracted_row(done)


def _schema() -> Any:
    from pyspark.sql.types import BinaryType, StringType, StructField, StructType

    nullable = {"vectors", "skipped"}
    return StructType(
        [StructField(c, BinaryType() if c == "vectors" else StringType(), c in nullable) for c in COLUMNS]
    )


# -- Spark ----------------------------------------------------------------------------------


@contextmanager
def spark_session(master: str = "local[*]") -> Iterator[Any]:
    """A quiet Spark session on ``master`` (any master URL): no web UI, the driver on 127.0.0.1,
    scratch files in a temporary folder, warnings only. Its Python workers run this Python and
    import warledger from where this process does. Stopped on exit; a session already running
    in this process is used as it is and left running."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is not None:
        yield SparkSession.builder.getOrCreate()
        return
    with tempfile.TemporaryDirectory(prefix="warledger-spark-") as scratch:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM: no host name lookup
        os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers' Python: this one, with its packages
        try:
            spark = _configured(SparkSession.builder, master, scratch).getOrCreate()
        except spark_errors() as exc:
            raise SparkError(
                f"cannot start Spark on {master} (it needs Java 17 or later: `make java`): {why(exc)}"
            ) from None
        spark.sparkContext.setLogLevel("WARN")
        try:
            yield spark
        finally:
            spark.stop()


def spark_errors() -> tuple[type[Exception], ...]:
    """What Spark raises: its own errors (a worker's Python exception among them) and py4j's."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return (PySparkException, Py4JError)


def why(exc: BaseException) -> str:
    """The line that says what went wrong in one of Spark's errors, which carry a Java stack
    trace or a worker's Python traceback: the last ``SomeError: ...`` line, else the first line."""
    lines = [line.strip().removeprefix(": ") for line in str(exc).splitlines() if line.strip()]
    named = [line for line in lines if _ERROR_LINE.match(line)]
    return (named[-1] if named else lines[0] if lines else type(exc).__name__)[:400]


_ERROR_LINE = re.compile(r"^[\w.$]*(?:Error|Exception)\b[^:]*: ")


def _configured(builder: Any, master: str, scratch: str) -> Any:
    python_path = os.pathsep.join(p for p in (SOURCE_ROOT, os.environ.get("PYTHONPATH", "")) if p)
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.local.dir": scratch,
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.executorEnv.PYTHONPATH": python_path,
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={DATA_DIR / 'spark-log4j2.properties'}",
        "spark.sql.session.timeZone": "UTC",
    }
    builder = builder.master(master).appName("warledger spark-ingest")
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder


def warm(spark: Any, link: bool = True, gate: bool = True) -> list[int]:
    """Load the pipeline in each of Spark's Python workers now (benchmarks time it apart);
    their process ids."""
    sc = spark.sparkContext
    n = sc.defaultParallelism
    load = partial(_load_here, link, gate)
    return sorted(set(sc.parallelize(range(n), n).mapPartitions(load).collect()))


def _load_here(link: bool, gate: bool, _: Iterable[int]) -> list[int]:
    worker_extraction(link, gate)
    return [os.getpid()]


# -- the job --------------------------------------------------------------------------------


def spark_ingest(
    paths: Sequence[str | Path],
    store: Ledger,
    master: str = "local[*]",
    out: str | Path | None = None,
    link: bool = True,
    gate: bool = True,
    progress: Callable[[int], None] | None = None,
    spark: Any = None,
) -> IngestReport:
    """Extract the archive at ``paths`` with Spark, then link and store it in ``store`` (a
    ``store.Ledger``) in publication order; RETURNS the ``ledger.IngestReport``.

    As ``warledger ingest``: a bad row is reported and skipped, an id seen before is dropped (a
    different text under it reported), an article already stored is not read again.
    ``out`` is the folder the extracted records are written to as Parquet (kept; it must not
    exist yet); by default a temporary one, removed after.
    Raises InputError for a bad input file, SparkError when Spark fails.
    """
    files = input_files(paths, out)
    if spark is None:
        with spark_session(master) as session:
            return spark_ingest(files, store, master, out, link, gate, progress, session)
    from ..ledger import IngestReport, store_all

    report = IngestReport()
    if out is None:
        scratch: str | None = tempfile.mkdtemp(prefix="warledger-extracted-")
        target = Path(str(scratch)) / "extracted.parquet"
    else:
        scratch, target = None, Path(out)
    try:
        parsed = _parsed(spark, files)
        try:
            fresh = _fresh(parsed.map(_meta).collect(), store, report, progress)
            if fresh:
                _extract(spark, parsed, fresh, target, link, gate)
        finally:
            parsed.unpersist()
        if fresh:
            ordered = spark.read.parquet(str(target)).orderBy("day", "id")
            stream = (extracted_from_row(r.asDict()) for r in ordered.toLocalIterator())
            store_all(stream, store, report, progress, link)
    except spark_errors() as exc:  # with the workers' tracebacks or Java's stack inside
        raise SparkError(f"the Spark job failed: {why(exc)}") from None
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return report


def _parsed(spark: Any, files: Sequence[Path]) -> Any:
    """Every row of every file, parsed by the workers; kept (memory, else disk) for two passes."""
    from pyspark import StorageLevel

    sc = spark.sparkContext
    parts = []
    for file_no, path in enumerate(files):
        if path.suffix.lower() == ".jsonl":
            lines = sc.textFile(str(path), use_unicode=False).zipWithIndex()
            parts.append(lines.map(partial(parse_jsonl_line, file_no, str(path))).filter(_present))
        else:
            rows = spark.read.parquet(str(path)).rdd.map(lambda r: r.asDict()).zipWithIndex()
            parts.append(rows.map(partial(parse_parquet_row, file_no, str(path))))
    return sc.union(parts).persist(StorageLevel.MEMORY_AND_DISK)


def _present(item: Parsed | None) -> bool:
    return item is not None


def _meta(item: Parsed) -> tuple[tuple[int, int], str, str | None, str | None, str | None, str | None]:
    """What the driver needs of a row to choose what to read: no article text."""
    key, where, article, problem = item
    if article is None:
        return (key, where, None, None, None, problem)
    exact = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    return (key, where, article.id, exact, article.hash, None)


def _fresh(
    meta: list[tuple[tuple[int, int], str, str | None, str | None, str | None, str | None]],
    store: Ledger,
    report: IngestReport,
    progress: Callable[[int], None] | None,
) -> set[tuple[int, int]]:
    """The rows to read, as ``read_paths`` then ``ingest_articles`` choose them: problems and
    duplicate ids reported, texts the ledger holds counted unchanged."""
    seen: dict[str, tuple[str, str]] = {}
    kept: list[tuple[tuple[int, int], str]] = []
    for key, where, art_id, exact, text_hash, problem in sorted(meta, key=lambda m: m[0]):
        if art_id is None or exact is None or text_hash is None:
            report.problems.append(InputError(where, problem or "unreadable"))
            continue
        first = first_of_id(seen, art_id, exact, where)
        if first is True:
            kept.append((key, text_hash))
        elif first is not False:
            report.problems.append(first)
    report.read = len(kept)
    stored = store.stored_hashes(h for _, h in kept)
    report.unchanged = sum(1 for _, h in kept if h in stored)
    if progress and report.unchanged:
        progress(report.unchanged)
    return {key for key, h in kept if h not in stored}


def _extract(spark: Any, parsed: Any, fresh: set[tuple[int, int]], target: Path, link: bool, gate: bool) -> None:
    """The executors' work: the fresh articles, spread over the cores, extracted and written."""
    sc = spark.sparkContext
    keys = sc.broadcast(fresh)
    articles = parsed.filter(lambda item: item[0] in keys.value).map(lambda item: item[2])
    n = max(sc.defaultParallelism, math.ceil(len(fresh) / PARTITION_ARTICLES))
    rows = articles.repartition(n).mapPartitions(partial(extract_partition, link, gate))
    spark.createDataFrame(rows, _schema()).write.parquet(str(target))
    keys.destroy()
