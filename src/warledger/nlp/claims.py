"""Claims: what a party to the conflict asserts, attributed and kept apart from the facts.

A sentence is a claim when a party (``actors.json``) is the subject of a claim verb
("Russia claimed", "Moscow denied", "Putin accused"); the sentence after it carries the claim on
when it opens with a pronoun of that party ("Their military said 85 ... had been killed").
Dispute markers ("offered no evidence", "called it fake") mark the claim disputed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Claim, Quote
from .casualties import find_figures
from .vocab import Vocab


@dataclass(slots=True)
class ClaimRead:
    claim: Claim
    fresh: bool  # False when the sentence carries on the claim before it
    about_event: bool  # it gives figures or speaks of the strike itself


class ClaimReader:
    """Reads claims sentence by sentence; keeps the last one to attach continuations."""

    def __init__(self, vocab: Vocab, article_text: str) -> None:
        self.vocab = vocab
        self.text = article_text
        self.last: ClaimRead | None = None

    def _party(self, sentence: str, before: int) -> str | None:
        words = re.findall(r"[\w'’-]+", sentence[:before].lower().replace("’", "'"))
        for i, w in enumerate(words):
            two = " ".join(words[i : i + 2])
            if two in self.vocab.actor_nouns:
                return self.vocab.actor_nouns[two]
            if w in self.vocab.actor_nouns:
                return self.vocab.actor_nouns[w]
            if w in self.vocab.actor_adjectives:
                return self.vocab.actor_adjectives[w]
        return None

    def read(self, sentence: str, quote: Quote) -> ClaimRead | None:
        """RETURNS: the claim this sentence makes or carries on, else None."""
        verb = self.vocab.claim_re.search(sentence)
        first = re.match(r"\W*([\w'’]+)", sentence)
        opener = first.group(1).lower() if first else ""
        party = self._party(sentence, verb.start()) if verb else None
        if party is None and self.last and opener in self.vocab.continuations:
            return self._carry_on(sentence, quote)
        if party is None:
            self.last = None
            return None
        figures = {f.kind: f.quantity.value for f in find_figures(sentence, self.vocab) if not f.implausible}
        about = bool(figures) or bool(
            re.search(r"\b(?:the|this|that)\s+(?:attack|strike|bombing|shelling)\b", sentence, re.I)
        )
        claim = Claim(
            by=party,
            statement=sentence.strip(),
            killed=figures.get("killed"),
            injured=figures.get("injured"),
            disputed=bool(self.vocab.dispute_re.search(sentence)),
            quote=quote,
        )
        self.last = ClaimRead(claim, True, about)
        return self.last

    def _carry_on(self, sentence: str, quote: Quote) -> ClaimRead:
        assert self.last is not None
        c = self.last.claim
        figures = {f.kind: f.quantity.value for f in find_figures(sentence, self.vocab) if not f.implausible}
        c.killed = c.killed if c.killed is not None else figures.get("killed")
        c.injured = c.injured if c.injured is not None else figures.get("injured")
        c.disputed = c.disputed or bool(self.vocab.dispute_re.search(sentence))
        c.statement = f"{c.statement} {sentence.strip()}"
        c.quote = Quote(c.quote.article, self.text[c.quote.start : quote.end], c.quote.start, quote.end)
        self.last = ClaimRead(c, False, self.last.about_event or bool(figures))
        return self.last
