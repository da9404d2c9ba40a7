"""What one clause says: its strike words, weapons, places, date, actor, targets and figures.

A sentence is cut into clauses at the cue phrases of ``discourse.json``; a piece with no strike
word or weapon is glued back onto its neighbour, so a clause is the stretch of text that
talks about one strike.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from ..records import Place
from .casualties import CLAUSE_CHARS, FigureHit, find_figures
from .dates import DateHit
from .vocab import Vocab, Weapon

SPECIFICITY = {"settlement": 3, "admin1": 2, "country": 1}
# A noun in object position is a target or a place, not the side that struck.
_OBJECT_PREPS = {
    "on",
    "in",
    "to",
    "against",
    "at",
    "of",
    "from",
    "into",
    "toward",
    "towards",
    "with",
    "over",
    "near",
    "bordering",
    "across",
    "inside",
    "within",
    "for",
    "about",
}


class PlaceMentionLike(Protocol):
    """What nlp reads of a place mention (``geo.PlaceMention`` is one)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def best(self) -> Place | None: ...

    @property
    def candidates(self) -> list[Place]: ...


@dataclass(slots=True)
class Clause:
    """A stretch of one sentence; offsets are into the article text."""

    start: int
    end: int
    text: str
    cue: bool


@dataclass(slots=True)
class ClauseInfo:
    clause: Clause
    strike: bool
    weapons: list[tuple[str, Weapon]]
    place: Place | None
    place_at: int | None
    date: DateHit | None
    actor: str | None
    targets: list[str]
    figures: list[FigureHit]
    new_marker: bool
    elsewhere: bool
    places: list[tuple[int, Place]] = field(default_factory=list)
    intercepted: str | None = None
    habitual: bool = False  # a general statement ("has been pounding ... for weeks")
    total: bool = False  # figures over several strikes ("across the country", "in 7 oblasts")
    alert: bool = False  # alerts and sounds ("air raid alerts went off"), not a strike that landed

    @property
    def precise_figures(self) -> bool:
        return any(f.quantity.value is not None and not f.implied for f in self.figures)


def has_cue(text: str, vocab: Vocab) -> bool:
    return bool(vocab.strike_re.search(text) or vocab.weapon_re.search(text))


def split_clauses(text: str, offset: int, vocab: Vocab) -> list[Clause]:
    """Cut a sentence at discourse cues; glue cue-less pieces to a neighbour."""
    cuts = {0, len(text)}
    low = text.lower()
    for m in vocab.split_re.finditer(low):
        # "was shot and killed", "killing two and wounding five": one predicate, not two clauses
        if m.group(0).strip(" ,") == "and" and _continues_predicate(low[m.end() :], vocab):
            continue
        cuts.add(m.start())
    bounds = sorted(cuts)
    pieces = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    clauses: list[Clause] = []
    for a, b in pieces:
        cue = has_cue(text[a:b], vocab)
        if clauses and (not cue or not clauses[-1].cue):
            last = clauses[-1]
            clauses[-1] = Clause(last.start, offset + b, text[last.start - offset : b], last.cue or cue)
        else:
            clauses.append(Clause(offset + a, offset + b, text[a:b], cue))
    return clauses


def _continues_predicate(rest: str, vocab: Vocab) -> bool:
    first = re.match(r"\s*([\w-]+)", rest)
    if first is None:
        return False
    word = first.group(1)
    return word in vocab.active or word in vocab.casualty["killed"] or word in vocab.casualty["injured"]


def find_weapons(text: str, vocab: Vocab) -> list[tuple[str, Weapon]]:
    """Weapons that struck; one right after a verb of destroying or intercepting was the target, and
    a verb of intercepting names none ("shot down")."""
    found = []
    downing = [v.span() for v in vocab.interception_re.finditer(text)] if vocab.interception_re else []
    for m in vocab.weapon_re.finditer(text):
        if any(a <= m.start() < b for a, b in downing):
            continue  # "shot down" is no shooting
        before = " ".join(re.findall(r"[\w'’-]+", text[: m.start()])[-4:])
        if (
            vocab.target_verb_re
            and vocab.target_verb_re.search(before)
            and not re.search(r"\b(?:with|by|using|from)\b", before)
        ):
            continue
        words = m.group(0).split()
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            continue  # "Ukraine's Air Force" names an institution, not a weapon in use
        found.append((m.group(0), vocab.weapons[m.group(0).lower()]))
    return found


def intercepted(text: str, vocab: Vocab) -> str | None:
    """What an interception clause downed: 'aircraft', 'weapon' (drone, missile ...), or None."""
    if vocab.interception_re is None or not (v := vocab.interception_re.search(text)):
        return None
    after = text[v.end() : v.end() + 60]
    w = vocab.weapon_re.search(after)
    if w is None:
        return None
    return "aircraft" if vocab.weapons[w.group(0).lower()].weapon == "aircraft" else "weapon"


def find_targets(text: str, vocab: Vocab) -> list[str]:
    out: list[str] = []
    for m in vocab.target_re.finditer(text):
        if re.search(r"\b(?:in|to|into)\s+$", text[: m.start()].lower()):
            continue  # "40 in hospital" says where the wounded are, not what was hit
        canon = vocab.targets[m.group(0).lower()]
        if canon not in out:
            out.append(canon)
    return out


def find_actor(text: str, vocab: Vocab) -> str | None:
    """The side that struck: an adjective on a weapon or force, else a subject before the strike."""
    # in "Russian forces intercepted a Ukrainian drone" the side is the one that intercepts
    cue = (
        (vocab.interception_re and vocab.interception_re.search(text))
        or vocab.strike_re.search(text)
        or vocab.weapon_re.search(text)
    )
    if cue is None:
        return None
    words = list(re.finditer(r"[\w'’-]+", text))
    lowered = [w.group(0).lower().replace("’", "'") for w in words]
    best: tuple[int, str] | None = None
    for i, w in enumerate(lowered):
        pos = words[i].start()
        name: str | None = None
        two = f"{w} {lowered[i + 1]}" if i + 1 < len(lowered) else ""
        if two in vocab.actor_nouns:
            name = vocab.actor_nouns[two]
        elif w in vocab.actor_adjectives:
            nxt = " ".join(lowered[i + 1 : i + 4])
            if (
                vocab.weapon_re.search(nxt)
                or vocab.strike_re.search(nxt)
                or re.search(r"\b(?:forces|troops|army|military|attack|attacks)\b", nxt)
            ):
                name = vocab.actor_adjectives[w]
        elif w in vocab.actor_nouns:
            prev = lowered[i - 1] if i else ""
            if prev not in _OBJECT_PREPS or prev == "by":
                name = vocab.actor_nouns[w]
        if name is None:
            continue
        # nearest before the strike word wins; after it only an agent ("by Russian forces")
        if pos <= cue.start():
            if best is None or pos > best[0]:
                best = (pos, name)
        elif best is None and i and lowered[i - 1] == "by":
            best = (pos, name)
    return best[1] if best else None


def has_new_marker(text: str, vocab: Vocab) -> bool:
    """'another missile', 'a similar attack', 'in related incidents, a drone...'."""
    for m in vocab.new_event_re.finditer(text):
        after = " ".join(re.findall(r"[\w'’-]+", text[m.end() :])[:4])
        if vocab.weapon_re.search(after) or vocab.strike_re.search(after):
            return True
    return False


def choose_place(
    mentions: list[PlaceMentionLike], text: str, base: int, actor_nouns: dict[str, str]
) -> tuple[int | None, Place | None, list[tuple[int, Place]]]:
    """The most specific place of a clause, resolved with the other places as context.

    A possessive ("Sumy's military administration") names an owner, not where a strike landed,
    a side named as the subject ("Russia carried out ...") is the actor, not the place, and a
    place right after another one that contains it ("Lozova, Kharkiv") only qualifies it.
    """
    resolved: list[tuple[int, Place]] = []
    prev_end = -1
    named = Counter(_key(pm) for pm in mentions if pm.best is not None)
    for pm in mentions:
        tail = text[pm.end - base : pm.end - base + 2]
        if tail in ("'s", "’s") or _is_subject(pm, text, base, actor_nouns):
            continue
        place = pm.best
        if pm.kind == "settlement":
            context = _context(named, pm)
            for cand in pm.candidates:
                if (cand.country_code, cand.admin1) in context or (cand.country_code, None) in context:
                    place = cand
                    break
        if place is None:
            continue
        adjacent = bool(resolved) and text[prev_end - base : pm.start - base].strip() in (",", "(", "")
        if resolved and _qualifies(resolved[-1][1], place, adjacent) and pm.start - resolved[-1][0] < 40:
            continue
        resolved.append((pm.start, place))
        prev_end = pm.end
    if not resolved:
        return None, None, []
    pos, best = max(resolved, key=lambda r: (SPECIFICITY[r[1].geo_precision], -r[0]))
    return pos, best, resolved


def _is_subject(pm: PlaceMentionLike, text: str, base: int, actor_nouns: dict[str, str]) -> bool:
    """A country that is also a side, with no locative word before it, is the actor."""
    if pm.kind != "country" or pm.text.lower() not in actor_nouns:
        return False
    before = re.findall(r"[\w'’-]+", text[: pm.start - base].lower())
    return not before or before[-1] not in _OBJECT_PREPS


Region = tuple[str | None, str | None]  # (country code, admin1)


def _key(pm: PlaceMentionLike) -> Region:
    best = pm.best
    assert best is not None
    return best.country_code, best.admin1 if best.geo_precision != "country" else None


def _context(
    named: Counter[tuple[str | None, str | None]], skip: PlaceMentionLike
) -> set[tuple[str | None, str | None]]:
    """(country code, admin1) pairs named by the other places of a clause (``named``: by all of
    them, counted once each, so that a clause of thousands of names is read in linear time)."""
    own = _key(skip) if skip.best is not None else None
    return {k for k, n in named.items() if k != own or n > 1}


def _qualifies(first: Place, second: Place, adjacent: bool) -> bool:
    """True when ``second`` only says where ``first`` is ("Lozova, Kharkiv", "Charsadda, Peshawar");
    a town further on in the same region is another place ("in Kramatorsk, two more in Druzhkivka")."""
    if first.geonameid is not None and first.geonameid == second.geonameid:
        return True
    if first.country != second.country:
        return False
    if second.geo_precision == "country":
        return True
    # "Lozova, Kharkiv": a town, then the region's namesake city standing for the region
    namesake = bool(second.location and (second.admin1 or "").lower().startswith(second.location.lower()))
    return (
        first.geo_precision == "settlement"
        and first.admin1 == second.admin1
        and (second.geo_precision != "settlement" or namesake or adjacent)
    )


def analyze(
    clause: Clause,
    mentions: list[PlaceMentionLike],
    dates: list[DateHit],
    vocab: Vocab,
) -> ClauseInfo:
    """Read everything one clause says about a strike (in its first CLAUSE_CHARS characters)."""
    text = clause.text[:CLAUSE_CHARS]
    inside = [pm for pm in mentions if clause.start <= pm.start and pm.end <= clause.end]
    place_at, place, resolved = choose_place(inside, text, clause.start, vocab.actor_nouns)
    in_clause = [d for d in dates if clause.start <= d.start < clause.end and not d.bound]
    bounded = any(clause.start <= d.start < clause.end and d.bound for d in dates)
    strong = [d for d in in_clause if not d.weak]
    # "overnight on June 12": the date written out beats the relative word
    written = [d for d in strong if any(c.isdigit() for c in d.window.text)]
    ranked = written or strong or in_clause
    date = ranked[0] if ranked else None
    return ClauseInfo(
        clause=clause,
        strike=bool(vocab.strike_re.search(text)),
        weapons=find_weapons(text, vocab),
        place=place,
        place_at=place_at,
        date=date,
        actor=find_actor(text, vocab),
        targets=find_targets(text, vocab),
        figures=find_figures(text, vocab),
        new_marker=has_new_marker(text, vocab),
        elsewhere=bool(vocab.elsewhere_re.search(text)),
        places=resolved,
        intercepted=intercepted(text, vocab),
        total=bool(vocab.total_re and vocab.total_re.search(text)),
        alert=bool(vocab.not_a_strike_re and vocab.not_a_strike_re.search(text)),
        habitual=bounded or bool(vocab.habitual_re and vocab.habitual_re.search(text)),
    )
