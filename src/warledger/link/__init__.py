"""link stage: turn each article's strikes into ledger events with stable ids.

Merging reports of one strike from many articles comes with issue 4; today every strike an
article reports is one event, and its id is derived from the article's content hash and the
strike's position in it, so that re-reading the same article gives the same ids.
"""

from .events import LinkedEvent, link_article, reconcile

__all__ = ["LinkedEvent", "link_article", "reconcile"]
