"""``warledger follow``: poll RSS / Atom feeds, read each new item's page, store it in the ledger.

One poll of a source: robots.txt is asked, the feed is fetched conditionally (its ETag and
Last-Modified kept in the ledger; a 304 fetches nothing more), each item not seen before (its
guid, else its link) has its page fetched and read (text, title, markup date; the feed's date
when the page has none), the pages are extracted and stored in batches, and only then is each
item marked seen. The order of those writes is the crash safety: a follower killed at any point
reads again, on restart, the items it had not marked, and an article already stored (by its
text's hash) changes nothing; the feed's validators are kept only once every item of the
response is marked, so a restart never takes a 304 for items it did not read.

A source that fails (5xx, time-out, no connection, not a feed) is reported and tried again
after a back-off that doubles per failure; a page that fails is tried again on later polls,
up to MAX_ATTEMPTS times. Neither stops the other sources.
"""

from __future__ import annotations

import hashlib
import io
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from os import PathLike
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from warledger.errors import SourceError, WarledgerError
from warledger.ingest.decode import BadInput
from warledger.ingest.language import settle_language
from warledger.ingest.readers import html_article
from warledger.progress import Progress
from warledger.records import Article
from warledger.store import FeedState, Ledger, SeenItem, Store

from .common import Ingester, ReaderSource
from .config import FollowConfig, Source
from .fetch import Fetched, Fetcher, FetchError, Stopped

MAX_ATTEMPTS = 5  # a page that failed this many times is given up (status 'rejected')
MIN_IDLE, MAX_IDLE = 0.5, 300.0  # seconds the loop sleeps between looks at the schedule


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed: ``key`` is its guid, else its link."""

    key: str
    link: str | None
    title: str | None = None
    published: date | None = None  # the feed's date, used when the page gives none
    attempts: int = 0  # earlier failed attempts at its page


@dataclass(slots=True)
class Feed:
    title: str | None
    items: list[FeedItem]
    etag: str | None
    last_modified: str | None


@dataclass(slots=True)
class PollResult:
    """What one poll of one source did; ``line()`` is what the command prints."""

    source: str
    new: int = 0
    stored: int = 0
    skipped: int = 0  # by the relevance gate
    duplicates: int = 0
    not_modified: bool = False
    failed: bool = False
    errors: list[SourceError] = field(default_factory=list)

    def line(self) -> str:
        text = f"{self.source}: {self.new} new item(s), {self.stored} stored, {len(self.errors)} error(s)"
        if self.skipped:
            text += f", {self.skipped} skipped by the gate"
        if self.duplicates:
            text += f", {self.duplicates} already read from another item"
        if self.not_modified:
            text += " (feed not modified)"
        if self.failed:
            text += " (source failed)"
        return text


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _entry_date(entry: Any) -> date | None:
    """The feed's own date for an entry (feedparser gives UTC time tuples)."""
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if value:
            try:
                return date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _clean_link(link: str | None, base: str) -> str | None:
    """An entry's link made absolute, without its #fragment; None unless http(s)."""
    if not link or not link.strip():
        return None
    absolute = urljoin(base, link.strip()).split("#", 1)[0]
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def items_of(parsed: Any, base: str) -> list[FeedItem]:
    """The entries of a parsed feed as items, in feed order; a guid repeated keeps its first."""
    items: dict[str, FeedItem] = {}
    for entry in parsed.entries:
        link = _clean_link(entry.get("link"), base)
        key = (entry.get("id") or "").strip() or link
        if key is None:  # neither guid nor link: named by what it says
            said = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
            key = "sha1:" + hashlib.sha1(said.encode("utf-8")).hexdigest()
        if key not in items:
            items[key] = FeedItem(key, link, (entry.get("title") or "").strip() or None, _entry_date(entry))
    return list(items.values())


def article_id(link: str) -> str:
    """A page's article id: its host and a hash of its address (one page, one id, in any feed)."""
    return f"{urlsplit(link).netloc.lower()}-{hashlib.sha1(link.encode('utf-8')).hexdigest()[:12]}"


def page_article(fetched: Fetched, item: FeedItem, outlet: str | None) -> Article:
    """A fetched page as an article: the page's date, else the feed's; BadInput when unreadable."""
    kind = fetched.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and "html" not in kind:
        raise BadInput(f"not an HTML page ({kind})")
    assert item.link is not None
    article = html_article(fetched.text, article_id(item.link), item.link)
    article.published = article.published or item.published
    article.title = article.title or item.title
    article.url = item.link
    article.outlet = outlet
    return settle_language(article)


def _batches(items: Iterable[FeedItem], size: int) -> Iterator[list[FeedItem]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class Follower:
    """Polls the sources of a FollowConfig into the ledger at ``db``.

    ``run_once()`` polls each source now; ``run()`` polls each when it is due until ``stop()``
    (or the stop event) ends it; ``start()`` runs it in a thread (``serve --follow``).
    ``on_poll`` is called with each PollResult; ``clock`` gives the time (UTC).
    """

    def __init__(
        self,
        config: FollowConfig,
        db: str | PathLike[str],
        *,
        reader: ReaderSource = None,
        lock: threading.Lock | None = None,
        on_poll: Callable[[PollResult], None] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config = config
        self.db = db
        self.ingester = Ingester(reader, lock)
        self.on_poll = on_poll or (lambda result: None)
        self.now = clock or (lambda: datetime.now(UTC))
        self.stop_event = threading.Event()
        self._thread: threading.Thread | None = None

    def _fetcher(self) -> Fetcher:
        c = self.config
        return Fetcher(c.user_agent, c.timeout, c.host_delay, c.host_delays(), self.stop_event)

    # -- running -----------------------------------------------------------------------

    def run_once(self) -> list[PollResult]:
        """Poll every source once, now (whatever its schedule), in the order of the file."""
        results: list[PollResult] = []
        with Store(self.db) as store:
            fetcher = self._fetcher()
            try:
                for source in self.config.sources:
                    results.append(self._poll_reported(store, fetcher, source))
            except Stopped:
                pass
            finally:
                fetcher.close()
        return results

    def run(self) -> None:
        """Poll each source when it is due until the stop event is set."""
        with Store(self.db) as store:
            fetcher = self._fetcher()
            try:
                while not self.stop_event.is_set():
                    for source in self.due(store, self.now()):
                        self._poll_reported(store, fetcher, source)
                    self.stop_event.wait(self.idle(store, self.now()))
            except Stopped:
                pass
            finally:
                fetcher.close()

    def start(self) -> None:
        """Run in a background thread (stopped by ``stop``)."""
        self.stop_event.clear()
        self._thread = threading.Thread(target=self._run_in_thread, name="warledger-follow", daemon=True)
        self._thread.start()

    def _run_in_thread(self) -> None:
        try:
            self.run()
        except WarledgerError as exc:  # the ledger cannot be opened: said in one line, not a traceback
            print(f"follow: stopped: {exc}", file=sys.stderr, flush=True)

    @property
    def running(self) -> bool:
        """True while the thread ``start`` began is alive."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float | None = None) -> bool:
        """Ask the loop to end (after the request or batch in hand) and wait for it; RETURNS
        True when it has ended."""
        self.stop_event.set()
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    def due(self, store: Ledger, now: datetime) -> list[Source]:
        """The sources whose next poll is due at ``now`` (never polled: due)."""
        due = []
        for source in self.config.sources:
            state = store.feed_state(source.name)
            if state is None or state.url != source.url or not state.next_poll or state.next_poll <= _iso(now):
                due.append(source)
        return due

    def idle(self, store: Ledger, now: datetime) -> float:
        """Seconds until the next source is due (held between MIN_IDLE and MAX_IDLE)."""
        waits = []
        for source in self.config.sources:
            state = store.feed_state(source.name)
            if state is None or not state.next_poll:
                return MIN_IDLE
            waits.append((datetime.fromisoformat(state.next_poll) - now).total_seconds())
        return min(MAX_IDLE, max(MIN_IDLE, min(waits)))

    # -- one poll ----------------------------------------------------------------------

    def _poll_reported(self, store: Ledger, fetcher: Fetcher, source: Source) -> PollResult:
        try:
            result = self.poll(store, fetcher, source)
        except Stopped:
            raise
        except Exception as exc:  # a parser bug, the database busy: this source only, tried again later
            result = PollResult(source.name)
            problem = f"poll failed ({type(exc).__name__}: {exc})"
            try:
                self._failed(store, self._state(store, source), result, problem)
            except Exception:  # the ledger itself failing: reported, and the source is due again
                result.failed = True
                result.errors.append(SourceError(source.name, problem))
        self.on_poll(result)
        return result

    def _state(self, store: Ledger, source: Source) -> FeedState:
        state = store.feed_state(source.name)
        if state is None or state.url != source.url:  # a new address: the old validators mean nothing
            return FeedState(source.name, source.url)
        return state

    def poll(self, store: Ledger, fetcher: Fetcher, source: Source) -> PollResult:
        """Poll one source: its feed, then its new items' pages (and those that failed before)."""
        result = PollResult(source.name)
        state = self._state(store, source)
        try:
            feed = self._read_feed(fetcher, source, state)
        except FetchError as err:
            return self._failed(store, state, result, f"feed {source.url}: {err.problem}", err.retry_after)
        result.not_modified = feed is None
        if feed is not None:
            state.title = feed.title
        outlet = source.outlet or state.title or source.name
        self._take(store, fetcher, source, self._pending(store, source, feed, result), outlet, result)
        if feed is not None:  # every item of this response is marked: its validators may be kept
            state.etag, state.last_modified = feed.etag, feed.last_modified
        now = self.now()
        state.failures, state.last_error, state.polled_at = 0, None, _iso(now)
        state.next_poll = _iso(now + timedelta(seconds=source.interval))
        store.save_feed_state(state)
        return result

    def _failed(
        self, store: Ledger, state: FeedState, result: PollResult, problem: str, retry_after: float | None = None
    ) -> PollResult:
        """Count a failure, put the next try off (back-off, or the server's Retry-After), report it."""
        now = self.now()
        state.failures += 1
        wait = max(self.config.backoff(state.failures), retry_after or 0.0)
        state.last_error, state.polled_at = problem, _iso(now)
        state.next_poll = _iso(now + timedelta(seconds=wait))
        store.save_feed_state(state)
        result.failed = True
        result.errors.append(SourceError(state.name, f"{problem} (failure {state.failures}; next try in {wait:g} s)"))
        return result

    def _read_feed(self, fetcher: Fetcher, source: Source, state: FeedState) -> Feed | None:
        """The feed as items, or None when the server says it has not changed (304)."""
        if not fetcher.allowed(source.url):
            raise FetchError("robots.txt disallows fetching the feed", transient=False)
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        fetched = fetcher.get(source.url, headers)
        if fetched.status == 304:
            return None
        # a stream, never a string: feedparser.parse would fetch a string that looks like a URL
        parsed = feedparser.parse(
            io.BytesIO(fetched.content),
            response_headers={
                "content-location": fetched.url,
                "content-type": fetched.headers.get("content-type", "application/xml"),
            },
        )
        if not parsed.get("version") and not parsed.entries:
            why = parsed.get("bozo_exception")
            raise FetchError(f"not an RSS or Atom feed ({why or 'no entries'})", transient=False)
        return Feed(
            parsed.feed.get("title") or None,
            items_of(parsed, fetched.url),
            fetched.headers.get("etag"),
            fetched.headers.get("last-modified"),
        )

    def _pending(self, store: Ledger, source: Source, feed: Feed | None, result: PollResult) -> list[FeedItem]:
        """The items to read now: the feed's unseen ones, then those whose page failed before."""
        items = feed.items if feed is not None else []
        seen = store.seen_items(source.name, [i.key for i in items])
        pending = [i for i in items if i.key not in seen]
        result.new = len(pending)
        for row in store.failed_items(source.name):
            published = date.fromisoformat(row.feed_published) if row.feed_published else None
            pending.append(FeedItem(row.key, row.link, row.title, published, row.attempts))
        return pending

    def _mark(self, store: Ledger, source: Source, item: FeedItem, status: str, **what: Any) -> None:
        store.mark_item(
            SeenItem(
                source=source.name,
                key=item.key,
                link=item.link,
                status=status,
                title=item.title,
                feed_published=item.published.isoformat() if item.published else None,
                **what,
            )
        )

    def _page_failed(
        self, store: Ledger, source: Source, item: FeedItem, problem: str, transient: bool, result: PollResult
    ) -> None:
        """A page that could not be read: tried again on later polls while that may help."""
        attempts = item.attempts + 1
        if transient and attempts < MAX_ATTEMPTS:
            self._mark(store, source, item, "failed", attempts=attempts, problem=problem)
            note = f"tried again next poll (attempt {attempts} of {MAX_ATTEMPTS})"
        else:
            self._mark(store, source, item, "rejected", attempts=attempts, problem=problem)
            note = f"given up after {attempts} attempts" if transient else "not tried again"
        result.errors.append(SourceError(source.name, f"page {item.link or item.key}: {problem}; {note}"))

    def _take(
        self, store: Ledger, fetcher: Fetcher, source: Source, pending: list[FeedItem], outlet: str, result: PollResult
    ) -> None:
        """Read, store, then mark the pending items, a batch at a time. An item whose link is
        another item's (a repeat in this feed, or one stored from another source) is not fetched
        again: it is marked as that article once that one is stored."""
        firsts: dict[str, FeedItem] = {}
        twins: list[FeedItem] = []
        for item in pending:
            if item.link is None:
                self._page_failed(store, source, item, "the item has no link to read", False, result)
            elif item.link in firsts:
                twins.append(item)
            else:
                firsts[item.link] = item
        stopping = False
        # a backlog (a new source's first poll) shows its progress: rate and time left
        progress = Progress(f"follow {source.name}", total=len(firsts), unit="item")
        for chunk in _batches(firsts.values(), self.config.batch):
            ready: list[tuple[FeedItem, Article]] = []
            for item in chunk:
                try:
                    if self.stop_event.is_set():
                        raise Stopped()
                    if self._known(store, source, item, result):
                        continue
                    article = self._read_page(store, fetcher, source, item, outlet, result)
                except Stopped:  # the pages in hand are stored first
                    stopping = True
                    break
                if article is not None:
                    ready.append((item, article))
            batch = self.ingester.store(store, [a for _, a in ready])
            for (item, _), stored, skipped in zip(ready, batch.ids, batch.skipped, strict=True):
                if skipped:  # the gate's verdict is recorded: the item is done with
                    self._mark(store, source, item, "skipped", article_id=stored)
                    result.skipped += 1
                elif stored is not None:  # stored now, or before by its text: only now marked seen
                    self._mark(store, source, item, "stored", article_id=stored)
                    result.stored += 1
                else:
                    self._page_failed(store, source, item, "; ".join(batch.problems) or "not stored", True, result)
            progress.update(len(chunk))
            if stopping:
                raise Stopped()
        progress.close()
        for item in twins:
            self._known(store, source, item, result)

    def _known(self, store: Ledger, source: Source, item: FeedItem, result: PollResult) -> bool:
        """Mark ``item`` as the article its link was stored as already, if it was."""
        assert item.link is not None
        known = store.item_with_link(item.link)
        if known is None:
            return False
        self._mark(store, source, item, "duplicate", article_id=known.article_id)
        result.duplicates += 1
        return True

    def _read_page(
        self, store: Ledger, fetcher: Fetcher, source: Source, item: FeedItem, outlet: str, result: PollResult
    ) -> Article | None:
        """The item's page as an article, or None (marked and reported) when it cannot be read."""
        assert item.link is not None
        try:
            if not fetcher.allowed(item.link):
                self._mark(store, source, item, "robots", problem="disallowed by robots.txt")
                result.errors.append(SourceError(source.name, f"page {item.link}: disallowed by robots.txt; not read"))
                return None
            return page_article(fetcher.get(item.link), item, outlet)
        except FetchError as err:
            self._page_failed(store, source, item, err.problem, err.transient, result)
        except BadInput as bad:
            self._page_failed(store, source, item, bad.problem, False, result)
        return None
