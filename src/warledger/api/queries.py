"""The API's request parameters for event lists; the filters themselves are ``store.EventFilter``."""

from __future__ import annotations

from ..store.query import FILTER_PARAMS, TEXT_FILTERS, EventFilter, FilterError

PAGE_PARAMS = ("limit", "offset")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

__all__ = ["DEFAULT_LIMIT", "FILTER_PARAMS", "MAX_LIMIT", "PAGE_PARAMS", "TEXT_FILTERS", "EventFilter", "FilterError"]
