"""Vocabularies read from ``warledger/data/*.json``, checked on load.

Language knowledge (weapons, targets, casualty words, claim verbs, actors) lives in data
files so that it can be read and extended without touching the extraction code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..datafiles import DATA_DIR, read_json_object
from ..errors import DataFileError
from .numbers import NUMBER


def load_json(name: str, data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """Read one data file; raise ``DataFileError`` naming it if it is not a JSON object."""
    return read_json_object(data_dir / name)


def _strings(path: str, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DataFileError(path, f"{where} must be a list of non-empty strings")
    return [v.lower() for v in value]


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any phrase as whole words, longest first."""
    alts = sorted({re.escape(p) for p in phrases}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Weapon:
    weapon: str
    sub_event_type: str
    specificity: int
    generic: bool = False


@dataclass(slots=True, eq=False)
class Vocab:
    """All vocabularies, with compiled patterns for the extractors."""

    weapons: dict[str, Weapon]
    weapon_re: re.Pattern[str]
    strike_re: re.Pattern[str]
    casualty: dict[str, list[str]]
    active: dict[str, str]
    actor_nouns: dict[str, str]
    actor_adjectives: dict[str, str]
    opponents: dict[str, str]
    claim_re: re.Pattern[str]
    continuations: list[str]
    dispute_re: re.Pattern[str]
    new_event_re: re.Pattern[str]
    elsewhere_re: re.Pattern[str]
    split_before: list[str]
    split_re: re.Pattern[str]
    targets: dict[str, str]
    target_re: re.Pattern[str]
    default_sub_event_type: str = "Shelling/artillery/missile attack"
    interception_re: re.Pattern[str] | None = None
    interception_types: tuple[str, str] = ("Disrupted weapons use", "Shelling/artillery/missile attack")
    target_verb_re: re.Pattern[str] | None = None
    political_re: re.Pattern[str] | None = None
    habitual_re: re.Pattern[str] | None = None
    wire_agencies: tuple[str, ...] = ()
    government_verbs: frozenset[str] = frozenset()
    date_bound_re: re.Pattern[str] | None = None
    report_time_re: re.Pattern[str] | None = None
    vicinity_re: re.Pattern[str] | None = None
    not_a_strike_re: re.Pattern[str] | None = None
    combined: tuple[frozenset[str], str] | None = None  # types that, named together, make this type
    total_re: re.Pattern[str] | None = None
    place_collectives: tuple[str, ...] = ()  # "oblasts", "regions": a plural that makes names regions
    # country -> (admin1s, settlements) held by its opponent (data/control.json)
    held: dict[str, tuple[frozenset[str], frozenset[str]]] | None = None
    # the largest figure one strike report may count (casualty_terms.json ``implausible_above``)
    implausible_above: int = 100_000


def _load_weapons(data_dir: Path) -> dict[str, Weapon]:
    obj = load_json("weapons.json", data_dir)
    path = str(data_dir / "weapons.json")
    out: dict[str, Weapon] = {}
    for i, entry in enumerate(obj.get("entries", [])):
        where = f"entries[{i}]"
        try:
            w = Weapon(entry["weapon"], entry["sub_event_type"], int(entry["specificity"]), bool(entry.get("generic")))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(path, f"{where} needs weapon, sub_event_type, specificity") from exc
        for term in _strings(path, f"{where}.terms", entry.get("terms")):
            out[term] = w
    return out


def _load_actors(data_dir: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    obj = load_json("actors.json", data_dir)
    path = str(data_dir / "actors.json")
    nouns: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    opponents: dict[str, str] = {}
    for name, entry in obj.get("actors", {}).items():
        if not isinstance(entry, dict):
            raise DataFileError(path, f"actors.{name} must be an object")
        for term in _strings(path, f"actors.{name}.nouns", entry.get("nouns")):
            nouns[term] = name
        for term in _strings(path, f"actors.{name}.adjectives", entry.get("adjectives")):
            adjectives[term] = name
        if entry.get("opponent_of"):
            opponents[str(entry["opponent_of"])] = name
    return nouns, adjectives, opponents


def _combined(wobj: dict[str, Any], path: str) -> tuple[frozenset[str], str] | None:
    entry = wobj.get("combined")
    if entry is None:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("sub_event_type"), str):
        raise DataFileError(path, "combined needs types and sub_event_type")
    return frozenset(str(t) for t in entry.get("types", [])), entry["sub_event_type"]


def _ends_with(phrases: list[str]) -> re.Pattern[str]:
    """A text that ends with one of the phrases (and a space): what stands right before a date."""
    return re.compile(r"(?:" + "|".join(re.escape(w) for w in phrases) + r")\s+$", re.IGNORECASE)


@cache
def load_vocab(data_dir: Path = DATA_DIR) -> Vocab:
    """Load and check every vocabulary file once per process."""
    weapons = _load_weapons(data_dir)
    wobj = load_json("weapons.json", data_dir)
    wpath = str(data_dir / "weapons.json")
    interception = wobj.get("interception")
    if not isinstance(interception, dict) or "sub_event_type" not in interception:
        raise DataFileError(wpath, "interception needs verbs, sub_event_type and aircraft_sub_event_type")
    strike = load_json("strike_terms.json", data_dir)
    spath = str(data_dir / "strike_terms.json")
    strike_words = _strings(spath, "verbs", strike.get("verbs")) + _strings(spath, "nouns", strike.get("nouns"))
    cas = load_json("casualty_terms.json", data_dir)
    cpath = str(data_dir / "casualty_terms.json")
    casualty = {
        key: _strings(cpath, key, cas.get(key))
        for key in (
            "killed",
            "injured",
            "hospitalized",
            "person_nouns",
            "thing_nouns",
            "child_nouns",
            "none",
            "perpetrator_nouns",
            "self_death",
            "subset_words",
            "additive",
            "singular_subjects",
            "collective_nouns",
        )
    }
    active = cas.get("active")
    if not isinstance(active, dict):
        raise DataFileError(cpath, "active must map verbs to kinds")
    ceiling = cas.get("implausible_above", 100_000)
    if not isinstance(ceiling, int) or isinstance(ceiling, bool) or ceiling < 1:
        raise DataFileError(cpath, "implausible_above must be a positive whole number")
    nouns, adjectives, opponents = _load_actors(data_dir)
    claims = load_json("claims.json", data_dir)
    clpath = str(data_dir / "claims.json")
    disc = load_json("discourse.json", data_dir)
    dpath = str(data_dir / "discourse.json")
    tg = load_json("targets.json", data_dir)
    tpath = str(data_dir / "targets.json")
    targets: dict[str, str] = {}
    for canon, phrases in tg.get("targets", {}).items():
        for p in _strings(tpath, f"targets.{canon}", phrases):
            targets[p] = canon
    split = disc.get("split_before")
    if not isinstance(split, list) or not all(isinstance(s, str) and s for s in split):
        raise DataFileError(dpath, "split_before must be a list of non-empty strings")
    ctl = load_json("control.json", data_dir)
    cpath_ = str(data_dir / "control.json")
    held = {
        str(country): (
            frozenset(_strings(cpath_, f"held_by_opponent.{country}.admin1", entry.get("admin1"))),
            frozenset(_strings(cpath_, f"held_by_opponent.{country}.settlements", entry.get("settlements"))),
        )
        for country, entry in ctl.get("held_by_opponent", {}).items()
        if isinstance(entry, dict)
    }
    return Vocab(
        implausible_above=ceiling,
        held=held,
        weapons=weapons,
        weapon_re=phrase_pattern(list(weapons)),
        strike_re=phrase_pattern(strike_words),
        casualty=casualty,
        active={str(k).lower(): str(v) for k, v in active.items()},
        actor_nouns=nouns,
        actor_adjectives=adjectives,
        opponents=opponents,
        claim_re=phrase_pattern(_strings(clpath, "claim_verbs", claims.get("claim_verbs"))),
        continuations=_strings(clpath, "continuations", claims.get("continuations")),
        dispute_re=phrase_pattern(_strings(clpath, "dispute_markers", claims.get("dispute_markers"))),
        new_event_re=phrase_pattern(_strings(dpath, "new_event", disc.get("new_event"))),
        elsewhere_re=phrase_pattern(_strings(dpath, "elsewhere", disc.get("elsewhere"))),
        split_before=split,
        split_re=re.compile("|".join(re.escape(m) for m in sorted(split, key=len, reverse=True))),
        targets=targets,
        target_re=phrase_pattern(list(targets)),
        default_sub_event_type=str(strike.get("default_sub_event_type", "Shelling/artillery/missile attack")),
        interception_re=phrase_pattern(_strings(wpath, "interception.verbs", interception.get("verbs"))),
        interception_types=(str(interception["sub_event_type"]), str(interception["aircraft_sub_event_type"])),
        target_verb_re=phrase_pattern(_strings(wpath, "target_verbs", wobj.get("target_verbs"))),
        political_re=phrase_pattern(_strings(dpath, "political_nouns", disc.get("political_nouns"))),
        habitual_re=phrase_pattern(_strings(dpath, "habitual", disc.get("habitual"))),
        # agency names keep their case: "AP" in a dateline, not "ap" in a word
        date_bound_re=_ends_with(_strings(dpath, "date_bounds", disc.get("date_bounds"))),
        report_time_re=_ends_with(_strings(dpath, "report_times", disc.get("report_times"))),
        combined=_combined(wobj, wpath),
        not_a_strike_re=phrase_pattern(_strings(dpath, "not_a_strike", disc.get("not_a_strike"))),
        vicinity_re=re.compile(
            r"\b(?:"
            + "|".join(re.escape(w) for w in _strings(dpath, "vicinity_words", disc.get("vicinity_words")))
            # "except for the occupied Crimea", "outside the town of X": up to two words between
            + r")\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}$",
            re.IGNORECASE,
        ),
        total_re=re.compile(
            phrase_pattern(_strings(dpath, "total_phrases", disc.get("total_phrases"))).pattern
            + rf"|\b(?:{NUMBER}|several|multiple|many)\s+(?:ukrainian\s+|russian\s+)?(?:"
            + "|".join(re.escape(w) for w in _strings(dpath, "place_collectives", disc.get("place_collectives")))
            + r")\b"
            # "in Ukraine's eastern and southern regions": two parts of the country, several strikes
            + r"|\b[a-z-]*(?:ern|central)\s+and\s+[a-z-]*(?:ern|central)\s+(?:"
            + "|".join(re.escape(w) for w in _strings(dpath, "place_collectives", disc.get("place_collectives")))
            + r")\b",
            re.IGNORECASE,
        ),
        place_collectives=tuple(_strings(dpath, "place_collectives", disc.get("place_collectives"))),
        government_verbs=frozenset(_strings(dpath, "government_verbs", disc.get("government_verbs"))),
        wire_agencies=tuple(a for a in disc.get("wire_agencies", []) if isinstance(a, str) and a),
    )
