"""The relevance gate's recall on every corpus, its skip rate, and its speed.

    python bench/gate.py [--corpus-root ../shared/corpus] [--unrelated N] [--folds 5] [--repeat 3]

First table, under gate.json's rule, one row per corpus (each has articles.jsonl and gold.json;
gold events name their article; war_news's gold.json lists its articles without strikes too),
and one for the generated unrelated texts of bench/mixed_stream.py: articles, event-bearing
articles, passed, recall on event-bearing articles (the bar: >= 0.99 on every corpus), skip rate
on the articles without events, and the gate's articles/s; then every reference event dropped,
by id. Last, the whole mixed stream's rate.

Second table: the rule's figures chosen by cross-validation by article (each article in one of
``--folds`` folds by a hash of its id). On the other folds, among every rule of the grid whose
recall on every corpus is >= BAR and at most ALLOWANCE below the most permissive rule's (the
articles that name no cue at all are lost by every rule), the one that skips most articles
without events is chosen (ties: the more permissive); it is scored on the held-out fold. The rule chosen on all
articles is what gate.json should hold: the bench says whether it does.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mixed_stream import CORPUS_ROOT, corpus_articles, mixed_stream, unrelated_articles  # noqa: E402

if TYPE_CHECKING:
    from warledger.nlp.gate import RelevanceGate, Rule, Verdict
    from warledger.records import Article

UNRELATED = "unrelated (generated)"
BAR = 0.99  # recall on the event-bearing articles of every corpus
# what a rule may lose on a corpus's training folds beyond the articles that name no cue at all
ALLOWANCE = 0.0  # none: the gate must not drop a reference event that any cue would keep
GRID = {
    "min_weak_families": (1, 2, 3),
    "short_words": (0, 20, 40, 60, 100),
    "headline": (False, True),
    "person_window": (0, 2, 4, 8),
}


@dataclass(slots=True)
class Corpus:
    name: str
    articles: list[Article]
    events: dict[str, list[str]] = field(default_factory=dict)  # article id -> its gold event ids


def load_corpora(root: Path, n_unrelated: int | None) -> list[Corpus]:
    """Each corpus with its gold events by article, then the generated unrelated texts."""
    out = []
    for name, articles in corpus_articles(root).items():
        gold = json.loads((root / name / "gold.json").read_text(encoding="utf-8"))
        events: dict[str, list[str]] = defaultdict(list)
        for e in gold.get("events", []):
            events[e["article"]].append(str(e.get("id", "?")))
        out.append(Corpus(name, articles, dict(events)))
    total = sum(len(c.articles) for c in out)
    out.append(Corpus(UNRELATED, unrelated_articles(total if n_unrelated is None else n_unrelated)))
    return out


def rate(gate: RelevanceGate, articles: Sequence[Article], repeat: int) -> float:
    """Articles/s of ``gate.check`` (best of ``repeat`` passes)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a in articles:
            gate.check(a)
        best = min(best, time.perf_counter() - t0)
    return len(articles) / best if best > 0 else float("inf")


def recall_table(
    gate: RelevanceGate, corpora: list[Corpus], repeat: int
) -> tuple[list[list[str]], list[str], list[Article]]:
    rows = [["corpus", "articles", "event-bearing", "passed", "recall (events)", "skip rate (no events)", "articles/s"]]
    dropped = []
    lost: list[Article] = []  # the event-bearing articles skipped
    for c in corpora:
        reasons = {a.id: gate.check(a) for a in c.articles}
        bearing = [a for a in c.articles if a.id in c.events]
        empty = [a for a in c.articles if a.id not in c.events]
        kept = [a for a in bearing if reasons[a.id] is None]
        skipped = [a for a in empty if reasons[a.id] is not None]
        for a in bearing:
            if reasons[a.id] is not None:
                lost.append(a)
                dropped += [f"{c.name}: {eid} (article {a.id}: {reasons[a.id]})" for eid in c.events[a.id]]
        rows.append(
            [
                c.name,
                str(len(c.articles)),
                str(len(bearing)),
                str(sum(1 for r in reasons.values() if r is None)),
                f"{len(kept) / len(bearing):.4f}" if bearing else "-",
                f"{len(skipped) / len(empty):.3f} of {len(empty)}" if empty else "-",
                f"{rate(gate, c.articles, repeat):,.0f}",
            ]
        )
    return rows, dropped, lost


def read_anyway(articles: list[Article]) -> list[str]:
    """The skipped event-bearing articles in which the pipeline, without the gate, reads a strike:
    the events the gate really costs (an article that names no cue word is read as no strike)."""
    from warledger.ledger import article_reader

    reader = article_reader()
    return [f"{a.id}: {len(f.mentions)} strike(s)" for a in articles if (f := reader.read(a)).mentions]


def fold_of(article_id: str, folds: int) -> int:
    return int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % folds


def score(rule: Rule, items: list[tuple[str, bool, Verdict]]) -> tuple[dict[str, float], float]:
    """Recall per corpus on event-bearing articles and the skip rate on the others, under ``rule``."""
    return tally([(corpus, bearing, verdict.passes(rule)) for corpus, bearing, verdict in items])


def tally(outcomes: list[tuple[str, bool, bool]]) -> tuple[dict[str, float], float]:
    """Recall per corpus and skip rate from (corpus, event-bearing, passed) outcomes."""
    hit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    skipped = empty = 0
    for corpus, bearing, ok in outcomes:
        if bearing:
            hit[corpus][0] += ok
            hit[corpus][1] += 1
        else:
            empty += 1
            skipped += not ok
    return {k: v[0] / v[1] for k, v in hit.items()}, skipped / empty if empty else 0.0


def choose(rules: list[Rule], items: list[tuple[str, bool, Verdict]]) -> Rule | None:
    """The rule that skips most articles without events while, on every corpus, its recall stays at
    the bar and at most ALLOWANCE below the most permissive rule's (``rules[0]``: any cue at all)."""
    ceiling, _ = score(rules[0], items)
    best: tuple[float, float] | None = None
    chosen = None
    for rule in rules:  # most permissive first: a tie keeps the earlier
        recalls, skip = score(rule, items)
        if any(r < BAR or r < ceiling[name] - ALLOWANCE for name, r in recalls.items()):
            continue
        key = (skip, min(recalls.values()))
        if best is None or key > best:
            best, chosen = key, rule
    return chosen


def grid() -> list[Rule]:
    from warledger.nlp.gate import Rule

    rules = [Rule(*values) for values in itertools.product(*GRID.values())]
    # most permissive first: fewer families needed, longer 'short', headline on, wider window
    return sorted(rules, key=lambda r: (r.min_weak_families, -r.short_words, not r.headline, -r.person_window))


def cross_validate(gate: RelevanceGate, corpora: list[Corpus], folds: int) -> tuple[list[list[str]], Rule | None]:
    items: list[tuple[int, str, bool, Verdict]] = []
    for c in corpora:
        for a in c.articles:
            items.append((fold_of(a.id, folds), c.name, a.id in c.events, gate.read(a)))
    rules = grid()
    held: list[tuple[str, bool, bool]] = []  # each held-out article under its own fold's rule
    rows = [["fold", "rule chosen on the other folds", "held-out min recall", "held-out skip rate"]]
    for k in range(folds):
        rule = choose(rules, [(c, b, v) for f, c, b, v in items if f != k])
        test = [(c, b, v) for f, c, b, v in items if f == k]
        if rule is None:
            rows.append([str(k), "none keeps the recall", "-", "-"])
            continue
        recalls, skip = score(rule, test)
        held += [(c, b, v.passes(rule)) for c, b, v in test]
        worst = min(recalls, key=lambda name: recalls[name])
        rows.append([str(k), show(rule), f"{recalls[worst]:.4f} ({worst})", f"{skip:.3f}"])
    pooled, skip = tally(held)
    if pooled:
        worst = min(pooled, key=lambda name: pooled[name])
        rows.append(["all", "(each fold's own rule)", f"{pooled[worst]:.4f} ({worst})", f"{skip:.3f}"])
    return rows, choose(rules, [(c, b, v) for _, c, b, v in items])


def show(rule: Rule) -> str:
    return (
        f"families>={rule.min_weak_families} short<{rule.short_words} "
        f"headline={'on' if rule.headline else 'off'} window={rule.person_window}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus-root", type=Path, default=CORPUS_ROOT)
    ap.add_argument("--unrelated", type=int, default=None, help="generated texts (default: as many as corpus articles)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=3, help="timed passes per corpus (the best counts)")
    ap.add_argument("--no-read", action="store_true", help="do not read the skipped event-bearing articles with spaCy")
    args = ap.parse_args()
    if not args.corpus_root.is_dir():
        print(f"{args.corpus_root}: corpus folder not found", file=sys.stderr)
        return 2
    from warledger.nlp.gate import RelevanceGate
    from warledger.textable import format_table

    t0 = time.perf_counter()
    gate = RelevanceGate.load()
    print(f"gate loaded in {time.perf_counter() - t0:.2f} s; rule in gate.json: {show(gate.rule)}\n")
    corpora = load_corpora(args.corpus_root, args.unrelated)
    rows, dropped, lost = recall_table(gate, corpora, args.repeat)
    print(format_table(rows))
    print(f"\nreference events dropped: {len(dropped)}")
    for line in dropped:
        print(f"  {line}")
    if lost and not args.no_read:
        read = read_anyway(lost)
        print(f"of their {len(lost)} articles, read as a strike by the pipeline without the gate: {len(read)}")
        for line in read:
            print(f"  {line}")
    stream = mixed_stream(args.unrelated, corpus_root=args.corpus_root)
    chars = sum(len(a.text) for a in stream)
    per_s = rate(gate, stream, args.repeat)
    print(
        f"\nmixed stream: {len(stream)} articles, {per_s:,.0f} articles/s, {per_s * chars / len(stream):,.0f} chars/s"
    )

    cv_rows, all_rule = cross_validate(gate, corpora, args.folds)
    print(
        f"\ncross-validation by article ({args.folds} folds; on the training folds of every corpus, recall"
        f" >= {BAR} and at most {ALLOWANCE} below the most permissive rule's)"
    )
    print(format_table(cv_rows))
    if all_rule is None:
        print("on all articles: no rule of the grid keeps the recall")
    else:
        same = "the same as gate.json's" if all_rule == gate.rule else "NOT gate.json's: update its 'rule'"
        print(f"on all articles: {show(all_rule)} ({same})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
