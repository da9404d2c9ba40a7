"""Score the ledger against a corpus's ``gold.json``.

Two modes, chosen from the gold itself:

* **every event** (an article has several gold events, as in the seeds): predicted and gold
  events of one article are paired greedily by agreement (place, date, toll); event
  precision / recall / F1 count the pairs, and fields are scored on the pairs.
* **headline** (one gold event per text: acled, wad, gtd ...): the article's predicted event with
  the largest killed + injured is scored against it.

A count is right when it equals the gold exactly (null == null; where the codebook writes 0 for
a figure the text does not give, ``SILENCE_IS_ZERO``, a predicted null counts as 0). A date is right when the
predicted window lies inside the gold window. Places are compared by name, accepting the
gazetteer's other spellings of the predicted place. In every-event mode, unmatched records are
sorted by kind (why they found no partner), and each scored field of a pair gives a calibration
row (see ``calibrate.py``).
"""

from __future__ import annotations

import json
import math
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from .calibrate import Row, calibration_report, format_calibration
from .errors import EvalError
from .geo import Gazetteer
from .ingest import read_paths
from .ledger import article_reader, ingest_articles
from .nlp.pipeline import ArticleReader
from .progress import Progress
from .records import Event
from .store import Store
from .textable import format_table as text_table

# Whose deaths a corpus's gold counts (from each source's codebook): GTD's nkill, the Stanford
# MSA total and GVA's killed include the attackers; the others count victims only.
COUNTS_INCLUDE_PERPETRATORS = {"gtd", "msa", "gva"}
# Corpora whose gold writes 0 for a figure the text does not give, so a predicted null (silence)
# is scored as 0 there. GTD: nkill / nwound are 0 unless a toll is known (SOURCES.md: only an empty
# cell is unknown, and those are left out of the gold); 542 of 558 summaries that never mention an
# injury have nwound 0. GVA: the incident's numeric num_killed / num_injured, 0 when nobody was;
# 790 of 870 articles with no death word have killed 0. WAD: where the coder gave an injured
# number, 293 of its 307 zeros sit in descriptions that never mention an injury. MSA and the
# Wikipedia list: every row has a number; 22 of 24 (MSA) and 14 of 15 (wiki) injured zeros come
# from descriptions silent on injuries. ACLED is handled by zero-is-unknown; the news corpora
# (seeds, war_news, ukr_ru_news) code silence as null.
SILENCE_IS_ZERO = {"gtd", "gva", "wad", "msa", "wiki_terror"}

K = TypeVar("K", bound=Hashable)  # an item clustered by cluster_scores
UNKNOWN_LANGUAGE = "unknown"  # an article whose language was neither given nor told

FIELDS = [
    "killed",
    "injured",
    "children_killed",
    "hospitalized",
    "date",
    "location",
    "admin1",
    "actor1",
    "sub_event_type",
]
# the fields whose confidence is calibrated, and the check that scores each
CALIBRATED = {
    "killed": "killed",
    "injured": "injured",
    "children_killed": "children_killed",
    "hospitalized": "hospitalized",
    "place": "location",
    "date": "date",
    "actor1": "actor1",
    "sub_event_type": "sub_event_type",
}
# why a predicted event has no gold partner / a gold event no predicted one (the first that applies)
SPURIOUS_KINDS = (
    "strike in an article that reports none",
    "second record of a strike already found",
    "right place, wrong date",
    "place outside the article's countries",
    "right date, a place the article gives no strike",
    "no such strike",
)
MISSED_KINDS = (
    "article gave no record",
    "place found, date or pairing wrong",
    "oblast-level strike not found",
    "settlement not found",
)
_ADMIN_SUFFIX = re.compile(
    r"\b(oblast|region|province|governorate|state|krai|kray|district|county|city|municipality|republic|of)\b"
)


def norm_name(name: str | None) -> str:
    """Lower-case, accents and punctuation gone, so 'Kryvyi Rih' == 'kryvyi-rih'."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", s).split())


def norm_admin1(name: str | None) -> str:
    return " ".join(_ADMIN_SUFFIX.sub(" ", norm_name(name)).split())


@dataclass
class FieldScore:
    right: int = 0
    scored: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.right / self.scored if self.scored else None


@dataclass
class GeoScore:
    """Geocoding of the corpus's place strings against gold coordinates."""

    strings: int = 0
    resolved: int = 0
    errors_km: list[float] = field(default_factory=list)  # one per resolved string

    def within(self, km: float) -> float | None:
        return sum(e <= km for e in self.errors_km) / self.strings if self.strings else None

    @property
    def median_km(self) -> float | None:
        errs = sorted(self.errors_km)
        return errs[len(errs) // 2] if errs else None

    def to_json(self) -> dict[str, Any]:
        return {
            "strings": self.strings,
            "resolved": self.resolved,
            "within_1km": self.within(1),
            "within_10km": self.within(10),
            "within_50km": self.within(50),
            "median_km": self.median_km,
        }


@dataclass
class EvalReport:
    corpus: str
    mode: str
    articles: int
    gold_events: int
    predicted_events: int
    matched: int
    fields: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    problems: int = 0
    geo: GeoScore | None = None
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # field, article, gold, predicted
    spurious: list[tuple[str, str, str]] = field(default_factory=list)  # article, kind, predicted place / date
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # article, kind, gold id place / date
    calibration_rows: list[Row] = field(default_factory=list)  # scored fields of the pairs, with evidence
    # the same scores per article language, when the corpus has more than one (see _by_language)
    by_language: list[EvalReport] = field(default_factory=list)

    def error_kinds(self) -> dict[str, dict[str, int]] | None:
        """Unmatched predicted ('spurious') and gold ('missed') events by kind (every-event mode)."""
        if self.mode != "every event":
            return None
        spurious = Counter(kind for _, kind, _ in self.spurious)
        missed = Counter(kind for _, kind, _ in self.missed)
        return {
            "spurious": {k: spurious[k] for k in SPURIOUS_KINDS},
            "missed": {k: missed[k] for k in MISSED_KINDS},
        }

    @property
    def has_evidence(self) -> bool:
        return bool(self.calibration_rows)

    @property
    def precision(self) -> float | None:
        return self.matched / self.predicted_events if self.predicted_events else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold_events if self.gold_events else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "mode": self.mode,
            "articles": self.articles,
            "gold_events": self.gold_events,
            "predicted_events": self.predicted_events,
            "matched": self.matched,
            "precision": self.precision if self.mode == "every event" else None,
            "recall": self.recall if self.mode == "every event" else None,
            "f1": self.f1 if self.mode == "every event" else None,
            "fields": {k: {"accuracy": v.accuracy, "scored": v.scored} for k, v in self.fields.items()},
            "problems": self.problems,
            "geocoding": self.geo.to_json() if self.geo else None,
            "errors": self.error_kinds(),
            "calibration": calibration_report(self.calibration_rows).to_json() if self.has_evidence else None,
        } | ({"by_language": [r.to_json() for r in self.by_language]} if self.by_language else {})


class Scorer:
    """Field-by-field comparison of one predicted event with one gold event."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        zero_is_unknown: bool = False,
        with_perpetrators: bool = False,
        silence_is_zero: bool = False,
    ) -> None:
        self.gaz = gazetteer
        self.zero_is_unknown = zero_is_unknown
        self.with_perpetrators = with_perpetrators
        self.silence_is_zero = silence_is_zero  # a predicted null (the text gives no figure) reads as 0

    def place_ok(self, ev: Event, gold: dict[str, Any]) -> bool:
        g = gold.get("location")
        if g is None:
            return ev.location is None and norm_admin1(ev.admin1) == norm_admin1(gold.get("admin1"))
        names = {norm_name(n) for n in [g, *gold.get("alt_locations", [])]}
        if norm_name(ev.location) in names:
            return True
        if ev.location is None:
            return False
        place = self.gaz.resolve(ev.location, admin1=ev.admin1, country=ev.country)
        alts = {norm_name(a) for a in (place.alt_names if place else ())}
        return bool(alts & names)

    def date_ok(self, ev: Event, gold: dict[str, Any]) -> bool:
        if not gold.get("date_from"):
            return ev.date_from is None
        if ev.date_from is None or ev.date_to is None:
            return False
        return bool(gold["date_from"] <= ev.date_from and ev.date_to <= (gold.get("date_to") or gold["date_from"]))

    def count(self, value: int | None) -> int | None:
        return 0 if value is None and self.zero_is_unknown else value

    def field_ok(self, name: str, ev: Event, gold: dict[str, Any]) -> bool | None:
        """True / False, or None when the gold does not code this field."""
        if name == "date":
            return self.date_ok(ev, gold) if "date_from" in gold else None
        if name == "location":
            return self.place_ok(ev, gold) if "location" in gold or "admin1" in gold else None
        if name not in gold:
            return None
        if name == "admin1":
            return norm_admin1(ev.admin1) == norm_admin1(gold["admin1"])
        if name in ("actor1", "sub_event_type"):
            if gold[name] is None:
                return None  # the coder left it open (a disputed perpetrator, no weapon named), as score.py reads it
            return (ev.actor1 if name == "actor1" else ev.sub_event_type) == gold[name]
        value = getattr(ev, name)
        if self.with_perpetrators and name in ("killed", "injured"):
            perps = getattr(ev, f"perpetrators_{name}")
            value = None if value is None and perps is None else (value or 0) + (perps or 0)
        predicted = self.count(value)
        if predicted is None and self.silence_is_zero:
            predicted = 0
        return predicted == self.count(gold[name])

    def dates_overlap(self, ev: Event, gold: dict[str, Any]) -> bool:
        if not (gold.get("date_from") and ev.date_from and ev.date_to):
            return False
        return bool(ev.date_from <= (gold.get("date_to") or gold["date_from"]) and gold["date_from"] <= ev.date_to)

    def affinity(self, ev: Event, gold: dict[str, Any]) -> float:
        """How well a predicted event agrees with a gold one (for pairing)."""
        if gold.get("country") and ev.country and norm_name(gold["country"]) != norm_name(ev.country):
            return 0.0
        score = 0.0
        if self.place_ok(ev, gold):
            score += 2
        elif norm_admin1(ev.admin1) and norm_admin1(ev.admin1) == norm_admin1(gold.get("admin1")):
            score += 1
        if self.dates_overlap(ev, gold):
            score += 1.5
        if gold.get("killed") is not None and ev.killed == gold.get("killed"):
            score += 1
        if gold.get("sub_event_type") and gold["sub_event_type"] == ev.sub_event_type:
            score += 0.25
        return score


def _gold_value(name: str, g: dict[str, Any]) -> Any:
    if name == "date":
        return f"{g.get('date_from')}..{g.get('date_to')}"
    if name == "location":
        return f"{g.get('location')} / {g.get('admin1')}"
    return g.get(name)


def _pred_value(name: str, ev: Event) -> Any:
    if name == "date":
        return f"{ev.date_from}..{ev.date_to}"
    if name == "location":
        return f"{ev.location} / {ev.admin1}"
    if name in ("killed", "injured"):
        return f"{getattr(ev, name)} (+{getattr(ev, 'perpetrators_' + name)} attackers)"
    return getattr(ev, name)


def _headline(events: list[Event]) -> Event | None:
    if not events:
        return None
    return max(events, key=lambda e: ((e.killed or 0) + (e.injured or 0), -events.index(e)))


def _read_gold(gold_path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(gold_path.read_text(encoding="utf-8"))
        if not isinstance(doc["events"], list):
            raise TypeError("'events' is not a list")
    except FileNotFoundError:
        raise EvalError(f"{gold_path}: no gold.json in this corpus folder") from None
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise EvalError(f"{gold_path}: not a gold file with an 'events' list ({exc})") from None
    return doc  # type: ignore[no-any-return]


def evaluate(
    corpus: str | Path,
    reader: ArticleReader | None = None,
    zero_is_unknown: bool | None = None,
) -> EvalReport:
    """Ingest ``corpus`` into a temporary database and score it against its gold.json."""
    corpus = Path(corpus)
    doc = _read_gold(corpus / "gold.json")
    gold: list[dict[str, Any]] = doc["events"]
    if zero_is_unknown is None:
        zero_is_unknown = "zero-is-unknown" in str(doc.get("about", ""))
    read = read_paths([corpus])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.db") as store:
        with Progress(f"eval {corpus.name}", total=len(read.articles)) as progress:
            ingest_articles(read.articles, store, reader, progress=progress.update)
        # an article is scored on the events it reports, as merged with every other report of them
        events = {ev.event_id: ev for ev in store.events()}
        by_article = {art: [events[e] for e in eids] for art, eids in store.article_events().items()}
    gold_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for g in gold:
        gold_by_article[g["article"]].append(g)
    # the gold lists every strike when many of its texts hold several (the seeds), else one per text
    multi = sum(len(v) > 1 for v in gold_by_article.values())
    every = multi > 0.25 * len(gold_by_article)
    if every:
        # articles the gold lists with no strike: whatever is read there is spurious
        for art in doc.get("articles") or []:
            gold_by_article.setdefault(str(art), [])
    name = corpus.name
    scorer = Scorer(Gazetteer.load(), zero_is_unknown, name in COUNTS_INCLUDE_PERPETRATORS, name in SILENCE_IS_ZERO)
    mode = "every event" if every else "headline"
    report = EvalReport(name, mode, len(read.articles), len(gold), 0, 0, problems=len(read.problems))
    pairs = _score(report, gold_by_article, by_article, scorer)
    if any("place_text" in g for g in gold):
        report.geo = score_geocoding(gold, scorer.gaz)
    if every:
        report.calibration_rows = _calibration_rows(pairs, scorer)
    languages = {a.id: a.language or UNKNOWN_LANGUAGE for a in read.articles}
    report.by_language = _by_language(report, languages, gold_by_article, by_article, scorer)
    return report


def _score(
    report: EvalReport,
    gold_by_article: dict[str, list[dict[str, Any]]],
    by_article: dict[str, list[Event]],
    scorer: Scorer,
) -> list[tuple[Event, dict[str, Any]]]:
    """Score the predicted events of the articles of ``gold_by_article`` against their gold, into
    ``report`` (its mode says how); RETURNS the (predicted, gold) pairs found."""
    every = report.mode == "every event"
    pairs: list[tuple[Event, dict[str, Any]]] = []
    for art, golds in gold_by_article.items():
        preds = by_article.get(art, [])
        if every:
            report.predicted_events += len(preds)
            matched = _pair(preds, golds, scorer)
            pairs += [(preds[i], golds[j]) for i, j in matched]
            _classify_unmatched(report, art, preds, golds, matched, scorer)
        else:
            head = _headline(preds)
            report.predicted_events += 1 if head else 0
            if head:
                pairs.append((head, golds[0]))
    report.matched = len(pairs)
    scored = list(pairs)
    if not every:
        # headline mode scores an article where nothing was found as wrong on every coded field
        scored += [(_EMPTY, golds[0]) for art, golds in gold_by_article.items() if not by_article.get(art)]
    for ev, g in scored:
        for fname in FIELDS:
            ok = scorer.field_ok(fname, ev, g)
            if ok is not None:
                report.fields[fname].scored += 1
                report.fields[fname].right += int(ok)
                if not ok:
                    report.misses.append((fname, g["article"], _gold_value(fname, g), _pred_value(fname, ev)))
    return pairs


def _by_language(
    whole: EvalReport,
    languages: dict[str, str],
    gold_by_article: dict[str, list[dict[str, Any]]],
    by_article: dict[str, list[Event]],
    scorer: Scorer,
) -> list[EvalReport]:
    """One report per article language (``languages``: article id -> its code, as given or
    detected), scored as ``whole`` is on that language's articles; none when the corpus is in one
    language (a few texts too short to tell do not make an English corpus a mixed one)."""
    lang_of = {art: languages.get(art, UNKNOWN_LANGUAGE) for art in gold_by_article}
    codes = sorted(set(languages.values()) | set(lang_of.values()))
    if len(set(codes) - {UNKNOWN_LANGUAGE}) < 2:
        return []
    out = []
    for code in codes:
        golds = {art: g for art, g in gold_by_article.items() if lang_of[art] == code}
        articles = sum(lang == code for lang in languages.values())
        report = EvalReport(f"{whole.corpus} {code}", whole.mode, articles, sum(map(len, golds.values())), 0, 0)
        _score(report, golds, by_article, scorer)
        out.append(report)
    return out


def _calibration_rows(pairs: list[tuple[Event, dict[str, Any]]], scorer: Scorer) -> list[Row]:
    """(article, field, evidence, right) for each field the gold codes and the event rates, on every pair.

    A field the event leaves unrated (a figure the text does not give) carries no confidence, so it
    is neither fitted nor counted in the calibration error."""
    rows = []
    for ev, g in pairs:
        for fname, check in CALIBRATED.items():
            ok = scorer.field_ok(check, ev, g)
            if ok is not None and ev.evidence.get(fname):
                rows.append(Row(g["article"], fname, ev.evidence[fname], ok))
    return rows


def _classify_unmatched(
    report: EvalReport,
    art: str,
    preds: list[Event],
    golds: list[dict[str, Any]],
    matched: list[tuple[int, int]],
    scorer: Scorer,
) -> None:
    """Put each unpaired predicted and gold event of one article under the first kind that fits."""
    used_p = {i for i, _ in matched}
    found = [golds[j] for _, j in matched]
    for i, ev in enumerate(preds):
        if i not in used_p:
            report.spurious.append((art, _spurious_kind(ev, golds, found, scorer), _pred_place_date(ev)))
    used_g = {j for _, j in matched}
    for j, g in enumerate(golds):
        if j not in used_g:
            report.missed.append((art, _missed_kind(g, preds, scorer), _gold_place_date(g)))


def _spurious_kind(ev: Event, golds: list[dict[str, Any]], found: list[dict[str, Any]], scorer: Scorer) -> str:
    if not golds:
        return SPURIOUS_KINDS[0]
    # a window that is unknown does not contradict the strike's date
    if any(scorer.place_ok(ev, g) and (ev.date_from is None or scorer.dates_overlap(ev, g)) for g in found):
        return SPURIOUS_KINDS[1]
    if any(scorer.place_ok(ev, g) for g in golds):
        return SPURIOUS_KINDS[2]
    countries = {norm_name(g.get("country")) for g in golds} - {""}
    if countries and ev.country and norm_name(ev.country) not in countries:
        return SPURIOUS_KINDS[3]
    if any(scorer.dates_overlap(ev, g) for g in golds):
        return SPURIOUS_KINDS[4]
    return SPURIOUS_KINDS[5]


def _missed_kind(g: dict[str, Any], preds: list[Event], scorer: Scorer) -> str:
    if not preds:
        return MISSED_KINDS[0]
    if any(scorer.place_ok(p, g) for p in preds):
        return MISSED_KINDS[1]
    return MISSED_KINDS[2] if g.get("location") is None else MISSED_KINDS[3]


def _pred_place_date(ev: Event) -> str:
    return f"{ev.location} / {ev.admin1} / {ev.country} {ev.date_from}..{ev.date_to}"


def _gold_place_date(g: dict[str, Any]) -> str:
    place = f"{g.get('location')} / {g.get('admin1')} / {g.get('country')}"
    return f"{g.get('id')}: {place} {g.get('date_from')}..{g.get('date_to')}"


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def score_geocoding(gold: list[dict[str, Any]], gaz: Gazetteer) -> GeoScore:
    """Geocode each gold place string alone; an unresolved string counts as a miss."""
    score = GeoScore()
    for g in gold:
        text = (g.get("place_text") or "").strip()
        if not text or g.get("latitude") is None:
            continue
        score.strings += 1
        place = gaz.geocode(text)
        if place is None or place.latitude is None or place.longitude is None:
            continue
        score.resolved += 1
        score.errors_km.append(haversine_km(place.latitude, place.longitude, g["latitude"], g["longitude"]))
    return score


# --- linking: one strike, many reports -------------------------------------------------------

# a gold mention: (article, key of the real strike it reports)
MentionKey = tuple[str, str]
TOLL_KINDS = ("killed", "injured")
_FILE_EXT = re.compile(r"\.(txt|html?|json)$")
# other spellings of a place that name the same one (the reference scorer's list)
PLACE_ALIASES = {
    "kryvyy rih": "kryvyi rih",
    "krivoy rog": "kryvyi rih",
    "kryvyi rig": "kryvyi rih",
    "dnepr": "dnipro",
    "dnipropetrovs k": "dnipropetrovsk",
    "dnipropetrovs": "dnipropetrovsk",
    "novomoskovsk": "samar",
    "novomoskovs k": "samar",
    "kiev": "kyiv",
    "kyyiv": "kyiv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    "zaporozhye": "zaporizhzhia",
    "zaporizhia": "zaporizhzhia",
    "zaporizhzhya": "zaporizhzhia",
    "moskva": "moscow",
    "belgorodskaya": "belgorod",
    "sums ka": "sumy",
    "kharkivs ka": "kharkiv",
}
_PLACE_SUFFIX = re.compile(r"\b(oblast|region|province|city|raion|district|hromada|krai)\b")


def place_key(name: str | None) -> str:
    """A transliteration-blind key of a place name: 'Mykolayiv' == 'Mykolaiv', 'Zaporizhia Oblast' ==
    'zaporizhzhia', 'Kiev' == 'Kyiv' (the reference scorer's comparison)."""
    if not name:
        return ""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    s = " ".join(re.sub(r"[^a-z0-9]+", " ", _PLACE_SUFFIX.sub(" ", s)).split())
    s = PLACE_ALIASES.get(s, s)
    s = re.sub(r"[yi]+", "i", s.replace("zhzh", "zh"))
    return re.sub(r"(.)\1+", r"\1", s)


def place_compatible(gold: dict[str, Any], ev: Event) -> bool:
    """The event's place fits the gold one at the gold's precision: same country where both give
    one, then the same settlement (or one of its other names), else the same region."""
    g_country, p_country = place_key(gold.get("country")), place_key(ev.country)
    if g_country and p_country and g_country != p_country:
        return False
    names = {place_key(n) for n in [gold.get("location"), *(gold.get("alt_locations") or [])] if n}
    if names:
        return place_key(ev.location) in names
    if gold.get("admin1"):
        region = place_key(gold["admin1"])
        return region in (place_key(ev.admin1), place_key(ev.location))
    return True


def _day(value: str | None) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None


def dates_compatible(gold: dict[str, Any], ev: Event) -> bool:
    """The event's window overlaps the gold window; an event with no date fits no dated strike, and
    a gold strike with no date (GVA) constrains nothing."""
    g_from = _day(gold.get("date_from"))
    if g_from is None:
        return True
    g_to = _day(gold.get("date_to")) or g_from
    p_from, p_to = _day(ev.date_from or ev.event_date), _day(ev.date_to or ev.event_date)
    if p_from is None or p_to is None:
        return False
    return p_from <= g_to and g_from <= p_to


def strike_key(gold: dict[str, Any]) -> str | None:
    """The real strike a gold event is a report of: war_news's ``event_key``, GVA's ``incident``."""
    key = gold.get("event_key")
    if key is None:
        key = gold.get("incident")
    return None if key is None else str(key)


@dataclass(slots=True)
class Strike:
    """One real strike of the gold: the articles that report it, and its final toll (each figure
    from the latest-published article that gives one)."""

    key: str
    gold: dict[str, Any]  # its first gold entry: the place and window a report must fit
    articles: set[str] = field(default_factory=set)
    final: dict[str, int | None] = field(default_factory=lambda: dict.fromkeys(TOLL_KINDS))
    final_at: dict[str, str] = field(default_factory=lambda: dict.fromkeys(TOLL_KINDS, ""))

    def add(self, gold: dict[str, Any], published: str) -> None:
        self.articles.add(gold["article"])
        for kind in TOLL_KINDS:
            if gold.get(kind) is not None and published >= self.final_at[kind]:
                self.final[kind], self.final_at[kind] = gold[kind], published


def gold_strikes(gold: list[dict[str, Any]], published: dict[str, str]) -> dict[str, Strike]:
    """Strikes by key from per-article gold events; ``published`` gives each article's date (ISO)."""
    strikes: dict[str, Strike] = {}
    for g in gold:
        key = strike_key(g)
        assert key is not None, "gold read by _read_linking_gold"
        strikes.setdefault(key, Strike(key, g)).add(g, published.get(g["article"], ""))
    return strikes


def _articles_of(ev: Event) -> set[str]:
    """The articles an event cites, each with and without its file extension."""
    out: set[str] = set()
    for source in ev.sources:
        if art := source.get("article"):
            out |= {str(art), _FILE_EXT.sub("", str(art))}
    return out


def _toll(ev: Event, kind: str, with_perpetrators: bool, silence_is_zero: bool) -> int | None:
    """The event's figure as the corpus's codebook counts it (attackers included, silence as 0)."""
    value: int | None = getattr(ev, kind)
    if with_perpetrators:
        perps = getattr(ev, f"perpetrators_{kind}")
        value = None if value is None and perps is None else (value or 0) + (perps or 0)
    return 0 if value is None and silence_is_zero else value


@dataclass(slots=True)
class MentionScores:
    """Linking scored on (article, gold strike) pairs, as ``shared/eval/linking_war.py`` does."""

    mentions: int
    found: int
    strikes: int
    multi_report: int  # strikes with 2+ reports
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    fragments: float | None  # mean distinct events a strike with 2+ reports lands in (1.0 is perfect)
    final_right: dict[str, int]  # per toll kind: strikes whose event carries the final figure
    final_scored: dict[str, int]  # per toll kind: strikes with a final figure
    # what extraction leaves linking to win: the same found mentions, every strike's in one event
    bcubed_if_linked: tuple[float, float, float] = (0.0, 0.0, 0.0)
    fragments_if_linked: float | None = None

    def final_share(self, kind: str) -> float | None:
        n = self.final_scored[kind]
        return self.final_right[kind] / n if n else None

    def to_json(self) -> dict[str, Any]:
        return {
            "mentions": self.mentions,
            "found": self.found,
            "strikes": self.strikes,
            "strikes_2plus_reports": self.multi_report,
            "pairwise": dict(zip(("precision", "recall", "f1"), self.pairwise, strict=True)),
            "bcubed": dict(zip(("precision", "recall", "f1"), self.bcubed, strict=True)),
            "fragments": self.fragments,
            "final_toll": {k: {"share": self.final_share(k), "scored": self.final_scored[k]} for k in TOLL_KINDS},
            "if_linked_perfectly": {
                "bcubed": dict(zip(("precision", "recall", "f1"), self.bcubed_if_linked, strict=True)),
                "fragments": self.fragments_if_linked,
            },
        }


def _stands_for(mention: MentionKey, strike: Strike, by_article: dict[str, list[Event]]) -> str:
    """The event that stands for a gold mention: of those citing the article and fitting the strike's
    place and date, the one with most articles in common with the strike, then the largest killed
    (the first on ties); a mention not found is a cluster of its own."""
    article = mention[0]
    fits = [
        ev
        for ev in by_article.get(article, [])
        if place_compatible(strike.gold, ev) and dates_compatible(strike.gold, ev)
    ]
    if not fits:
        return f"miss:{article}:{strike.key}"
    best = max(fits, key=lambda ev: (len(strike.articles & _articles_of(ev)), ev.killed or 0))
    return best.event_id


def _final_toll(
    strikes: dict[str, Strike],
    assign: dict[MentionKey, str],
    preds: dict[str, Event],
    codebook: tuple[bool, bool],
) -> tuple[dict[str, int], dict[str, int]]:
    """Per toll kind, (right, scored): a strike's event is the one most of its found mentions land in."""
    hits: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, key), eid in assign.items():
        if eid in preds:
            hits[key][eid] += 1
    right, scored = dict.fromkeys(TOLL_KINDS, 0), dict.fromkeys(TOLL_KINDS, 0)
    for key, strike in strikes.items():
        ev = preds[hits[key].most_common(1)[0][0]] if hits[key] else None
        for kind in TOLL_KINDS:
            if strike.final[kind] is None:
                continue
            scored[kind] += 1
            right[kind] += ev is not None and _toll(ev, kind, *codebook) == strike.final[kind]
    return right, scored


def _assignments(strikes: dict[str, Strike], mentions: list[MentionKey], events: list[Event]) -> dict[MentionKey, str]:
    """Each gold mention -> the id of the event that stands for it (or a miss of its own)."""
    by_article: dict[str, list[Event]] = defaultdict(list)
    for ev in events:
        for art in _articles_of(ev):
            by_article[art].append(ev)
    return {m: _stands_for(m, strikes[m[1]], by_article) for m in mentions}


def _fragments(assign: dict[MentionKey, str]) -> list[int]:
    """For each strike with 2+ reports, the number of distinct events its mentions land in."""
    landed: dict[str, set[str]] = defaultdict(set)
    reports: Counter[str] = Counter()
    for (_, key), eid in assign.items():
        landed[key].add(eid)
        reports[key] += 1
    return [len(landed[key]) for key, n in reports.items() if n >= 2]


def score_mentions(
    gold: list[dict[str, Any]],
    published: dict[str, str],
    events: list[Event],
    with_perpetrators: bool = False,
    silence_is_zero: bool = False,
) -> MentionScores:
    """Score the ledger's ``events`` (in export order) on the gold's (article, strike) mentions.

    ``gold`` is per-article events, each with an ``event_key`` or ``incident``; ``published``
    gives each article's publication date (ISO), which picks a strike's final toll. With
    ``with_perpetrators`` / ``silence_is_zero`` an event's toll is read as the corpus's codebook
    counts it (see COUNTS_INCLUDE_PERPETRATORS, SILENCE_IS_ZERO)."""
    strikes = gold_strikes(gold, published)
    mentions = list(dict.fromkeys((g["article"], strike_key(g) or "") for g in gold))
    assign = _assignments(strikes, mentions, events)
    truth = {m: m[1] for m in mentions}
    pairwise, bcubed = cluster_scores(assign, truth)
    preds = {ev.event_id: ev for ev in events}
    right, scored = _final_toll(strikes, assign, preds, (with_perpetrators, silence_is_zero))
    frags = _fragments(assign)
    # the bound linking works under: each found mention in its own strike's event, the misses as they are
    ideal = {m: (m[1] if eid in preds else eid) for m, eid in assign.items()}
    _, ideal_bcubed = cluster_scores(ideal, truth)
    ideal_frags = _fragments(ideal)
    return MentionScores(
        mentions=len(mentions),
        found=sum(eid in preds for eid in assign.values()),
        strikes=len(strikes),
        multi_report=len(frags),
        pairwise=pairwise,  # type: ignore[arg-type]
        bcubed=bcubed,  # type: ignore[arg-type]
        fragments=sum(frags) / len(frags) if frags else None,
        final_right=right,
        final_scored=scored,
        bcubed_if_linked=ideal_bcubed,  # type: ignore[arg-type]
        fragments_if_linked=sum(ideal_frags) / len(ideal_frags) if ideal_frags else None,
    )


@dataclass(slots=True)
class LinkingReport:
    """How well reports were grouped into events: per article (each in the event of its headline
    strike, against the gold headline's strike) and per (article, gold strike) mention."""

    corpus: str
    articles: int
    gold_clusters: int
    predicted_clusters: int
    pairwise: tuple[float, float, float]
    bcubed: tuple[float, float, float]
    mentions: MentionScores | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "articles": self.articles,
            "gold_clusters": self.gold_clusters,
            "predicted_clusters": self.predicted_clusters,
            "pairwise": dict(zip(("precision", "recall", "f1"), self.pairwise, strict=True)),
            "bcubed": dict(zip(("precision", "recall", "f1"), self.bcubed, strict=True)),
            "mention_level": self.mentions.to_json() if self.mentions else None,
        }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def cluster_scores(pred: Mapping[K, str], gold: Mapping[K, str]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Pairwise and B-cubed (precision, recall, F1) of ``pred`` against ``gold`` (item -> cluster)."""
    items = list(gold)
    both = Counter((pred[i], gold[i]) for i in items)
    p_size = Counter(pred[i] for i in items)
    g_size = Counter(gold[i] for i in items)
    # B-cubed: per item, the share of its predicted (gold) cluster that shares its gold (predicted) one
    bp = sum(both[(pred[i], gold[i])] / p_size[pred[i]] for i in items) / len(items)
    br = sum(both[(pred[i], gold[i])] / g_size[gold[i]] for i in items) / len(items)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    right = sum(pairs(n) for n in both.values())
    said = sum(pairs(n) for n in p_size.values())
    true = sum(pairs(n) for n in g_size.values())
    pp = right / said if said else 1.0
    pr = right / true if true else 1.0
    return (pp, pr, _f1(pp, pr)), (bp, br, _f1(bp, br))


def _read_linking_gold(gold_path: Path) -> list[dict[str, Any]]:
    """The gold events, each checked for an article and the key of its real strike."""
    events: list[dict[str, Any]] = _read_gold(gold_path)["events"]
    for n, g in enumerate(events, 1):
        if not isinstance(g, dict) or not g.get("article"):
            raise EvalError(f"{gold_path}: gold event {n} has no 'article'")
        if strike_key(g) is None:
            raise EvalError(
                f"{gold_path}: gold event {n} ({g.get('id', g['article'])}) has neither 'event_key' nor 'incident'"
            )
    return events


def _gold_headlines(gold: list[dict[str, Any]]) -> dict[str, str]:
    """article -> the strike of its gold headline event (largest killed + injured, the first on ties)."""
    heads: dict[str, tuple[int, dict[str, Any]]] = {}
    for g in gold:
        size = (g.get("killed") or 0) + (g.get("injured") or 0)
        if g["article"] not in heads or size > heads[g["article"]][0]:
            heads[g["article"]] = (size, g)
    return {art: strike_key(g) or "" for art, (_, g) in heads.items()}


def _predicted_headlines(store: Store) -> dict[str, str]:
    """article -> the event of its headline report (largest killed + injured as that report gives
    them, the first on ties)."""
    heads: dict[str, tuple[int, int, str]] = {}
    for art, seq, eid, killed, injured in store.mention_tolls():
        key = ((killed or 0) + (injured or 0), -seq, eid)
        if art not in heads or key > heads[art]:
            heads[art] = key
    return {art: head[2] for art, head in heads.items()}


def evaluate_linking(corpus: str | Path, reader: ArticleReader | None = None) -> LinkingReport:
    """Ingest ``corpus`` with linking and score how its reports were grouped into events.

    Gold: per-article events with an ``event_key`` (war_news) or ``incident`` (GVA), the same key
    in several articles being one real strike. Article level: each article is put in the event of
    its headline strike (an article where no strike was read stands alone), against the strike of
    its gold headline. Mention level: see ``score_mentions``.
    """
    corpus = Path(corpus)
    gold = _read_linking_gold(corpus / "gold.json")
    read = read_paths([corpus])
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "eval.db") as store:
        with Progress(f"eval {corpus.name}", total=len(read.articles)) as progress:
            ingest_articles(read.articles, store, reader, progress=progress.update)
        heads = _predicted_headlines(store)
        events = list(store.events())
    truth = _gold_headlines(gold)
    pred = {art: heads.get(art, f"alone:{art}") for art in truth}
    pairwise, bcubed = cluster_scores(pred, truth)
    published = {a.id: a.published.isoformat() if a.published else "" for a in read.articles}
    name = corpus.name
    mentions = score_mentions(gold, published, events, name in COUNTS_INCLUDE_PERPETRATORS, name in SILENCE_IS_ZERO)
    return LinkingReport(
        corpus=name,
        articles=len(truth),
        gold_clusters=len(set(truth.values())),
        predicted_clusters=len(set(pred.values())),
        pairwise=pairwise,  # type: ignore[arg-type]
        bcubed=bcubed,  # type: ignore[arg-type]
        mentions=mentions,
    )


def _prf(p: float, r: float, f: float) -> list[str]:
    return [f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"]


def _share(x: float | None, n: int) -> str:
    return "-" if x is None else f"{x:.3f} ({n})"


def format_linking(report: LinkingReport) -> str:
    """The article-level table, then the mention-level one and the strikes' fragments and final toll."""
    rows = [["corpus", "articles", "gold events", "predicted", "measure", "precision", "recall", "F1"]]
    for name, prf in (("pairwise", report.pairwise), ("B-cubed", report.bcubed)):
        counts = [report.corpus, str(report.articles), str(report.gold_clusters), str(report.predicted_clusters)]
        rows.append([*counts, name, *_prf(*prf)])
    out = "article level (each article in the event of its headline strike)\n" + text_table(rows)
    if report.mentions is None:
        return out
    return out + "\n\n" + format_mentions(report.corpus, report.mentions)


def format_mentions(corpus: str, m: MentionScores) -> str:
    """The mention-level table, the strikes' fragments and final toll, and the perfect-linking bound."""
    rows = [["corpus", "mentions", "found", "strikes", "2+ reports", "measure", "precision", "recall", "F1"]]
    for name, prf in (("pairwise", m.pairwise), ("B-cubed", m.bcubed)):
        counts = [corpus, str(m.mentions), str(m.found), str(m.strikes), str(m.multi_report)]
        rows.append([*counts, name, *_prf(*prf)])
    out = "mention level (each article's report of each gold strike)\n" + text_table(rows)
    kinds = [_share(m.final_share(k), m.final_scored[k]) for k in TOLL_KINDS]
    rows = [
        ["corpus", "fragments per strike", "final killed (n)", "final injured (n)"],
        [corpus, _frag(m.fragments), *kinds],
    ]
    out += "\n\n" + text_table(rows)
    bound = [
        ["corpus", "if linked perfectly:", "B-cubed P", "R", "F1", "fragments per strike"],
        [corpus, "(the same found mentions)", *_prf(*m.bcubed_if_linked), _frag(m.fragments_if_linked)],
    ]
    return out + "\n\n" + text_table(bound)


def _frag(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def evaluate_all(root: str | Path, reader: ArticleReader | None = None) -> list[EvalReport]:
    """Evaluate every corpus folder under ``root`` that has a gold.json, in name order."""
    folders = sorted(p.parent for p in Path(root).glob("*/gold.json"))
    if not folders:
        raise EvalError(f"{root}: no corpus folders with a gold.json")
    reader = reader or article_reader()
    return [evaluate(folder, reader) for folder in folders]


def _pair(preds: list[Event], golds: list[dict[str, Any]], scorer: Scorer) -> list[tuple[int, int]]:
    """Greedy pairing by affinity: (predicted index, gold index) of each pair."""
    scored = sorted(
        ((scorer.affinity(p, g), i, j) for i, p in enumerate(preds) for j, g in enumerate(golds)),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score < 2.5 or i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j))
    return pairs


_EMPTY = Event(event_id="")  # an article where nothing was found


def format_table(reports: list[EvalReport]) -> str:
    """One row per corpus: P / R / F1 where gold lists every event, then accuracy (n) per field."""
    head = ["corpus", "mode", "articles", "gold", "pred", "P", "R", "F1"] + FIELDS
    rows = [head]

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    for r in reports:
        rows += [_table_row(r, pct), *(_table_row(lang, pct) for lang in r.by_language)]
    out = text_table(rows)
    geo = [r for r in reports if r.geo]
    if geo:
        grows = [["corpus", "place strings", "resolved", "<=1 km", "<=10 km", "<=50 km", "median km"]]
        for r in geo:
            g = r.geo
            assert g is not None
            med = g.median_km
            grows.append(
                [
                    r.corpus,
                    str(g.strings),
                    str(g.resolved),
                    pct(g.within(1)),
                    pct(g.within(10)),
                    pct(g.within(50)),
                    "-" if med is None else f"{med:.1f}",
                ]
            )
        out += "\n\ngeocoding of place strings\n" + text_table(grows)
    kinds = format_error_kinds(reports)
    if kinds:
        out += "\n\nunmatched events by kind (spurious = predicted with no gold partner)\n" + kinds
    for r in reports:
        if r.has_evidence:
            out += f"\n\n{r.corpus}: " + format_calibration(calibration_report(r.calibration_rows))
    return out


def _table_row(r: EvalReport, pct: Callable[[float | None], str]) -> list[str]:
    """A corpus's row (or one language's of it): counts, P / R / F1 in every-event mode, fields."""
    every = r.mode == "every event"
    row = [
        r.corpus,
        r.mode,
        str(r.articles),
        str(r.gold_events),
        str(r.predicted_events),
        pct(r.precision) if every else "-",
        pct(r.recall) if every else "-",
        pct(r.f1) if every else "-",
    ]
    for f in FIELDS:
        s = r.fields[f]
        row.append("-" if not s.scored else f"{s.accuracy:.3f} ({s.scored})")
    return row


def format_error_kinds(reports: list[EvalReport]) -> str:
    """Counts of spurious and missed events per kind, one column per every-event corpus."""
    every = [(r, kinds) for r in reports if (kinds := r.error_kinds())]
    if not every:
        return ""
    rows = [["record", "kind", *(r.corpus for r, _ in every)]]
    for side, names in (("spurious", SPURIOUS_KINDS), ("missed", MISSED_KINDS)):
        rows += [[side, k, *(str(kinds[side][k]) for _, kinds in every)] for k in names]
    rows.append(["matched", "", *(str(r.matched) for r, _ in every)])
    return text_table(rows)
