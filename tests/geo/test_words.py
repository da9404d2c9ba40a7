"""The word-list file ``data/place_words.json``: read once, checked on load."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warledger.errors import DataFileError
from warledger.geo import default_alias_path
from warledger.geo._build import cache_key
from warledger.geo._text import ADMIN1_SUFFIXES, REGION_WORDS, strip_admin1_suffix
from warledger.geo._words import LISTS, PLACE_WORDS, default_words_path, load_place_words


def _packaged() -> dict[str, Any]:
    content: dict[str, Any] = json.loads(default_words_path().read_text(encoding="utf-8"))
    return content


def test_words_packaged_file_is_valid() -> None:
    words = load_place_words()
    assert words == PLACE_WORDS
    assert "oblast" in words.region_words
    assert words.admin1_suffixes.index("autonomous oblast") < words.admin1_suffixes.index("oblast")
    assert set(_packaged()["doc"]) == {"about", *LISTS}


def test_words_constants_come_from_the_file() -> None:
    assert REGION_WORDS == PLACE_WORDS.region_words
    assert ADMIN1_SUFFIXES == PLACE_WORDS.admin1_suffixes
    assert strip_admin1_suffix("sumy oblast") == "sumy"
    assert strip_admin1_suffix("republic of tyva") == "tyva"


def _with(**changes: Any) -> dict[str, Any]:
    content = _packaged()
    for key, value in changes.items():
        if value is None:
            del content[key]
        else:
            content[key] = value
    return content


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (_with(region_words=None), "region_words"),
        (_with(region_words="region"), "region_words"),
        (_with(region_words=[]), "region_words"),
        (_with(connectors=["on", 3]), "connectors[1]"),
        (_with(org_words=["army", "Police"]), "org_words[1]"),
        (_with(district_words=["raion", "raion"]), "district_words[1]"),
        (_with(months_and_days=["may ", "june"]), "months_and_days[0]"),
        (_with(region_wrods=["region"]), "region_wrods"),
        (_with(doc=None), "doc"),
        (_with(doc="The word lists."), "doc"),
        (_with(doc={"about": "The word lists."}), "region_words"),
    ],
)
def test_words_malformed_file_names_file_and_key(data_file_error, content: dict[str, Any], fragment: str) -> None:
    assert fragment in data_file_error("place_words.json", content, load_place_words)


@pytest.mark.parametrize(("text", "fragment"), [("{not json", "not valid JSON"), ("[]", "JSON object")])
def test_words_file_that_is_no_json_object(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "place_words.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=fragment) as info:
        load_place_words(path)
    assert str(path) in str(info.value)


def test_words_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(DataFileError, match="cannot read") as info:
        load_place_words(path)
    assert str(path) in str(info.value)


def test_words_file_is_in_the_gazetteer_cache_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    before = cache_key(default_alias_path())
    edited = tmp_path / "place_words.json"
    edited.write_text(json.dumps(_with(region_words=["region", "oblast"])), encoding="utf-8")
    monkeypatch.setattr("warledger.geo._build.default_words_path", lambda: edited)
    assert cache_key(default_alias_path()) != before
