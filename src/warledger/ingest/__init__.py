"""ingest stage: read text, HTML and JSON-lines reports into ``Article`` records."""

from warledger.ingest.readers import (
    READERS,
    HtmlReader,
    JsonlReader,
    Reader,
    ReadResult,
    TextReader,
    iter_path,
    read_paths,
    reader_for,
)

__all__ = [
    "READERS",
    "HtmlReader",
    "JsonlReader",
    "ReadResult",
    "Reader",
    "TextReader",
    "iter_path",
    "read_paths",
    "reader_for",
]
