"""Re-cluster a whole ledger after the linking model or data changed, people's corrections kept.

    report = relink(store)                 # or relink(store, dry_run=True): the same report, nothing written

Every stored report (mention) is decided again in publication order, as ``Store.add_article``
would decide it if the ledger were ingested again with the current linking code and data: the
same candidates (``Store._candidates``), rare-name weights counted over the articles read so far,
a person's splits never undone (``cannot`` / ``apart``). Nothing is extracted again: places,
dates, figures, embeddings and tokens stay as stored. People's corrections are then replayed in
the order they were made: a merge joins the events of its two reports again (unless a split
keeps them apart), a split takes the article's reports out again if they ended up together.

All of it happens in one transaction. Only what differs from the ledger before is written: each
report that moved gets a ``report moved`` row naming its old event, its new one and why (and a
``report removed`` row on the old event when that survives); events are ``created``, ``merged``,
``deleted`` (with an alias to the event holding most of their reports, so old ids still resolve)
and ``changed`` through ``Store._refresh``. An event keeps its id while its reports are the same.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import StoreError
from ..link import Decision, LinkItem, decide, event_id_of, summarize, summary_of
from ..link import keys as link_keys
from ..link.article import Linker, decide_article
from .db import Row
from .sql import Store, _now

WHY = "relink"
SHOWN_MOVES = 10  # moves listed in the summary; the change log has all of them

Order = tuple[str, str, int]


@dataclass(slots=True)
class Move:
    """One report whose event changed."""

    mention_id: str
    article_id: str
    old: str | None
    new: str
    why: str


@dataclass(slots=True)
class RelinkReport:
    """What a relink did (or, with ``dry_run``, would do)."""

    articles: int = 0
    mentions: int = 0
    moves: list[Move] = field(default_factory=list)
    events_before: int = 0
    events_after: int = 0
    created: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # removed events whose reports all went to one event
    merges: int = 0  # a person's merges replayed
    splits: int = 0  # a person's splits replayed
    skipped: list[str] = field(default_factory=list)  # corrections that could not be replayed, and why
    dry_run: bool = False

    def summary(self) -> str:
        """One screen: counts, then the first moves."""
        lines = [
            f"relink{' (dry run)' if self.dry_run else ''}: {self.mentions} report(s) of {self.articles} article(s)"
            " decided again in publication order",
            f"  moved        {len(self.moves)} report(s) to another event",
            f"  events       {self.events_before} before, {self.events_after} after: {len(self.created)} created,"
            f" {len(self.removed)} removed ({len(self.merged)} merged whole into another)",
            f"  corrections  {self.merges + self.splits} replayed ({self.merges} merge(s), {self.splits} split(s)),"
            f" {len(self.skipped)} skipped",
        ]
        lines += [f"    skipped: {s}" for s in self.skipped]
        for m in self.moves[:SHOWN_MOVES]:
            lines.append(_clip(f"  {m.mention_id} ({m.article_id}): {m.old} -> {m.new}  {m.why}"))
        if len(self.moves) > SHOWN_MOVES:
            lines.append(f"  ... and {len(self.moves) - SHOWN_MOVES} more (`warledger log EVENT` gives each and why)")
        if self.dry_run:
            lines.append("dry run: nothing written")
        return "\n".join(lines)


def _clip(line: str, width: int = 160) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


class _Groups:
    """The events being rebuilt: mention -> group, each group named after its earliest report.

    While reports are decided (``mirror``), each assignment is written to ``mentions.event_id``
    so that ``Store._candidates`` sees the events built so far, exactly as ingest would.
    """

    def __init__(self, store: Store, order: dict[str, Order], article_of: dict[str, str], old_ids: set[str]) -> None:
        self.store = store
        self.order = order
        self.article_of = article_of
        self.old_ids = old_ids
        self.event_of: dict[str, str] = {}
        self.members: dict[str, list[str]] = {}
        self.why: dict[str, str] = {}  # mention -> what put it where it is
        self.decision: dict[str, Decision] = {}
        self.bare: set[str] = set()  # event rows made only to hold reports while deciding
        self.written: set[str] = set()  # reports whose event was rewritten while deciding
        self.mirror = True

    def keep(self, mid: str, gid: str) -> None:
        """A report that is not decided again stays in its event (as stored: nothing written)."""
        self.event_of[mid] = gid
        self.members.setdefault(gid, []).append(mid)

    def start(self, mids: Sequence[str], why: str) -> str:
        gid = event_id_of(min(mids, key=self.order.__getitem__))
        self.members[gid] = []
        self._put(mids, gid, why)
        return gid

    def join(self, mid: str, gid: str, why: str) -> None:
        self._put([mid], gid, why)

    def absorb(self, keep: str, gone: str, why: str) -> None:
        """Every report of ``gone`` into ``keep``."""
        self._put(self.members.pop(gone), keep, why)

    def detach(self, mids: Sequence[str], why: str) -> None:
        """Take reports out of their group into a group of their own."""
        for gid in {self.event_of[m] for m in mids}:
            self.members[gid] = [m for m in self.members[gid] if m not in mids]
            if not self.members[gid]:
                del self.members[gid]
        self.settle({self.event_of[m] for m in mids})
        self.start(mids, why)

    def settle(self, gids: set[str]) -> None:
        """Rename groups to their earliest report (a merge can bring an earlier one in)."""
        for gid in sorted(gids):
            if gid not in self.members:
                continue
            named = event_id_of(min(self.members[gid], key=self.order.__getitem__))
            if named != gid:
                mids = self.members.pop(gid)
                self.members[named] = []
                self._put(mids, named, None)

    def _put(self, mids: Sequence[str], gid: str, why: str | None) -> None:
        for m in mids:
            self.event_of[m] = gid
            if why is not None:
                self.why[m] = why
        self.members.setdefault(gid, []).extend(mids)
        if self.mirror:
            self._write(mids, gid)

    def _write(self, mids: Sequence[str], gid: str) -> None:
        conn = self.store.db
        if gid not in self.old_ids and gid not in self.bare:
            self.bare.add(gid)
            conn.execute(
                "INSERT INTO events (event_id, created_at, updated_at) VALUES (?,?,?) ON CONFLICT(event_id) DO NOTHING",
                (gid, "", ""),
            )
        conn.executemany("UPDATE mentions SET event_id = ? WHERE mention_id = ?", [(gid, m) for m in mids])
        self.written.update(mids)

    def shares_article(self, a: str, b: str) -> str | None:
        common = {self.article_of[m] for m in self.members[a]} & {self.article_of[m] for m in self.members[b]}
        return min(common) if common else None


class _DryRun(Exception):
    """Carries a dry run's report out of its transaction, which is rolled back."""

    def __init__(self, report: RelinkReport) -> None:
        self.report = report


def relink(store: Store, dry_run: bool = False, link: Linker = decide) -> RelinkReport:
    """Decide every stored report again and replay people's corrections, in one transaction.

    With ``dry_run`` the work is done and rolled back: the report says what would change.
    """
    try:
        with store.db.write():  # the whole ledger is read and rewritten: the write lock first
            report = _relink(store, link)
            if dry_run:
                report.dry_run = True
                raise _DryRun(report)
    except _DryRun as done:
        return done.report
    except store.db.errors as exc:
        raise StoreError(f"{store.path}: could not relink the ledger ({exc})") from exc
    return report


def relink_from(store: Store, first: tuple[str, str], link: Linker = decide, cause: str = WHY) -> RelinkReport:
    """Inside the caller's write transaction: decide again the reports of the articles from
    ``first`` = (published day or "9999", article id) on, in publication order; the reports
    before stay where they are. ``cause`` starts the why of each change-log row it writes; a report
    stored just now (in no event yet) is logged as ingest logs it: "created", "report added".

    ``Store.add_article`` calls it when an article arrives after articles published later (from
    another process, a feed, a late file): the ledger is then what ingesting every stored
    article in publication order builds, whatever order they came in.
    """
    return _relink(store, link, first, cause)


def _relink(store: Store, link: Linker, first: tuple[str, str] | None = None, cause: str = WHY) -> RelinkReport:
    conn = store.db
    rows = conn.execute(
        "SELECT m.mention_id, m.article_id, m.seq, m.event_id, a.published FROM mentions m"
        " JOIN articles a ON a.id = m.article_id"
    ).fetchall()
    order: dict[str, Order] = {r["mention_id"]: (r["published"] or "9999", r["article_id"], r["seq"]) for r in rows}
    old: dict[str, str | None] = {r["mention_id"]: r["event_id"] for r in rows}
    old_ids = {r[0] for r in conn.execute("SELECT event_id FROM events")}
    groups = _Groups(store, order, {r["mention_id"]: r["article_id"] for r in rows}, old_ids)
    report = RelinkReport(mentions=len(rows), events_before=len(old_ids))
    again = [m for m, key in order.items() if first is None or key[:2] >= first]
    for m, key in order.items():
        if first is not None and key[:2] < first and old[m] is not None:
            groups.keep(m, old[m])  # type: ignore[arg-type]
    if first is None:
        conn.execute("UPDATE mentions SET event_id = NULL")
    else:
        conn.executemany("UPDATE mentions SET event_id = NULL WHERE mention_id = ?", [(m,) for m in again])
    report.articles = _decide_all(store, groups, link, first)
    groups.mirror = False  # corrections and the final ids are written once, below
    _replay(store, groups, report)
    _write(store, groups, old, report, cause, check_stale=first is None)
    report.events_after = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return report


class _Counts(dict[str, int]):
    """token -> articles read so far that have it, for a relink from an article on: the ledger's
    counts less those of the articles not read yet, loaded for the tokens a decision needs."""

    def __init__(self, store: Store, unread: Counter[str]) -> None:
        super().__init__()
        self.store = store
        self.unread = unread

    def read(self, tokens: list[str]) -> None:
        """One more article read."""
        for t in tokens:
            self.unread[t] -= 1
            if t in self:
                self[t] += 1

    def load(self, tokens: set[str]) -> None:
        missing = sorted(tokens - self.keys())
        if missing:
            db = self.store.db
            rows = db.execute("SELECT token, n FROM token_counts WHERE token" + db.any_of(), (db.values(missing),))
            found = {r[0]: r[1] for r in rows}
            for t in missing:
                self[t] = found.get(t, 0) - self.unread[t]

    def get(self, token: str, default: int | None = 0) -> int:  # type: ignore[override]
        if token not in self:
            self.load({token})
        return self[token]


def _decide_all(store: Store, groups: _Groups, link: Linker, first: tuple[str, str] | None = None) -> int:
    """Every article (from ``first`` on) in publication order, its reports decided together;
    RETURNS the articles read."""
    conn = store.db
    if first is None:
        articles = conn.execute("SELECT id, published, tokens FROM articles").fetchall()
        counts: dict[str, int] = {}  # token -> articles read so far that have it, as ingest counted them
        n = 0
    else:
        day, aid = first
        articles = conn.execute(
            "SELECT id, published, tokens FROM articles WHERE coalesce(published, '9999') > ?"
            " OR (coalesce(published, '9999') = ? AND id >= ?)",
            (day, day, aid),
        ).fetchall()
        counts = _Counts(store, Counter(t for a in articles for t in json.loads(a["tokens"])))
        n = conn.execute("SELECT n FROM ledger_counts WHERE name = 'articles'").fetchone()[0] - len(articles)
    articles = sorted(articles, key=lambda r: (r["published"] or "9999", r["id"]))
    by_article: dict[str, list[str]] = {}
    for m in sorted(groups.order, key=groups.order.__getitem__):
        by_article.setdefault(groups.article_of[m], []).append(m)
    norms: dict[str, tuple[int, float]] = {}
    for art in articles:
        n += 1
        tokens = json.loads(art["tokens"])
        if isinstance(counts, _Counts):
            counts.read(tokens)
        else:
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
        mids = by_article.get(art["id"])
        if not mids:
            continue

        def rarity_for(weighed: list[LinkItem], n: int = n) -> link_keys.Rarity:
            if isinstance(counts, _Counts):
                counts.load({t for c in weighed for t in c.tokens})
            return link_keys.Rarity(n, counts, norms)

        for d in decide_article(store, mids, rarity_for, link):
            _follow(groups, d)
        # like Store._refresh after an article: a merge may bring in an earlier report that names the event
        groups.settle({groups.event_of[mid] for mid in mids})
    return len(articles)


def _follow(groups: _Groups, d: Decision) -> None:
    """Carry out one decision as ``Store._apply`` does, without logging it (yet)."""
    groups.decision[d.mention_id] = d
    if d.event_id is None:
        groups.start([d.mention_id], f"new event: {d.reason}")
        return
    groups.join(d.mention_id, d.event_id, f"score {d.score:+.2f}, {d.reason}")
    for other in d.merge:
        groups.absorb(d.event_id, other, f"its event {other} merged: report {d.mention_id} is about both")


def _replay(store: Store, groups: _Groups, report: RelinkReport) -> None:
    """People's merges and splits, in the order they were made."""
    split_from: dict[str, set[str]] = {}
    acts: list[list[Row]] = []
    for r in store.db.execute("SELECT * FROM corrections ORDER BY id"):
        if r["action"] == "split":
            split_from.setdefault(r["mention_a"], set()).add(r["mention_b"])
            split_from.setdefault(r["mention_b"], set()).add(r["mention_a"])
        last = acts[-1][0] if acts else None
        same_act = last is not None and (last["at"], last["action"], last["by"]) == (r["at"], r["action"], r["by"])
        if same_act and r["action"] == "split":
            acts[-1].append(r)
        else:
            acts.append([r])
    for act in acts:
        if act[0]["action"] == "merge":
            _replay_merge(groups, act[0], split_from, report)
        else:
            _replay_split(groups, act, report)


def _replay_merge(groups: _Groups, row: Row, split_from: dict[str, set[str]], report: RelinkReport) -> None:
    a, b, by = row["mention_a"], row["mention_b"], row["by"]
    what = f"merge by {by} at {row['at'][:19]}"
    if a not in groups.event_of or b not in groups.event_of:
        report.skipped.append(f"{what}: its reports are no longer stored")
        return
    ga, gb = groups.event_of[a], groups.event_of[b]
    if ga != gb:
        shared = groups.shares_article(ga, gb)
        if shared:
            report.skipped.append(f"{what}: article {shared} reports {ga} and {gb} as two strikes")
            return
        if any(groups.event_of.get(s) == gb for m in groups.members[ga] for s in split_from.get(m, ())):
            report.skipped.append(f"{what}: a person's split keeps {ga} and {gb} apart")
            return
        groups.absorb(ga, gb, f"merged by {by} (replayed)")
        groups.settle({ga})
    report.merges += 1


def _replay_split(groups: _Groups, act: list[Row], report: RelinkReport) -> None:
    moving = {r["mention_a"] for r in act if r["mention_a"] in groups.event_of}
    staying = {r["mention_b"] for r in act if r["mention_b"] in groups.event_of}
    if not moving or not staying:
        report.skipped.append(f"split by {act[0]['by']} at {act[0]['at'][:19]}: its reports are no longer stored")
        return
    for gid in sorted({groups.event_of[m] for m in moving}):
        inside = groups.members[gid]
        if any(s in inside for s in staying):
            groups.detach([m for m in inside if m in moving], f"split by {act[0]['by']} (replayed)")
    report.splits += 1


def _final_ids(groups: _Groups, old: dict[str, str | None]) -> dict[str, str]:
    """group -> the id it keeps: the old one while its reports are the same, else its earliest report's."""
    old_members: dict[str | None, set[str]] = {}
    for m, eid in old.items():
        old_members.setdefault(eid, set()).add(m)
    same = {frozenset(ms): eid for eid, ms in old_members.items() if eid is not None}
    final = {}
    for gid, mids in groups.members.items():
        kept = same.get(frozenset(mids))
        final[gid] = kept if kept is not None and (kept == gid or kept not in groups.members) else gid
    return final


def _write(
    store: Store,
    groups: _Groups,
    old: dict[str, str | None],
    report: RelinkReport,
    cause: str = WHY,
    check_stale: bool = True,
) -> None:
    """Store the new events and log what differs from before (and, with ``check_stale``, refresh
    the events whose stored summary is not what today's code gives)."""
    conn = store.db
    final = _final_ids(groups, old)
    new = {m: final[g] for m, g in groups.event_of.items()}
    alive = set(final.values())
    now = _now()
    for eid in sorted(alive - groups.old_ids):
        store._new_event(eid, now)  # also drops an alias the id may have been
        conn.execute("UPDATE events SET created_at = ?, updated_at = ? WHERE event_id = ?", (now, now, eid))
    conn.executemany(
        "UPDATE mentions SET event_id = ? WHERE mention_id = ?",
        [(e, m) for m, e in new.items() if e != old[m] or m in groups.written],
    )
    conn.executemany("DELETE FROM events WHERE event_id = ?", [(e,) for e in sorted(groups.bare - alive)])
    anchors = {final[g]: min(mids, key=groups.order.__getitem__) for g, mids in groups.members.items()}
    for eid in sorted(alive - groups.old_ids):
        why = groups.why.get(anchors[eid], "its reports regrouped")
        store._log(eid, "created", None, None, anchors[eid], f"{cause}: {why}")
        report.created.append(eid)
    moved = sorted((m for m in new if new[m] != old[m]), key=groups.order.__getitem__)
    _log_moves(store, groups, moved, old, new, alive, report, cause)
    _remove_old(store, groups, groups.old_ids - alive, old, new, report, cause)
    changed = {new[m] for m in moved} | {e for m in moved if (e := old[m]) is not None and e in alive}
    store._refresh(changed | (_stale(store, alive - changed) if check_stale else set()), cause)


def _log_moves(
    store: Store,
    groups: _Groups,
    moved: list[str],
    old: dict[str, str | None],
    new: dict[str, str],
    alive: set[str],
    report: RelinkReport,
    cause: str = WHY,
) -> None:
    for m in moved:
        # a report not decided again moves only with its event (merged into another, or renamed)
        why = groups.why.get(m, "its event was merged or renamed")
        article, prev = groups.article_of[m], old[m]
        d = groups.decision.get(m)
        if prev is None:  # stored just now: as Store._apply logs a decision
            if d is not None and d.event_id is not None:
                store._log(new[m], "report added", None, None, m, f"{cause}: {why}")
            if d is not None:
                store._record_links(d, _now())
            continue
        store._log(new[m], "report moved", None, prev, new[m], f"{cause}: report {m} of article {article}: {why}")
        if prev in alive:
            store._log(prev, "report removed", None, m, new[m], f"{cause}: moved to {new[m]}: {why}")
        if d is not None:  # the decision behind a move is kept in links, as ingest keeps its own
            store._record_links(d, _now(), f"{cause}: ")
        report.moves.append(Move(m, article, old[m], new[m], why))


def _remove_old(
    store: Store,
    groups: _Groups,
    gone: set[str],
    old: dict[str, str | None],
    new: dict[str, str],
    report: RelinkReport,
    cause: str = WHY,
) -> None:
    """An event no longer there: aliased to the event holding most of its reports (ties: its earliest's)."""
    where: dict[str, Counter[str]] = {}
    for m in sorted(old, key=groups.order.__getitem__):
        eid = old[m]
        if eid is not None and eid in gone:
            where.setdefault(eid, Counter())[new[m]] += 1
    for eid in sorted(gone):
        spread = where.get(eid)
        if not spread:
            store._drop_event(eid, None, f"{cause}: no report left")
            report.removed.append(eid)
            continue
        into = max(spread, key=spread.__getitem__)  # the first of the largest: Counter keeps insertion order
        n = spread[into]
        if len(spread) == 1:
            store._log(into, "merged", None, eid, into, f"{cause}: all its reports are in {into}")
            report.merged.append(eid)
        store._drop_event(eid, into, f"{cause}: {n} of its {sum(spread.values())} report(s) are in {into}")
        report.removed.append(eid)


def _stale(store: Store, eids: set[str]) -> set[str]:
    """Events whose reports did not change but whose stored summary is not what the code gives now."""
    out = set()
    for eid in eids:
        row = store.db.execute("SELECT summary FROM events WHERE event_id = ?", (eid,)).fetchone()
        now = json.loads(json.dumps(summary_of(summarize(eid, store.reports(eid))), ensure_ascii=False))
        stored = json.loads(row["summary"])
        # waves are regrouped after the summary is stored (Store._refresh): its wave_id may lag, never compared
        now.pop("wave_id", None)
        stored.pop("wave_id", None)
        if now != stored:
            out.add(eid)
    return out
