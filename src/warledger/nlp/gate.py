"""The relevance gate: a cheap look at an article before spaCy reads it.

Most of a live news stream reports no violence (sport, markets, diplomacy, weather). The gate
skips an article that names none of the words the extractors read strikes from, so the pipeline
spends its time on those that may report one:

    gate = RelevanceGate.load()
    reason = gate.check(article)   # None: read it; else why it was skipped

Its words are the extractors' own vocabularies (``data/gate.json`` names the lists) plus a few of
its own, matched as whole words over the article's tokens: no model, a set lookup per token.
It is built for recall (a wrong skip loses a strike, a wrong pass only costs time): any strong
cue lets an article on at once; words with an everyday sense ("shot", "attack", "strike",
"injured") let it on under the rule of ``gate.json`` (cross-validated by ``bench/gate.py``); an
article in a language the gate has no words for always goes on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import DATA_DIR
from ..errors import DataFileError
from ..records import Article
from .vocab import load_json

GATE_FILE = "gate.json"
NO_TERM = "no violence or casualty term"
_WORD = re.compile(r"\w+")
_LATIN = re.compile(r"[a-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_SCRIPT_SAMPLE = 2000  # characters read to tell the script of an article that gives no language
_HEADLINE_WORDS = 30  # a first line this short is the headline of an article without a title


def words(text: str) -> list[str]:
    """Lower-case word tokens: the one split for texts and for the phrases matched in them."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True, slots=True)
class Rule:
    """When weak cues alone let an article on. gate.json holds the figures (``bench/gate.py``'s
    cross-validation chose them); these defaults are the plain rule: two families."""

    min_weak_families: int = 2
    short_words: int = 0
    headline: bool = False
    person_window: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the gate read in an article. Strong cues by term, weak ones by family; the rest is
    read only when there is no strong cue (it cannot change the outcome otherwise)."""

    strong: frozenset[str]
    weak: frozenset[str]
    words: int = 0
    headline_weak: frozenset[str] = frozenset()
    person_distance: int | None = None  # fewest words between a weak cue and a person noun

    def passes(self, rule: Rule) -> bool:
        """True when the article goes on to spaCy under ``rule``."""
        if self.strong or len(self.weak) >= rule.min_weak_families:
            return True
        if not self.weak:
            return False
        return (
            self.words < rule.short_words
            or (rule.headline and bool(self.headline_weak))
            or (self.person_distance is not None and self.person_distance <= rule.person_window)
        )


class _Cues:
    """Whole words and phrases (token sequences) with their labels: a strong cue's label is the
    term itself, a weak cue's is ``~family``."""

    def __init__(self, labels: dict[str, str]) -> None:
        self.single: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[str, str]]] = {}  # first word -> (" a b ", label)
        for term, label in labels.items():
            toks = words(term)
            if len(toks) == 1:
                self.single[toks[0]] = label
            elif toks:
                self.phrases.setdefault(toks[0], []).append((" " + " ".join(toks) + " ", label))

    def find(self, tokens: set[str], joined: str) -> set[str]:
        found = {self.single[t] for t in tokens & self.single.keys()}
        for first in tokens & self.phrases.keys():
            found.update(label for phrase, label in self.phrases[first] if phrase in joined)
        return found


class RelevanceGate:
    """Skips articles that report no violent event. Build it once: ``RelevanceGate.load()``."""

    def __init__(self, config: dict[str, Any], data_dir: Path = DATA_DIR) -> None:
        where = str(data_dir / GATE_FILE)
        sources = source_terms(config.get("sources"), data_dir, f"{where} sources")
        weak = _families(config.get("weak", {}), f"{where} weak")
        extra_weak = _families(config.get("extra_weak", {}), f"{where} extra_weak")
        _check_weak(weak, extra_weak, sources, where)
        labels = {t: t for t in sources | _terms(config.get("extra", []), f"{where} extra")}
        for families in (weak, extra_weak):
            labels.update({t: "~" + fam for fam, ts in families.items() for t in ts})
        self._cues = _Cues(labels)
        self._weak_words = frozenset(w for w, label in self._cues.single.items() if label.startswith("~"))
        self._persons = frozenset(
            t for t in source_terms(config.get("persons"), data_dir, f"{where} persons") if len(words(t)) == 1
        )
        self._idioms = [" " + " ".join(words(i)) + " " for i in sorted(_terms(config.get("idioms", []), where))]
        self._stem_labels = _stems(config.get("stems", {}), f"{where} stems")
        self._stem_lengths = sorted({len(stem) for stem in self._stem_labels})
        self.languages = frozenset(_terms(config.get("languages", []), f"{where} languages"))
        self.rule = _rule(config.get("rule"), where)

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> RelevanceGate:
        """The gate for ``data_dir``'s vocabularies, built once per process."""
        return _load(data_dir)

    def check(self, article: Article) -> str | None:
        """None when the article goes on to spaCy; otherwise why it is skipped, in a few words."""
        verdict = self.read(article)
        if verdict.passes(self.rule) or not self.can_read(article):
            return None
        if verdict.weak:
            return f"only everyday-sense words ({', '.join(sorted(verdict.weak))})"
        return NO_TERM

    def read(self, article: Article) -> Verdict:
        """The cues of an article (its text and headline), and, when it has no strong cue, what
        the rule weighs besides."""
        toks = words(article.text)
        strong, weak = self._cues_in(article.text, toks)
        head = headline(article)
        head_strong, head_weak = self._cues_in(head, words(head)) if head else (frozenset(), frozenset())
        strong, weak = strong | head_strong, weak | head_weak
        if strong or not weak:
            return Verdict(strong, weak)
        return Verdict(strong, weak, len(toks), head_weak, self._person_distance(toks))

    def _cues_in(self, text: str, toks: list[str]) -> tuple[frozenset[str], frozenset[str]]:
        joined = " " + " ".join(toks) + " "
        if any(idiom in joined for idiom in self._idioms):
            for idiom in self._idioms:
                joined = joined.replace(idiom, " ")
            toks = joined.split()
        unique = set(toks)
        labels = self._cues.find(unique, joined)
        if _CYRILLIC.search(text):
            labels |= self._stem_cues(unique)
        strong = frozenset(x for x in labels if not x.startswith("~"))
        return strong, frozenset(x[1:] for x in labels if x.startswith("~"))

    def _stem_cues(self, tokens: set[str]) -> set[str]:
        """The labels of the stems that begin a Cyrillic word (a dict lookup per stem length)."""
        found: set[str] = set()
        for tok in tokens:
            if "\u0400" <= tok[0] <= "\u04ff":
                found.update(self._stem_labels[tok[:n]] for n in self._stem_lengths if tok[:n] in self._stem_labels)
        return found

    def _person_distance(self, toks: list[str]) -> int | None:
        """The fewest words between a weak cue and a person noun ("four people shot": 1)."""
        best: int | None = None
        last_weak = last_person = None
        for i, t in enumerate(toks):
            if t in self._weak_words:
                last_weak = i
                other = last_person
            elif t in self._persons:
                last_person = i
                other = last_weak
            else:
                continue
            if other is not None and (best is None or i - other < best):
                best = i - other
        return best

    def can_read(self, article: Article) -> bool:
        """True when the article's language (given, or told by its script) is one the gate has words for."""
        if article.language:
            return article.language.lower().split("-")[0] in self.languages
        sample = article.text[:_SCRIPT_SAMPLE].lower()
        known = len(_LATIN.findall(sample)) + len(_CYRILLIC.findall(sample))
        return known * 2 >= len(_LETTER.findall(sample))


def headline(article: Article) -> str:
    """The article's title, else its first line when that is short enough to be one."""
    if article.title:
        return article.title
    first = article.text.lstrip().split("\n", 1)[0]
    return first if len(words(first)) <= _HEADLINE_WORDS else ""


# -- reading gate.json -------------------------------------------------------------------


def source_terms(spec: Any, data_dir: Path, where: str) -> set[str]:
    """Every term that ``spec`` ({file: [path, ...]}) names in the other vocabulary files."""
    if not isinstance(spec, dict) or not spec:
        raise DataFileError(where, "must map vocabulary files to lists of paths")
    out: set[str] = set()
    for name, paths in spec.items():
        obj = load_json(name, data_dir)
        if not isinstance(paths, list):
            raise DataFileError(where, f"{name} must list paths")
        for path in paths:
            out |= _terms(_at(obj, str(path), f"{data_dir / name} ({path})"), f"{data_dir / name} ({path})")
    return out


def _at(obj: Any, path: str, where: str) -> Iterator[Any]:
    """The values at ``path``: 'a.b' keys, 'a[]' each item of a list, 'a{}' an object's keys, 'a*' its values."""
    if not path:
        yield obj
        return
    head, _, rest = path.partition(".")
    mode = next((m for m in ("[]", "{}", "*") if head.endswith(m)), "")
    key = head[: len(head) - len(mode)]
    value = obj.get(key) if isinstance(obj, dict) else None
    if value is None:
        raise DataFileError(where, f"has no {key!r}")
    if mode == "[]" and isinstance(value, list):
        items: Iterable[Any] = value
    elif mode in ("{}", "*") and isinstance(value, dict):
        items = value.keys() if mode == "{}" else value.values()
    elif mode:
        raise DataFileError(where, f"{key!r} is not a {'list' if mode == '[]' else 'JSON object'}")
    else:
        items = [value]
    for item in items:
        yield from _at(item, rest, where)


def _terms(values: Iterable[Any], where: str) -> set[str]:
    """Lower-case terms; a value may be a term or a list of them."""
    out: set[str] = set()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, str) or not item.strip():
                raise DataFileError(where, "terms must be non-empty strings")
            out.add(item.lower())
    return out


def _families(obj: Any, where: str) -> dict[str, set[str]]:
    if not isinstance(obj, dict) or not all(isinstance(v, list) for v in obj.values()):
        raise DataFileError(where, "must map family names to lists of terms")
    return {str(fam): _terms(ts, f"{where}.{fam}") for fam, ts in obj.items()}


def _check_weak(weak: dict[str, set[str]], extra_weak: dict[str, set[str]], sources: set[str], where: str) -> None:
    """'weak' marks source terms; 'extra_weak' adds terms the sources lack: each says one thing."""
    stray = sorted(t for ts in weak.values() for t in ts if t not in sources)
    if stray:
        raise DataFileError(where, f"weak terms not in the sources: {', '.join(stray)}")
    known = sorted(t for ts in extra_weak.values() for t in ts if t in sources)
    if known:
        raise DataFileError(
            where, f"extra_weak terms already in the sources (list them under weak): {', '.join(known)}"
        )


def _stems(obj: Any, where: str) -> dict[str, str]:
    """The label of each stem: a strong one's is itself, a weak one's ``~family``."""
    if not isinstance(obj, dict):
        raise DataFileError(where, "must hold 'strong' and 'weak'")
    labels = {s: s for s in _terms(obj.get("strong", []), f"{where}.strong")}
    for fam, stems in _families(obj.get("weak", {}), f"{where}.weak").items():
        labels.update({s: "~" + fam for s in stems})
    return labels


def _rule(obj: Any, where: str) -> Rule:
    if not isinstance(obj, dict):
        raise DataFileError(where, "rule must be a JSON object")
    try:
        rule = Rule(
            min_weak_families=int(obj["min_weak_families"]),
            short_words=int(obj["short_words"]),
            headline=bool(obj["headline"]),
            person_window=int(obj["person_window"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(where, "rule needs min_weak_families, short_words, headline, person_window") from exc
    if rule.min_weak_families < 1 or rule.short_words < 0 or rule.person_window < 0:
        raise DataFileError(where, "rule figures must be whole numbers, min_weak_families at least 1")
    return rule


@cache
def _load(data_dir: Path) -> RelevanceGate:
    return RelevanceGate(load_json(GATE_FILE, data_dir), data_dir)
