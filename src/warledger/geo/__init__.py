"""geo stage: an offline gazetteer (GeoNames via installed packages), a matcher that finds
place mentions in text, and a resolver / geocoder that returns :class:`~warledger.records.Place`.
"""

from warledger.geo._aliases import AliasData, PlaceAlias, default_alias_path, load_aliases
from warledger.geo._text import norm
from warledger.geo.gazetteer import Gazetteer
from warledger.geo.matcher import MentionKind, PlaceMention
from warledger.geo.settlements import Box, Settlement

__all__ = [
    "AliasData",
    "Box",
    "Gazetteer",
    "MentionKind",
    "PlaceAlias",
    "PlaceMention",
    "Settlement",
    "default_alias_path",
    "load_aliases",
    "norm",
]
