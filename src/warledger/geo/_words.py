"""The word lists of the geo stage (``data/place_words.json``), read and checked on load.

The file holds the vocabulary the matcher and the name normaliser work with (region words,
district words, connectors, months...), one list per key, each documented in the file's
``doc`` object. :data:`PLACE_WORDS` is read once, on import; a malformed file raises
:class:`~warledger.errors.DataFileError` naming the file and the list.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from warledger.datafiles import read_json_object
from warledger.errors import DataFileError


def default_words_path() -> Path:
    """Path of the word-list file shipped with the package."""
    return Path(str(resources.files("warledger") / "data" / "place_words.json"))


@dataclass(frozen=True, slots=True)
class PlaceWords:
    """Parsed content of the word-list file; see the file's ``doc`` for each list.

    The two admin1 lists keep the file's order (they are tried first to last); the others
    are sets."""

    path: str
    region_words: frozenset[str]
    admin1_suffixes: tuple[str, ...]
    admin1_prefixes: tuple[str, ...]
    connectors: frozenset[str]
    district_words: frozenset[str]
    admin_unit_words: frozenset[str]
    org_words: frozenset[str]
    months_and_days: frozenset[str]
    person_verbs: frozenset[str]
    street_words: frozenset[str]
    follow_words: frozenset[str]


#: The lists of the file, in the order of :class:`PlaceWords`.
LISTS: tuple[str, ...] = tuple(f.name for f in fields(PlaceWords) if f.name != "path")
_ORDERED = frozenset({"admin1_suffixes", "admin1_prefixes"})


def _words(where: str, key: str, value: Any) -> list[str]:
    """A list of distinct lower-case words or phrases (one space between words)."""
    if not isinstance(value, list) or not value:
        raise DataFileError(where, f"{key}: must be a non-empty list of strings, got {value!r}")
    seen: set[str] = set()
    for i, word in enumerate(value):
        if not isinstance(word, str) or word != " ".join(word.casefold().split()) or not word:
            raise DataFileError(
                where, f"{key}[{i}]: {word!r} must be a lower-case word or phrase, one space between words"
            )
        if word in seen:
            raise DataFileError(where, f"{key}[{i}]: {word!r} is listed twice")
        seen.add(word)
    return value


def _doc(where: str, raw: Any) -> None:
    """The ``doc`` object: an ``about`` string for the file and one string per list."""
    if not isinstance(raw, dict):
        raise DataFileError(where, "missing the 'doc' object that documents the file and each list")
    expected = {"about", *LISTS}
    missing, unknown = sorted(expected - set(raw)), sorted(set(raw) - expected)
    if missing:
        raise DataFileError(where, f"doc: no entry for {missing}")
    if unknown:
        raise DataFileError(where, f"doc: unknown entry(ies) {unknown}; known: {sorted(expected)}")
    for key, text in raw.items():
        if not isinstance(text, str) or not text.strip():
            raise DataFileError(where, f"doc[{key!r}]: must be a non-empty string")


def load_place_words(path: str | Path | None = None) -> PlaceWords:
    """Read and validate the word-list file.

    Args:
        path: the JSON file; the packaged ``data/place_words.json`` when None.

    Returns:
        The parsed :class:`PlaceWords`.

    Raises:
        DataFileError: the file is missing, is not JSON, lacks a list or its doc, has an
            unknown key, or a list is malformed; the message names the file and the key.
    """
    p = Path(path) if path is not None else default_words_path()
    where = str(p)
    raw = read_json_object(p)
    unknown = sorted(set(raw) - {"doc", *LISTS})
    if unknown:
        raise DataFileError(where, f"unknown key(s) {unknown}; known: {['doc', *LISTS]}")
    missing = [key for key in LISTS if key not in raw]
    if missing:
        raise DataFileError(where, f"missing list(s) {missing}")
    _doc(where, raw.get("doc"))
    parsed: dict[str, Any] = {}
    for key in LISTS:
        words = _words(where, key, raw[key])
        parsed[key] = tuple(words) if key in _ORDERED else frozenset(words)
    return PlaceWords(path=where, **parsed)


#: The packaged word lists, read once.
PLACE_WORDS: PlaceWords = load_place_words()
