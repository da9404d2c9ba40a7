"""API tokens: a bearer token is kept only as its sha256; the plain token is shown once."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable

from ..errors import WarledgerError
from ..store import Ledger, Store


def token_hash(token: str) -> str:
    """The sha256 of a token, as stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store_or_db_path: Store | str | os.PathLike[str], name: str) -> str:
    """Make a new token named ``name``, store its hash; RETURNS the token (it cannot be read back)."""
    name = name.strip()
    if not name:
        raise WarledgerError("a token needs a name")
    token = "wl_" + secrets.token_urlsafe(32)
    if isinstance(store_or_db_path, Store):
        _insert(store_or_db_path, name, token)
    else:
        with Store(store_or_db_path) as store:
            _insert(store, name, token)
    return token


def _insert(store: Ledger, name: str, token: str) -> None:
    store.add_token(name, token_hash(token))


def token_ok(token: str, fixed: Iterable[str], store: Ledger) -> bool:
    """True when ``token`` is one of ``fixed`` (compared in constant time) or stored hashed."""
    if not token:
        return False
    if any(hmac.compare_digest(token.encode("utf-8"), t.encode("utf-8")) for t in fixed if t):
        return True
    return store.has_token(token_hash(token))
