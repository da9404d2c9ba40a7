"""Deciding one article's reports: what the linker weighs, read through the ledger, then decided.

    decisions = decide_article(ledger_reads, mention_ids, rarity_for)

The store and relink both link an article this way; they differ only in the rare-name counts
(the ledger's now, or as of the article in publication order) and in how they carry out the
decisions. The ledger reads are a protocol: ``store.Store`` gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Protocol

from . import keys
from .linker import Decision, decide
from .score import LinkItem

Linker = Callable[
    [
        Sequence[LinkItem],
        Mapping[str, Sequence[LinkItem]],
        keys.Rarity,
        Mapping[str, Iterable[str]],
        set[frozenset[str]],
    ],
    list[Decision],
]


class LinkReads(Protocol):
    """What deciding a report reads of the ledger."""

    def _item(self, mid: str) -> LinkItem: ...
    def _candidates(self, item: LinkItem) -> list[LinkItem]: ...
    def _split_from(self, mid: str) -> set[str]: ...
    def _kept_apart(self, candidates: Sequence[LinkItem]) -> set[frozenset[str]]: ...


def decide_article(
    reads: LinkReads,
    mention_ids: Sequence[str],
    rarity_for: Callable[[list[LinkItem]], keys.Rarity],
    link: Linker = decide,
) -> list[Decision]:
    """The decisions for an article's stored reports, taken together (one article never merges its
    own strikes); ``rarity_for`` gives the rare-name weights for the reports and their candidates."""
    items = [reads._item(mid) for mid in mention_ids]
    candidates = {item.mention_id: reads._candidates(item) for item in items}
    everyone = [c for cs in candidates.values() for c in cs]
    cannot = {mid: reads._split_from(mid) for mid in mention_ids}
    return link(items, candidates, rarity_for([*items, *everyone]), cannot, reads._kept_apart(everyone))
