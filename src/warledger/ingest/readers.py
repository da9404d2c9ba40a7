"""Read files and folders of reports into :class:`Article` records.

A reader per file suffix lives in :data:`READERS`; a new format is one :class:`Reader`
subclass added there. Bad input never stops a batch: each bad file or line becomes one
:class:`InputError` beside the articles that could be read. Every article leaves here with its
language settled (``language.settle_language``: the one given wins, else it is detected).
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from warledger.errors import InputError
from warledger.ingest.decode import (
    BadInput,
    check_bytes,
    date_field,
    decode_text,
    decode_utf8,
    normalise_newlines,
    str_field,
)
from warledger.ingest.html import extract_html
from warledger.ingest.language import settle_language
from warledger.records import Article

_META_FIELDS = ("outlet", "url", "title", "language", "place")
_NO_HTML_TEXT = "no article text found in HTML"


@dataclass(slots=True)
class ReadResult:
    """The articles of a batch, and one problem per file or line that could not be read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """A JSON line with ``file``: metadata for a text or HTML file beside the manifest."""

    name: str
    path: Path
    where: str
    id: str | None = None
    published: date | None = None
    meta: tuple[tuple[str, str], ...] = ()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput("no such file or directory") from None
    except OSError as err:
        raise BadInput(f"cannot read file ({err.strerror or err})") from None


def html_article(html: str, art_id: str, source: str) -> Article:
    """One page as an article: main text, title and markup date (BadInput when it has no text)."""
    try:
        parts = extract_html(html)
    except Exception as err:  # a parser failure on one page must not stop the batch
        raise BadInput(f"HTML could not be parsed ({type(err).__name__})") from None
    if parts.text is None:
        raise BadInput(_NO_HTML_TEXT)
    return Article(id=art_id, text=parts.text, published=parts.published, title=parts.title, source=source)


class Reader(ABC):
    """Reads one file into articles, and problems for what cannot be read."""

    @abstractmethod
    def read(self, path: Path) -> Iterator[Article | InputError]:
        """Yield each article in ``path`` and an ``InputError`` for each bad part."""


class TextReader(Reader):
    """A plain UTF-8 text file is one article; its id is the file name."""

    def read(self, path: Path) -> Iterator[Article | InputError]:
        """Yield the file as one article, or one problem."""
        try:
            text = decode_text(_read_bytes(path))
        except BadInput as bad:
            yield InputError(str(path), bad.problem)
            return
        yield Article(id=path.name, text=text, source=str(path))


class HtmlReader(Reader):
    """An HTML page is one article: main text, title and markup date via trafilatura."""

    def read(self, path: Path) -> Iterator[Article | InputError]:
        """Yield the page as one article, or one problem."""
        try:
            yield html_article(decode_text(_read_bytes(path)), path.name, str(path))
        except BadInput as bad:
            yield InputError(str(path), bad.problem)


class JsonlReader(Reader):
    """JSON lines: a line with ``text`` or ``html`` is an article, one with ``file`` a manifest
    entry naming a text or HTML file (relative to the JSON-lines file)."""

    def read(self, path: Path) -> Iterator[Article | InputError]:
        """Yield the articles of the file, reading the files its manifest lines name."""
        for item in self.parse(path):
            if isinstance(item, ManifestEntry):
                yield from read_entry(item)
            else:
                yield item

    def parse(self, path: Path) -> Iterator[Article | InputError | ManifestEntry]:
        """Yield articles and problems line by line, and manifest entries unresolved."""
        try:
            data = check_bytes(_read_bytes(path))
        except BadInput as bad:
            yield InputError(str(path), bad.problem)
            return
        for lineno, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield parse_json_line(raw, path, lineno)
            except BadInput as bad:
                yield InputError(where, bad.problem)


def parse_json_line(raw: bytes, path: Path, lineno: int) -> Article | ManifestEntry:
    """One line of a JSON-lines file (its bytes, a trailing ``\\r`` allowed): an article or a
    manifest entry; raises ``BadInput`` saying what is wrong. Spark's readers call it too."""
    where = f"{path}:{lineno}"
    line = decode_utf8(raw.rstrip(b"\r"))
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        raise BadInput(f"malformed JSON ({err.msg} at column {err.colno})") from None
    except ValueError as err:
        raise BadInput(f"malformed JSON ({err})") from None
    if not isinstance(obj, dict):
        raise BadInput(f"JSON line is not an object (got {type(obj).__name__})")
    if "file" in obj:
        return _manifest_entry(obj, path, where)
    return json_article(obj, path, lineno, where)


def _common_fields(obj: dict[str, Any]) -> tuple[str | None, date | None, dict[str, str]]:
    art_id = str_field(obj, "id") or None
    published = date_field(obj, "published")
    meta = {name: value for name in _META_FIELDS if (value := str_field(obj, name)) is not None}
    return art_id, published, meta


def _manifest_entry(obj: dict[str, Any], path: Path, where: str) -> ManifestEntry:
    name = str_field(obj, "file")
    if not name or not name.strip():
        raise BadInput("field 'file' is empty")
    if "\x00" in name:  # no file can have such a name (resolving it raised ValueError: a fuzz find)
        raise BadInput(f"field 'file' holds a NUL character: {name!r}")
    art_id, published, meta = _common_fields(obj)
    return ManifestEntry(
        name=name,
        path=path.parent / name,
        where=where,
        id=art_id,
        published=published,
        meta=tuple(meta.items()),
    )


def json_article(obj: dict[str, Any], path: Path, lineno: int, where: str) -> Article:
    text = str_field(obj, "text")
    html = str_field(obj, "html")
    art_id, published, meta = _common_fields(obj)
    art_id = art_id or f"{path.stem}:{lineno}"
    if text is None and html is None:
        raise BadInput("JSON line has no 'text', 'html' or 'file' field")
    if text is not None:
        if not text.strip():
            raise BadInput("field 'text' is empty")
        article = Article(id=art_id, text=normalise_newlines(text), source=where)
    else:
        assert html is not None
        if not html.strip():
            raise BadInput("field 'html' is empty")
        article = html_article(html, art_id, where)
    # The line's own fields win over what the HTML markup says.
    _apply(article, None, published, meta)
    return settle_language(article)


def _apply(article: Article, art_id: str | None, published: date | None, meta: dict[str, str]) -> None:
    if art_id:
        article.id = art_id
    if published is not None:
        article.published = published
    for name, value in meta.items():
        setattr(article, name, value)


def read_entry(entry: ManifestEntry) -> Iterator[Article | InputError]:
    """Read the file a manifest entry names and give its articles the entry's metadata."""
    if not entry.path.is_file():
        yield InputError(entry.where, f"manifest names missing file {entry.name}")
        return
    reader = reader_for(entry.path)
    # A manifest naming a JSON-lines file could name itself: only single-article files.
    if reader is None or isinstance(reader, JsonlReader):
        yield InputError(entry.where, f"manifest names unsupported file {entry.name}")
        return
    for item in reader.read(entry.path):
        if isinstance(item, Article):
            _apply(item, entry.id, entry.published, dict(entry.meta))
        yield item


READERS: dict[str, Reader] = {
    ".txt": TextReader(),
    ".html": HtmlReader(),
    ".htm": HtmlReader(),
    ".jsonl": JsonlReader(),
}
"""Reader per lower-case file suffix; add an entry to read a new format."""


def reader_for(path: Path) -> Reader | None:
    """The registered reader for the file's suffix, or ``None``."""
    return READERS.get(path.suffix.lower())


def _read_folder(folder: Path) -> Iterator[Article | InputError]:
    try:
        files = sorted(
            (p for p in folder.iterdir() if p.is_file() and reader_for(p) is not None),
            key=lambda p: p.name,
        )
    except OSError as err:
        yield InputError(str(folder), f"cannot list folder ({err.strerror or err})")
        return
    # Manifests are read first so each named file is read once, with its metadata.
    parsed: dict[Path, list[Article | InputError]] = {}
    manifest: dict[Path, ManifestEntry] = {}
    for path in files:
        reader = reader_for(path)
        if not isinstance(reader, JsonlReader):
            continue
        items: list[Article | InputError] = []
        for item in reader.parse(path):
            if not isinstance(item, ManifestEntry):
                items.append(item)
                continue
            key = item.path.resolve()
            if key in manifest:
                first = manifest[key].where
                items.append(InputError(item.where, f"manifest names file {item.name} again (first at {first})"))
            else:
                manifest[key] = item
        parsed[path] = items
    for path in files:
        if path in parsed:
            yield from parsed[path]
            continue
        entry = manifest.pop(path.resolve(), None)
        if entry is not None:
            yield from read_entry(entry)
        else:
            reader = reader_for(path)
            assert reader is not None
            yield from reader.read(path)
    # Entries naming files outside this folder listing: in a subfolder, or missing.
    for entry in manifest.values():
        yield from read_entry(entry)


def iter_path(path: str | Path) -> Iterator[Article | InputError]:
    """Yield the articles and problems of one file or folder, in file-name order, each article
    with its language settled."""
    for item in _iter_path(Path(path)):
        yield settle_language(item) if isinstance(item, Article) else item


def read_file(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles and problems of one file its suffix's reader reads (``reader_for`` is
    not None), each article with its language settled (watched folders read files one by one)."""
    reader = reader_for(path)
    assert reader is not None, f"no reader for {path}"
    for item in reader.read(path):
        yield settle_language(item) if isinstance(item, Article) else item


def _iter_path(path: Path) -> Iterator[Article | InputError]:
    if path.is_dir():
        yield from _read_folder(path)
        return
    if not path.exists():
        yield InputError(str(path), "no such file or directory")
        return
    reader = reader_for(path)
    if reader is not None:
        yield from reader.read(path)
    elif path.suffix.lower() != ".json":  # .json is gold or config, never an input
        known = ", ".join(sorted(READERS))
        yield InputError(str(path), f"unsupported file type (expected {known})")


def read_paths(paths: Iterable[str | Path]) -> ReadResult:
    """Read files and folders into articles; bad input becomes problems, never an exception.

    An article whose id was already read is dropped: silently when its text is the same,
    otherwise with a "duplicate article id" problem.
    """
    result = ReadResult()
    seen: dict[str, tuple[str, str]] = {}
    for path in paths:
        for item in iter_path(path):
            if isinstance(item, InputError):
                result.problems.append(item)
                continue
            first = first_of_id(seen, item.id, item.text, item.source)
            if first is True:
                result.articles.append(item)
            elif first is not False:
                result.problems.append(first)
    return result


def first_of_id(seen: dict[str, tuple[str, str]], art_id: str, text: str, source: str) -> bool | InputError:
    """Whether to keep an article, by its id among those ``seen`` (id -> text, source; updated):
    True for the first of its id; False for the same text again (dropped silently); an
    InputError for another text under a known id. ``text`` may be any exact digest of it."""
    first = seen.get(art_id)
    if first is None:
        seen[art_id] = (text, source)
        return True
    if first[0] == text:
        return False
    return InputError(source, f"duplicate article id {art_id} (first seen at {first[1]})")
