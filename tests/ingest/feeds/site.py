"""A web site on 127.0.0.1 for the follower's tests: feeds and article pages by path, answered by
http.server in threads of this process, every request logged. The reports are written for these
tests (made-up strikes, in our own words)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

# city -> (the day of the strike, the report's first sentence, (killed, injured) as it says)
REPORTS: dict[str, tuple[str, str, tuple[int | None, int]]] = {
    "zhytomyr": (
        "2025-05-03",
        "A missile strike on Zhytomyr on 3 May 2025 killed two people and injured five, the regional governor said.",
        (2, 5),
    ),
    "poltava": (
        "2025-05-04",
        "A Russian drone hit an apartment block in Poltava on 4 May 2025, killing three people and"
        " injuring eleven, local officials said.",
        (3, 11),
    ),
    "sumy": (
        "2025-05-05",
        "Russian shelling of Sumy on 5 May 2025 killed one man and wounded four others, the city council said.",
        (1, 4),
    ),
    "odesa": (
        "2025-05-06",
        "A ballistic missile struck the port of Odesa on 6 May 2025, killing four workers and injuring seven,"
        " the regional administration said.",
        (4, 7),
    ),
    "chernihiv": (
        "2025-05-07",
        "A drone attack on Chernihiv on 7 May 2025 injured six people, among them two children, the mayor said.",
        (None, 6),
    ),
    "kharkiv": (
        "2025-05-08",
        "Guided bombs dropped on Kharkiv on 8 May 2025 killed five people and injured twenty,"
        " the regional governor said.",
        (5, 20),
    ),
    "dnipro": (
        "2025-05-09",
        "A missile attack on Dnipro on 9 May 2025 killed two people and injured nine, the regional governor said.",
        (2, 9),
    ),
    "mykolaiv": (
        "2025-05-10",
        "A Russian strike on Mykolaiv on 10 May 2025 killed one woman and injured three people,"
        " the regional head said.",
        (1, 3),
    ),
    "kherson": (
        "2025-05-11",
        "Artillery fire on Kherson on 11 May 2025 killed two people and injured eight,"
        " the regional administration said.",
        (2, 8),
    ),
    "zaporizhzhia": (
        "2025-05-12",
        "A drone strike on Zaporizhzhia on 12 May 2025 killed three people and injured fourteen,"
        " the regional governor said.",
        (3, 14),
    ),
    "rivne": (
        "2025-05-13",
        "A missile strike on Rivne on 13 May 2025 injured four people, the regional governor said.",
        (None, 4),
    ),
    "lutsk": (
        "2025-05-14",
        "A drone attack on Lutsk on 14 May 2025 killed one person and injured two, the city mayor said.",
        (1, 2),
    ),
}
TOLLS = {city: toll for city, (_, _, toll) in REPORTS.items()}


def page_html(city: str, dated: bool = True) -> str:
    """An outlet's article page for ``city``: the report, a line of boilerplate, and (``dated``)
    its publication time in a meta tag, the day after the strike."""
    day, sentence, _ = REPORTS[city]
    title = f"Strike on {city.capitalize()}"
    meta = f'<meta property="article:published_time" content="{day[:8]}{int(day[8:]) + 1:02d}T07:30:00+00:00">'
    return (
        f"<html><head><title>{title}</title>{meta if dated else ''}</head><body><nav>Home | News | Regions</nav>"
        f"<article><h1>{title}</h1><p>{sentence}</p>"
        "<p>Emergency crews worked at the site through the day and cleared the debris from the street.</p>"
        "</article><footer>Example Desk, all rights reserved</footer></body></html>"
    )


@dataclass(frozen=True, slots=True)
class Item:
    """A feed entry: ``date`` is the feed's pubDate (ISO day) or None."""

    guid: str | None
    link: str
    title: str
    date: str | None = None


def _rfc822(day: str) -> str:
    return format_datetime(datetime.fromisoformat(day).replace(hour=6, tzinfo=UTC))


def rss(title: str, items: list[Item]) -> str:
    entries = []
    for it in items:
        guid = f'<guid isPermaLink="false">{escape(it.guid)}</guid>' if it.guid else ""
        day = f"<pubDate>{_rfc822(it.date)}</pubDate>" if it.date else ""
        entries.append(f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>{guid}{day}</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test feed</description>"
        f"{''.join(entries)}</channel></rss>"
    )


def atom(title: str, items: list[Item]) -> str:
    entries = []
    for it in items:
        day = f"<updated>{it.date}T06:00:00Z</updated>" if it.date else ""
        entries.append(
            f"<entry><title>{escape(it.title)}</title><id>{escape(it.guid or it.link)}</id>"
            f'<link href="{escape(it.link)}"/>{day}</entry>'
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id><updated>2025-05-15T00:00:00Z</updated>"
        f"{''.join(entries)}</feed>"
    )


@dataclass(slots=True)
class Page:
    """What the site answers at one path."""

    body: str = ""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Request:
    path: str
    status: int
    headers: dict[str, str]
    at: float  # time.monotonic() when it came


@dataclass(slots=True)
class Site:
    """``with Site() as site``: pages set with ``site.pages[path] = Page(...)``, requests in ``site.log``."""

    pages: dict[str, Page] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    served: threading.Condition = field(init=False)
    server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.served = threading.Condition(self.lock)

    def __enter__(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                site.answer(self)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="feed-site", daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        page = self.pages.get(path)
        status = 404 if page is None else page.status
        if page is not None and page.delay:
            time.sleep(page.delay)
        if page is not None and status == 200:
            if page.etag and handler.headers.get("If-None-Match") == page.etag:
                status = 304
            elif page.last_modified and handler.headers.get("If-Modified-Since") == page.last_modified:
                status = 304
        with self.served:
            self.log.append(Request(path, status, dict(handler.headers.items()), time.monotonic()))
            self.served.notify_all()
        body = (page.body if page is not None and status == 200 else "").encode("utf-8")
        try:
            handler.send_response(status)
            if page is not None:
                handler.send_header("Content-Type", page.content_type)
                if page.etag:
                    handler.send_header("ETag", page.etag)
                if page.last_modified:
                    handler.send_header("Last-Modified", page.last_modified)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if status != 304:
                handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its time-out)
            pass

    def hits(self, path: str, status: int | None = None) -> int:
        """How many requests for ``path`` came (with ``status``, when given)."""
        with self.lock:
            return sum(1 for r in self.log if r.path == path and (status is None or r.status == status))

    def requests(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.path == path]

    def wait_for(self, count: int, prefix: str, timeout: float) -> bool:
        """Wait until ``count`` pages under ``prefix`` were answered 200; False on time-out."""

        def enough() -> bool:
            return sum(1 for r in self.log if r.path.startswith(prefix) and r.status == 200) >= count

        with self.served:
            return self.served.wait_for(enough, timeout)
