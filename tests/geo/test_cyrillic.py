"""Tests for the Cyrillic place finder: Ukrainian and Russian mentions resolve to the places
the English gazetteer gives for their English names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from warledger.errors import DataFileError
from warledger.geo import Gazetteer
from warledger.geo._cyrillic_vocab import LANGS, read_vocab, vocab_path
from warledger.geo.cyrillic import CyrillicPlace, CyrillicPlaces, load_cyrillic_places

ZAPORIZHZHIA = 687700
CHERNIHIVKA = 710739  # an urban-type settlement in Zaporizhzhia Oblast
CHERNIHIV = 710735
UMAN = 690688
KYIV = 703448
KURSK = 538560
BELGOROD = 578072
KRYVYI_RIH = 703845
NOVA_KAKHOVKA = 699839
CHERKASKE_DONETSK = 710793


@pytest.fixture(scope="module")
def cp() -> CyrillicPlaces:
    return load_cyrillic_places()


def _one(cp: CyrillicPlaces, text: str, lang: str) -> CyrillicPlace:
    found = cp.find(text, lang)
    assert len(found) == 1, found
    return found[0]


def _surfaces(cp: CyrillicPlaces, text: str, lang: str) -> list[tuple[str, str]]:
    return [(text[p.start : p.end], p.kind) for p in cp.find(text, lang)]


# ------------------------------------------------------------------ inflected settlements


@pytest.mark.parametrize(
    ("lang", "text", "name", "geonameid"),
    [
        ("uk", "Вночі ворог атакував Запоріжжя.", "Запоріжжя", ZAPORIZHZHIA),
        ("uk", "Вибухи пролунали в Запоріжжі.", "Запоріжжі", ZAPORIZHZHIA),
        ("uk", "Росіяни вдарили по Запоріжжю ракетами.", "Запоріжжю", ZAPORIZHZHIA),
        ("uk", "Рятувальники працюють в Умані.", "Умані", UMAN),
        ("uk", "У Чернігівці пошкоджено будинок.", "Чернігівці", CHERNIHIVKA),
        ("uk", "Обстріл Чернігова тривав годину.", "Чернігова", CHERNIHIV),
        ("uk", "Сирени лунали у Києві всю ніч.", "Києві", KYIV),
        ("uk", "Удар по Кривому Рогу зруйнував школу.", "Кривому Рогу", KRYVYI_RIH),
        ("uk", "Окупанти обстріляли Нову Каховку.", "Нову Каховку", NOVA_KAKHOVKA),
        ("ru", "Беспилотник атаковал окраину Белгорода.", "Белгорода", BELGOROD),
        ("ru", "В Курске повреждены дома.", "Курске", KURSK),
        ("ru", "Удар по Кривому Рогу вызвал пожар.", "Кривому Рогу", KRYVYI_RIH),
        ("ru", "В Кривом Роге повреждены дома.", "Кривом Роге", KRYVYI_RIH),
        ("ru", "Сирены звучали в Киеве.", "Киеве", KYIV),
    ],
)
def test_inflected_settlement_resolves_like_its_english_name(
    cp: CyrillicPlaces, gz: Gazetteer, lang: str, text: str, name: str, geonameid: int
) -> None:
    place = _one(cp, text, lang)
    assert text[place.start : place.end] == name
    assert place.kind == "settlement"
    assert place.geonameid == geonameid
    english = gz.geocode(place.english)
    assert english is not None and english.geonameid == geonameid
    # The glossed sentence is read by the English model: its matcher finds the same place.
    mentions = gz.find(f"A strike hit {place.english} overnight.")
    assert [m.best.geonameid for m in mentions if m.best] == [geonameid]


def test_namesake_is_chosen_by_the_district_and_oblast_written_after_it(cp: CyrillicPlaces, gz: Gazetteer) -> None:
    text = "Удар по селу Черкаське Краматорського району Донецької області."
    found = cp.find(text, "uk")
    assert [(text[p.start : p.end], p.kind) for p in found] == [
        ("Черкаське", "settlement"),
        ("Краматорського району", "admin2"),
        ("Донецької області", "admin1"),
    ]
    assert found[0].geonameid == CHERKASKE_DONETSK
    english = gz.geocode(found[0].english)
    assert english is not None and english.geonameid == CHERKASKE_DONETSK


@pytest.mark.parametrize(
    ("lang", "text", "surface", "english", "admin1"),
    [
        # GeoNames knows a Chausy in Belarus only; the text puts this one in Bryansk Oblast.
        ("ru", "Дрон атаковал автомобиль в селе Чаусы Погарского района.", "Чаусы", "Chausy", "Bryansk Oblast"),
        (
            "ru",
            "Удар пришелся по селу Драгунское Белгородской области.",
            "Драгунское",
            "Dragunskoye",
            "Belgorod Oblast",
        ),
        ("uk", "Уламки впали в селі Зоряне Синельниківського району.", "Зоряне", "Zoriane", "Dnipropetrovsk Oblast"),
    ],
)
def test_village_geonames_lacks_is_romanised_with_its_region(
    cp: CyrillicPlaces, gz: Gazetteer, lang: str, text: str, surface: str, english: str, admin1: str
) -> None:
    village = cp.find(text, lang)[0]
    assert (text[village.start : village.end], village.kind, village.geonameid) == (surface, "settlement", None)
    assert village.english == f"{english}, {admin1}"
    resolved = gz.geocode(village.english)
    assert resolved is not None and resolved.admin1 == admin1


def test_a_person_after_a_settlement_word_is_not_a_village(cp: CyrillicPlaces) -> None:
    text = "Об этом сообщил мэр города Игорь Терехов, Харьковская область."
    assert [(text[p.start : p.end], p.kind) for p in cp.find(text, "ru")] == [("Харьковская область", "admin1")]


# ------------------------------------------------------------------ regions, districts, countries


@pytest.mark.parametrize(
    ("lang", "text", "surface", "admin1"),
    [
        ("uk", "Обстріл Харківської області триває.", "Харківської області", "Kharkiv Oblast"),
        ("uk", "Вночі на Харківщині було неспокійно.", "Харківщині", "Kharkiv Oblast"),
        ("uk", "Харківщина знову під ударом.", "Харківщина", "Kharkiv Oblast"),
        ("uk", "Уламки впали в Черкаській області.", "Черкаській області", "Cherkasy Oblast"),
        ("uk", "Тривога на Франківщині.", "Франківщині", "Ivano-Frankivsk Oblast"),
        ("uk", "Удари по Донеччині.", "Донеччині", "Donetsk Oblast"),
        ("uk", "Ракети летіли на Волинь.", "Волинь", "Volyn Oblast"),
        ("uk", "Атака на Дніпропетровщину.", "Дніпропетровщину", "Dnipropetrovsk Oblast"),
        ("uk", "Вибухи у Криму.", "Криму", "Crimea"),
        ("ru", "Губернатор Белгородской области сообщил о налете.", "Белгородской области", "Belgorod Oblast"),
        ("ru", "Белгородская область под обстрелом.", "Белгородская область", "Belgorod Oblast"),
        ("ru", "На Белгородщине сбиты дроны.", "Белгородщине", "Belgorod Oblast"),
        ("ru", "Взрывы в Крыму.", "Крыму", "Crimea"),
    ],
)
def test_region_resolves_to_the_gazetteers_admin1(
    cp: CyrillicPlaces, gz: Gazetteer, lang: str, text: str, surface: str, admin1: str
) -> None:
    place = _one(cp, text, lang)
    assert (text[place.start : place.end], place.kind, place.english) == (surface, "admin1", admin1)
    english = gz.geocode(place.english)
    assert english is not None and english.admin1 == admin1 and english.geo_precision == "admin1"


def test_joined_oblasts_are_each_found(cp: CyrillicPlaces) -> None:
    text = "Атаки зазнали Харківська та Сумська області."
    assert [(text[p.start : p.end], p.english) for p in cp.find(text, "uk")] == [
        ("Харківська", "Kharkiv Oblast"),
        ("Сумська області", "Sumy Oblast"),
    ]


def test_joined_hromadas_and_an_oblast_office(cp: CyrillicPlaces) -> None:
    text = "Голова Сумської ОВА повідомив про удари по Шосткинській, Конотопській та Охтирській громадах."
    assert [(text[p.start : p.end], p.english, p.kind) for p in cp.find(text, "uk")] == [
        ("Сумської ОВА", "Sumy Oblast", "admin1"),
        ("Шосткинській", "Shostka", "settlement"),
        ("Конотопській", "Konotop", "settlement"),
        ("Охтирській громадах", "Okhtyrka", "settlement"),
    ]


def test_a_list_of_towns_takes_its_small_villages(cp: CyrillicPlaces) -> None:
    text = "Під ударами були Оріхів, Степногірськ та Мала Токмачка."
    assert [text[p.start : p.end] for p in cp.find(text, "uk")] == ["Оріхів", "Степногірськ", "Мала Токмачка"]
    assert cp.find("Вчора Степногірськ знову обстріляли.", "uk") == []


@pytest.mark.parametrize(
    ("lang", "text", "surface", "admin1"),
    [
        ("uk", "Удар по Краматорському району.", "Краматорському району", "Donetsk Oblast"),
        ("uk", "Загинув чоловік у Синельниківському районі.", "Синельниківському районі", "Dnipropetrovsk Oblast"),
        ("ru", "Обстрел Сумского района продолжается.", "Сумского района", "Sumy Oblast"),
        ("ru", "В Погарском районе сбит дрон.", "Погарском районе", "Bryansk Oblast"),
    ],
)
def test_raion_resolves_to_its_towns_district(
    cp: CyrillicPlaces, gz: Gazetteer, lang: str, text: str, surface: str, admin1: str
) -> None:
    place = _one(cp, text, lang)
    assert (text[place.start : place.end], place.kind) == (surface, "admin2")
    english = gz.geocode(place.english)
    assert english is not None and english.admin1 == admin1


def test_city_quarter_is_not_a_raion(cp: CyrillicPlaces) -> None:
    assert cp.find("Росіяни атакували Шевченківський район.", "uk") == []


@pytest.mark.parametrize(
    ("lang", "text", "english"),
    [
        ("uk", "Україна отримала нову допомогу.", "Ukraine"),
        ("uk", "Удари по території РФ.", "Russia"),
        ("ru", "Россия заявила о перехвате.", "Russia"),
        ("ru", "Минобороны РФ сообщило о перехвате.", "Russia"),
    ],
)
def test_country(cp: CyrillicPlaces, gz: Gazetteer, lang: str, text: str, english: str) -> None:
    place = _one(cp, text, lang)
    assert (place.kind, place.english) == ("country", english)
    resolved = gz.geocode(place.english)
    assert resolved is not None and resolved.country == english


# ------------------------------------------------------------------ what is not a place


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("uk", "Федоров повідомив про наслідки атаки."),
        ("uk", "Кулеба закликав партнерів до дій."),
        ("uk", "Про це заявив президент Володимир Зеленський."),
        ("uk", "Мир можливий лише після перемоги."),
        ("uk", "Надія ще є, кажуть рятувальники."),
        ("ru", "Гладков сообщил о раненых."),
        ("ru", "Об этом сообщил Владимир Путин."),
        ("ru", "Мир нужен всем, заявил он."),
        ("ru", "С утра было тихо."),
    ],
)
def test_people_and_common_words_are_not_places(cp: CyrillicPlaces, lang: str, text: str) -> None:
    assert cp.find(text, lang) == []


def test_river_and_street_are_not_the_city(cp: CyrillicPlaces) -> None:
    assert cp.find("Бої тривають на лівому березі Дніпра.", "uk") == []
    assert cp.find("Снаряд упал на улице Харьковской.", "ru") == []


def test_a_listed_town_shares_the_preposition_before_the_list(cp: CyrillicPlaces) -> None:
    # "Покровську" can also be a surname: alone it would need a preposition of its own.
    text = "Удари по Бахмуту, Покровську і Костянтинівці."
    assert [text[p.start : p.end] for p in cp.find(text, "uk")] == ["Бахмуту", "Покровську", "Костянтинівці"]


def test_small_village_needs_a_settlement_word(cp: CyrillicPlaces, gz: Gazetteer) -> None:
    # Lyptsi (about 4,000 people) is taken after "селі", and then wherever the text repeats it.
    cued = "Удар по селу Липці. У Липцях пошкоджено школу."
    found = cp.find(cued, "uk")
    assert [cued[p.start : p.end] for p in found] == ["Липці", "Липцях"]
    lyptsi = gz.geocode("Lyptsi, Kharkiv Oblast")
    assert lyptsi is not None and {p.geonameid for p in found} == {lyptsi.geonameid}
    assert cp.find("Удар по Липцях.", "uk") == []


def test_unknown_language_is_a_clear_error(cp: CyrillicPlaces) -> None:
    with pytest.raises(ValueError, match="language 'be'"):
        cp.find("Мінск", "be")


# ------------------------------------------------------------------ data files


@pytest.mark.parametrize("lang", LANGS)
def test_every_region_in_the_vocabulary_is_one_the_gazetteer_resolves(gz: Gazetteer, lang: str) -> None:
    raw = json.loads(vocab_path(lang).read_text(encoding="utf-8"))
    for english in raw["admin1"]:
        place = gz.geocode(english)
        assert place is not None and place.admin1 == english and place.geo_precision == "admin1", english
    for english in raw["countries"]:
        place = gz.geocode(english)
        assert place is not None and place.country == english, english


def test_malformed_vocabulary_names_the_file_and_the_key(tmp_path: Path) -> None:
    raw: dict[str, Any] = json.loads(vocab_path("uk").read_text(encoding="utf-8"))
    raw["settlement_cues"] = ["село", 7]
    bad = tmp_path / "cyrillic_places_uk.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"cyrillic_places_uk\.json.*settlement_cues"):
        read_vocab(bad, "uk")


# ------------------------------------------------------------------ the real corpus


def _articles(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def test_gold_locations_of_the_cyrillic_corpus_are_found_in_their_article(
    corpus_dir: Path, cp: CyrillicPlaces, gz: Gazetteer
) -> None:
    """Every gold settlement the English gazetteer knows is found, with its geonameid, in the
    Ukrainian or Russian text it was coded from."""
    folder = corpus_dir / "ukr_ru_news"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    langs = {a["file"]: a["language"] for a in _articles(folder)}
    checked = missed = 0
    for ev in gold["events"]:
        if not ev.get("location"):
            continue
        resolved = gz.geocode(f"{ev['location']}, {ev['admin1']}")
        if resolved is None or resolved.geonameid is None:
            continue  # a village GeoNames lacks: no English name to meet either
        text = (folder / ev["article"]).read_text(encoding="utf-8")
        gids = {p.geonameid for p in cp.find(text, langs[ev["article"]])}
        checked += 1
        missed += resolved.geonameid not in gids
    assert checked >= 15
    assert missed == 0


def test_a_russian_and_an_english_report_of_one_strike_name_the_same_place(
    corpus_dir: Path, cp: CyrillicPlaces, gz: Gazetteer
) -> None:
    """The strikes both corpora report (same event_key): the Cyrillic article's places and
    the English article's places share the gold location's geonameid."""
    cyr = json.loads((corpus_dir / "ukr_ru_news" / "gold.json").read_text(encoding="utf-8"))
    eng = json.loads((corpus_dir / "war_news" / "gold.json").read_text(encoding="utf-8"))
    langs = {a["file"]: a["language"] for a in _articles(corpus_dir / "ukr_ru_news")}
    english_by_key: dict[str, list[dict[str, Any]]] = {}
    for ev in eng["events"]:
        if ev.get("event_key") and ev.get("location"):
            english_by_key.setdefault(ev["event_key"], []).append(ev)
    pairs = 0
    for ev in cyr["events"]:
        others = english_by_key.get(ev.get("event_key") or "")
        if not others or not ev.get("location"):
            continue
        text = (corpus_dir / "ukr_ru_news" / ev["article"]).read_text(encoding="utf-8")
        cyr_gids = {p.geonameid for p in cp.find(text, langs[ev["article"]]) if p.geonameid}
        for other in others:
            english_text = (corpus_dir / "war_news" / other["article"]).read_text(encoding="utf-8")
            eng_gids = {m.best.geonameid for m in gz.find(english_text) if m.best and m.best.geonameid}
            resolved = gz.geocode(f"{other['location']}, {other['admin1']}")
            assert resolved is not None
            assert resolved.geonameid in cyr_gids & eng_gids
            pairs += 1
    assert pairs >= 1
