"""Polite HTTP for the follower: one client, a User-Agent naming warledger, a time-out on every
request, a delay between two requests to one host, robots.txt honoured, conditional requests.

Every failure is a :class:`FetchError` with a short problem and whether trying again later may
help (5xx, 429, time-outs and connection errors may; a 404 or a page too large will not).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

MAX_BYTES = 5_000_000  # a feed or a page larger than this is refused (read no further)
ROBOTS_TTL = 24 * 3600.0  # seconds a host's robots.txt is kept before it is read again
ROBOTS_AGENT = "warledger"  # the name robots.txt rules are matched against
_RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A request that failed; ``transient``: trying again later may succeed."""

    def __init__(self, problem: str, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.transient = transient
        self.retry_after = retry_after


class Stopped(Exception):
    """The follower was asked to stop while waiting for its turn at a host."""


@dataclass(slots=True)
class Fetched:
    """A response read whole: ``status`` 200 (or another 2xx), or 304 for a conditional request."""

    url: str  # after redirects
    status: int
    content: bytes
    headers: httpx.Headers
    text: str = field(default="", repr=False)


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds, or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _decode(content: bytes, charset: str | None) -> str:
    """The body as text, in the charset the server names (UTF-8 when it names none or an unknown one)."""
    try:
        return content.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return content.decode("utf-8", errors="replace")


class Fetcher:
    """GET with the follower's manners; one per follower (not shared between threads)."""

    def __init__(
        self,
        user_agent: str,
        timeout: float,
        host_delay: float,
        delays: dict[str, float] | None = None,
        stop: threading.Event | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.default_delay = host_delay
        self.delays = dict(delays or {})
        self.stop = stop or threading.Event()
        self.clock = clock
        self.next_turn: dict[str, float] = {}  # host -> when its next request may start
        self.robots: dict[str, tuple[float, RobotFileParser]] = {}
        self.client = httpx.Client(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout),
            follow_redirects=True,
            max_redirects=5,
        )

    def close(self) -> None:
        self.client.close()

    def _delay(self, host: str) -> float:
        delay = self.delays.get(host, self.default_delay)
        cached = self.robots.get(host)
        crawl = cached[1].crawl_delay(ROBOTS_AGENT) if cached else None
        return max(delay, float(crawl or 0))

    def _wait_turn(self, host: str) -> None:
        """Sleep until ``host`` may be asked again (the stop event cuts the wait short)."""
        wait = self.next_turn.get(host, 0.0) - self.clock()
        if wait > 0 and self.stop.wait(wait):
            raise Stopped()
        if self.stop.is_set():
            raise Stopped()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET ``url`` whole, in its host's turn; FetchError unless 2xx or 304."""
        host = host_of(url)
        self._wait_turn(host)
        deadline = time.monotonic() + self.timeout * 3  # a page trickled byte by byte ends too
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > MAX_BYTES:
                        raise FetchError(f"larger than {MAX_BYTES // 1_000_000} MB, not read", transient=False)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the whole response took too long")
                fetched = Fetched(str(response.url), response.status_code, bytes(body), response.headers)
                if response.status_code < 300:
                    fetched.text = _decode(fetched.content, response.charset_encoding)
        except httpx.TimeoutException:
            raise FetchError(f"timed out after {self.timeout:g} s", transient=True) from None
        except httpx.TooManyRedirects:
            raise FetchError("too many redirects", transient=False) from None
        except httpx.TransportError as err:
            raise FetchError(f"cannot connect ({type(err).__name__}: {err})", transient=True) from None
        finally:
            self.next_turn[host] = self.clock() + self._delay(host)
        status = fetched.status
        if status == 304 or 200 <= status < 300:
            return fetched
        transient = status in _RETRY_STATUS or status >= 500
        raise FetchError(f"HTTP {status}", transient, _retry_after(fetched.headers.get("retry-after")))

    def allowed(self, url: str) -> bool:
        """True when the host's robots.txt lets warledger fetch ``url``; FetchError (transient)
        when robots.txt cannot be read (5xx, time-out): then nothing of the host is fetched."""
        host = host_of(url)
        cached = self.robots.get(host)
        if cached is None or self.clock() - cached[0] > ROBOTS_TTL:
            cached = (self.clock(), self._read_robots(url))
            self.robots[host] = cached
        return cached[1].can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        parser = RobotFileParser(robots_url)
        try:
            lines = self.get(robots_url).text.splitlines()
        except FetchError as err:
            status = err.problem.removeprefix("HTTP ")
            if status in ("401", "403"):
                lines = ["User-agent: *", "Disallow: /"]  # as urllib.robotparser reads them
            elif status.isdigit() and not err.transient:
                lines = []  # no robots.txt (404 and the like): no rules
            else:
                raise FetchError(f"robots.txt unreadable ({err.problem})", transient=True) from None
        parser.parse(lines)
        parser.modified()  # can_fetch answers False until the file is marked read
        return parser
