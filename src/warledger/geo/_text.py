"""Name normalisation shared by the index builder and the matcher.

One function, :func:`norm`, decides when two spellings are "the same name": case, accents,
apostrophe style and hyphen-versus-space are ignored, so "Kryvyi-Rih", "KRYVYI RIH" and
"Kryvyi Rih" share a key, as do "Kam'yanske" and "Kamʼyanske".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from warledger.geo._words import PLACE_WORDS

# Letters that NFKD does not decompose into a base letter plus a combining mark.
_FOLD = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "ħ": "h",
        "Ħ": "H",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
        "ŀ": "l",
        "ŧ": "t",
    }
)
_DROP_RE = re.compile(r"[’'ʼʻ`´‘.]")
_SPACE_RE = re.compile(r"[\s\-‐‑‒–—_/]+")

# The word lists live in data/place_words.json (each documented there); these names are
# kept for the code that reads them.
REGION_WORDS: frozenset[str] = PLACE_WORDS.region_words
ADMIN1_SUFFIXES: tuple[str, ...] = PLACE_WORDS.admin1_suffixes
ADMIN1_PREFIXES: tuple[str, ...] = PLACE_WORDS.admin1_prefixes
CONNECTORS: frozenset[str] = PLACE_WORDS.connectors
DISTRICT_WORDS: frozenset[str] = PLACE_WORDS.district_words
ADMIN_UNIT_WORDS: frozenset[str] = PLACE_WORDS.admin_unit_words
ORG_WORDS: frozenset[str] = PLACE_WORDS.org_words
MONTHS_AND_DAYS: frozenset[str] = PLACE_WORDS.months_and_days


def norm(name: str) -> str:
    """Return the lookup key of a name: casefolded, accents stripped, apostrophes and dots
    dropped, and hyphens, slashes and runs of spaces made one space."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FOLD))
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _DROP_RE.sub("", name.casefold())
    return _SPACE_RE.sub(" ", name).strip()


@lru_cache(maxsize=65536)
def norm_word(word: str) -> str:
    """:func:`norm` for one token of running text (cached: articles repeat their names)."""
    return norm(word)


def is_latin(name: str) -> bool:
    """True if every letter of ``name`` is a Latin letter (basic, supplements, extended)."""
    for ch in name:
        if ch.isalpha():
            o = ord(ch)
            if not (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
                return False
    return True


def strip_admin1_suffix(key: str) -> str:
    """Drop one trailing admin1 type word ("sumy oblast" -> "sumy"); also a leading
    "republic of" ("republic of tyva" -> "tyva"). ``key`` must already be normalised."""
    for prefix in ADMIN1_PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    for suffix in ADMIN1_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1]
    return key


# Romanisations of Ukrainian and Russian names differ in a few regular ways: "kh"/"h",
# "y"/"i" ("Kryvyi"/"Kryvyy"/"Krivyi"), "ie"/"ye"/"e", "iu"/"yu", "ia"/"ya", "ts"/"c",
# "zh"/"z", "g"/"h" (Russian г, Ukrainian г), doubled letters, and the adjectival endings of
# a place name ("-skyi", "-sky", "-ske", "-skoye"; Russian "-noye" for Ukrainian "-ne").
_SKELETON_LETTERS: tuple[tuple[str, str], ...] = (
    ("shch", "sc"),
    ("sch", "sc"),
    ("kh", "h"),
    ("zh", "z"),
    ("ts", "c"),
    ("tz", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("g", "h"),
    ("w", "v"),
    ("j", "y"),
    ("ye", "e"),
    ("ie", "e"),
    ("yu", "u"),
    ("iu", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("yo", "o"),
    ("io", "o"),
    ("y", "i"),
)
#: The end of a :func:`skeleton` of an adjectival name ("lozivsk#" for "Lozivskyi").
ADJECTIVE_MARK = "#"
_DOUBLE_RE = re.compile(r"(.)\1+")
_ADJ_ENDING_RE = re.compile(r"sk(?:i|e|oe)$")
_NEUTER_ENDING_RE = re.compile(r"(?<=[bcdfhklmnprstvz])oe$")


@lru_cache(maxsize=65536)
def skeleton(key: str) -> str:
    """A coarse key under which the usual romanisations of one Ukrainian or Russian name
    meet: "kryvyi rih", "kryvyy rih" and "krivyi rih"; "udachne" and "udachnoye";
    "novotoshkivsky" and "novotoshkivske" (not "novotoshkovskoye": the stem's vowel differs).
    ``key`` must be a :func:`norm` key; spaces are dropped."""
    s = key.replace(" ", "")
    if len(s) > 1 and s[0] in "iyj" and s[1] in "aeuo":
        s = "Y" + s[1:]  # a leading "Ya", "Ia", "Ye", "Yu" keeps its consonant
    for a, b in _SKELETON_LETTERS:
        s = s.replace(a, b)
    s = _DOUBLE_RE.sub(r"\1", s)
    s = _ADJ_ENDING_RE.sub("sk" + ADJECTIVE_MARK, s)
    s = _NEUTER_ENDING_RE.sub("e", s)
    if s.endswith("ovo"):
        s = s[:-1] + "e"
    return s.lower()


_SOFT_SIGN = re.compile(r"(?<=\w)['’ʹ](?=\w|$)")
_MID_IOTATED = re.compile(r"(?<=[a-z])y([aeu])")  # я, є, ю inside a word: ia, ie, iu
_MID_YI = re.compile(r"(?<=[aeiouy])yi")  # ї after a vowel inside a word: i
_FINAL_Y = re.compile(r"(?<=[aeiouy])y\b")  # й after a vowel at the end of a word: i


def national_spelling(name: str) -> str:
    """A Ukrainian place name in the national romanization that English news and ACLED use
    (Kryvyi Rih, Zaporizhzhia, Mykolaiv, Dzhankoi) from GeoNames' BGN/PCGN-style spelling
    (Kryvyy Rih, Zaporizhzhya, Mykolayiv, Dzhankoy): iotated vowels inside a word become
    ia / ie / iu, ї after a vowel i, a final й after a vowel i, and the soft sign is dropped."""
    out = _SOFT_SIGN.sub("", name)
    out = _MID_YI.sub("i", out)
    out = _MID_IOTATED.sub(r"i\1", out)
    return _FINAL_Y.sub("i", out)
