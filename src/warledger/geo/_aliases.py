"""The curated alias / stop file (``data/place_aliases.json``), read and checked on load.

Every malformed entry raises :class:`~warledger.errors.DataFileError` naming the file and the
entry, so a typo in the file fails loudly instead of silently dropping a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from warledger.datafiles import read_json_object
from warledger.errors import DataFileError

_ADMIN1_ID_RE = re.compile(r"^[A-Z]{2}\.[A-Za-z0-9]{1,10}$")
_CC_RE = re.compile(r"^[A-Z]{2}$")
_SECTIONS = {
    "doc",
    "places",
    "stop",
    "first_names",
    "titles",
    "demonyms",
    "countries",
    "country_abbreviations",
    "admin1",
    "admin1_abbreviations",
}


def default_alias_path() -> Path:
    """Path of the alias file shipped with the package."""
    return Path(str(resources.files("warledger") / "data" / "place_aliases.json"))


@dataclass(frozen=True, slots=True)
class PlaceAlias:
    """A name that must resolve to one GeoNames place first (``geonameid``)."""

    name: str
    geonameid: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class AliasData:
    """Parsed content of the alias file; see the file's ``doc`` for each section."""

    path: str
    places: tuple[PlaceAlias, ...] = ()
    stop: frozenset[str] = frozenset()
    first_names: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()
    demonyms: frozenset[str] = frozenset()
    country_names: dict[str, str] = field(default_factory=dict)
    country_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country_abbreviations: dict[str, str] = field(default_factory=dict)
    admin1_names: dict[str, str] = field(default_factory=dict)
    admin1_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    admin1_abbreviations: dict[str, str] = field(default_factory=dict)


def _fail(path: str, where: str, problem: str) -> DataFileError:
    return DataFileError(path, f"{where}: {problem}")


def _str_list(path: str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(path, where, f"must be a list of non-empty strings, got {value!r}")
    return [v.strip() for v in value]


def _named_entries(
    path: str, section: str, raw: Any, key_re: re.Pattern[str], key_help: str
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """A section keyed by code whose entries give a display 'name' and/or matching 'aliases'."""
    if not isinstance(raw, dict):
        raise _fail(path, section, f"must be an object keyed by {key_help}")
    names: dict[str, str] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for key, entry in raw.items():
        where = f"{section}[{key!r}]"
        if not key_re.match(key):
            raise _fail(path, where, f"key must be {key_help}")
        if not isinstance(entry, dict) or set(entry) - {"name", "aliases", "note"}:
            raise _fail(path, where, "must be an object with 'name' and/or 'aliases'")
        if "name" in entry:
            if not isinstance(entry["name"], str) or not entry["name"].strip():
                raise _fail(path, where, "'name' must be a non-empty string")
            names[key] = entry["name"].strip()
        aliases[key] = tuple(_str_list(path, where + ".aliases", entry.get("aliases", [])))
    return names, aliases


def _countries(path: str, raw: Any) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    return _named_entries(path, "countries", raw, _CC_RE, "an upper-case ISO alpha-2 code")


def _admin1(path: str, raw: Any) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    return _named_entries(path, "admin1", raw, _ADMIN1_ID_RE, "like 'UA.04' (country code, dot, code)")


def _places(path: str, raw: Any) -> tuple[PlaceAlias, ...]:
    if not isinstance(raw, list):
        raise _fail(path, "places", "must be a list of {name, geonameid, note}")
    out: list[PlaceAlias] = []
    for i, entry in enumerate(raw):
        where = f"places[{i}]"
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            where += f" ({entry['name']!r})"
        if not isinstance(entry, dict) or set(entry) - {"name", "geonameid", "note"}:
            raise _fail(path, where, "must be an object with keys name, geonameid, note")
        name, gid, note = entry.get("name"), entry.get("geonameid"), entry.get("note", "")
        if not isinstance(name, str) or len(name.strip()) < 2:
            raise _fail(path, where, "'name' must be a string of 2 or more characters")
        if not isinstance(gid, int) or isinstance(gid, bool) or gid <= 0:
            raise _fail(path, where, f"'geonameid' must be a positive integer, got {gid!r}")
        if not isinstance(note, str):
            raise _fail(path, where, "'note' must be a string")
        out.append(PlaceAlias(name.strip(), gid, note))
    return tuple(out)


def _mapping(path: str, section: str, raw: Any, value_re: re.Pattern[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _fail(path, section, "must be an object")
    for key, value in raw.items():
        if not key.strip() or not isinstance(value, str) or not value_re.match(value):
            raise _fail(path, f"{section}[{key!r}]", f"bad value {value!r}")
    return {k.strip(): v for k, v in raw.items()}


def load_aliases(path: str | Path | None = None) -> AliasData:
    """Read and validate the alias file.

    Args:
        path: the JSON file; the packaged ``data/place_aliases.json`` when None.

    Returns:
        The parsed :class:`AliasData`.

    Raises:
        DataFileError: the file is missing, is not JSON, or an entry is malformed; the
            message names the file and the entry.
    """
    p = Path(path) if path is not None else default_alias_path()
    where = str(p)
    raw = read_json_object(p)
    if not isinstance(raw.get("doc"), str):
        raise DataFileError(where, "missing the 'doc' string that documents the file")
    unknown = set(raw) - _SECTIONS
    if unknown:
        raise DataFileError(where, f"unknown section(s) {sorted(unknown)}; known: {sorted(_SECTIONS)}")
    country_names, country_aliases = _countries(where, raw.get("countries", {}))
    admin1_names, admin1_aliases = _admin1(where, raw.get("admin1", {}))
    return AliasData(
        path=where,
        places=_places(where, raw.get("places", [])),
        stop=frozenset(s.casefold() for s in _str_list(where, "stop", raw.get("stop", []))),
        first_names=frozenset(s.casefold() for s in _str_list(where, "first_names", raw.get("first_names", []))),
        titles=frozenset(s.casefold().rstrip(".") for s in _str_list(where, "titles", raw.get("titles", []))),
        demonyms=frozenset(s.casefold() for s in _str_list(where, "demonyms", raw.get("demonyms", []))),
        country_names=country_names,
        country_aliases=country_aliases,
        country_abbreviations=_mapping(where, "country_abbreviations", raw.get("country_abbreviations", {}), _CC_RE),
        admin1_names=admin1_names,
        admin1_aliases=admin1_aliases,
        admin1_abbreviations=_mapping(
            where, "admin1_abbreviations", raw.get("admin1_abbreviations", {}), _ADMIN1_ID_RE
        ),
    )
