"""The relevance gate: real reports of violence go on to spaCy, news of no violence is skipped."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from warledger.datafiles import DATA_DIR
from warledger.errors import DataFileError
from warledger.ingest import read_paths
from warledger.nlp.gate import NO_TERM, RelevanceGate, Rule
from warledger.records import Article


@pytest.fixture(scope="module")
def gate() -> RelevanceGate:
    return RelevanceGate.load()


def own(text: str, title: str | None = None, language: str | None = "en") -> Article:
    return Article(id="own", text=text, title=title, language=language, published=date(2025, 5, 2))


def event_bearing(corpus: Path) -> list[Article]:
    """The corpus's articles that its gold gives at least one event."""
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    with_events = {e["article"] for e in gold["events"]}
    return [a for a in read_paths([corpus / "articles.jsonl"]).articles if a.id in with_events]


@pytest.mark.parametrize("name", ["war_news", "ukr_ru_news", "seeds"])
def test_every_war_report_with_a_strike_passes(gate: RelevanceGate, corpus_dir: Path, name: str) -> None:
    articles = event_bearing(corpus_dir / name)
    assert articles
    skipped = {a.id: gate.check(a) for a in articles if gate.check(a) is not None}
    assert skipped == {}


def test_recall_on_every_corpus_meets_the_bar(gate: RelevanceGate, corpus_dir: Path) -> None:
    corpora = sorted(p for p in corpus_dir.iterdir() if (p / "gold.json").exists())
    assert len(corpora) >= 10
    for corpus in corpora:
        articles = event_bearing(corpus)
        passed = sum(gate.check(a) is None for a in articles)
        assert passed / len(articles) >= 0.99, corpus.name


@pytest.mark.parametrize(
    "text",
    [
        "The city council approved a new budget for parks and libraries on Tuesday.",
        "Shares in the carmaker rose 3 percent after it raised its sales forecast for the year.",
        "Sunshine and light winds are expected across the coast this weekend, with highs of 24 degrees.",
        "The two foreign ministers signed a trade agreement and promised closer ties in education.",
        "The orchestra opens its season with a programme of Brahms and Sibelius.",
        "Critics said the band killed it on the final night of the tour.",  # an idiom, removed first
    ],
)
def test_own_news_of_no_violence_is_skipped(gate: RelevanceGate, text: str) -> None:
    long_enough = " ".join([text] * 8)  # news length: short notes go on with one everyday word
    reason = gate.check(own(long_enough))
    assert reason is not None
    assert reason == NO_TERM or reason.startswith("only everyday-sense words (")


# the shipped rule lets any everyday-sense word on (bench/gate.py: any stricter rule drops
# reference events the pipeline reads); a stricter rule, as a ledger of one region might set,
# skips them and says which words it saw
STRICT = Rule(min_weak_families=3, short_words=60, headline=True, person_window=0)

RISKY = [
    "Nurses voted to strike for two days next month after pay talks broke down.",
    "Her shot from the edge of the area curled wide, and the attack faded after the break.",
    "The chipmaker struck a deal with a rival and its shares hit a record high.",
]


@pytest.mark.parametrize("text", RISKY)
def test_words_that_look_risky_go_on_under_the_shipped_rule(gate: RelevanceGate, text: str, monkeypatch) -> None:
    long_enough = " ".join([text] * 8)
    assert gate.check(own(long_enough)) is None  # spaCy and the extractors judge the sense
    monkeypatch.setattr(gate, "rule", STRICT)
    assert (gate.check(own(long_enough)) or "").startswith("only everyday-sense words (")


def test_the_reason_names_the_everyday_words(gate: RelevanceGate, monkeypatch) -> None:
    monkeypatch.setattr(gate, "rule", STRICT)
    text = " ".join(["Nurses voted to strike for two days next month after pay talks broke down."] * 8)
    assert gate.check(own(text)) == "only everyday-sense words (strike)"
    assert gate.check(own(" ".join(["The council approved the budget."] * 20))) == NO_TERM


@pytest.mark.parametrize(
    "text",
    [
        "Two people were killed when a missile hit an apartment block in Kharkiv overnight.",
        "Shelling wounded a woman in the village of Bilozerka on Monday, the governor said.",
        "Police said a gunman opened fire at a bus stop.",
        "Drones attacked a fuel depot in the Bryansk region.",
        "Damage to a school after the night's explosions.",
    ],
)
def test_own_reports_of_violence_pass(gate: RelevanceGate, text: str) -> None:
    assert gate.check(own(" ".join([text] * 8))) is None


def test_everyday_words_pass_in_a_headline_or_a_short_note(gate: RelevanceGate, monkeypatch) -> None:
    monkeypatch.setattr(gate, "rule", STRICT)
    filler = " ".join(["Sign up for our newsletter to get the day's stories in your inbox."] * 10)
    assert gate.check(own(filler)) == NO_TERM
    assert gate.check(own("Teen shot after party downtown\n\n" + filler)) is None  # a short first line
    assert gate.check(own(filler, title="Teen shot after party downtown")) is None
    assert gate.check(own("School hit in the night.")) is None  # a short note
    assert gate.check(own("School hit in the night. " + filler)) is not None


def test_the_rule_weighs_families_not_forms(gate: RelevanceGate) -> None:
    text = " ".join(["The attack pressed and attacked again; the striker's strike struck the bar."] * 6)
    verdict = gate.read(own(text))
    assert verdict.strong == frozenset()
    assert verdict.weak == {"attack", "strike"}
    assert verdict.passes(Rule(min_weak_families=2))
    assert not verdict.passes(Rule(min_weak_families=3))


def test_ukrainian_and_russian_reports(gate: RelevanceGate) -> None:
    assert gate.check(own("Внаслідок обстрілу Херсона загинули двоє людей.", language="uk")) is None
    assert gate.check(own("Беспилотник атаковал жилой дом, пострадали трое.", language="ru")) is None
    calm = "В Москве открылась новая выставка современного искусства. Вход на выставку свободный. " * 6
    assert gate.check(own(calm, language="ru")) == NO_TERM


def test_a_language_the_gate_cannot_read_always_goes_on(gate: RelevanceGate) -> None:
    calm = "Der Stadtrat hat am Dienstag einen neuen Haushalt für Parks und Bibliotheken beschlossen. " * 5
    assert gate.check(own(calm, language="de")) is None
    assert gate.check(own("هطلت أمطار غزيرة على المدينة يوم الثلاثاء وأغلقت المدارس " * 5, language=None)) is None
    assert gate.check(own(calm.replace("Der", "The"), language=None)) == NO_TERM  # Latin script: read as English


def _copy_data(tmp_path: Path) -> Path:
    for name in ("casualty_terms.json", "strike_terms.json", "weapons.json", "gate.json"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


def test_gate_data_is_checked_against_the_vocabularies(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    config = json.loads((data / "gate.json").read_text(encoding="utf-8"))
    config["weak"]["attack"].append("ambuscade")  # not in the extractors' vocabularies
    (data / "gate.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        RelevanceGate.load(data)
    assert str(data / "gate.json") in str(info.value) and "ambuscade" in str(info.value)


def test_gate_data_names_a_missing_vocabulary_list(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    config = json.loads((data / "gate.json").read_text(encoding="utf-8"))
    config["sources"]["strike_terms.json"].append("adverbs")
    (data / "gate.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        RelevanceGate.load(data)
    assert "strike_terms.json" in str(info.value) and "'adverbs'" in str(info.value)


def test_gate_rule_must_be_whole(tmp_path: Path) -> None:
    data = _copy_data(tmp_path)
    config = json.loads((data / "gate.json").read_text(encoding="utf-8"))
    del config["rule"]["headline"]
    (data / "gate.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(DataFileError, match="rule needs min_weak_families"):
        RelevanceGate.load(data)
