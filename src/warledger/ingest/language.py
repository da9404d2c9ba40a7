"""The language of an article: as given, else told from its text.

A manifest, a JSON line or an API item may give ``language``: it is kept as given. Otherwise the
title and the first ``sample_chars`` characters of the text are read by lingua's detector, built
once per process on first use from the languages of ``data/languages.json`` (its models ship in
its wheel: nothing is fetched), and ``Article.language`` becomes the ISO 639-1 code of the most
likely one ("en", "uk", "ru", ...), or stays None when the detector is unsure. Every reader path
calls ``settle_language`` once the article's own metadata is applied, so the language a later
stage reads (the relevance gate, the reading path, the ledger's outputs) is always settled here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from warledger.datafiles import DATA_DIR, read_json_object
from warledger.errors import DataFileError
from warledger.records import Article

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGES_FILE = DATA_DIR / "languages.json"


@dataclass(frozen=True, slots=True)
class DetectionConfig:
    """What the detector tells apart, how sure it must be, and how much text it reads."""

    codes: tuple[str, ...]
    min_confidence: float
    sample_chars: int
    min_letters: int = 12


@cache
def detection_config(path: Path = LANGUAGES_FILE) -> DetectionConfig:
    """``data/languages.json``, checked: DataFileError naming the file and the bad key."""
    data = read_json_object(path)
    codes, least, chars = data.get("detect"), data.get("min_confidence"), data.get("sample_chars")
    if not isinstance(codes, list) or len(codes) < 2 or not all(isinstance(c, str) and len(c) == 2 for c in codes):
        raise DataFileError(str(path), "'detect' must list at least two ISO 639-1 codes")
    if isinstance(least, bool) or not isinstance(least, int | float) or not 0 < least <= 1:
        raise DataFileError(str(path), "'min_confidence' must be a number in (0, 1]")
    if isinstance(chars, bool) or not isinstance(chars, int) or chars < 1:
        raise DataFileError(str(path), "'sample_chars' must be a positive integer")
    letters = data.get("min_letters", 12)
    if isinstance(letters, bool) or not isinstance(letters, int) or letters < 1:
        raise DataFileError(str(path), "'min_letters' must be a positive integer")
    return DetectionConfig(tuple(c.lower() for c in codes), float(least), chars, letters)


@cache
def detector(path: Path = LANGUAGES_FILE) -> LanguageDetector:
    """lingua's detector for the configured languages, built once per process on first use."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = []
    for code in detection_config(path).codes:
        try:
            languages.append(Language.from_iso_code_639_1(IsoCode639_1.from_str(code)))
        except ValueError:
            raise DataFileError(str(path), f"'detect' names {code!r}, a language lingua does not know") from None
    # low accuracy mode (trigrams only) holds 60 MiB, not 300: on the 4,179 articles of eight corpora
    # it misreads 3, the full models 2 (samples of up to 2,000 characters, not lingua's short texts)
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str, path: Path = LANGUAGES_FILE) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or None when unsure."""
    config = detection_config(path)
    sample = text[: config.sample_chars]
    if sum(ch.isalpha() for ch in sample) < config.min_letters:
        return None  # a name or two is in no one language
    ranked = detector(path).compute_language_confidence_values(sample)
    if not ranked or ranked[0].value < config.min_confidence:
        return None
    return str(ranked[0].language.iso_code_639_1.name.lower())


def article_sample(article: Article) -> str:
    """What the detector reads: the title, then the start of the text."""
    sample = article.text[: detection_config().sample_chars]
    return f"{article.title}\n{sample}" if article.title else sample


def settle_language(article: Article) -> Article:
    """Give ``article`` its language when none was given (a blank one counts as none); RETURNS it."""
    if article.language is not None and article.language.strip():
        return article
    article.language = detect_language(article_sample(article))
    return article
