"""The REST API: the ledger over HTTP (FastAPI), read by the web page, written with a token."""

from .app import create_app
from .tokens import create_token

__all__ = ["create_app", "create_token"]
