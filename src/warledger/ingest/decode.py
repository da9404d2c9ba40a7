"""Bytes to text, and typed fields out of JSON objects, for the ingest readers.

Every check raises :class:`BadInput` with a short problem; the readers turn it into an
``InputError`` that names the file (and line).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from datetime import date, datetime
from typing import Any

from warledger.records import EARLIEST_PUBLISHED, LATEST_PUBLISHED, plausible_published

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Past this share of control / undecodable characters a file is binary, not damaged text.
_BINARY_SHARE_UNDECODABLE = 0.3
_BINARY_SHARE_DECODED = 0.05
_SAMPLE_BYTES = 8192
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")


class BadInput(Exception):
    """One file or line that cannot be read; ``problem`` is the short reason."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``; nothing else is changed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if ch == "\ufffd" or (ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc"))
    return bad / len(text)


def check_bytes(data: bytes) -> bytes:
    """Reject empty and binary content; return the bytes without a UTF-8 BOM."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not data.strip():
        raise BadInput("empty file")
    if b"\x00" in data:
        raise BadInput("binary file, not text")
    sample = data[:_SAMPLE_BYTES].decode("utf-8", errors="replace")
    if _control_share(sample) > _BINARY_SHARE_UNDECODABLE:
        raise BadInput("binary file, not text")
    return data


def decode_utf8(data: bytes, offset_base: int = 0) -> str:
    """Decode strict UTF-8; an invalid byte is reported with its offset."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        byte = data[err.start]
        raise BadInput(f"not valid UTF-8 (byte 0x{byte:02x} at offset {offset_base + err.start})") from None


def decode_text(data: bytes) -> str:
    """Decode a whole text file: strict UTF-8 (BOM allowed), newlines normalised to ``\\n``."""
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    body = check_bytes(data)
    text = decode_utf8(body, offset_base=bom)
    if _control_share(text[:_SAMPLE_BYTES]) > _BINARY_SHARE_DECODED:
        raise BadInput("binary file, not text")
    text = normalise_newlines(text)
    if not text.strip():
        raise BadInput("empty file")
    return text


def _type_name(value: Any) -> str:
    return type(value).__name__


def str_field(obj: dict[str, Any], name: str) -> str | None:
    """The field as a string, ``None`` when absent or null; any other type is a problem."""
    value = obj.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"field '{name}' must be a string (got {_type_name(value)})")
    return value


def parse_date(value: str, name: str = "published") -> date | None:
    """Parse ``YYYY-MM-DD`` or a full ISO timestamp (its date is kept); blank means unknown."""
    text = value.strip()
    if not text:
        return None
    shown = value if len(value) <= 40 else value[:40] + "..."
    try:
        if _ISO_DATE.fullmatch(text):
            day = date.fromisoformat(text)
        elif _ISO_DATE.match(text):
            day = datetime.fromisoformat(text).date()
        else:
            raise ValueError
    except ValueError:
        raise BadInput(f"field '{name}' is not a date: {shown!r}") from None
    if plausible_published(day) is None:
        raise BadInput(f"field '{name}' is out of range ({EARLIEST_PUBLISHED} to {LATEST_PUBLISHED}): {shown!r}")
    return day


def date_field(obj: dict[str, Any], name: str = "published") -> date | None:
    """A string date field, parsed; ``None`` when absent, null or blank."""
    value = str_field(obj, name)
    return None if value is None else parse_date(value, name)
