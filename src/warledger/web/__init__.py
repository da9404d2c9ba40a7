"""The web page (map, timeline, event panel), built from ``web/`` by ``npm run build``.

The build writes ``static/`` here (git-ignored); the API serves it at ``/`` when it exists.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"


def built() -> bool:
    """Whether the page has been built (``static/index.html`` exists)."""
    return (STATIC_DIR / "index.html").is_file()
