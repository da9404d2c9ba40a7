"""Reading languages other than English: each has a data file in ``data/lang/`` and is read by the
one document model through a gloss (``gloss.py``)."""

from .gloss import LANGUAGES, Glossed, Glosser, PlaceSpans, load_language, restore_quotes, transliterate

__all__ = ["LANGUAGES", "Glossed", "Glosser", "PlaceSpans", "load_language", "restore_quotes", "transliterate"]
