"""Fuzz every reader and the nlp pipeline: does anything crash, hang or blow up memory?

    python bench/fuzz.py --budget 10000

Structured input comes from hypothesis strategies: article JSON lines (text, html and manifest
lines, fields of any type), HTML pages, date phrases, place strings, and casualty sentences with
extreme numbers ("killed 10^30"), nested quotes, right-to-left and zero-width characters and mixed
scripts. The API (``create_app`` in-process, through fastapi's TestClient, with a stored write
token) gets generated JSON bodies on every write operation its spec declares, and hostile query
strings and path ids on every read operation. Raw bytes come from atheris (libFuzzer, in a child
process: it ends its process when done) into each reader by file suffix. Every article a reader
gives is read by the real pipeline (loaded once per process).

A crash is an uncaught exception other than the project's coded ``WarledgerError``s, or an API
answer 5xx; a hang is one case (an article, a request) over ``HANG_S`` seconds (a case is stopped
after ``STOP_S``). The table: target, cases run, crashes, hangs, and the process's peak memory
(RSS) when the target ended. ``--budget`` is the number of cases across all targets. Each crash is
printed with its input (repr, cut), so it can become a regression test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

HANG_S = 5.0
STOP_S = 60
SUFFIXES = (".txt", ".html", ".jsonl")
_SHOWN = 300  # characters of a crashing input printed


@dataclass
class Tally:
    """What one target did: cases, crashes (with their inputs), hangs, and peak memory."""

    target: str
    cases: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    peak_mib: float = 0.0


class _Stopped(Exception):
    """A case ran past STOP_S: it is counted as a hang and the fuzzing goes on."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Stopped


def peak_mib() -> float:
    """The process's peak resident memory so far: VmHWM (ru_maxrss would carry the parent's peak
    into an exec'ed child); ru_maxrss where /proc is missing (both in KiB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the code under test ---------------------------------------------------------------------


class Harness:
    """The real readers and pipeline, loaded once; ``run`` is one case, judged."""

    def __init__(self) -> None:
        from warledger.ledger import article_reader

        self.reader = article_reader()
        self.folder = Path(tempfile.mkdtemp(prefix="warledger-fuzz-"))
        self._api: Api | None = None
        signal.signal(signal.SIGALRM, _alarm)

    def api(self) -> Api:
        """The API app on its own ledger, made on first use."""
        self._api = self._api or Api(self)
        return self._api

    def run(self, tally: Tally, case: Callable[[], object], shown: object) -> None:
        """Run one case; record a crash (not a WarledgerError), a hang, or nothing."""
        from warledger.errors import WarledgerError

        tally.cases += 1
        start = time.perf_counter()
        signal.alarm(STOP_S)
        try:
            case()
        except _Stopped:
            pass
        except WarledgerError:
            pass
        except Exception as err:  # what the fuzzing looks for
            frame = traceback.extract_tb(err.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            tally.crashes.append(f"{type(err).__name__} at {where}: {err}"[:200] + f" <- {repr(shown)[:_SHOWN]}")
        finally:
            signal.alarm(0)
        if time.perf_counter() - start > HANG_S:
            tally.hangs.append(repr(shown)[:_SHOWN])

    def read_articles(self, path: Path) -> None:
        """Every reader's path: ``iter_path``, then the pipeline on each article it gives."""
        from warledger.ingest.readers import iter_path
        from warledger.records import Article

        for item in iter_path(path):
            if isinstance(item, Article):
                self.reader.read(item)

    def file(self, name: str, data: bytes | str) -> Path:
        path = self.folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        return path


# --- strategies --------------------------------------------------------------------------------

RTL_ZW = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad"
SCRIPTS = "Київ Харків Одеса Москва Белгород خاركيف תל אביב 基辅 Κίεβο Kyiv Kharkiv"
QUOTES = ['"', "'", "“", "”", "‘", "’", "«", "»", "„"]
EXTREME = [
    "10^30",
    "10**30",
    "99999999999999999999",
    "9" * 5000,
    "5,000,000,000",
    "1,000,000,000,000,000",
    "0",
    "-5",
    "1e30",
    "between 10 and 99999999999",
    "at least 100001",
    "twenty thousand thousand",
    "٣٠٠",
    "１２",
]
VERBS = ["killed", "killing", "wounded", "injured", "left dead", "were killed", "death toll rose to"]
PLACES = ["Kharkiv", "Kyiv", "Odesa", "Belgorod", "Sumy", "Kryvyi Rih", "Zaporizhzhia", "Donetsk Oblast"]

# runs that made regexes or spaCy's tokenizer take quadratic time (a hang): repeated up to 3,000 times
STRESS = ["100,", '"«', "killed ", "Kharkiv, ", "\u200b", "two and ", "a b c, ", "x"]
_stress = st.builds(lambda run, n: run * n, st.sampled_from(STRESS), st.integers(min_value=0, max_value=3000))
_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
_noise = st.text(alphabet=st.sampled_from(list(RTL_ZW + SCRIPTS + "".join(QUOTES) + " .,;\n")), max_size=30)


@st.composite
def casualty_sentence(draw: st.DrawFn) -> str:
    """A strike sentence with an extreme number, nested quotes and invisible or foreign characters."""
    number = draw(st.sampled_from(EXTREME) | st.integers(min_value=-(10**40), max_value=10**40).map(str))
    q1, q2 = draw(st.sampled_from(QUOTES)), draw(st.sampled_from(QUOTES))
    parts = [
        draw(_noise),
        f"A Russian missile strike on {draw(st.sampled_from(PLACES))}",
        draw(st.sampled_from(["", " on 3 May 2025", " last night", " on 31 February 2024"])),
        f" {draw(st.sampled_from(VERBS))} {number} {draw(st.sampled_from(['people', 'civilians', 'children', '']))}",
        draw(_noise | _stress),
        f", {q1}the governor said {q2}{q1}{draw(_noise)}{q1}{q2}.",
        draw(_text),
    ]
    return "".join(parts)


_scalar = st.none() | st.booleans() | st.integers() | st.floats() | _text
_json_value = st.recursive(
    _scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3)
)
_date_value = st.sampled_from(["2025-05-03", "2025-02-31", "03/05/2025", "yesterday", "", "9999-12-31", "0001-01-01"])


@st.composite
def article_object(draw: st.DrawFn) -> dict[str, Any]:
    """One JSON line: an article (text or html) or a manifest line, its fields of any type."""
    obj: dict[str, Any] = {}
    body = draw(st.sampled_from(["text", "html", "file", "none"]))
    if body == "text":
        obj["text"] = draw(casualty_sentence() | _text | _json_value)
    elif body == "html":
        obj["html"] = draw(html_page() | _json_value)
    elif body == "file":
        names = ["page.html", "story.txt", "missing.txt", "", "../x.txt", "a.jsonl"]
        obj["file"] = draw(st.sampled_from(names) | _text)
    for name in ("id", "published", "outlet", "url", "title", "language", "place"):
        if draw(st.booleans()):
            obj[name] = draw(_date_value if name == "published" else st.sampled_from(PLACES) | _text | _json_value)
    return obj


@st.composite
def html_page(draw: st.DrawFn) -> str:
    """An HTML page: nested tags, broken markup, dates in meta tags, and casualty text."""
    tags = draw(st.lists(st.sampled_from(["p", "div", "article", "span", "script", "table", "time", "b"]), max_size=6))
    body = draw(casualty_sentence() | _text)
    for tag in tags:
        attr = draw(st.sampled_from(["", ' datetime="2025-05-03"', ' class="content"', " x=<", ' datetime="99999"']))
        body = f"<{tag}{attr}>{body}" + draw(st.sampled_from([f"</{tag}>", "", "</p>"]))
    meta = draw(st.sampled_from(["", '<meta property="article:published_time" content="2025-05-03">', "<meta content"]))
    title = draw(_text)
    return draw(st.sampled_from(["<!DOCTYPE html>", "", "<?xml version='1.0'?>"])) + (
        f"<html><head><title>{title}</title>{meta}</head><body>{body}</body></html>"
    )


_date_phrase = st.sampled_from(
    [
        "on 3 May",
        "on Monday",
        "last night",
        "on 31 February",
        "in May 2025",
        "overnight on 29 February 2023",
        "on the night of 3-4 May",
        "on 99 May",
        "in 99999",
        "early on 3 May 2025",
        "two days ago",
        "on 0 May 0",
    ]
)


# --- targets ------------------------------------------------------------------------------------


def _settings(n: int) -> settings:
    """``n`` generated cases, none shrunk or saved: a case judges itself (``Harness.run``), so
    hypothesis goes on after a crash and the bench counts them all."""
    return settings(
        max_examples=n, database=None, deadline=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
    )


def _jsonl(h: Harness, tally: Tally, n: int) -> None:
    @_settings(n)
    @given(st.lists(article_object(), min_size=1, max_size=3), html_page(), _text)
    def case(objs: list[dict[str, Any]], page: str, story: str) -> None:
        lines = "\n".join(json.dumps(o, ensure_ascii=False, allow_nan=True) for o in objs)
        folder = h.folder / f"jsonl-{tally.cases}"
        folder.mkdir()
        (folder / "page.html").write_text(page, "utf-8", "surrogatepass")
        (folder / "story.txt").write_text(story, "utf-8", "surrogatepass")
        (folder / "a.jsonl").write_text(lines, "utf-8", "surrogatepass")
        h.run(tally, lambda: h.read_articles(folder), lines)

    case()


def _html(h: Harness, tally: Tally, n: int) -> None:
    @_settings(n)
    @given(html_page())
    def case(page: str) -> None:
        h.run(tally, lambda: h.read_articles(h.file("page.html", page)), page)

    case()


def _sentences(h: Harness, tally: Tally, n: int) -> None:
    from warledger.records import Article

    @_settings(n)
    @given(st.lists(casualty_sentence(), min_size=1, max_size=4), st.none() | st.dates(), st.none() | _noise)
    def case(sentences: list[str], published: date | None, place: str | None) -> None:
        article = Article(id="fuzz", text=" ".join(sentences), published=published, place=place)
        h.run(tally, lambda: h.reader.read(article), article.text)

    case()


def _dates(h: Harness, tally: Tally, n: int) -> None:
    from warledger.nlp.dates import find_dates, parse_published

    @_settings(n)
    @given(st.lists(_date_phrase | _noise | _text, min_size=1, max_size=4), st.none() | st.dates(), _date_value | _text)
    def case(parts: list[str], published: date | None, value: str) -> None:
        text = "A strike hit Kharkiv " + " ".join(parts) + "."

        def run() -> None:
            find_dates(text, published)
            parse_published(value)

        h.run(tally, run, (text, published, value))

    case()


def _places(h: Harness, tally: Tally, n: int) -> None:
    gazetteer = h.reader.places

    @_settings(n)
    @given(st.lists(st.sampled_from(PLACES) | _noise | _text, min_size=1, max_size=3))
    def case(parts: list[str]) -> None:
        query = "".join(parts)

        def run() -> None:
            gazetteer.geocode(query)
            gazetteer.find(query)

        h.run(tally, run, query)

    case()


# --- the API in-process: JSON bodies to every write, query strings and ids to every read ---------


class ServerError(Exception):
    """A 5xx answer: the API let an error through (the fuzzing counts it as a crash)."""


class Api:
    """The real app (``create_app``) on a SQLite ledger in the harness's folder, called in-process
    through fastapi's TestClient with a stored write token; rate limits off, so every request
    reaches its handler. The ledger holds a few events first, so reads have rows to work on."""

    SEED = [
        "A Russian missile strike on Kharkiv on 3 May 2025 killed 3 people and wounded 12, the governor said.",
        "Drones hit Odesa overnight on 4 May 2025, killing two civilians, officials said.",
    ]

    def __init__(self, h: Harness) -> None:
        from fastapi.testclient import TestClient

        from warledger.api import create_token
        from warledger.api.app import create_app
        from warledger.ledger import ingest_articles
        from warledger.records import Article
        from warledger.store import Store

        db = h.folder / "api.db"
        with Store(db) as store:
            ingest_articles([Article(id=f"seed-{n}", text=t) for n, t in enumerate(self.SEED)], store, h.reader)
            self.event_ids = store.event_ids()
        token = create_token(db, "fuzz")
        app = create_app(db, reader=h.reader, writes_per_minute=0, auth_failures_per_minute=0)
        self.client = TestClient(app, headers={"Authorization": f"Bearer {token}"})
        spec = app.openapi()["paths"]
        # every operation the app declares: reads with their query parameters' names, and writes
        gets = [(p, op["get"].get("parameters", [])) for p, op in spec.items() if "get" in op]
        self.reads = [(p, [q["name"] for q in params if q["in"] == "query"]) for p, params in gets]
        self.writes = [p for p, op in spec.items() if "post" in op]

    def request(self, method: str, url: str, body: bytes | None = None) -> None:
        """One request; ServerError on a 5xx, with the line the server printed about it."""
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            res = self.client.request(method, url, content=body, headers={"Content-Type": "application/json"})
        if res.status_code >= 500:
            said = (err.getvalue().strip().splitlines() or [res.text[:100]])[-1]
            raise ServerError(f"{res.status_code} {method} {url[:100]}: {said[:200]}")


_query_value = (
    _text
    | _noise
    | _date_value
    | st.integers(min_value=-(10**30), max_value=10**30).map(str)
    | st.lists(st.floats() | st.integers(-400, 400), min_size=0, max_size=5).map(lambda xs: ",".join(map(str, xs)))
    | st.sampled_from(["", "' OR 1=1 --", "1," * 50, "%", "null", "-1", "\x00", "2025-05-03T00:00:00Z"])
)


@st.composite
def query_string(draw: st.DrawFn, names: list[str]) -> str:
    """Up to 5 parameters, mostly the operation's own, each a hostile value (percent-encoded text,
    or raw bytes that are not UTF-8)."""
    name = st.sampled_from(names) if names else _text
    pairs = draw(st.lists(st.tuples(name | st.sampled_from(PARAMS) | _text, _query_value | st.binary(max_size=20))))
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs[:5])


PARAMS = ["date_from", "date_to", "min_killed", "limit", "offset", "after", "bbox", "from", "to", "q", "country"]


def _api_queries(h: Harness, tally: Tally, n: int) -> None:
    api = h.api()

    @_settings(n)
    @given(st.sampled_from(api.reads), st.data())
    def case(read: tuple[str, list[str]], data: st.DataObject) -> None:
        path, names = read
        ident = data.draw(st.sampled_from(api.event_ids) | _text | st.integers().map(str) | _noise)
        url = re.sub(r"\{[^}]+\}", quote(ident, safe="") or "x", path) + "?" + data.draw(query_string(names))
        h.run(tally, lambda: api.request("GET", url), url)

    case()


@st.composite
def json_body(draw: st.DrawFn) -> bytes:
    """What a client may POST: article objects (one or a list), any JSON, JSON nested thousands
    deep, a long text of repeated runs, or bytes that are not JSON at all."""
    kind = draw(st.sampled_from(["articles", "article", "any", "deep", "long", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "deep":
        n = draw(st.integers(min_value=1, max_value=6000))
        return draw(st.sampled_from([b"[" * n + b"]" * n, b'{"a":' * n + b"1" + b"}" * n, b"[" * n]))
    if kind == "long":
        return json.dumps({"text": draw(casualty_sentence()) + draw(_stress)}).encode()
    value = {"articles": st.lists(article_object(), max_size=4), "article": article_object(), "any": _json_value}
    return json.dumps(draw(value[kind]), ensure_ascii=draw(st.booleans()), allow_nan=True).encode(
        "utf-8", "surrogatepass"
    )


def _api_bodies(h: Harness, tally: Tally, n: int) -> None:
    api = h.api()

    @_settings(n)
    @given(st.sampled_from(api.writes), json_body())
    def case(path: str, body: bytes) -> None:
        h.run(tally, lambda: api.request("POST", path, body), body)

    case()


STRUCTURED: dict[str, Callable[[Harness, Tally, int], None]] = {
    "jsonl+manifest": _jsonl,
    "html": _html,
    "sentences": _sentences,
    "dates": _dates,
    "places": _places,
    "api-bodies": _api_bodies,
    "api-queries": _api_queries,
}
TARGETS = [*STRUCTURED, *(f"bytes{s}" for s in SUFFIXES)]


# --- raw bytes: atheris in a child process --------------------------------------------------------


def bytes_child(suffix: str, runs: int, out: Path) -> None:
    """Feed libFuzzer's bytes as a ``suffix`` file to ``iter_path`` and the pipeline, ``runs`` times;
    the tally is written to ``out`` after each case (libFuzzer ends the process itself)."""
    import atheris  # type: ignore[import-untyped]

    with atheris.instrument_imports(include=["warledger"]):
        import warledger.ingest.readers  # noqa: F401

    h = Harness()
    tally = Tally(f"bytes{suffix}")

    def one(data: bytes) -> None:
        h.run(tally, lambda: h.read_articles(h.file(f"input{suffix}", data)), data)
        tally.peak_mib = peak_mib()
        out.write_text(json.dumps(tally.__dict__))

    atheris.Setup([sys.argv[0], f"-runs={runs}", "-max_len=4096", "-rss_limit_mb=0", "-print_final_stats=0"], one)
    atheris.Fuzz()


def run_bytes(suffix: str, runs: int) -> Tally:
    """One atheris child for ``suffix``; its last written tally (or a crash of the child itself)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tally.json"
        cmd = [sys.executable, __file__, "--bytes-child", suffix, "--budget", str(runs), "--out", str(out)]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ)
        tally = Tally(**json.loads(out.read_text())) if out.exists() else Tally(f"bytes{suffix}")
        if proc.returncode != 0:
            tally.crashes.append(f"the fuzzing process ended with {proc.returncode}: {proc.stderr[-_SHOWN:]}")
        return tally


# --- the run ------------------------------------------------------------------------------------


def shares(budget: int, n: int) -> list[int]:
    """``budget`` cases over ``n`` targets, as evenly as whole numbers allow."""
    return [budget // n + (1 if i < budget % n else 0) for i in range(n)]


def run_all(budget: int, targets: list[str] | None = None) -> list[Tally]:
    """Run ``budget`` cases across ``targets`` (all by default); one tally per target."""
    names = targets or TARGETS
    tallies = []
    harness: Harness | None = None
    for name, n in zip(names, shares(budget, len(names)), strict=True):
        if n == 0:
            tallies.append(Tally(name))
        elif name in STRUCTURED:
            harness = harness or Harness()
            tally = Tally(name)
            STRUCTURED[name](harness, tally, n)
            tally.peak_mib = peak_mib()
            tallies.append(tally)
        else:
            tallies.append(run_bytes(name.removeprefix("bytes"), n))
    return tallies


def table(tallies: list[Tally]) -> str:
    rows = [("target", "cases", "crashes", "hangs", "peak MiB")]
    rows += [(t.target, str(t.cases), str(len(t.crashes)), str(len(t.hangs)), f"{t.peak_mib:.0f}") for t in tallies]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for t in tallies:
        lines += [f"crash in {t.target}: {c}" for c in t.crashes]
        lines += [f"hang in {t.target}: {c}" for c in t.hangs]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=int, default=1000, help="cases across all targets")
    ap.add_argument("--targets", nargs="*", choices=TARGETS, help="only these targets")
    ap.add_argument("--bytes-child", choices=SUFFIXES, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bytes_child:
        bytes_child(args.bytes_child, args.budget, args.out)
        return 0
    start = time.perf_counter()
    tallies = run_all(args.budget, args.targets)
    print(table(tallies))
    print(f"{sum(t.cases for t in tallies)} cases in {time.perf_counter() - start:.0f} s")
    return 1 if any(t.crashes or t.hangs for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
