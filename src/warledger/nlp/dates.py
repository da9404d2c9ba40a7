"""Date expressions resolved against the publication date into windows with a precision.

Relative phrases are read by our own rules ("overnight", "yesterday evening", "earlier this
week", "in early March", "the previous day", "on Friday"); absolute dates go to dateparser
(``DateDataParser.get_date_data``, which reports the granularity). A phrase that cannot be
resolved gives nothing: the event's date then stays null.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from dateparser.date import DateDataParser

from ..records import DatePrecision, DateWindow, plausible_published

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_YEAR = r"(?:19|20)\d{2}"

RULES: list[tuple[str, str]] = [
    # "overnight into Sunday", "the night to 15 August": the night that ends on that day
    (
        "night_into",
        rf"\b(?:overnight|the\s+night)\s+(?:into|to)\s+(?:(?P<nday>\d{{1,2}})\s+(?P<nmonth>{_MONTH})|(?P<nweekday>{_WEEKDAY}))",
    ),
    ("numeric", rf"\b\d{{1,2}}/\d{{1,2}}/{_YEAR}\b|\b{_YEAR}-\d{{2}}-\d{{2}}\b"),
    ("day_month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b"),
    ("month_day", rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?\b(?!\s*(?:%|people|km))"),
    (
        "month",
        rf"\b(?:(?P<mpart>early|mid|mid-|late|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of)\s*)?{_MONTH}(?:\s+{_YEAR})?\b",
    ),
    ("previous_day", r"\b(?:the\s+previous\s+day|the\s+day\s+before|a\s+day\s+earlier|the\s+previous\s+night)\b"),
    ("overnight", r"\b(?:overnight|last\s+night|during\s+the\s+night)\b"),
    ("yesterday", rf"\byesterday{_PART}\b"),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b"),
    ("weekend", r"\b(?:over|at|during)\s+the\s+weekend\b|\b(?:this|last)\s+weekend\b"),
    ("this_week", r"\b(?P<wearlier>earlier\s+)?this\s+week\b"),
    ("last_week", r"\blast\s+week\b"),
    ("this_month", r"\b(?P<mearlier>earlier\s+)?this\s+month\b"),
    ("last_month", r"\blast\s+month\b"),
    ("weekday", rf"\b(?P<wlast>last\s+)?{_WEEKDAY}{_PART}\b"),
    ("year", rf"\b(?:in|since|during)\s+(?:early\s+|late\s+)?{_YEAR}\b"),
]
_RULE_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in RULES), re.IGNORECASE)
# Words that describe when something is reported rather than when it happened.
WEAK = {"today", "year"}


@dataclass(slots=True)
class DateHit:
    start: int
    end: int
    window: DateWindow
    weak: bool
    bound: bool = False  # "since February 2022", "by 8 August": a period's bound or a deadline


@cache
def _parser() -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY"},
    )


def _window(a: date, b: date, precision: DatePrecision, text: str) -> DateWindow:
    return DateWindow(a, b, precision, text)


def _month_window(year: int, month: int, part: str | None, text: str) -> DateWindow:
    last = calendar.monthrange(year, month)[1]
    part = (part or "").lower().replace("  ", " ")
    lo, hi = 1, last
    if part in ("early", "the beginning of", "the start of"):
        hi = 15
    elif part in ("mid", "mid-", "the middle of"):
        lo, hi = 10, 20
    elif part in ("late", "the end of"):
        lo = 16
    return _window(date(year, month, lo), date(year, month, hi), "month", text)


def _year_for(month: int, day: int, pub: date) -> int:
    """A month (and day) without a year is the most recent one not after publication."""
    return pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1


@lru_cache(maxsize=4096)
def _parsed_day(text: str) -> date | None:
    """dateparser's reading of an absolute phrase ("March 4", "4 March 2025"); the same phrase
    recurs across articles and dateparser is the costliest step of reading dates."""
    data = _parser().get_date_data(text)
    return None if data.date_obj is None else data.date_obj.date()


def _absolute(text: str, pub: date) -> DateWindow | None:
    d = _parsed_day(text)
    if d is None:
        return None
    if not re.search(_YEAR, text):
        d = d.replace(year=_year_for(d.month, d.day, pub))
    if d > pub:
        return None
    return _window(d, d, "day", text)


def _night(d: date, pub: date, text: str) -> DateWindow:
    """A night ("Saturday night", "yesterday night") runs past midnight: the day and the next."""
    return _window(d, min(d + timedelta(days=1), pub), "day", text)


def _night_into(m: re.Match[str], pub: date, text: str) -> DateWindow | None:
    """The night that ends on the day named: that day and the one before."""
    if m.group("nweekday"):
        d = pub - timedelta(days=(pub.weekday() - WEEKDAYS[m.group("nweekday").lower()]) % 7)
    else:
        month, day = MONTHS[m.group("nmonth").lower().rstrip(".")], int(m.group("nday"))
        if day > calendar.monthrange(_year_for(month, day, pub), month)[1]:
            return None
        d = date(_year_for(month, day, pub), month, day)
    if d > pub:
        return None
    return _window(d - timedelta(days=1), d, "day", text)


def resolve(kind: str, m: re.Match[str], pub: date, anchor: date | None) -> DateWindow | None:
    """Turn one matched phrase into a window; ``anchor`` is another date in the same sentence."""
    text = m.group(0)
    low = text.lower()
    if kind in ("numeric", "day_month", "month_day"):
        return _absolute(text, pub)
    if kind == "month":
        month = MONTHS[re.search(_MONTH, low).group(0).rstrip(".")]  # type: ignore[union-attr]
        ym = re.search(_YEAR, low)
        year = int(ym.group(0)) if ym else _year_for(month, 1, pub)
        if low.strip() == "may":  # the modal verb, not the month
            return None
        return _month_window(year, month, m.group("mpart"), text)
    if kind == "night_into":
        return _night_into(m, pub, text)
    if kind == "previous_day":
        base = anchor or pub
        return _window(base - timedelta(days=1), base - timedelta(days=1), "day", text)
    if kind == "overnight":
        return _window(pub - timedelta(days=1), pub, "day", text)
    if kind == "yesterday":
        d = pub - timedelta(days=1)
        return _night(d, pub, text) if low.endswith("night") else _window(d, d, "day", text)
    if kind == "today":
        return _window(pub, pub, "day", text)
    if kind == "weekend":
        back = (pub.weekday() - 6) % 7  # days since the last Sunday, 0 if today is Sunday
        sunday = pub - timedelta(days=back)
        if sunday == pub and "last" in low:
            sunday -= timedelta(days=7)
        return _window(sunday - timedelta(days=1), min(sunday, pub), "week", text)
    if kind == "this_week":
        monday = pub - timedelta(days=pub.weekday())
        end = pub - timedelta(days=1) if m.group("wearlier") and pub > monday else pub
        return _window(monday, end, "week", text)
    if kind == "last_week":
        monday = pub - timedelta(days=pub.weekday() + 7)
        return _window(monday, monday + timedelta(days=6), "week", text)
    if kind == "this_month":
        first = pub.replace(day=1)
        end = pub - timedelta(days=1) if m.group("mearlier") and pub > first else pub
        return _window(first, end, "month", text)
    if kind == "last_month":
        last = pub.replace(day=1) - timedelta(days=1)
        return _window(last.replace(day=1), last, "month", text)
    if kind == "weekday":
        wd = WEEKDAYS[re.search(_WEEKDAY, low).group(0)]  # type: ignore[union-attr]
        back = (pub.weekday() - wd) % 7
        if back == 0 and m.group("wlast"):
            back = 7
        d = pub - timedelta(days=back)
        return _night(d, pub, text) if low.endswith("night") else _window(d, d, "day", text)
    if kind == "year":
        y = int(re.search(_YEAR, low).group(0))  # type: ignore[union-attr]
        if y > pub.year:
            return None
        end = min(date(y, 12, 31), pub)
        return _window(date(y, 1, 1), end, "year", text)
    return None


def find_dates(text: str, published: date | None) -> list[DateHit]:
    """Every date phrase in ``text`` that can be resolved against ``published``.

    Without a publication date only absolute dates (with a year) are resolved; a publication date
    outside EARLIEST_PUBLISHED..LATEST_PUBLISHED counts as none (the year before 0001 is none).
    """
    published = plausible_published(published)
    found: list[tuple[str, re.Match[str]]] = []
    for m in _RULE_RE.finditer(text):
        kind = m.lastgroup or ""
        # lastgroup can be an inner group name; find the outer rule that matched
        for name, _ in RULES:
            if m.group(name) is not None:
                kind = name
                break
        found.append((kind, m))
    hits: list[DateHit] = []
    anchor: date | None = None
    for kind, m in found:
        if kind == "previous_day":
            continue
        pub = published or _pub_from_year(m.group(0))
        if pub is None:
            continue
        w = resolve(kind, m, pub, None)
        if w:
            hits.append(DateHit(m.start(), m.end(), w, kind in WEAK))
            if kind not in WEAK and w.precision == "day":
                anchor = anchor or w.date_from
    for kind, m in found:
        if kind == "previous_day" and published:
            w = resolve(kind, m, published, anchor)
            if w:
                hits.append(DateHit(m.start(), m.end(), w, False))
    hits.sort(key=lambda h: h.start)
    return hits


def _pub_from_year(text: str) -> date | None:
    y = re.search(_YEAR, text)
    return date(int(y.group(0)), 12, 31) if y else None


def parse_published(value: str) -> date | None:
    """'2025-04-05' or an ISO timestamp -> date; None if it is not one."""
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None
