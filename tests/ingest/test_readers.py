"""Tests for the ingest readers: real files in tmp_path, sentences written for these tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from warledger.errors import InputError
from warledger.ingest import READERS, Reader, ReadResult, iter_path, read_paths
from warledger.records import Article

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

STORY = (
    "A water tower on the edge of the village was damaged overnight, the district office said. "
    "Repair crews reached the site in the morning and expect to restore the supply by Friday. "
    "Residents were asked to collect drinking water from the school yard until then."
)
OTHER_STORY = "A bridge over the canal was closed after inspectors found cracks in two of its piers."


def _page(head: str = "", body_extra: str = "", footer: str = "") -> str:
    return (
        f"<html><head><title>Water tower damaged</title>{head}</head><body>"
        f"<nav>Home | World | Sport</nav><article><h1>Water tower damaged</h1>"
        f"<p>{STORY}</p><p>{OTHER_STORY}</p>{body_extra}</article>"
        f"<script>var tracker = 'SCRIPT_MARKER_TEXT';</script>"
        f"<footer>{footer}</footer></body></html>"
    )


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _jsonl(*rows: object) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def _by_id(result: ReadResult) -> dict[str, Article]:
    return {a.id: a for a in result.articles}


def test_readers_folder_with_manifest(tmp_path: Path) -> None:
    _write(tmp_path / "b_second.txt", OTHER_STORY)
    _write(tmp_path / "a_first.txt", STORY)
    _write(tmp_path / "c_unlisted.txt", STORY + " Updated.")
    _write(tmp_path / "gold.json", '{"events": []}')
    _write(tmp_path / "notes.md", "not an input")
    _write(
        tmp_path / "articles.jsonl",
        _jsonl(
            {
                "file": "a_first.txt",
                "published": "2024-02-03",
                "outlet": "Daily Test",
                "url": "https://example.org/a",
                "title": "Tower",
                "language": "en",
                "extra": 1,
            },
            {"file": "b_second.txt", "id": "bridge-1", "published": None, "outlet": None},
        ),
    )
    result = read_paths([tmp_path])
    assert result.problems == []
    assert [a.id for a in result.articles] == ["a_first.txt", "bridge-1", "c_unlisted.txt"]
    first = result.articles[0]
    assert first.text == STORY
    assert first.published == date(2024, 2, 3)
    assert (first.outlet, first.url, first.title, first.language) == (
        "Daily Test",
        "https://example.org/a",
        "Tower",
        "en",
    )
    assert first.source == str(tmp_path / "a_first.txt")
    assert result.articles[1].published is None
    assert result.articles[2].outlet is None


def test_readers_manifest_file_given_directly(tmp_path: Path) -> None:
    _write(tmp_path / "one.txt", STORY)
    manifest = _write(tmp_path / "articles.jsonl", _jsonl({"file": "one.txt", "outlet": "X"}))
    result = read_paths([manifest])
    assert result.problems == []
    assert [(a.id, a.outlet) for a in result.articles] == [("one.txt", "X")]


def test_readers_manifest_name_with_a_nul_is_a_problem_line(tmp_path: Path) -> None:
    # found by bench/fuzz.py: a manifest line naming "a\x00b" in a folder raised ValueError
    # (embedded null byte) when the folder reader resolved the name
    _write(tmp_path / "one.txt", STORY)
    _write(tmp_path / "articles.jsonl", _jsonl({"file": "a\x00b.txt"}, {"file": "one.txt", "outlet": "X"}))
    result = read_paths([tmp_path])
    assert [str(p) for p in result.problems] == [
        f"[W100] {tmp_path / 'articles.jsonl'}:1: field 'file' holds a NUL character: 'a\\x00b.txt'"
    ]
    assert [(a.id, a.outlet) for a in result.articles] == [("one.txt", "X")]


def test_readers_jsonl_articles(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "batch.jsonl",
        "\ufeff"
        + _jsonl(
            {
                "id": "r1",
                "text": "Line one.\r\nLine two.",
                "published": "2022-05-06",
                "outlet": "Wire",
                "place": "Somewhere",
                "unknown": [1, 2],
            },
            {"text": OTHER_STORY, "published": "2022-05-07T13:45:00+02:00"},
        )
        + "\n",
    )
    result = read_paths([path])
    assert result.problems == []
    first, second = result.articles
    assert (first.id, first.text, first.published) == (
        "r1",
        "Line one.\nLine two.",
        date(2022, 5, 6),
    )
    assert (first.outlet, first.place, first.source) == ("Wire", "Somewhere", f"{path}:1")
    assert (second.id, second.published) == ("batch:2", date(2022, 5, 7))


def test_readers_text_kept_exactly(tmp_path: Path) -> None:
    raw = "\ufeffTitle line\r\n\r\n  Indented  text\twith tab.\rOld mac line.\n"
    path = _write(tmp_path / "exact.txt", raw.encode("utf-8"))
    (article,) = read_paths([path]).articles
    assert article.text == "Title line\n\n  Indented  text\twith tab.\nOld mac line.\n"


def test_readers_html_title_and_no_script(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2024-03-02T10:00:00Z">'
    path = _write(tmp_path / "page.html", _page(head=head))
    result = read_paths([path])
    assert result.problems == []
    (article,) = result.articles
    assert article.id == "page.html"
    assert article.title == "Water tower damaged"
    assert "repair crews reached the site" in article.text.lower()
    assert "SCRIPT_MARKER_TEXT" not in article.text
    assert "tracker" not in article.text
    assert article.published == date(2024, 3, 2)


@pytest.mark.parametrize(
    ("head", "body_extra", "expected"),
    [
        ("", '<p>Posted <time datetime="2023-11-05">5 November</time></p>', date(2023, 11, 5)),
        (
            '<script type="application/ld+json">'
            '{"@type": "NewsArticle", "datePublished": "2022-08-09T08:00:00+00:00"}</script>',
            "",
            date(2022, 8, 9),
        ),
        ("", "<p>Report filed 2023-05-12 by the desk.</p>", None),
    ],
    ids=["time-element", "json-ld", "date-in-body-text"],
)
def test_readers_html_date_from_markup_only(tmp_path: Path, head: str, body_extra: str, expected: date | None) -> None:
    path = _write(tmp_path / "page.htm", _page(head=head, body_extra=body_extra))
    (article,) = read_paths([path]).articles
    assert article.published == expected


def test_readers_html_copyright_year_is_not_a_date(tmp_path: Path) -> None:
    path = _write(tmp_path / "page.html", _page(footer="© 2021 Example News"))
    result = read_paths([path])
    assert result.problems == []
    assert result.articles[0].published is None


def test_readers_html_in_jsonl_prefers_line_fields(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2024-03-02T10:00:00Z">'
    path = _write(
        tmp_path / "pages.jsonl",
        _jsonl({"id": "h1", "html": _page(head=head), "published": "2020-01-02", "title": "Own"}),
    )
    (article,) = read_paths([path]).articles
    assert (article.published, article.title) == (date(2020, 1, 2), "Own")
    assert "SCRIPT_MARKER_TEXT" not in article.text


def test_readers_manifest_date_wins_over_html_markup(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="2024-03-02T10:00:00Z">'
    _write(tmp_path / "p.html", _page(head=head))
    _write(tmp_path / "articles.jsonl", _jsonl({"file": "p.html", "published": "2024-03-01"}))
    (article,) = read_paths([tmp_path]).articles
    assert article.published == date(2024, 3, 1)
    assert article.title == "Water tower damaged"


GOOD_LINE = json.dumps({"id": "good-line", "text": OTHER_STORY})


def _line(bad: str) -> bytes:
    return (GOOD_LINE + "\n" + bad + "\n").encode("utf-8")


# (file name, content, bad line or None for the whole file, expected problem)
BAD_INPUTS = [
    ("bad.txt", b"", None, "empty file"),
    ("bad.txt", b"  \n\t \r\n", None, "empty file"),
    ("bad.txt", b"GIF89a\x00\x01\x02binary", None, "binary file, not text"),
    ("bad.txt", bytes(range(1, 9)) * 40, None, "binary file, not text"),
    (
        "bad.txt",
        "Prix: 5 €, caf".encode() + b"\xe9 noir",
        None,
        "not valid UTF-8 (byte 0xe9 at offset 16)",
    ),
    (
        "bad.html",
        b"<html><body><script>var a = 1;</script></body></html>",
        None,
        "no article text found in HTML",
    ),
    ("bad.jsonl", b"", None, "empty file"),
    (
        "bad.jsonl",
        _line('{"id": "x" "text": "y"}'),
        2,
        "malformed JSON (Expecting ',' delimiter at column 12)",
    ),
    ("bad.jsonl", _line('["a", "b"]'), 2, "JSON line is not an object (got list)"),
    (
        "bad.jsonl",
        _line('{"id": "x", "outlet": "o"}'),
        2,
        "JSON line has no 'text', 'html' or 'file' field",
    ),
    ("bad.jsonl", _line('{"id": "x", "text": "   "}'), 2, "field 'text' is empty"),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "published": 5}'),
        2,
        "field 'published' must be a string (got int)",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": ["a"]}'),
        2,
        "field 'text' must be a string (got list)",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "outlet": {}}'),
        2,
        "field 'outlet' must be a string (got dict)",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "published": "yesterday"}'),
        2,
        "field 'published' is not a date: 'yesterday'",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "published": "2023-02-30"}'),
        2,
        "field 'published' is not a date: '2023-02-30'",
    ),
    # found by bench/fuzz.py: a publication day of 0001-01-01 crashed the nlp (the day before overflows)
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "published": "0001-01-01"}'),
        2,
        "field 'published' is out of range (1900-01-01 to 2100-12-31): '0001-01-01'",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "text": "t", "published": "9999-12-31T10:00:00"}'),
        2,
        "field 'published' is out of range (1900-01-01 to 2100-12-31): '9999-12-31T10:00:00'",
    ),
    (
        "bad.jsonl",
        _line('{"id": "x", "html": "<html><body></body></html>"}'),
        2,
        "no article text found in HTML",
    ),
    ("bad.jsonl", _line('{"file": "gone.txt"}'), 2, "manifest names missing file gone.txt"),
    (
        "bad.jsonl",
        (GOOD_LINE + "\n").encode() + b'{"text": "ok \xff"}\n',
        2,
        "not valid UTF-8 (byte 0xff at offset 13)",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "problem"),
    BAD_INPUTS,
    ids=[f"{i:02d}-{case[3][:30]}" for i, case in enumerate(BAD_INPUTS)],
)
def test_readers_bad_input_is_one_problem(
    tmp_path: Path, name: str, content: bytes, line: int | None, problem: str
) -> None:
    _write(tmp_path / "good.txt", STORY)
    bad = _write(tmp_path / name, content)
    result = read_paths([tmp_path])
    assert len(result.problems) == 1, result.problems
    (error,) = result.problems
    assert isinstance(error, InputError)
    assert error.where == (str(bad) if line is None else f"{bad}:{line}")
    assert error.problem == problem
    ids = {a.id for a in result.articles}
    assert "good.txt" in ids
    if line is not None:
        assert "good-line" in ids


def test_readers_missing_path_is_a_problem(tmp_path: Path) -> None:
    good = _write(tmp_path / "good.txt", STORY)
    missing = tmp_path / "nowhere.txt"
    result = read_paths([missing, good])
    assert [(p.where, p.problem) for p in result.problems] == [(str(missing), "no such file or directory")]
    assert [a.id for a in result.articles] == ["good.txt"]


def test_readers_json_file_ignored_silently(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.json", '{"events": []}')
    result = read_paths([gold])
    assert result == ReadResult()


def test_readers_duplicate_ids(tmp_path: Path) -> None:
    first = _write(tmp_path / "a" / "same.txt", STORY)
    _write(tmp_path / "b" / "same.txt", STORY)
    third = _write(tmp_path / "c" / "same.txt", OTHER_STORY)
    result = read_paths([tmp_path / "a", tmp_path / "b", tmp_path / "c"])
    assert [a.source for a in result.articles] == [str(first)]
    assert [(p.where, p.problem) for p in result.problems] == [
        (str(third), f"duplicate article id same.txt (first seen at {first})")
    ]


def test_readers_registry_takes_a_new_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class PipeReader(Reader):
        def read(self, path: Path) -> Iterator[Article | InputError]:
            for n, part in enumerate(path.read_text(encoding="utf-8").split("|"), start=1):
                yield Article(id=f"{path.stem}:{n}", text=part, source=str(path))

    monkeypatch.setitem(READERS, ".pipe", PipeReader())
    _write(tmp_path / "feed.pipe", "first item|second item")
    assert [a.id for a in iter_path(tmp_path) if isinstance(a, Article)] == ["feed:1", "feed:2"]


@pytest.mark.skipif(not (CORPUS / "seeds").is_dir(), reason="../shared/corpus absent")
def test_readers_real_seeds() -> None:
    result = read_paths([CORPUS / "seeds"])
    assert result.problems == []
    assert [(a.id, a.published) for a in result.articles] == [
        ("000_c014f600812d5447.txt", date(2025, 4, 5)),
        ("003_e25dc4ed62bfd93c.txt", date(2023, 7, 31)),
        ("004_d22ff05fbc350318.txt", date(2025, 6, 24)),
    ]
    assert all(a.text.strip() and "\r" not in a.text for a in result.articles)


@pytest.mark.skipif(not (CORPUS / "acled").is_dir(), reason="../shared/corpus absent")
def test_readers_real_acled() -> None:
    folder = CORPUS / "acled"
    lines = [ln for ln in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    result = read_paths([folder])
    assert result.problems == []
    assert len(result.articles) == len(lines)
    assert len({a.id for a in result.articles}) == len(lines)
