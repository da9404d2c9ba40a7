"""How many of a Cyrillic corpus's gold places the Cyrillic place finder finds in their article.

    python bench/cyrillic_places.py [--corpus ../shared/corpus/ukr_ru_news] [--list]

Per language: gold locations (settlements) found as a settlement mention with the same
geonameid as the English gazetteer gives the gold name (or, for a village GeoNames lacks,
named "Location, Admin1" as the gold names it); gold admin1s found as a region
mention of that admin1 ("named") or as any mention inside it ("named or inside"); and the
mentions found that match no gold field of their article (location, admin1, admin2, places,
alt_locations, country): a rough precision list, printed with --list to read by eye
together with the gold places missed (many are
real places the gold leaves out, such as a country or a town only mentioned).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _gold_by_article(gold: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ev in gold["events"]:
        out[ev["article"]].append(ev)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "ukr_ru_news"))
    ap.add_argument("--list", action="store_true", help="print every mention that matches no gold field")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from warledger.geo.cyrillic import load_cyrillic_places
    from warledger.geo.gazetteer import Gazetteer
    from warledger.textable import format_table

    folder = Path(args.corpus)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    manifest = [json.loads(line) for line in lines if line]
    gz = Gazetteer.load()
    cp = load_cyrillic_places()
    by_article = _gold_by_article(gold)

    def gid_of(name: str, admin1: str | None) -> int | None:
        place = gz.geocode(f"{name}, {admin1}" if admin1 else name)
        return place.geonameid if place is not None else None

    def a1_of(name: str) -> str | None:
        return cp.admin1_id(name)

    stats: dict[str, Counter] = defaultdict(Counter)
    off: list[tuple[str, str, str, str]] = []
    missed: list[tuple[str, str, str, str]] = []
    for art in manifest:
        lang = art.get("language")
        if lang not in ("uk", "ru"):
            continue
        text = (folder / art["file"]).read_text(encoding="utf-8")
        found = cp.find(text, lang)
        found_gids = {p.geonameid for p in found if p.kind == "settlement"}
        found_names = {p.english for p in found if p.kind == "settlement" and p.geonameid is None}
        named_a1 = {a1_of(p.english) for p in found if p.kind in ("admin1", "admin2")}
        inside_a1 = named_a1 | {a1_of(p.english) for p in found}
        events = by_article.get(art["file"], [])
        gold_gids: set[int] = set()
        gold_a1: set[str] = set()
        gold_names: set[str] = set()
        for ev in events:
            for key in ("location", "admin1", "admin2", "country"):
                if ev.get(key):
                    gold_names.add(ev[key])
            for key in ("places", "alt_locations"):
                gold_names.update(ev.get(key) or [])
            if ev.get("admin1") and (aid := a1_of(ev["admin1"])):
                gold_a1.add(aid)
        gold_names.update(f"{ev['location']}, {ev.get('admin1')}" for ev in events if ev.get("location"))
        for name in gold_names:
            if (aid := a1_of(name)) is not None:
                gold_a1.add(aid)
        s = stats[lang]
        s["articles"] += 1
        for loc in sorted({(ev["location"], ev.get("admin1")) for ev in events if ev.get("location")}, key=str):
            gid = gid_of(*loc)
            if gid is not None:
                gold_gids.add(gid)
            s["locations"] += 1
            hit = (gid is not None and gid in found_gids) or f"{loc[0]}, {loc[1]}" in found_names
            s["locations found"] += hit
            if not hit:
                missed.append((lang, art["file"], f"{loc[0]}, {loc[1]}", "location"))
        for aid in {a1_of(ev["admin1"]) for ev in events if ev.get("admin1")}:
            s["admin1s"] += 1
            s["admin1 named"] += aid in named_a1
            if aid not in inside_a1:
                missed.append((lang, art["file"], str(aid), "admin1"))
            s["admin1 named or inside"] += aid in inside_a1
        for p in found:
            s["mentions"] += 1
            ok = (
                (p.kind == "settlement" and p.geonameid in gold_gids)
                or (p.kind != "settlement" and a1_of(p.english) in gold_a1)
                or p.english in gold_names
            )
            if not ok:
                s["mentions off gold"] += 1
                off.append((lang, art["file"], text[p.start : p.end], f"{p.english} ({p.kind})"))
    header = ["lang", "articles", "gold locations found", "gold admin1s named", "named or inside"]
    header += ["mentions", "off gold"]
    rows = [header]
    for lang in ("uk", "ru"):
        s = stats[lang]
        rows.append(
            [
                lang,
                str(s["articles"]),
                f"{s['locations found']}/{s['locations']}",
                f"{s['admin1 named']}/{s['admin1s']}",
                f"{s['admin1 named or inside']}/{s['admin1s']}",
                str(s["mentions"]),
                str(s["mentions off gold"]),
            ]
        )
    print(format_table(rows))
    if args.list:
        for lang, article, surface, english in off:
            print(f"off gold  {lang}  {article}  {surface!r} -> {english}")
        for lang, article, name, what in missed:
            print(f"missed    {lang}  {article}  {what} {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
