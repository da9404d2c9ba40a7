"""The ledger as the reference scorer sees it: ``shared/eval/score.py`` on the JSON-lines export.

    python bench/reference_score.py [--corpus ../shared/corpus/war_news]

Ingests the corpus twice into temporary ledgers, with linking (the ledger a user gets) and
without (every strike its own event), exports each as JSON lines and scores it with the reference
scorer the kept-back sets are scored with. Prints one table: strike precision / recall / F1, the
field accuracies, and the figures recorded as 0 where the gold has none; then, where the gold's
event ids carry a part prefix ("a-", "b-" ... as in war_news), the linked ledger per part.

score.py pairs each exported event with at most one gold event, while the gold has one event per
article: an event merged from k articles' reports can match only one of its k gold events, so the
linked ledger scores lower recall than the unlinked one for the same extraction.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
FIELDS = ("date", "location", "admin1", "actor1", "sub_event_type", "killed", "injured", "children_killed")


def load_scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("reference_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot load the reference scorer")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def exported_rows(corpus: Path, link: bool) -> list[dict[str, Any]]:
    from warledger.export import exporter
    from warledger.ingest import read_paths
    from warledger.ledger import article_reader, ingest_articles
    from warledger.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        ingest_articles(read_paths([corpus]).articles, store, article_reader(), link=link)
        out = Path(tmp) / "events.jsonl"
        with out.open("w", encoding="utf-8") as fh:
            exporter("jsonl").write(store.events(), fh)
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


def row(name: str, r: dict[str, Any]) -> list[str]:
    acc = r["field_accuracy"]
    cells = ["-" if acc[f] is None else f"{acc[f]:.3f}" for f in FIELDS]
    return [name, str(r["gold"]), str(r["pred"]), f"{r['precision']:.3f}", f"{r['recall']:.3f}", f"{r['f1']:.3f}"] + [
        *cells,
        str(r["false_zero"]),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "war_news"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "gold.json").exists() or not SCORER.exists():
        print(f"{corpus}: needs a gold.json, and {SCORER} beside the checkout", file=sys.stderr)
        return 2

    from warledger.textable import format_table

    score = load_scorer(SCORER)
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    head = ["run", "gold", "pred", "P", "R", "F1", *FIELDS, "false zeros"]
    linked = exported_rows(corpus, link=True)
    rows = [head, row("linked (the ledger)", score.score(gold, linked))]
    rows.append(row("unlinked (every strike alone)", score.score(gold, exported_rows(corpus, link=False))))
    print(f"{corpus.name}: shared/eval/score.py on the JSON-lines export")
    print(format_table(rows))

    parts = sorted({g["id"].split("-", 1)[0] for g in gold["events"] if "-" in str(g.get("id", ""))})
    if len(parts) > 1:
        prows = [["part", *head[1:]]]
        for part in parts:
            events = [g for g in gold["events"] if str(g.get("id", "")).startswith(part + "-")]
            sub = {"events": events, "articles": sorted({g["article"] for g in events})}
            prows.append(row(part, score.score(sub, linked)))
        print("\nlinked ledger by part of the gold (articles with no strike are not in any part)")
        print(format_table(prows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
