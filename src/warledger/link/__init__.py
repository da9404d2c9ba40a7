"""Stage ``link``: merge reports of one strike into one event, reconcile its toll, group waves."""

from .events import Report, event_id_of, mention_id, summarize, summary_of
from .linker import Candidate, Decision, decide
from .score import LinkItem, compare
from .tolls import credible, reconcile

__all__ = [
    "Candidate",
    "Decision",
    "LinkItem",
    "Report",
    "compare",
    "credible",
    "decide",
    "event_id_of",
    "mention_id",
    "reconcile",
    "summarize",
    "summary_of",
]
