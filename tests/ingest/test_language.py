"""Language per article on real corpus text: detected when nothing gives it, kept as given when a
manifest or a JSON line does, unknown when the text does not say."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from warledger.errors import DataFileError
from warledger.ingest import read_paths
from warledger.ingest.language import detect_language, detection_config, detector

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
UKR_RU = CORPUS / "ukr_ru_news"
WAR = CORPUS / "war_news"
needs_corpus = pytest.mark.skipif(not (UKR_RU.is_dir() and WAR.is_dir()), reason="../shared/corpus absent")


@needs_corpus
def test_ukrainian_and_russian_files_read_alone_are_told_apart() -> None:
    files = sorted(UKR_RU.glob("*.txt"))
    assert len(files) == 20
    read = read_paths(files)  # the files themselves, not the folder: no manifest gives a language
    assert read.problems == []
    assert {a.id: a.language for a in read.articles} == {f.name: f.name[:2] for f in files}


@needs_corpus
def test_english_lines_without_a_language_are_english(tmp_path: Path) -> None:
    lines = [json.loads(ln) for ln in (WAR / "articles.jsonl").read_text("utf-8").splitlines() if ln.strip()]
    entries = []
    for entry in lines:
        shutil.copy(WAR / entry["file"], tmp_path / entry["file"])
        entries.append({k: v for k, v in entry.items() if k != "language"})
    (tmp_path / "articles.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries), "utf-8")
    read = read_paths([tmp_path])
    assert read.problems == [] and len(read.articles) == len(lines) == 159
    assert {a.language for a in read.articles} == {"en"}


@needs_corpus
def test_a_given_language_wins(tmp_path: Path) -> None:
    read = read_paths([UKR_RU])  # the corpus's manifest gives each file's language
    assert {a.id: a.language for a in read.articles} == {a.id: a.id[:2] for a in read.articles}
    text = (UKR_RU / "uk_UNN_20260311_coordination_hq_exchanges.txt").read_text("utf-8")
    shutil.copy(UKR_RU / "uk_UNN_20260311_coordination_hq_exchanges.txt", tmp_path / "a.txt")
    rows = [
        {"file": "a.txt", "language": "ru"},  # a manifest's word, wrong as it may be, is kept
        {"id": "line-given", "text": text, "language": "uk-UA"},
        {"id": "line-blank", "text": text, "language": " "},  # blank: as if not given
        {"id": "line-none", "text": text},
    ]
    (tmp_path / "m.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    read = read_paths([tmp_path])
    assert read.problems == []
    assert {a.id: a.language for a in read.articles} == {
        "a.txt": "ru",
        "line-given": "uk-UA",
        "line-blank": "uk",
        "line-none": "uk",
    }


def test_unsure_is_unknown() -> None:
    assert detect_language("12:30 — 14:05, 3/4") is None  # no letters
    assert detect_language("Kyiv") is None  # a name is in no one language
    assert detect_language("Росія атакувала Київ") == "uk"
    assert detect_language("Ночью дроны атаковали Курск") == "ru"


def test_a_bad_languages_file_names_itself(tmp_path: Path) -> None:
    good = {"detect": ["en", "uk"], "min_confidence": 0.6, "sample_chars": 100}
    for bad, problem in (
        ({**good, "detect": ["en"]}, "'detect' must list at least two ISO 639-1 codes"),
        ({**good, "min_confidence": 1.5}, "'min_confidence' must be a number in (0, 1]"),
        ({**good, "sample_chars": 0}, "'sample_chars' must be a positive integer"),
    ):
        path = tmp_path / f"bad{len(problem)}.json"
        path.write_text(json.dumps(bad), "utf-8")
        with pytest.raises(DataFileError, match=problem.replace("(", r"\(").replace("]", r"\]")) as err:
            detection_config(path)
        assert str(path) in str(err.value)
    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({**good, "detect": ["en", "xx"]}), "utf-8")
    with pytest.raises(DataFileError, match="'detect' names 'xx', a language lingua does not know"):
        detector(unknown)
