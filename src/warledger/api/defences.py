"""The API's defences: limits on request bodies, safe JSON parsing, security headers on every
answer, a catch-all for unexpected errors and in-memory rate limits on writes and failed logins.

Each limit has a default here (one place), settable through ``create_app``; each refusal is one
clear line (``{"detail": ...}``) with its status: 413 too large, 400 bad JSON or too deep, 429 too
many requests (with ``Retry-After``).
"""

from __future__ import annotations

import json
import math
import re
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 10 * 1024 * 1024  # a POST body larger than this is refused (413) before it is read whole
MAX_JSON_DEPTH = 32  # arrays / objects nested deeper than this are refused (400): an article is 2 deep
MAX_ARTICLE_CHARS = 2_000_000  # an article's text or html longer than this is a problem line, not ingested
WRITE_BURST = 60  # writes a token or an address may make at once ...
WRITE_PER_MINUTE = 60  # ... and then this many a minute
AUTH_FAILURE_BURST = 10  # wrong or missing tokens an address may send at once ...
AUTH_FAILURES_PER_MINUTE = 6  # ... and then this many a minute; more are answered 429

# The page's policy (web/index.html's meta tag), plus what only a header can say: no framing
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BodyError(ValueError):
    """A request body refused: ``status`` and a one-line ``detail``."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in ``body`` (brackets inside strings not counted): found
    without recursion, so a body nested 100,000 deep is measured, not a RecursionError."""
    depth = deepest = 0
    for m in _BRACKETS.finditer(_STRINGS.sub(b'""', body)):
        if m.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def parse_json_body(body: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The JSON value of a request body; BodyError(400) when it is not JSON or nests too deep."""
    if json_depth(body) > max_depth:
        raise BodyError(400, f"the body nests deeper than {max_depth} levels of arrays or objects")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise BodyError(400, "the body is not JSON: send an article object or a list of them") from None


class SecurityHeaders:
    """ASGI middleware, outermost: the security headers on every answer (API, page, static files,
    errors), a declared Content-Length over ``max_body`` refused (413) before the body is read, and
    an unexpected exception answered as a JSON 500 (one line on stderr, no traceback to the client)."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        declared = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.max_body:
            detail = f"the body is larger than {self.max_body} bytes" if declared.isdigit() else "bad Content-Length"
            await _plain_error(send_with_headers, 413 if declared.isdigit() else 400, detail)
            return
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # the last resort: no handler should let one through
            print(f"warledger serve: {scope.get('method')} {scope.get('path')}: {exc!r}", file=sys.stderr, flush=True)
            if not started:
                await _plain_error(send_with_headers, 500, "internal error: the server could not answer this request")


async def _plain_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """Token buckets by key (a token's hash, an address): ``burst`` at once, refilled at
    ``per_minute``; in memory, so they start full when the server does. ``per_minute <= 0``:
    no limit."""

    def __init__(self, burst: int, per_minute: float) -> None:
        self.burst = burst
        self.rate = per_minute / 60.0
        self.buckets: dict[str, _Bucket] = {}
        self.lock = threading.Lock()

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may act again (0: now), without using a turn."""
        if self.rate <= 0:
            return 0.0
        with self.lock:
            bucket = self._refill(key)
            return 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / self.rate

    def take(self, key: str) -> float:
        """Use one of ``key``'s turns; RETURNS 0, or the seconds to wait when none is left."""
        if self.rate <= 0:
            return 0.0
        with self.lock:
            bucket = self._refill(key)
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _refill(self, key: str) -> _Bucket:
        now = time.monotonic()
        bucket = self.buckets.get(key)
        if bucket is None:
            if len(self.buckets) > 100_000:  # a flood of addresses: forget the full buckets
                self.buckets = {k: b for k, b in self.buckets.items() if b.tokens < self.burst}
            bucket = self.buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        return bucket


def retry_after(seconds: float) -> dict[str, str]:
    """The ``Retry-After`` header of a 429 (whole seconds, at least 1)."""
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
