"""How often a corpus's gold killed count can be read off its text at all.

    python bench/gold_in_text.py [--corpus-root ../shared/corpus]

For each one-incident corpus, the share of texts whose gold `killed` value appears in the text
as a number (digits or words), or is 0 or 1 (which need no number: "no one was hurt", "a man
was killed"). This is a loose ceiling for exact-match accuracy by reading the text: counts that
must be summed ("two officers and three attackers") are not counted as present, and a number that
is present may be another figure. Also printed: the texts whose figures span several attacks
("across both attacks", "one of three related attacks") while the gold codes one of them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MULTI = re.compile(
    r"\bacross\b|\brelated (?:attacks|incidents)\b|\bcoordinated\b|\bsimilar (?:attacks|incidents)\b", re.I
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus-root", default=str(ROOT.parent / "shared" / "corpus"))
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from warledger.nlp.numbers import words_to_int
    from warledger.textable import format_table

    rows = [["corpus", "texts with gold killed", "gold number in text (or 0/1)", "several attacks in one text"]]
    for name in ("wad", "gtd", "msa", "wiki_terror", "gva"):
        folder = Path(args.corpus_root) / name
        if not (folder / "gold.json").exists():
            continue
        texts = {}
        for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[row["id"]] = row.get("text") or ""
        gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["events"]
        n = present = multi = 0
        for g in gold:
            killed = g.get("killed")
            text = texts.get(g["article"], "")
            if killed is None:
                continue
            n += 1
            numbers = {words_to_int(m.group(0)) for m in re.finditer(r"\d[\d,]*|[a-z]+(?:-[a-z]+)?", text.lower())}
            present += killed in numbers or killed in (0, 1)
            multi += bool(MULTI.search(text))
        rows.append([name, str(n), f"{present / n:.3f}", f"{multi / n:.3f}"])
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
