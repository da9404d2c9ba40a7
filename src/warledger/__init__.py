"""warledger: a sourced ledger of strike events and casualties, read from war reporting.

    from warledger import open_ledger, ingest_into, events, export_events

The Python API (``warledger.library``) is imported on first use, so the CLI starts without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .library import events, export_events, ingest_into, open_ledger

__version__ = "0.1.0"
__all__ = ["__version__", "events", "export_events", "ingest_into", "open_ledger"]

_LIBRARY = ("events", "export_events", "ingest_into", "open_ledger")


def __getattr__(name: str) -> Any:
    if name in _LIBRARY:
        from . import library

        return getattr(library, name)
    raise AttributeError(f"module 'warledger' has no attribute {name!r}")
