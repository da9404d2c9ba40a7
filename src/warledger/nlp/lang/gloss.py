"""Ukrainian and Russian text glossed into the shared English vocabulary.

The document model (sentences, clauses, figures, dates, places, claims, how many strikes) is
written once, over the English vocabularies in ``data/``. A Ukrainian or Russian article is read
by the same model through a *gloss*: each word is lemmatised (pymorphy3, with the OpenCorpora and
VESUM dictionaries from their registry packages) and phrases of the language's data file
(``data/lang/uk.json``, ``ru.json``) become the English term they say:

    "Четверо людей загинули, 16 поранені"  ->  "4 people killed, 16 injured"
    "у ніч на 15 серпня"                     ->  "overnight into 15 August"
    "в Запоріжжі"                            ->  "in Zaporizhzhia"       (geo.cyrillic)

Word order is left as it is: news Ukrainian and Russian put the count before or after its verb
much as English does ("загинули четверо" reads as "killed 4", an active English pattern).
Number words, inflected in both languages ("двоє", "трьох", "пятеро"), become digits; words the
data does not know are transliterated, so names stay names. The gloss keeps a map from its
offsets to the original's, and every quote is given back in the original language
(``Glossed.original_span``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Protocol

import pymorphy3

from ...datafiles import DATA_DIR, read_json_object
from ...errors import DataFileError
from ...records import Claim, Mention, Quote

LANGUAGES: tuple[str, ...] = ("uk", "ru")
LANG_DIR = DATA_DIR / "lang"
# a word (letters and digits, joined by hyphens or apostrophes), a number, or one other character
_TOKEN = re.compile(r"[^\W_]+(?:[-'ʼ’][^\W_]+)*|\S", re.UNICODE)
_APOSTROPHES = str.maketrans({"ʼ": "'", "’": "'", "`": "'"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ye", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "yu", "я": "ya", "'": "", "ё": "yo", "ы": "y", "э": "e", "ъ": "",
}  # fmt: skip
_RU_TRANSLIT = {"г": "g", "и": "i", "е": "e"}
_DASHES = frozenset({"-", "–", "—"})
_MODIFIERS = frozenset({"ADJF", "PRTF", "NUMR"})
# words glossed within a phrase this far apart at most (a phrase's words stand together)
_MAX_PHRASE = 8


class PlaceSpans(Protocol):
    """What the gloss needs from geo: the place names of a Cyrillic text, with the English name
    the gazetteer resolves to the same place (``geo.cyrillic.CyrillicPlaces`` is one)."""

    def find(self, text: str, lang: str) -> Sequence[Any]: ...  # pragma: no cover  (items: .start .end .english)


@dataclass(frozen=True, slots=True)
class Language:
    """One language's gloss data, its phrases as lemma tuples."""

    code: str
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first lemma -> (lemmas, English), longest first
    numbers: dict[str, int]
    calendar: dict[str, str]  # month and weekday lemmas -> English names
    drop: frozenset[str]
    ages: dict[str, str]  # the stem of a word of age -> its English ("летн" -> "year-old")
    number_stems: dict[str, int]  # the number a compound word starts with ("трех" -> 3)
    since: frozenset[str]  # "since" right before a month or a date ("с августа 2024")


@dataclass(slots=True)
class Glossed:
    """A text's gloss, and where each of its pieces came from in the original."""

    original: str
    text: str = ""
    _g_starts: list[int] = field(default_factory=list)
    _g_ends: list[int] = field(default_factory=list)
    _o_spans: list[tuple[int, int]] = field(default_factory=list)
    places: list[tuple[int, int]] = field(default_factory=list)  # spans of the gloss that name a place

    def add(self, piece: str, o_start: int, o_end: int) -> None:
        if not piece:
            return
        self._g_starts.append(len(self.text))
        self.text += piece
        self._g_ends.append(len(self.text))
        self._o_spans.append((o_start, o_end))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for the gloss's ``start:end`` (whole words: a word glossed is
        wholly in or out), trimmed of surrounding space."""
        first = bisect.bisect_right(self._g_ends, start)
        last = bisect.bisect_left(self._g_starts, end) - 1
        if first >= len(self._o_spans) or last < first:
            return (0, 0)
        o_start = min(s for s, _ in self._o_spans[first : last + 1])
        o_end = max(e for _, e in self._o_spans[first : last + 1])
        piece = self.original[o_start:o_end]
        lead = len(piece) - len(piece.lstrip())
        return o_start + lead, o_start + len(piece.rstrip())


@cache
def _morph(code: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=code)


@lru_cache(maxsize=200_000)
def lemmas(code: str, word: str) -> tuple[str, ...]:
    """The word's lower-case form, then the normal forms of its likelier parses, likeliest first."""
    low = word.lower().translate(_APOSTROPHES)
    parses = _morph(code).parse(low)
    return tuple(dict.fromkeys([low, *(p.normal_form.translate(_APOSTROPHES) for p in parses[:3])]))


@lru_cache(maxsize=200_000)
def plural(code: str, word: str) -> bool:
    """Whether the word's likeliest parse is plural."""
    parses = _morph(code).parse(word.lower().translate(_APOSTROPHES))
    return bool(parses) and parses[0].tag.number == "plur"


@lru_cache(maxsize=200_000)
def _modifier(code: str, word: str) -> bool:
    """Whether the word qualifies a noun after it (a number, an adjective, a participle)."""
    if word[:1].isdigit():
        return True
    parses = _morph(code).parse(word.lower().translate(_APOSTROPHES))
    return bool(parses) and parses[0].tag.POS in _MODIFIERS


@lru_cache(maxsize=200_000)
def _of_noun(code: str, before: str, name: str) -> bool:
    """Whether a place name in the genitive belongs to the noun before it ("мэр Одессы", "центр
    Белгорода"): English says "of" (and reads "governor Kursk Oblast X" as a person's name)."""
    if not _CYRILLIC.search(before):
        return False
    head = _morph(code).parse(before.lower().translate(_APOSTROPHES))
    own = _morph(code).parse(name.lower().translate(_APOSTROPHES))
    return bool(head and own) and head[0].tag.POS == "NOUN" and own[0].tag.case == "gent"


def _article(code: str, toks: list[tuple[int, int, str]], i: int) -> str:
    """English's "a" before a singular noun phrase starting at word ``i`` (Ukrainian and Russian
    have no articles; the English model reads "killed a woman" as one dead)."""
    return "" if i > 0 and _modifier(code, toks[i - 1][2]) else "a "


def _first_lemma(code: str, word: str) -> str:
    low = word.lower().translate(_APOSTROPHES)
    parses = _morph(code).parse(low)
    return parses[0].normal_form.translate(_APOSTROPHES) if parses else low


@cache
def load_language(code: str, lang_dir: Path = LANG_DIR) -> Language:
    """A language's gloss data, checked: a phrase glossed twice is an error naming the file."""
    path = lang_dir / f"{code}.json"
    if code not in LANGUAGES:
        raise DataFileError(str(path), f"no gloss data for language {code!r} (have: {', '.join(LANGUAGES)})")
    data = read_json_object(path)
    seen: dict[tuple[str, ...], str] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for english, said in _mapping(path, data, "gloss").items():
        for phrase in said:
            words = tuple(_first_lemma(code, w) for w in _TOKEN.findall(phrase))
            if not words:
                raise DataFileError(str(path), f"an empty phrase under gloss.{english}")
            if words in seen and seen[words] != english:
                raise DataFileError(str(path), f"{phrase!r} is glossed both {seen[words]!r} and {english!r}")
            seen[words] = english
            phrases.setdefault(words[0], []).append((words, english))
    for options in phrases.values():
        options.sort(key=lambda p: -len(p[0]))
    numbers = {k.translate(_APOSTROPHES): int(v) for k, v in _mapping(path, data, "numbers").items()}
    calendar = {
        k.translate(_APOSTROPHES): str(v)
        for part in ("months", "weekdays")
        for k, v in _mapping(path, data, part).items()
    }
    drop = frozenset(_first_lemma(code, w) for w in data.get("drop", []))
    ages = {a[:-2]: "year-old" for a in data.get("age_suffixes", [])}
    ages |= {a[:-2]: "month-old" for a in data.get("month_age_suffixes", [])}
    stems = {k.translate(_APOSTROPHES): int(v) for k, v in data.get("number_stems", {}).items()}
    since = frozenset(w.translate(_APOSTROPHES) for w in data.get("since", []))
    return Language(code, phrases, numbers, calendar, drop, ages, stems, since)


def _mapping(path: Path, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DataFileError(str(path), f"{key!r} must be an object")
    return value


def transliterate(word: str, code: str) -> str:
    """A Latin spelling of a Cyrillic word (Ukrainian national system; Russian g/i/e), its case kept."""
    table = {**_TRANSLIT, **_RU_TRANSLIT} if code == "ru" else _TRANSLIT
    out = "".join(table.get(ch, ch) for ch in word.lower().translate(_APOSTROPHES))
    if word[:1].isupper():
        out = out[:1].upper() + out[1:]
    return out.upper() if len(word) > 1 and word.isupper() and len(out) <= 6 else out


class Glosser:
    """``Glosser(places).gloss(text, "uk")`` -> ``Glossed``."""

    def __init__(self, places: PlaceSpans | None = None) -> None:
        self.places = places

    def gloss(self, text: str, code: str) -> Glossed:
        lang = load_language(code)
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
        spans = {p.start: p for p in self.places.find(text, code)} if self.places else {}
        out = Glossed(text)
        i, pos = 0, 0
        while i < len(toks):
            start = toks[i][0]
            out.add(text[pos:start], pos, start)  # the space between words, as it is
            place = spans.get(start)
            if place is not None:
                j = i
                while j < len(toks) and toks[j][1] <= place.end:
                    j += 1
                of = "of " if i > 0 and _of_noun(lang.code, toks[i - 1][2], toks[i][2]) else ""
                name = place.english.upper() if text[start : toks[j - 1][1]].isupper() else place.english
                out.add(of, start, start)
                out.places.append((len(out.text), len(out.text) + len(name)))
                out.add(name, start, toks[j - 1][1])  # upper case kept: "МОСКВА, 15 авг" is a dateline
                i, pos = j, toks[j - 1][1]
                continue
            j, piece = self._word(toks, i, lang)
            out.add(piece, start, toks[j - 1][1])
            i, pos = j, toks[j - 1][1]
        out.add(text[pos:], pos, len(text))
        return out

    def _word(self, toks: list[tuple[int, int, str]], i: int, lang: Language) -> tuple[int, str]:
        """The gloss of the words from ``i``: (the index after them, their English)."""
        word = toks[i][2]
        if word in _DASHES and i + 1 < len(toks) and _is_number(toks[i + 1][2], lang):
            return i + 1, ""  # "поранених – 19": the dash stands for "are"
        if not _CYRILLIC.search(word):
            return i + 1, word
        if word.lower() in lang.since and i + 1 < len(toks) and _dated(toks[i + 1][2], lang):
            return i + 1, _cased("since", word)
        age = _age(word, lang)
        if age is not None:
            return i + 1, (_article(lang.code, toks, i) if not plural(lang.code, word) else "") + age
        forms = lemmas(lang.code, word)
        phrase = _phrase(toks, i, lang, forms)
        if phrase is not None:
            n, english = phrase
            if "|" in english:  # said in the singular or the plural, as the word is
                one, many = english.split("|", 1)
                many_of = plural(lang.code, word) or (i > 0 and _count(toks[i - 1][2], lang) not in (None, 1))
                english = many if many_of else _article(lang.code, toks, i) + one
            return i + n, _cased(english, word)
        number = _number(toks, i, lang)
        if number is not None:
            return number
        for form in forms:
            if form in lang.calendar:
                return i + 1, lang.calendar[form]
        if lang.drop.intersection(forms):
            return i + 1, ""
        return i + 1, transliterate(word, lang.code)


def _phrase(toks: list[tuple[int, int, str]], i: int, lang: Language, forms: tuple[str, ...]) -> tuple[int, str] | None:
    """The longest phrase of the data said from word ``i`` (on a tie, that of the likelier lemma)."""
    best: tuple[int, str] | None = None
    for form in forms:
        for words, english in lang.phrases.get(form, ()):
            if len(words) > _MAX_PHRASE or i + len(words) > len(toks) or (best and len(words) <= best[0]):
                continue
            if all(words[k] in lemmas(lang.code, toks[i + k][2]) for k in range(1, len(words))):
                best = (len(words), english)
    return best


_AGE_DIGITS = re.compile(r"(\d+)-(\w+)")


def _age(word: str, lang: Language) -> str | None:
    """A word of age, "45-річна" or "трехлетний", as English: "45-year-old", "3-year-old"."""
    low = word.lower().translate(_APOSTROPHES)
    m = _AGE_DIGITS.fullmatch(low)
    if m:
        number, rest = m.group(1), m.group(2)
    else:
        stems = [s for s in lang.number_stems if low.startswith(s)]
        if not stems:
            return None
        stem = max(stems, key=len)
        number, rest = str(lang.number_stems[stem]), low[len(stem) :]
    for suffix, english in lang.ages.items():
        if rest.startswith(suffix):
            return f"{number}-{english}"
    return None


def _number(toks: list[tuple[int, int, str]], i: int, lang: Language) -> tuple[int, str] | None:
    """Number words from ``i`` joined into one figure ("двадцять п'ять" -> 25)."""
    total, j, last = 0, i, None
    while j < len(toks):
        values = [lang.numbers[f] for f in lemmas(lang.code, toks[j][2]) if f in lang.numbers]
        if not values:
            break
        value = values[0]
        if last is not None and not _joins(last, value):
            break
        total, last, j = total + value, value, j + 1
    return (j, str(total)) if j > i else None


def _dated(word: str, lang: Language) -> bool:
    """Whether a word starts a date: a day's number or a month."""
    return word.isdigit() or any(f in lang.calendar for f in lemmas(lang.code, word))


def _count(word: str, lang: Language) -> int | None:
    """The number a word says ("7", "сім", "семеро"), or None."""
    if word.isdigit():
        return int(word)
    return next((lang.numbers[f] for f in lemmas(lang.code, word) if f in lang.numbers), None)


def _is_number(word: str, lang: Language) -> bool:
    return _count(word, lang) is not None


def _joins(last: int, value: int) -> bool:
    """Whether a number word adds to the one before it: "двадцять п'ять", "сто двадцять"."""
    return (last >= 20 and last % 10 == 0 and value < last and value < 10) or (last >= 100 and value < 100)


def _cased(english: str, word: str) -> str:
    return english[:1].upper() + english[1:] if word[:1].isupper() else english


def restore_quote(quote: Quote, gloss: Glossed) -> Quote:
    """The original-language quote for a quote of the gloss."""
    start, end = gloss.original_span(quote.start, quote.end)
    return Quote(quote.article, gloss.original[start:end], start, end)


def restore_quotes(record: Mention | Claim, gloss: Glossed) -> None:
    """Every quote of a strike or a claim (its figures', its claims') in the original language;
    a claim's statement is its quote."""
    if isinstance(record, Claim):
        record.quote = restore_quote(record.quote, gloss)
        record.statement = record.quote.text
        return
    record.quotes = [restore_quote(q, gloss) for q in record.quotes]
    for fig in record.figures.values():
        fig.quote = restore_quote(fig.quote, gloss)
    for claim in record.claims:
        restore_quotes(claim, gloss)
