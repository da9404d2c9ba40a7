"""Numbers as news text writes them: digits, words, and vague quantities that are bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
# A vague quantity is a lower bound, never a value: "dozens" means at least 24.
VAGUE = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "several": 3,
    "many": 2,
    "multiple": 2,
    "numerous": 2,
    "a dozen": 12,
    "a handful": 3,
    "a number": 2,
    "some": 2,
    "a few": 2,
}
SINGLE = {"a": 1, "an": 1, "one": 1}

_WORD = "|".join(sorted(list(UNITS) + list(TENS), key=len, reverse=True))
_TENS_UNITS = rf"(?:{_WORD})(?:[- ](?:{_WORD}))?"
_WORD_NUMBER = rf"(?:{_TENS_UNITS}(?:\s+(?:hundred|thousand))?(?:\s+(?:and\s+)?{_TENS_UNITS})?)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3}){1,8}|\d+)"
# "10^30", "10**6": a power is read as its value (one that big is then flagged as implausible)
_POWER = r"(?:\d{1,6}\s*(?:\^|\*\*)\s*\d{1,6})"
_POWER_RE = re.compile(r"(\d+)\s*(?:\^|\*\*)\s*(\d+)")
# more digits than any count needs: read as this floor (far above any plausible toll), so a
# 5,000-digit number never reaches ``int()``, which refuses strings over 4,300 digits
MAX_DIGITS = 30
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE), key=len, reverse=True))

QUALIFIERS = {
    "at least": "low",
    "more than": "low",
    "over": "low",
    "upwards of": "low",
    "in excess of": "low",
    "no fewer than": "low",
    "no less than": "low",
    "a minimum of": "low",
    "up to": "high",
    "as many as": "high",
    "nearly": "high",
    "almost": "high",
    "fewer than": "high",
    "less than": "high",
    "under": "high",
    "close to": "high",
    "about": "approx",
    "around": "approx",
    "some": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "an estimated": "approx",
    "estimated": "approx",
}
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))

# The number phrase a casualty pattern is built on. Age and size compounds ("47-year-old",
# "10-storey") are excluded by the trailing look-ahead: they qualify a noun, they count nothing.
NUMBER = (
    rf"(?P<qual>(?:{_QUAL})\s+)?"
    rf"(?P<num>between\s+{_DIGITS}\s+and\s+{_DIGITS}|{_DIGITS}\s*(?:-|to)\s*{_DIGITS}"
    rf"|(?:between\s+)?(?:{_WORD})\s+(?:to|and)\s+(?:{_WORD})(?=\s+[a-z])"
    rf"|{_POWER}|{_DIGITS}|{_WORD_NUMBER}|{_VAGUE})"
    r"(?![\w-]*-(?:year|month|week|day|storey|story|floor)s?\b)(?![\w,.]*\d)"
    r"(?!\s+(?:year|month|week)s?[\s-]+old\b)"
)
NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A count with bounds: ``value`` is None when the text only gives a bound."""

    value: int | None
    low: int | None
    high: int | None


def words_to_int(text: str) -> int | None:
    """'twenty-one' -> 21, 'two hundred and five' -> 205, '1,200' -> 1200; None if not a number."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t) if len(t) <= MAX_DIGITS else 10**MAX_DIGITS
    power = _POWER_RE.fullmatch(t)
    if power:
        base, exp = (words_to_int(g) for g in power.groups())
        assert base is not None and exp is not None
        return base ** min(exp, MAX_DIGITS) if base < 10**MAX_DIGITS else base
    total, current = 0, 0
    seen = False
    for tok in re.split(r"[\s-]+", t):
        if tok == "and":
            continue
        if tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok in SCALES:
            current = max(current, 1) * SCALES[tok]
            if tok == "thousand":
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def parse_quantity(num: str, qual: str | None = None) -> Quantity | None:
    """Turn a matched number phrase and its qualifier into a Quantity."""
    n = num.strip().lower()
    m = re.match(r"(?:between\s+)?([\w,]+)\s*(?:-|to|and)\s*([\w,]+)$", n)
    if m and " " in n or (m and "-" in n and n[0].isdigit()):
        lo, hi = words_to_int(m.group(1)), words_to_int(m.group(2))
        if lo is not None and hi is not None:
            return Quantity(None, min(lo, hi), max(lo, hi))
    if n in VAGUE:
        return Quantity(None, VAGUE[n], None)
    value = SINGLE.get(n)
    if value is None:
        value = words_to_int(n)
    if value is None:
        return None
    kind = QUALIFIERS.get((qual or "").strip().lower())
    if kind == "low":
        return Quantity(value, value, None)
    if kind == "high":
        return Quantity(value, None, value)
    return Quantity(value, None, None)
