"""Casualty figures in a clause: who was killed, injured, hospitalised, and how many.

Each pattern is a pattern of English news language, not of one sentence:

* active verb before the count: "killing at least 11 people", "wounding two"
* count before the predicate: "six people were killed", "another 75 were wounded",
  "four people dead", "40 in hospital", "three people, including a toddler, were killed"
* a single person: "killed a 47-year-old woman" (one, not 47)
* children inside a total: "18 people, including nine children"; "among the dead are a girl"
* a toll: "the death toll rose to 20"
* continuation to another place: "and two more in the nearby town of Samar"
* nobody hurt: "no casualties were reported"
* people named one by one: "a man and his five children", "He was injured", "killed Haji X"
* groups summed, attackers apart: "two officers and three assailants were killed",
  "ten people, including six gunmen", "in addition to the bomber", "before taking his own life"
* other wordings: "claimed the lives of 14", "the murder of 14", "stabbed two people to death"
* not tolls: ages, sizes, years, things ("30 vehicles"), parts ("11 of the dead were ...")

See docs/extraction.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .numbers import NUMBER, Quantity, parse_quantity, words_to_int
from .vocab import Vocab, load_vocab

_AUX = (
    r"(?:\s+(?:were|was|have|has|had|been|are|is|being|got|reportedly|also|later|all|both|then|now|confirmed"
    r"|allegedly|subsequently|seriously|critically|slightly|severely|lightly|badly|gravely|reported))*"
)
# words between a count and its predicate; another number word starts another count
_NUMWORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?)\b"
_GAP = rf"(?P<gap>(?:\s+(?!{_NUMWORD})[A-Za-z(][\w'’()-]*){{0,9}}?)"
# After an active verb the counted noun phrase runs to the next function word or comma.
_STOP = r"(?:and|or|but|while|as|in|on|at|when|after|before|with|from|by|during|including|near|the|a|an|of|to)"
_NOUNS = rf"(?P<gap>(?:\s+(?!{_STOP}\b)[A-Za-z][\w'’-]*){{0,4}})"
# ", including three civilians and six gunmen," (never running into the next predicate)
_APPOS_CHAR = r"(?:(?!\b(?:left|leaving|killing|killed|wounding|wounded|injuring|injured|dead|died)\b)[^.;])"
_APPOS = rf"(?P<appos>\s*,\s*(?:including\s+{_APPOS_CHAR}{{1,120}}?,?|[^,.;]{{1,80}},))?"
# where the noun phrase after a killing verb ends
_BOUNDARY = r"(?:in|on|at|and|who|while|with|near|outside|inside|during|as|after|before|from|of|for|when|because|by)"
_AGE_CHILD = re.compile(r"\b(\d{1,2})-year-old\b", re.IGNORECASE)


@dataclass(slots=True)
class FigureHit:
    """One figure found in a clause; offsets are relative to the clause text."""

    kind: str
    quantity: Quantity
    start: int
    end: int
    implied: bool = False  # "nine children were killed": a floor for killed, not the total
    more_at: int | None = None  # "two more in X": where the other place's phrase starts
    toll: bool = False  # "the death toll rose to 20": an update of a figure, not another one
    additive: bool = False  # "in addition, a missionary was killed": adds to the figure before
    implausible: bool = False  # above ``Vocab.implausible_above``: flagged text, never a count


def _alts(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class _Patterns:
    passive: re.Pattern[str]
    active: re.Pattern[str]
    single: re.Pattern[str]
    including: re.Pattern[str]
    among: re.Pattern[str]
    toll: re.Pattern[str]
    more: re.Pattern[str]
    none: re.Pattern[str]
    pred_kind: dict[str, str]
    chain: re.Pattern[str]
    lives: re.Pattern[str]
    besides: re.Pattern[str]
    suicide: re.Pattern[str]
    self_death: re.Pattern[str]
    named: re.Pattern[str]
    named_active: re.Pattern[str]
    perp_single: re.Pattern[str]
    to_death: re.Pattern[str]
    murder_of: re.Pattern[str]
    trigger: re.Pattern[str]
    perp_count: re.Pattern[str]
    subject: re.Pattern[str]
    and_one: re.Pattern[str]
    pair: re.Pattern[str]
    pair_active: re.Pattern[str]
    pronoun: re.Pattern[str]
    and_their: re.Pattern[str]
    last_single: re.Pattern[str]
    proper: re.Pattern[str]
    additive: re.Pattern[str]


@cache
def _patterns(vocab: Vocab) -> _Patterns:
    c = vocab.casualty
    pred_kind = {w: "killed" for w in c["killed"]}
    pred_kind |= {w: "injured" for w in c["injured"]}
    pred_kind |= {w: "hospitalized" for w in c["hospitalized"]}
    preds = _alts(list(pred_kind))
    actives = _alts(list(vocab.active))
    singles = _alts([w for w in c["person_nouns"] if not w.endswith("s") or w in ("boss",)])
    persons = _alts(c["person_nouns"] + c["child_nouns"])
    perps = _alts(c["perpetrator_nouns"])
    subjects = "|".join(w.capitalize() + "|" + w for w in c["singular_subjects"])
    child = _alts(c["child_nouns"])
    flags = re.IGNORECASE
    return _Patterns(
        passive=re.compile(rf"(?<![\w-]){NUMBER}{_GAP}{_APPOS}{_AUX}\s+(?P<pred>{preds})(?![\w-])", flags),
        active=re.compile(rf"(?<![\w-])(?P<verb>{actives})\s+{NUMBER}{_NOUNS}(?=\W|$)", flags),
        # one person after a killing verb: "killed a polio vaccinator in ...", "shot dead the mayor of X"
        single=re.compile(
            rf"(?<![\w-])(?P<verb>{actives})\s+(?:(?:a|an|one|the|his|her|their)\s+(?:[\w'’()-]+\s+){{0,4}}?"
            rf"(?P<noun>[a-z][\w'’-]*)(?=\s*(?:[,.;:)]|$)|\s+{_BOUNDARY}\b)"
            rf"|(?:[\w'’-]+\s+){{0,2}}?(?:{singles}),\s+(?-i:[A-Z]))",
            flags,
        ),
        including=re.compile(
            rf"^\W{{0,3}}\s*including\s+(?:(?:a|an)|{NUMBER})\s+(?P<desc>(?:[\w'’-]+\s+){{0,2}}?(?:{child}))(?![\w-])",
            flags,
        ),
        among=re.compile(
            rf"among\s+the\s+(?P<what>dead|killed|victims|injured|wounded)\s+(?:are|is|were|was)\s+"
            rf"(?:(?P<a>a|an)|{NUMBER})\s+(?P<desc>(?:[\w'’-]+\s+){{0,2}}?(?:{child}))(?![\w-])",
            flags,
        ),
        toll=re.compile(
            rf"(?P<which>death|casualty|injury)?\s*toll\s+(?:\w+\s+){{0,2}}?(?:rose|risen|climbed|increased|reached|jumped|stands|stood|is|was|of)"
            rf"(?:\s+at|\s+to)?\s+{NUMBER}",
            flags,
        ),
        more=re.compile(
            rf"(?<![\w-]){NUMBER}\s+more(?:\s+(?:people|persons|civilians))?(?:{_AUX}\s+\w+)?\s+(?P<prep>in|at|near)\s",
            flags,
        ),
        none=re.compile(rf"(?<![\w-])(?:{_alts(c['none'])})(?![\w-])", flags),
        pred_kind=pred_kind,
        # "Four police officers and | six assailants were killed": the groups before the last one
        chain=re.compile(
            rf"(?<![\w-])(?:(?P<one>an?)\s+(?:[\w'’-]+\s+)?(?:{singles})|{NUMBER}{_NOUNS})\s*(?:,\s*and|,|and)\s*$",
            flags,
        ),
        lives=re.compile(
            rf"(?:claimed|claiming|took|taking|(?:resulting|resulted)\s+in)\s+(?:the\s+)?"
            rf"(?P<of>(?:lives|deaths?)\s+of\s+)?{NUMBER}{_NOUNS}",
            flags,
        ),
        besides=re.compile(
            rf"in\s+addition\s+to\s+(?:(?P<one>an?\s+)|(?:the\s+)?(?:{NUMBER}\s+)?)(?:[\w-]+\s+)?(?:{perps})(?![\w-])",
            flags,
        ),
        suicide=re.compile(rf"(?:(?P<one>an?|the)|{NUMBER})\s+(?:[\w-]+\s+)?suicide\s+bombers?(?![\w-])", flags),
        self_death=re.compile(rf"(?<![\w-])(?:{_alts(c['self_death'])})(?![\w-])", flags),
        # "a man and his five children were killed", "Rahim, a police officer, and his daughter were killed"
        named=re.compile(
            rf"(?:(?<![\w-])(?i:a|an|one|the|his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}?(?i:{singles})"
            rf"|(?<![\w'’-])[A-Z][\w'’-]+)(?:,\s[^,]{{1,70}},)?\s+and\s+(?i:his|her|their)\s+"
            rf"(?:(?i:{NUMBER})\s+)?(?:[\w'’-]+\s+){{0,2}}?(?P<noun>(?i:{persons}))(?:,\s[^,]{{1,70}},)?"
            rf"(?i:{_AUX})\s+(?P<pred>(?i:{preds}))(?![\w-])"
        ),
        # "killed his wife and her two young children"
        named_active=re.compile(
            rf"(?<![\w-])(?P<verb>{actives})\s+(?:a|an|one|the|his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}?(?:{singles})"
            rf"\s+and\s+(?:his|her|their)\s+(?:{NUMBER}\s+)?(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{persons})(?![\w-])",
            flags,
        ),
        # one person as the subject: "He was killed", "The driver was injured",
        # "Rahim, a police officer, and his daughter ..." is handled by ``named``
        subject=re.compile(
            rf"(?:(?<![\w-])(?:{subjects})|(?<![\w-])(?i:the|a|an|his|her|their)\s+(?:[\w'’-]+\s+){{0,4}}?(?P<snoun>[a-z][\w'’-]*)"
            rf"(?:\s+of\s+[\w'’ -]{{1,40}}?)?"
            rf"|(?<![\w'’-])[A-Z][\w'’-]+)(?P<appos2>,\s[^,]{{1,120}},|,)?"
            rf"(?:\s+(?:was|had\s+been|has\s+been|is)(?i:{_AUX})?|(?:\s+(?:also|later|then))?(?=\s+died))"
            rf"\s+(?P<pred>(?i:{preds}))(?![\w-])"
        ),
        # "A police chief and an army commander were injured": two people, one by one
        pair=re.compile(
            rf"(?<![\w-])(?:a|an|the)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<n1>[a-z][\w'’-]*)\s+and\s+(?:a|an|the|his|her|their)\s+"
            rf"(?:[\w'’-]+\s+){{0,3}}?(?P<n2>[a-z][\w'’-]*)(?:{_AUX})\s+(?P<pred>{preds})(?![\w-])",
            flags,
        ),
        # "killing the driver and a civilian": two people after a killing verb
        pair_active=re.compile(
            rf"(?<![\w-])(?P<verb>{actives})\s+(?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<n1>[a-z][\w'’-]*)"
            rf"\s+and\s+(?:a|an|the|his|her|their)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<n2>[a-z][\w'’-]*)(?=\s*(?:[,.;:]|$)|\s+{_BOUNDARY}\b)",
            flags,
        ),
        # "three guards and | a police inspector were killed": the last of several groups is one person
        last_single=re.compile(
            rf"(?<![\w-])(?:a|an|one)\s+(?:[\w'’-]+\s+){{0,3}}?(?P<noun>[a-z][\w'’-]*)(?:{_AUX})\s+(?P<pred>{preds})(?![\w-])",
            flags,
        ),
        # "stabbed a student ... and killed her": one person as a pronoun object
        pronoun=re.compile(rf"(?<![\w-])(?P<verb>{actives})\s+(?:him|her)\b", flags),
        # "killing three citizens and their driver": one more person after a count
        and_their=re.compile(
            rf"^\s*,?\s+and\s+(?:his|her|their)\s+(?:[\w'’-]+\s+){{0,2}}?(?P<noun>{singles})(?![\w-])", flags
        ),
        # "... and a child wounded", "and another injured"
        and_one=re.compile(
            r"(?<![\w-])and\s+(?:a|an|one|another)(?:\s+[\w'’-]+){0,2}?\s+(?:was\s+)?"
            r"(?P<pred>wounded|injured|hurt|killed|dead)(?![\w-])",
            flags,
        ),
        # an active verb on a named person: "shot and killed Haji Naeem, a former judge"
        proper=re.compile(
            rf"(?<![\w-])(?P<verb>{actives})\s+(?:(?:a|an|the)\s+)?(?:[a-z][\w-]+\s+){{0,2}}?"
            rf"(?P<name>(?:[A-Z][\w'’.-]+\s?){{1,4}})(?=,|\s+in\s|\s+at\s|\s+on\s|\.|$)"
        ),
        to_death=re.compile(
            rf"(?<![\w-])(?:stabbed|beat|beaten|burned|burnt|hacked|shot|crushed|trampled|clubbed)\s+{NUMBER}{_GAP}\s+to\s+death",
            flags,
        ),
        # a clause without any of these words holds no figure: skip the patterns (most text)
        trigger=re.compile(
            r"(?:"
            + "|".join(
                sorted(
                    {re.escape(w.split()[0]) for w in [*pred_kind, *vocab.active, *c["none"], *c["self_death"]]}
                    | {
                        "toll",
                        "lives",
                        "suicide",
                        "addition",
                        "deaths?",
                        "murders?",
                        "killings?",
                        "massacre",
                        "executions?",
                    },
                    key=len,
                    reverse=True,
                )
            )
            + r")",
            flags,
        ),
        murder_of=re.compile(
            rf"(?<![\w-])(?:murders?|killings?|massacre|executions?|deaths)\s+of\s+{NUMBER}{_NOUNS}", flags
        ),
        perp_single=re.compile(
            rf"(?<![\w-])(?P<verb>{actives})\s+(?:the|an?|one)\s+(?:[\w'’-]+\s+)?(?:{perps})(?![\w-])", flags
        ),
        perp_count=re.compile(
            rf"(?:(?P<one>an?|one)|(?:the\s+)?{NUMBER})\s+(?:[\w'’-]+\s+)?(?:{perps})(?![\w-])", flags
        ),
        additive=re.compile(rf"(?<![\w-])(?:{_alts(c['additive'])})(?![\w-])(?!\s+to\b)", flags),
    )


def _gap_ok(gap: str, vocab: Vocab) -> bool:
    """The words between a count and its predicate must describe people, not things, and not
    a part of a toll already given ("11 of the dead were villagers")."""
    words = [w.strip("'’").lower() for w in gap.split()]
    things = vocab.casualty["thing_nouns"]
    if any(words_to_int(w) is not None for w in words):
        return False  # another count starts here: "two officers and three assailants"
    if any(a == "and" and b in ("a", "an", "one", "another") for a, b in zip(words, words[1:], strict=False)):
        return False  # "three guards and a police inspector": another group starts here
    return not any(w in things for w in words) and len(words) <= 9


def _not_one_person(noun: str, vocab: Vocab) -> bool:
    """The head noun after 'killed a ...' / before 'was killed' names no single victim."""
    c = vocab.casualty
    return bool(noun) and (
        noun in c["collective_nouns"]
        or noun in c["thing_nouns"]
        or noun in c["perpetrator_nouns"]
        or (noun.endswith("s") and noun not in ("boss",))
    )


def _is_subset(clause: str, m: re.Match[str], vocab: Vocab) -> bool:
    """'11 of the dead were villagers' is a part of a toll already given, not a toll."""
    after = " ".join(clause[m.end("num") :].lower().split())
    return any(after.startswith(s) for s in vocab.casualty["subset_words"])


def _is_perpetrator(gap: str, vocab: Vocab) -> bool:
    words = [w.strip("'’,").lower() for w in gap.split()]
    perps = vocab.casualty["perpetrator_nouns"]
    return any(w in perps for w in words) or " ".join(words[-2:]) in perps


def _mentions_child(text: str, vocab: Vocab) -> bool:
    words = re.findall(r"[\w'’-]+", text.lower())
    if any(w in vocab.casualty["child_nouns"] for w in words):
        return True
    return any(int(m.group(1)) < 18 for m in _AGE_CHILD.finditer(text))


def _is_year(num: str, gap: str, vocab: Vocab) -> bool:
    n = num.replace(",", "")
    # a year has four digits: int() of a 5,000-digit number would raise (a fuzz find)
    if not (len(n) == 4 and n.isdigit() and 1900 <= int(n) <= 2100):
        return False
    return not any(w.lower() in vocab.casualty["person_nouns"] for w in gap.split())


def find_figures(clause: str, vocab: Vocab | None = None) -> list[FigureHit]:
    """All casualty figures in ``clause``, left to right, overlapping matches removed."""
    vocab = vocab or load_vocab()
    p = _patterns(vocab)
    hits: list[FigureHit] = []
    clause = clause[:CLAUSE_CHARS]
    if not p.trigger.search(clause):
        return hits
    low = clause.lower()  # cheap word checks spare the patterns that cannot match

    def add(hit: FigureHit) -> None:
        for h in hits:
            if h.start < hit.end and hit.start < h.end and h.kind == hit.kind:
                return
        hits.append(hit)

    for m in p.none.finditer(clause):
        for kind in ("killed", "injured"):
            hits.append(FigureHit(kind, Quantity(0, None, None), m.start(), m.end()))
    for m in p.toll.finditer(clause) if "toll" in low else ():
        q = parse_quantity(m.group("num"), m.group("qual"))
        which = (m.group("which") or "death").lower()
        if q:
            add(FigureHit("injured" if which == "injury" else "killed", q, m.start(), m.end(), toll=True))
    for m in p.active.finditer(clause):
        gap = m.group("gap")
        if not _gap_ok(gap, vocab) or _is_year(m.group("num"), gap, vocab):
            continue
        if clause[m.end() :].lstrip().lower().startswith("to death"):
            continue  # "stabbed two people to death" is read by ``to_death``
        q = parse_quantity(m.group("num"), m.group("qual"))
        if q:
            _add_counted(add, vocab.active[m.group("verb").lower()], q, m, gap, clause, vocab)
    for m in [*p.named.finditer(clause), *p.named_active.finditer(clause)] if " and " in low else []:
        n = parse_quantity(m.group("num"), m.group("qual")) if m.group("num") else None
        plural = m.group("noun").lower().endswith(("s", "ren")) and m.group("noun").lower() not in ("boss",)
        if n is None and plural:
            continue
        verb = m.groupdict().get("verb")
        kind = vocab.active[verb.lower()] if verb else p.pred_kind[m.group("pred").lower()]
        total = 1 + (n.value if n and n.value is not None else 1)
        add(FigureHit(kind, Quantity(total, None, None), m.start(), m.end()))
    for m in p.pair_active.finditer(clause) if " and " in low else ():
        if not any(_not_one_person(m.group(n).lower(), vocab) for n in ("n1", "n2")):
            add(FigureHit(vocab.active[m.group("verb").lower()], Quantity(2, None, None), m.start(), m.end()))
    for m in p.single.finditer(clause):
        noun = (m.group("noun") or "").lower()
        if _not_one_person(noun, vocab):
            continue  # "killed a number of", "hit a bus", an attacker, plurals: counted elsewhere
        kind = vocab.active[m.group("verb").lower()]
        child = _mentions_child(clause[m.start("verb") : m.end()], vocab)
        add(FigureHit(kind, Quantity(1, None, None), m.start(), m.end()))
        if child:
            add(FigureHit(f"children_{kind}", Quantity(1, None, None), m.start(), m.end()))
    for m in p.perp_single.finditer(clause):
        kind = vocab.active[m.group("verb").lower()]
        if kind in ("killed", "injured"):
            add(FigureHit(f"perpetrators_{kind}", Quantity(1, None, None), m.start(), m.end()))
    for m in p.passive.finditer(clause):
        gap = m.group("gap")
        if not _gap_ok(gap, vocab) or _is_year(m.group("num"), gap, vocab) or _is_subset(clause, m, vocab):
            continue
        q = parse_quantity(m.group("num"), m.group("qual"))
        if q is None:
            continue
        kind = p.pred_kind[m.group("pred").lower()]
        groups, first = _chain(clause, m.start(), vocab)
        appos = m.group("appos")
        inside = _perpetrators_inside(appos, p) if appos and kind in ("killed", "injured") else None
        if groups:
            _add_sum(add, kind, [*groups, (q, gap)], first, m.end(), vocab)
        elif inside and inside.value is not None and q.value is not None and q.value >= inside.value:
            # "ten people, including three civilians and six assailants, were killed"
            add(FigureHit(kind, Quantity(q.value - inside.value, None, None), m.start(), m.end()))
            add(FigureHit(f"perpetrators_{kind}", inside, m.start("appos"), m.end("appos")))
        else:
            _add_counted(add, kind, q, m, gap, clause, vocab)
        if appos and kind in ("killed", "injured") and _mentions_child(appos, vocab):
            inner = re.search(NUMBER, appos, re.IGNORECASE)
            n = parse_quantity(inner.group("num"), inner.group("qual")) if inner else None
            cq = n or Quantity(1, None, None)
            add(FigureHit(f"children_{kind}", cq, m.start("appos"), m.end("appos")))
    for m in p.among.finditer(clause) if "among" in low else ():
        what = m.group("what").lower()
        kind = "killed" if what in ("dead", "killed", "victims") else "injured"
        q = Quantity(1, None, None) if m.group("a") else parse_quantity(m.group("num"), m.group("qual"))
        if q:
            add(FigureHit(f"children_{kind}", q, m.start(), m.end()))
    for m in p.to_death.finditer(clause) if "to death" in low else ():
        q = parse_quantity(m.group("num"), m.group("qual"))
        if q and _gap_ok(m.group("gap"), vocab):
            add(FigureHit("killed", q, m.start(), m.end()))
    for m in p.murder_of.finditer(clause) if " of " in low else ():
        q = parse_quantity(m.group("num"), m.group("qual"))
        if q and _gap_ok(m.group("gap"), vocab):
            add(FigureHit("killed", q, m.start(), m.end()))
    for m in p.lives.finditer(clause) if "lives" in low or "death" in low or "resulting" in low else ():
        words = (m.group("gap") or "").split()
        if not m.group("of") and not (words and words[-1].lower() in ("lives", "lives.")):
            continue
        gap = " ".join(w for w in words if w.lower() not in ("lives", "lives."))
        q = parse_quantity(m.group("num"), m.group("qual"))
        if q and _gap_ok(gap, vocab):
            add(FigureHit("killed", q, m.start(), m.end()))
    for m in p.subject.finditer(clause):
        noun = (m.group("snoun") or "").lower()
        if _not_one_person(noun, vocab):
            continue
        kind = p.pred_kind[m.group("pred").lower()]
        if kind in ("killed", "injured") and not _is_perpetrator(m.group(0), vocab):
            add(FigureHit(kind, Quantity(1, None, None), m.start(), m.end()))
    for m in p.pair.finditer(clause) if " and " in low else ():
        if not any(_not_one_person(m.group(n).lower(), vocab) for n in ("n1", "n2")):
            add(FigureHit(p.pred_kind[m.group("pred").lower()], Quantity(2, None, None), m.start(), m.end()))
    for m in p.last_single.finditer(clause) if " and " in low else ():
        groups, first = _chain(clause, m.start(), vocab)
        kind = p.pred_kind[m.group("pred").lower()]
        if groups and not _not_one_person(m.group("noun").lower(), vocab) and kind in ("killed", "injured"):
            _add_sum(add, kind, [*groups, (Quantity(1, None, None), m.group("noun"))], first, m.end(), vocab)
    for m in p.pronoun.finditer(clause):
        add(FigureHit(vocab.active[m.group("verb").lower()], Quantity(1, None, None), m.start(), m.end()))
    for m in p.and_one.finditer(clause) if "and " in low else ():
        add(FigureHit(p.pred_kind[m.group("pred").lower()], Quantity(1, None, None), m.start(), m.end()))
    for m in p.proper.finditer(clause):
        name = m.group("name").strip()
        if name.lower() in vocab.actor_adjectives or name.split()[0].lower() in vocab.actor_adjectives:
            continue  # "killed Russian soldiers" counts nobody
        add(FigureHit(vocab.active[m.group("verb").lower()], Quantity(1, None, None), m.start(), m.end()))
    _add_perpetrator_deaths(add, clause, p)
    for m in p.more.finditer(clause) if "more" in low else ():
        q = parse_quantity(m.group("num"), m.group("qual"))
        before = [h for h in hits if h.end <= m.start() and not h.kind.startswith("children")]
        if q and before:
            kind = max(before, key=lambda h: h.end).kind
            hits.append(FigureHit(kind, q, m.start(), m.end(), more_at=m.start("prep")))
    for h in hits:
        h.additive = any(
            a.start() < h.start + 12 for a in p.additive.finditer(clause[max(0, h.start - 40) : h.start + 40])
        )
    for h in hits:
        h.implausible = implausible(h.quantity, vocab)
    hits.sort(key=lambda h: h.start)
    return hits


def implausible(q: Quantity, vocab: Vocab) -> bool:
    """Whether a figure is beyond what one strike can do (``implausible_above`` in
    casualty_terms.json): a typo, a joke or an attack on the ledger must not skew totals."""
    return any(v is not None and v > vocab.implausible_above for v in (q.value, q.low, q.high))


# the characters of a clause the patterns read: a news sentence is far shorter, and some patterns
# take time that grows faster than the text ("killed 5 100,100,100,..." over 40,000 characters: 26 s)
CLAUSE_CHARS = 2_000
# counted groups joined into one sum at most ("two officers, three guards and six assailants"): a
# longer run of numbers is no list of victims, and each group costs a search of the clause
_CHAIN_GROUPS = 8


def _chain(clause: str, start: int, vocab: Vocab) -> tuple[list[tuple[Quantity, str]], int]:
    """The counted groups joined before a count ('four officers and | six assailants were
    killed'), and where the first of them starts."""
    groups: list[tuple[Quantity, str]] = []
    head = clause[:start]
    p = _patterns(vocab)
    while len(groups) < _CHAIN_GROUPS and (m := p.chain.search(head)) is not None:
        if m.group("one"):
            q: Quantity | None = Quantity(1, None, None)
            label = m.group(0)
        else:
            q = parse_quantity(m.group("num"), m.group("qual"))
            label = m.group("gap")
            words = {w.lower() for w in label.split()}
            if q is None or q.value is None or not _gap_ok(label, vocab) or words & set(p.pred_kind):
                break  # "19 people injured and 6 in hospital" are two figures, not one sum
        if _after_active_verb(head[: m.start()], vocab):
            break  # "injuring 7 people, one woman was killed": the 7 are the verb's, not a group
        groups.insert(0, (q, label))  # type: ignore[arg-type]
        head = head[: m.start()]
    return groups, len(head) if groups else start


def _after_active_verb(head: str, vocab: Vocab) -> bool:
    """Whether ``head`` ends with a verb that takes its count after it ("killing", "injured"), or
    with "including" (the group is a part of the figure before it, "..., including a child, one
    person was killed")."""
    words = head[-40:].lower().split()
    return bool(words) and (
        words[-1] in vocab.active or " ".join(words[-2:]) in vocab.active or words[-1] == "including"
    )


def _add_sum(add, kind: str, groups: list[tuple[Quantity, str]], start: int, end: int, vocab: Vocab) -> None:  # type: ignore[no-untyped-def]
    """Victims and attackers counted in one phrase: each side summed, the attackers apart."""
    victims = [q for q, gap in groups if not _is_perpetrator(gap, vocab)]
    perps = [q for q, gap in groups if _is_perpetrator(gap, vocab)]
    for side, name in ((victims, kind), (perps, f"perpetrators_{kind}")):
        if side and all(q.value is not None for q in side):
            total = sum(q.value or 0 for q in side)
            low = total if any(q.low is not None for q in side) else None
            add(FigureHit(name, Quantity(total, low, None), start, end))


def _perpetrators_inside(appos: str, p: _Patterns) -> Quantity | None:
    m = p.perp_count.search(appos)
    if m is None:
        return None
    return Quantity(1, None, None) if m.group("one") else parse_quantity(m.group("num"), m.group("qual"))


def _add_perpetrator_deaths(add, clause: str, p: _Patterns) -> None:  # type: ignore[no-untyped-def]
    """'In addition to the assailant', 'a suicide bomber', 'before taking his own life'."""
    low = clause.lower()
    if not any(w in low for w in ("addition", "suicide", "self", "selves", "own li")):
        return  # none of the three patterns can match (they are costly on long clauses)
    for m in p.besides.finditer(clause):
        q = (
            Quantity(1, None, None)
            if m.group("one") or not m.group("num")
            else parse_quantity(m.group("num"), m.group("qual"))
        )
        if q and re.search(r"\b(?:killed|dead|died)\b", clause[m.end() :], re.I):
            add(FigureHit("perpetrators_killed", q, m.start(), m.end()))
    for m in p.suicide.finditer(clause):
        q = Quantity(1, None, None) if m.group("one") else parse_quantity(m.group("num"), m.group("qual"))
        if q:
            add(FigureHit("perpetrators_killed", q, m.start(), m.end(), implied=True))
    for m in p.self_death.finditer(clause):
        add(FigureHit("perpetrators_killed", Quantity(1, None, None), m.start(), m.end(), implied=True))


def _add_counted(add, kind: str, q: Quantity, m: re.Match[str], gap: str, clause: str, vocab: Vocab) -> None:  # type: ignore[no-untyped-def]
    """Add a counted figure; a count of children is also a children figure, and a floor."""
    if kind in ("killed", "injured") and _is_perpetrator(gap, vocab):
        add(FigureHit(f"perpetrators_{kind}", q, m.start(), m.end()))
        return
    more = _patterns(vocab).and_their.match(clause[m.end() :]) if "verb" in m.groupdict() else None
    if more and q.value is not None:
        q = Quantity(q.value + 1, q.low + 1 if q.low is not None else None, None)  # "... and their driver"
    if kind in ("killed", "injured") and _mentions_child(gap, vocab):
        add(FigureHit(f"children_{kind}", q, m.start(), m.end()))
        add(FigureHit(kind, q, m.start(), m.end(), implied=True))
    else:
        add(FigureHit(kind, q, m.start(), m.end()))
    if kind not in ("killed", "injured"):
        return
    inc = _patterns(vocab).including.match(clause[m.end() :])
    if inc:
        cq = parse_quantity(inc.group("num"), inc.group("qual")) if inc.group("num") else None
        add(FigureHit(f"children_{kind}", cq or Quantity(1, None, None), m.end(), m.end() + inc.end()))
