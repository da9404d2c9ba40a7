"""Split one article into the strikes it reports, each with its facts and their quotes.

The article is read sentence by sentence, clause by clause. A clause either adds to the strike
being read (the *current* one), goes back to an earlier strike of the same article that it
matches (place, date, weapon, figures), or opens a new strike. It opens one only when it
names a strike and a weapon or a casualty count, and when it clashes with the current strike:
another place, another date, another toll, or a cue such as "another missile" / "a similar
attack" / "elsewhere". Claims by a party are set apart (see ``claims.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .. import calibrate
from ..records import Article, Claim, DateWindow, Figure, Mention, Place, Quote, plausible_published
from .casualties import FigureHit, implausible
from .claims import ClaimReader
from .clauses import SPECIFICITY, ClauseInfo, PlaceMentionLike, analyze, split_clauses
from .dates import DateHit, find_dates
from .lists import Listed, as_regions, listed_places, spread
from .numbers import Quantity
from .reporters import find_reporter
from .vocab import Vocab, load_vocab

IMPLAUSIBLE = "implausible figure"
"""The ``by`` of the flagged claim that keeps a figure above ``Vocab.implausible_above``."""

# A clause with a date but no strike word may date the strike opened this many sentences before.
DATE_FILL_SENTENCES = 5


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    text: str
    places: list[PlaceMentionLike]


@dataclass(slots=True, frozen=True)
class _Step:
    """Where the reading is: the sentence (its index and quote) and the date in force before the clause."""

    si: int
    quote: Quote
    date: DateHit | None


@dataclass(slots=True)
class _Draft:
    mention: Mention
    opened: int
    date_weak: bool = True
    intercepted: str | None = None
    interceptor: str | None = None  # the side that shot something down (the defender)
    marked: bool = False  # opened by "another", "a separate": the text says it is a strike of its own
    struck: bool = False  # some clause tells of a strike that landed, not only of an interception
    how: dict[str, str] = field(default_factory=dict)  # per field: how the text gave it (evidence)


def place_relation(a: Place | None, b: Place | None) -> str:
    """'same', 'finer' (b is inside a), 'coarser' (b contains a), 'none' (unknown) or 'clash'."""
    if a is None or b is None:
        return "none"
    if a.geonameid is not None and a.geonameid == b.geonameid and a.geo_precision == b.geo_precision:
        return "same"
    if a.country != b.country:
        return "clash"
    ra, rb = SPECIFICITY[a.geo_precision], SPECIFICITY[b.geo_precision]
    if ra == rb:
        if ra == 3:
            return "same" if a.location == b.location and a.admin1 == b.admin1 else "clash"
        return "same" if a.admin1 == b.admin1 else "clash"
    inner, outer = (b, a) if rb > ra else (a, b)
    if outer.geo_precision == "admin1" and inner.admin1 != outer.admin1:
        return "clash"
    return "finer" if rb > ra else "coarser"


def _overlap(a: DateWindow, b: DateWindow) -> bool:
    return a.date_from <= b.date_to and b.date_from <= a.date_to


def _weapon_types(names: Iterable[str], vocab: Vocab) -> set[str]:
    """The sub-event types implied by named weapons (generic words such as 'airstrike' imply none)."""
    named = set(names)
    return {
        w.sub_event_type for w in vocab.weapons.values() if w.weapon in named and not w.generic and w.specificity >= 2
    }


class Extractor:
    """Reads one article's sentences into Mentions (strikes) and free-standing Claims."""

    def __init__(self, vocab: Vocab | None = None, calibration: calibrate.Table | None = None) -> None:
        self.vocab = vocab or load_vocab()
        self.calibration = calibration if calibration is not None else calibrate.load()

    def extract(
        self, article: Article, sentences: list[Sentence], given_place: Place | None = None
    ) -> tuple[list[Mention], list[Claim]]:
        """RETURNS: the strikes of the article, and the claims not tied to any of them."""
        vocab = self.vocab
        published = plausible_published(article.published)  # a date far outside anchors nothing
        drafts: list[_Draft] = []
        loose_claims: list[Claim] = []
        claims = ClaimReader(vocab, article.text)
        current: _Draft | None = None
        last_sentence_date: DateHit | None = None
        for si, sent in enumerate(sentences):
            quote = Quote(article.id, sent.text, sent.start, sent.end)
            claim = claims.read(sent.text, quote)
            if claim is not None:
                if claim.fresh:
                    if current and claim.about_event:
                        current.mention.claims.append(claim.claim)
                    else:
                        loose_claims.append(claim.claim)
                elif claim.about_event and current and claim.claim not in current.mention.claims:
                    if claim.claim in loose_claims:
                        loose_claims.remove(claim.claim)
                    current.mention.claims.append(claim.claim)
                continue
            dates = _sentence_dates(sent, published, vocab)
            sentence_date = next((d for d in dates if not d.weak and not d.bound), None)
            for clause in split_clauses(sent.text, sent.start, vocab):
                info = analyze(clause, sent.places, dates, vocab)
                # a clause without its own date takes the one just before it in this sentence
                earlier = [d for d in dates if d.end <= clause.start and not d.weak and not d.bound]
                context = earlier[-1] if earlier else last_sentence_date
                current = self._place_clause(info, drafts, current, _Step(si, quote, context))
            last_sentence_date = sentence_date
        drafts = _consolidate(drafts)
        for d in drafts:
            if d.mention.place is None and given_place is not None:
                d.mention.place = given_place
                d.how["place"] = "given beside the text"
        # a strike with no place and no figure says nothing a ledger can hold ("missiles hit targets")
        drafts = [d for d in drafts if d.mention.place is not None or _counted(d.mention)]
        _one_night(drafts)
        types = _weapon_types((w for d in drafts for w in d.mention.weapons), vocab)
        article_type = next(iter(types)) if len(types) == 1 else None
        mentions = [self._finish(d, published, len(drafts) > 1, article_type) for d in drafts]
        return mentions, loose_claims

    # -- deciding where a clause goes -------------------------------------------------

    def _place_clause(
        self,
        info: ClauseInfo,
        drafts: list[_Draft],
        current: _Draft | None,
        step: _Step,
    ) -> _Draft | None:
        main = [f for f in info.figures if f.more_at is None]
        more = [f for f in info.figures if f.more_at is not None]
        if any(f.toll for f in main):
            info.date = None  # "by Tuesday the toll rose to 18": when it was counted, not when it struck
        cue = info.strike or bool(info.weapons)
        if info.total:
            return current  # "attacks on 7 oblasts killed 5": a total, no one strike's figure or place
        if info.habitual and not info.precise_figures and (info.date is None or info.date.weak):
            return current  # "Russia has been pounding the grid for weeks": no strike of its own
        listed = as_regions(info, listed_places(info, place_relation), self.vocab)
        if info.alert and not main:
            return current  # "air raid alerts went off in Kyiv": no strike landed
        # a list of places is one strike each ("blasts in Dnipro, Lviv and Ternopil", "12 wounded in
        # Lviv, two died in Dnipro"), but not a figure told once for several names ("killed 8 in Tema
        # and Baashim") nor "11 in Dnipro and two more in Samar" (read as before)
        items = spread(info, listed, self.vocab) if len(listed) >= 2 else []
        counted = sum(bool(i.figures) for i in items)
        if info.precise_figures:
            # figures told for the list: a list only when they are spread over its places
            is_list = (counted == len(items) == 2 and not more) or (len(items) >= 3 and counted >= 2)
        else:
            is_list = len(items) >= 3 or (len(items) == 2 and not more)
        if is_list and (cue or info.figures or info.intercepted):
            return self._place_list(info, items, drafts, current, step)
        if not cue and not main and not more:
            if (
                info.date
                and current
                and current.mention.date is None
                and step.si - current.opened <= DATE_FILL_SENTENCES
            ):
                self._set_date(current, info.date)
            return current
        target: _Draft | None = None
        if current and self._fits(current, info, main, strict=True):
            target = current
        elif not info.new_marker:
            target = next((d for d in reversed(drafts) if self._fits(d, info, main, strict=False)), None)
        counted = any(f.quantity.value is not None and not f.implied for f in main)
        # a strike opens an event when it names a weapon or a toll; the first incident a report
        # tells of opens one on a strike word or a toll alone
        if target is None and ((cue and (info.weapons or counted)) or (not drafts and (cue or counted))):
            target = self._open(info, drafts, current, step)
        if target is None:
            return current
        self._merge(target, info, main, step.quote)
        for f in more:
            self._more_elsewhere(f, info, target, drafts, step)
        return target

    def _place_list(
        self,
        info: ClauseInfo,
        items: list[Listed],
        drafts: list[_Draft],
        current: _Draft | None,
        step: _Step,
    ) -> _Draft | None:
        """One strike per listed place, each with the count written before it (see ``lists.py``).

        RETURNS: the first place's strike, which a sentence after the list goes on telling."""
        first: _Draft | None = None
        for item in items:
            if info.actor and self._holder(item.place) == info.actor:
                continue  # "Russian missiles hit Zaporizhzhia, a region Moscow claims": a side does not strike its own
            at = info.clause.start + item.at
            sub = replace(info, place=item.place, place_at=at, places=[(at, item.place)], figures=item.figures)
            draft = next((d for d in reversed(drafts) if self._fits(d, sub, item.figures, strict=False)), None)
            if draft is None:
                draft = self._open(sub, drafts, current, step)
            self._merge(draft, sub, item.figures, step.quote)
            draft.how["place"] = "named in a list"
            first = first or draft
        return first or current

    def _fits(self, d: _Draft, info: ClauseInfo, figures: list[FigureHit], strict: bool) -> bool:
        vocab = self.vocab
        if info.new_marker or (info.elsewhere and info.place is None):
            return False
        if not strict and info.place is None:
            return False  # going back to an earlier strike needs its place named again
        if place_relation(d.mention.place, info.place) == "clash":
            return False
        if info.date and not info.date.weak and d.mention.date and not d.date_weak:
            a, b = d.mention.date, info.date.window
            same = (a.date_from, a.date_to) == (b.date_from, b.date_to)
            if strict and not same:
                return False
            if not strict and not _overlap(a, b):
                return False
        types_new = _weapon_types((w.weapon for _, w in info.weapons), vocab)
        types_old = _weapon_types(d.mention.weapons, vocab)
        if types_new and types_old and not (types_new & types_old):
            return False
        for f in figures:
            old = d.mention.figures.get(f.kind)
            if (
                old is not None
                and old.value is not None
                and f.quantity.value is not None
                and old.value != f.quantity.value
                and not f.implied
                and f.kind in ("killed", "injured")
                and not f.toll
                and not f.additive
            ):
                return False  # another toll for the same kind: another strike
        return True

    def _open(
        self,
        info: ClauseInfo,
        drafts: list[_Draft],
        current: _Draft | None,
        step: _Step,
    ) -> _Draft:
        mention = Mention(article="")
        draft = _Draft(mention, step.si, marked=info.new_marker)
        if info.place is None and current and current.mention.place:
            prev = current.mention.place
            if info.elsewhere:
                mention.place = Place(
                    prev.country or "", None, None, prev.country, None, None, "country", country_code=prev.country_code
                )
                draft.how["place"] = "elsewhere"
            else:
                mention.place = prev
                draft.how["place"] = "from the strike before"
        if info.date is None:
            inherited = step.date or (None if current is None else _as_hit(current))
            if inherited:
                self._set_date(draft, inherited)
                draft.how["date"] = "from an earlier sentence"
        drafts.append(draft)
        return draft

    def _more_elsewhere(
        self, f: FigureHit, info: ClauseInfo, primary: _Draft, drafts: list[_Draft], step: _Step
    ) -> None:
        """'... and two more in the nearby town of Samar': the same strike wave, another place."""
        pos = info.clause.start + (f.more_at or 0)
        place = next((p for at, p in info.places if at >= pos), None)
        if place is None:
            self._add_figure(primary, f, step.quote)
            return
        side = next(
            (d for d in drafts if d is not primary and place_relation(d.mention.place, place) in ("same", "finer")),
            None,
        )
        if side is None:
            side = _Draft(Mention(article=primary.mention.article), step.si)
            side.mention.place = place
            side.how = {"place": "named after 'more'", "date": primary.how.get("date", "phrase")}
            side.mention.date = primary.mention.date
            side.date_weak = primary.date_weak
            side.mention.actor1 = primary.mention.actor1
            side.mention.weapons = list(primary.mention.weapons)
            drafts.append(side)
        self._add_figure(side, f, step.quote)
        side.mention.quotes.append(step.quote)

    # -- writing a clause into a strike ------------------------------------------------

    def _merge(self, d: _Draft, info: ClauseInfo, figures: list[FigureHit], quote: Quote) -> None:
        m = d.mention
        if not m.article:
            m.article = quote.article
        rel = place_relation(m.place, info.place)
        if info.place is not None and (m.place is None or rel == "finer"):
            m.place = info.place
            d.how["place"] = "named in a strike clause" if (info.strike or info.weapons) else "named beside a figure"
        if info.date:
            self._set_date(d, info.date)
            d.how["date"] = "phrase"
        if info.intercepted:
            # "Ukraine's air force shot down 20 drones": the defender, not who struck
            d.interceptor = d.interceptor or info.actor
        elif info.actor and m.actor1 is None:
            m.actor1 = info.actor
        d.struck = d.struck or (not info.intercepted and (info.strike or bool(figures)))
        d.intercepted = d.intercepted or info.intercepted
        for _, w in info.weapons:
            if w.weapon not in m.weapons:
                m.weapons.append(w.weapon)
        for t in info.targets:
            if t not in m.targets:
                m.targets.append(t)
        for f in figures:
            self._add_figure(d, f, quote)
        if not m.quotes or m.quotes[-1].start != quote.start:
            m.quotes.append(quote)

    def _flag_implausible(self, d: _Draft, quote: Quote) -> None:
        """A figure above the ceiling stays traceable as a disputed claim by ``IMPLAUSIBLE`` with
        its quote and no number, so it never reaches the event's killed or injured."""
        m = d.mention
        if any(c.by == IMPLAUSIBLE and c.quote.start == quote.start for c in m.claims):
            return
        m.claims.append(Claim(IMPLAUSIBLE, quote.text.strip(), None, None, True, quote))

    def _set_date(self, d: _Draft, hit: DateHit) -> None:
        cur = d.mention.date
        w = hit.window
        if cur is None or (d.date_weak and not hit.weak):
            d.mention.date, d.date_weak = w, hit.weak
        elif not hit.weak and _overlap(cur, w) and (w.date_to - w.date_from) < (cur.date_to - cur.date_from):
            d.mention.date = w

    def _add_figure(self, d: _Draft, f: FigureHit, quote: Quote) -> None:
        q = f.quantity
        if f.implausible:
            self._flag_implausible(d, quote)
            return
        old = d.mention.figures.get(f.kind)
        if old is not None and (q.value is None or f.implied) and old.value is not None:
            return  # a bound or a floor never replaces a stated figure
        if old is not None and f.additive and old.value is not None and q.value is not None and old.quote != quote:
            q = Quantity(old.value + q.value, None, None)  # "in addition, two more were killed"
        if implausible(q, self.vocab):
            self._flag_implausible(d, quote)
            return
        reporter = find_reporter(quote.text)
        d.mention.figures[f.kind] = Figure(f.kind, q.value, q.low, q.high, quote, reporter)  # type: ignore[arg-type]
        how = "toll update" if f.toll else "added to" if f.additive else "bound only" if q.value is None else "count"
        d.how[f.kind] = f"{how}, {'source named' if reporter else 'no source named'}"

    def _finish(self, d: _Draft, published: date | None, several: bool, article_type: str | None) -> Mention:
        m = d.mention
        if m.date is None and published is not None:
            # no date phrase: the publication window (the day published and the night before)
            m.date = DateWindow(published - timedelta(days=1), published, "publication", "")
            d.how["date"] = "publication window"
        d.how["actor1"] = "named" if m.actor1 else "none"
        if m.actor1 is None and d.interceptor:
            # a strike that was partly shot down was struck by the defender's opponent; an
            # interception alone is the interceptor's act (ACLED's disrupted weapons use)
            m.actor1 = self.vocab.opponents.get(d.interceptor) if d.struck else d.interceptor
            d.how["actor1"] = "the interceptor's opponent" if d.struck else "the interceptor"
        place = m.place
        if place is not None and place.country:
            holder = self._holder(place)
            attacker = self.vocab.opponents.get(holder or "")
            if m.actor1 is None and attacker:
                m.actor1 = attacker
                d.how["actor1"] = "the holder's opponent"
            elif m.actor1 is not None and m.actor1 == holder and attacker:
                # "Ukraine's air force said ..." on a strike on Kyiv: a side does not strike what it holds
                m.actor1 = attacker
                d.how["actor1"] = "the holder's opponent, over the side named"
        by_name = {w.weapon: w for w in self.vocab.weapons.values()}
        named = [by_name[name] for name in m.weapons if name in by_name]
        # the most specific weapon decides; on a tie the one named first
        best = max(named, key=lambda w: w.specificity, default=None)
        if d.intercepted and best is None:
            intercept, aircraft = self.vocab.interception_types
            m.sub_event_type = aircraft if d.intercepted == "aircraft" else intercept
            d.how["sub_event_type"] = "interception"
        else:
            combined = self.vocab.combined
            if combined is not None and combined[0] <= _weapon_types(m.weapons, self.vocab):
                m.sub_event_type = combined[1]
                d.how["sub_event_type"] = "missiles and drones together"
            elif best is not None:
                m.sub_event_type = best.sub_event_type
                d.how["sub_event_type"] = f"weapon of specificity {best.specificity}"
            elif article_type is not None:
                m.sub_event_type = article_type
                d.how["sub_event_type"] = "weapon named for another strike of the article"
            else:
                # the codebook's usual type, flagged by its evidence (and its low confidence)
                m.sub_event_type = self.vocab.default_sub_event_type
                d.how["sub_event_type"] = "no weapon named"
        self._rate(d, several)
        return m

    def _holder(self, place: Place) -> str | None:
        """The side that holds ``place``: its country's, unless its opponent holds it."""
        return self.vocab.opponents.get(place.country or "") if self._held(place) else place.country

    def _held(self, place: Place) -> bool:
        """True when ``place`` is held by its country's opponent (``data/control.json``)."""
        admin1s, towns = (self.vocab.held or {}).get(place.country or "", (frozenset(), frozenset()))
        if (place.admin1 or "").lower() in admin1s:
            return True
        names = {(place.location or "").lower(), *(n.lower() for n in place.alt_names)}
        return place.geo_precision == "settlement" and bool(names & towns)

    def _rate(self, d: _Draft, several: bool) -> None:
        """Each field's evidence, and its confidence from the calibration table (when there is one)."""
        m = d.mention
        scope = "several strikes" if several else "one strike"
        if m.place is not None:
            m.evidence["place"] = f"{m.place.geo_precision}, {d.how.get('place', 'named')}, {scope}"
        if m.date is not None:
            m.evidence["date"] = f"{m.date.precision}, {d.how.get('date', 'phrase')}"
        if m.actor1 is not None:
            m.evidence["actor1"] = d.how["actor1"]
        if m.sub_event_type is not None:
            m.evidence["sub_event_type"] = d.how["sub_event_type"]
        for kind in m.figures:
            m.evidence[kind] = f"{d.how.get(kind, 'count')}, {scope}"
        for name, evidence in m.evidence.items():
            p = calibrate.confidence(self.calibration, name, evidence)
            if p is not None:
                m.confidence[name] = p


def _sentence_dates(sent: Sentence, published: date | None, vocab: Vocab) -> list[DateHit]:
    """The sentence's dates, offsets into the article; "since February 2022" is a period's bound;
    "as of 29 April" is when a figure stood (weak, as "today" is: it dates no strike of its own)."""
    dates = find_dates(sent.text, published)
    for d in dates:
        if vocab.report_time_re and vocab.report_time_re.search(sent.text[max(0, d.start - 30) : d.start]):
            d.weak = True
        d.bound = bool(vocab.date_bound_re and vocab.date_bound_re.search(sent.text[max(0, d.start - 20) : d.start]))
        d.start += sent.start
        d.end += sent.start
    return dates


def _one_night(drafts: list[_Draft]) -> None:
    """An article that dates its strikes to one written day ("early Friday, April 19") dates the
    strikes it tells only as "overnight" (that night, the day before and the day) to that day too."""
    days = {
        d.mention.date.date_from
        for d in drafts
        if d.mention.date is not None
        and d.how.get("date") == "phrase"
        and d.mention.date.date_from == d.mention.date.date_to
        and any(c.isdigit() for c in d.mention.date.text)
    }
    if len(days) != 1:
        return
    (day,) = days
    for d in drafts:
        w = d.mention.date
        if w is not None and w.date_to == day and (w.date_to - w.date_from).days == 1:
            d.mention.date = DateWindow(day, day, "day", w.text)


def _same_day(a: DateWindow | None, b: DateWindow | None) -> bool:
    """Both dated to a day (a night counts as one) and overlapping: not 'earlier this week' beside 'Friday'."""
    return bool(a and b and a.precision == b.precision == "day" and _overlap(a, b))


def _counted(m: Mention) -> bool:
    return any(f.value is not None for f in m.figures.values())


def _compatible(a: _Draft, b: _Draft) -> bool:
    """True when ``b`` can be a second telling of strike ``a`` (the headline and the lead, a quote)."""
    ma, mb = a.mention, b.mention
    rel = place_relation(ma.place, mb.place)
    if rel == "clash":
        return False
    if ma.date and mb.date and not a.date_weak and not b.date_weak and not _overlap(ma.date, mb.date):
        return False
    if ma.actor1 and mb.actor1 and ma.actor1 != mb.actor1:
        return False
    if "elsewhere" in (a.how.get("place"), b.how.get("place")):
        return False  # the text said it was another place
    shared = [k for k in ("killed", "injured") if ma.value(k) is not None and mb.value(k) is not None]
    if any(ma.value(k) != mb.value(k) for k in shared):
        # one place, one day, told twice with a toll that changed ("as of 22:00, seven"): an update,
        # unless the text said it was another strike
        return rel == "same" and not b.marked and _same_day(ma.date, mb.date)
    if rel == "none":
        # with a place unknown on one side, only an equal toll says it is the same strike
        return bool(shared)
    return True


def _consolidate(drafts: list[_Draft]) -> list[_Draft]:
    """Fold each strike into an earlier one of the same article when nothing tells them apart."""
    kept: list[_Draft] = []
    for d in drafts:
        into = next((k for k in kept if _compatible(k, d)), None)
        if into is None:
            kept.append(d)
            continue
        _fold(into, d)
    return kept


def _fold(into: _Draft, d: _Draft) -> None:
    m, other = into.mention, d.mention
    if other.place is not None and (m.place is None or place_relation(m.place, other.place) == "finer"):
        m.place = other.place
    if other.date is not None and (m.date is None or (into.date_weak and not d.date_weak)):
        m.date, into.date_weak = other.date, d.date_weak
    elif other.date is not None and m.date is not None and not d.date_weak and _overlap(m.date, other.date):
        span = (other.date.date_to - other.date.date_from, m.date.date_to - m.date.date_from)
        if span[0] < span[1]:
            m.date = other.date
    m.actor1 = m.actor1 or other.actor1
    into.intercepted = into.intercepted or d.intercepted
    into.interceptor = into.interceptor or d.interceptor
    into.struck = into.struck or d.struck
    m.weapons += [w for w in other.weapons if w not in m.weapons]
    m.targets += [t for t in other.targets if t not in m.targets]
    for kind, fig in other.figures.items():
        old = m.figures.get(kind)
        if old is None or (fig.value or 0) > (old.value or 0):
            # a figure the strike lacked, or its toll told again later and higher: the update
            m.figures[kind] = fig
            if kind in d.how:
                into.how[kind] = d.how[kind]
    for name in ("place", "date"):
        if name in d.how and (getattr(m, name) is getattr(other, name)):
            into.how[name] = d.how[name]
    m.claims += [c for c in other.claims if c not in m.claims]
    m.quotes += [q for q in other.quotes if all(q.start != x.start for x in m.quotes)]
    m.quotes.sort(key=lambda q: q.start)


def _as_hit(d: _Draft) -> DateHit | None:
    if d.mention.date is None:
        return None
    return DateHit(0, 0, d.mention.date, d.date_weak)
