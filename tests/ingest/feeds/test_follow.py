"""``warledger follow`` against feeds and pages served on 127.0.0.1 by the test itself: what is
stored (articles, events and their tolls), what was asked of the server, what the ledger keeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from warledger.cli import cli
from warledger.errors import ConfigError
from warledger.ingest.feeds import Follower, PollResult, parse_config
from warledger.ingest.feeds.follow import MAX_ATTEMPTS, article_id
from warledger.store import Store

from .site import TOLLS, Item, Page, Site, atom, page_html, rss

T0 = datetime(2025, 5, 20, 12, 0, tzinfo=UTC)


class Clock:
    """The follower's clock, moved by the test (schedules and back-off are read from the ledger)."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def site() -> Iterator[Site]:
    with Site() as s:
        yield s


def _toml(site: Site, sources: dict[str, str], **defaults: object) -> str:
    """A sources file: ``sources`` maps name -> feed path on the site."""
    values = {"timeout": 2, "host_delay": 0.01, "retry": 60, "batch": 4, **defaults}
    head = "[defaults]\n" + "".join(f"{k} = {v!r}\n".replace("'", '"') for k, v in values.items())
    body = "".join(f'\n[[source]]\nname = "{name}"\nurl = "{site.url(path)}"\n' for name, path in sources.items())
    return head + body


def _follower(
    site: Site, db: object, reader: object, sources: dict[str, str], clock: Clock | None = None, **kw: object
) -> Follower:
    config = parse_config(_toml(site, sources, **kw), "sources.toml")
    return Follower(config, db, reader=reader, clock=clock)  # type: ignore[arg-type]


def _item(site: Site, city: str, date: str | None = None, guid: str | None = None, prefix: str = "/news/") -> Item:
    return Item(guid or f"urn:{city}", site.url(prefix + city), f"Strike on {city.capitalize()}", date)


def _serve_pages(site: Site, *cities: str, dated: bool = True, prefix: str = "/news/") -> None:
    for city in cities:
        site.pages[prefix + city] = Page(page_html(city, dated))


def _by_source(results: list[PollResult]) -> dict[str, PollResult]:
    return {r.source: r for r in results}


def _tolls(db: object) -> dict[str, tuple[int | None, int | None]]:
    with Store(db) as store:  # type: ignore[arg-type]
        return {(e.location or "?").lower(): (e.killed, e.injured) for e in store.events()}


def test_follow_stores_new_items_then_asks_conditionally(site: Site, db_path: Path, reader) -> None:
    """The first poll stores every item; an unchanged feed is answered 304 (ETag on one source,
    Last-Modified on the other) and nothing is fetched again; an item added later is the only
    page read on the next poll."""
    _serve_pages(site, "zhytomyr", "poltava", "sumy", "odesa")
    site.pages["/daily.xml"] = Page(
        rss("Example Daily", [_item(site, "zhytomyr"), _item(site, "poltava")]),
        content_type="application/rss+xml",
        etag='"v1"',
    )
    site.pages["/wire.atom"] = Page(
        atom("Example Wire", [_item(site, "odesa", "2025-05-06")]),
        content_type="application/atom+xml",
        last_modified="Tue, 06 May 2025 09:00:00 GMT",
    )
    follower = _follower(site, db_path, reader, {"daily": "/daily.xml", "wire": "/wire.atom"})

    first = _by_source(follower.run_once())
    assert (first["daily"].new, first["daily"].stored, first["daily"].errors) == (2, 2, [])
    assert first["daily"].line() == "daily: 2 new item(s), 2 stored, 0 error(s)"
    assert (first["wire"].new, first["wire"].stored) == (1, 1)
    assert _tolls(db_path) == {"zhytomyr": (2, 5), "poltava": (3, 11), "odesa": (4, 7)}
    with Store(db_path) as store:
        stored = store.article(article_id(site.url("/news/zhytomyr")))
        assert stored is not None
        assert (stored["url"], stored["outlet"], stored["title"]) == (
            site.url("/news/zhytomyr"),
            "Example Daily",  # the feed's title: the source names no outlet
            "Strike on Zhytomyr",
        )
        assert stored["published"] == "2025-05-04"  # the page's own date
        assert "killed two people and injured five" in stored["text"]
        assert "Home | News" not in stored["text"]  # the page's navigation is not the article
        daily = store.feed_state("daily")
        assert daily is not None and (daily.etag, daily.failures, daily.title) == ('"v1"', 0, "Example Daily")

    second = _by_source(follower.run_once())
    assert second["daily"].not_modified and second["wire"].not_modified
    assert (second["daily"].new, second["daily"].stored, second["wire"].new) == (0, 0, 0)
    daily_asks = site.requests("/daily.xml")
    assert [r.status for r in daily_asks] == [200, 304]
    assert daily_asks[1].headers.get("If-None-Match") == '"v1"'
    wire_asks = site.requests("/wire.atom")
    assert [r.status for r in wire_asks] == [200, 304]
    assert wire_asks[1].headers.get("If-Modified-Since") == "Tue, 06 May 2025 09:00:00 GMT"

    site.pages["/daily.xml"] = Page(
        rss("Example Daily", [_item(site, "sumy"), _item(site, "zhytomyr"), _item(site, "poltava")]),
        content_type="application/rss+xml",
        etag='"v2"',
    )
    third = _by_source(follower.run_once())
    assert (third["daily"].new, third["daily"].stored, third["daily"].not_modified) == (1, 1, False)
    assert {p: site.hits(p) for p in ("/news/zhytomyr", "/news/poltava", "/news/sumy", "/news/odesa")} == {
        "/news/zhytomyr": 1,
        "/news/poltava": 1,
        "/news/sumy": 1,
        "/news/odesa": 1,
    }
    assert _tolls(db_path)["sumy"] == (1, 4)
    every = [r for r in site.log if r.path != "/robots.txt"]
    assert all(r.headers.get("User-Agent", "").startswith("warledger/0.1.0") for r in every)
    with Store(db_path) as store:
        assert store.counts()["articles"] == 4
        assert {i.status for i in store.feed_items()} == {"stored"}


def test_follow_failing_source_is_reported_backed_off_and_retried(site: Site, db_path: Path, reader) -> None:
    """A 500 from one source is one coded line naming it; the other source is stored all the
    same; the failing one waits retry, then twice that, and is read once it answers again."""
    _serve_pages(site, "kharkiv", "dnipro")
    site.pages["/bad.xml"] = Page("upstream exploded", status=500, content_type="text/plain")
    site.pages["/good.xml"] = Page(rss("Good Desk", [_item(site, "kharkiv")]), content_type="application/rss+xml")
    clock = Clock()
    follower = _follower(site, db_path, reader, {"bad": "/bad.xml", "good": "/good.xml"}, clock, retry=60)

    first = _by_source(follower.run_once())
    (error,) = first["bad"].errors
    assert str(error) == (f"[W610] source bad: feed {site.url('/bad.xml')}: HTTP 500 (failure 1; next try in 60 s)")
    assert first["bad"].failed and first["bad"].line() == "bad: 0 new item(s), 0 stored, 1 error(s) (source failed)"
    assert (first["good"].stored, first["good"].errors) == (1, [])
    assert _tolls(db_path) == {"kharkiv": (5, 20)}
    with Store(db_path) as store:
        bad = store.feed_state("bad")
        assert bad is not None and bad.failures == 1 and "HTTP 500" in (bad.last_error or "")
        assert bad.next_poll == (T0 + timedelta(seconds=60)).isoformat(timespec="microseconds")
        assert follower.due(store, T0 + timedelta(seconds=30)) == []  # backing off; good polled
        assert [s.name for s in follower.due(store, T0 + timedelta(seconds=61))] == ["bad"]

    clock.now = T0 + timedelta(minutes=2)
    follower.run_once()
    with Store(db_path) as store:
        bad = store.feed_state("bad")
        assert bad is not None and bad.failures == 2
        assert bad.next_poll == (clock.now + timedelta(seconds=120)).isoformat(timespec="microseconds")

    site.pages["/bad.xml"] = Page(rss("Bad Desk", [_item(site, "dnipro")]), content_type="application/rss+xml")
    clock.now = T0 + timedelta(minutes=5)
    third = _by_source(follower.run_once())
    assert (third["bad"].stored, third["bad"].errors, third["bad"].failed) == (1, [], False)
    with Store(db_path) as store:
        bad = store.feed_state("bad")
        assert bad is not None and (bad.failures, bad.last_error) == (0, None)
    assert _tolls(db_path) == {"kharkiv": (5, 20), "dnipro": (2, 9)}


def test_follow_slow_page_times_out_and_is_read_on_a_later_poll(site: Site, db_path: Path, reader) -> None:
    """A page slower than the time-out is reported and kept as failed; the others are stored; it
    is read on the next poll (the feed itself answering 304), and a page that keeps failing is
    given up after MAX_ATTEMPTS."""
    _serve_pages(site, "mykolaiv", "dnipro", "kherson")
    site.pages["/news/dnipro"].delay = 2.5
    site.pages["/news/kherson"] = Page("gone", status=503, content_type="text/plain")
    items = [_item(site, "dnipro"), _item(site, "mykolaiv"), _item(site, "kherson")]
    site.pages["/feed.xml"] = Page(rss("Slow Desk", items), content_type="application/rss+xml", etag='"s1"')
    follower = _follower(site, db_path, reader, {"slow": "/feed.xml"}, timeout=1)

    (first,) = follower.run_once()
    assert (first.new, first.stored) == (3, 1)
    messages = sorted(str(e) for e in first.errors)
    assert messages == [
        f"[W610] source slow: page {site.url('/news/dnipro')}: timed out after 1 s;"
        f" tried again next poll (attempt 1 of {MAX_ATTEMPTS})",
        f"[W610] source slow: page {site.url('/news/kherson')}: HTTP 503;"
        f" tried again next poll (attempt 1 of {MAX_ATTEMPTS})",
    ]
    assert _tolls(db_path) == {"mykolaiv": (1, 3)}

    site.pages["/news/dnipro"].delay = 0
    (second,) = follower.run_once()
    assert second.not_modified and (second.new, second.stored, len(second.errors)) == (0, 1, 1)
    assert _tolls(db_path) == {"mykolaiv": (1, 3), "dnipro": (2, 9)}
    for _ in range(MAX_ATTEMPTS - 2):
        follower.run_once()
    with Store(db_path) as store:
        status = {i.link: (i.status, i.attempts) for i in store.feed_items("slow")}
    assert status == {
        site.url("/news/mykolaiv"): ("stored", 0),
        site.url("/news/dnipro"): ("stored", 0),
        site.url("/news/kherson"): ("rejected", MAX_ATTEMPTS),
    }
    (last,) = follower.run_once()
    assert (last.stored, last.errors) == (0, [])  # given up: not asked again
    assert site.hits("/news/kherson") == MAX_ATTEMPTS


def test_follow_page_without_date_takes_the_feeds(site: Site, db_path: Path, reader) -> None:
    """No date on the page: the feed's date; neither: stored all the same, publication unknown;
    a page's own date wins over the feed's."""
    _serve_pages(site, "kherson", "zaporizhzhia", dated=False)
    _serve_pages(site, "lutsk")
    items = [
        _item(site, "kherson", "2025-05-11"),
        _item(site, "zaporizhzhia"),
        _item(site, "lutsk", "2025-05-20"),
    ]
    site.pages["/feed.xml"] = Page(rss("Undated Desk", items), content_type="application/rss+xml")
    (result,) = _follower(site, db_path, reader, {"undated": "/feed.xml"}).run_once()
    assert (result.stored, result.errors) == (3, [])
    with Store(db_path) as store:
        published = {
            city: store.article(article_id(site.url(f"/news/{city}")))["published"]  # type: ignore[index]
            for city in ("kherson", "zaporizhzhia", "lutsk")
        }
    assert published == {"kherson": "2025-05-11", "zaporizhzhia": None, "lutsk": "2025-05-15"}
    with Store(db_path) as store:
        assert store.article(article_id(site.url("/news/lutsk")))["language"] == "en"  # type: ignore[index]
    assert _tolls(db_path) == {c: TOLLS[c] for c in ("kherson", "zaporizhzhia", "lutsk")}


def test_follow_duplicate_items_are_read_once(site: Site, db_path: Path, reader) -> None:
    """One guid twice in a feed, and one link in two feeds: the page is fetched once, the article
    stored once, and the second feed's item remembered as that article."""
    _serve_pages(site, "rivne", "chernihiv")
    twice = [_item(site, "rivne", guid="urn:a:1"), _item(site, "rivne", guid="urn:a:1"), _item(site, "chernihiv")]
    site.pages["/a.xml"] = Page(rss("Desk A", twice), content_type="application/rss+xml")
    site.pages["/b.xml"] = Page(rss("Desk B", [_item(site, "rivne", guid="b-77")]), content_type="application/rss+xml")
    results = _by_source(_follower(site, db_path, reader, {"a": "/a.xml", "b": "/b.xml"}).run_once())
    assert (results["a"].new, results["a"].stored) == (2, 2)
    assert (results["b"].new, results["b"].stored, results["b"].duplicates) == (1, 0, 1)
    assert results["b"].line() == "b: 1 new item(s), 0 stored, 0 error(s), 1 already read from another item"
    assert site.hits("/news/rivne") == 1
    with Store(db_path) as store:
        assert store.counts()["articles"] == 2
        rows = {(i.source, i.key): (i.status, i.article_id) for i in store.feed_items()}
    rivne = article_id(site.url("/news/rivne"))
    assert rows[("a", "urn:a:1")] == ("stored", rivne) and rows[("b", "b-77")] == ("duplicate", rivne)
    assert _tolls(db_path) == {"rivne": (None, 4), "chernihiv": (None, 6)}


def test_follow_honours_robots_txt_and_the_host_delay(site: Site, db_path: Path, reader) -> None:
    """A path robots.txt disallows is never requested (reported once); requests to one host are
    spaced by the host delay at least."""
    _serve_pages(site, "sumy", "odesa")
    _serve_pages(site, "kharkiv", prefix="/private/")
    site.pages["/robots.txt"] = Page("User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    items = [_item(site, "sumy"), _item(site, "kharkiv", prefix="/private/"), _item(site, "odesa")]
    site.pages["/feed.xml"] = Page(rss("Polite Desk", items), content_type="application/rss+xml")
    follower = _follower(site, db_path, reader, {"polite": "/feed.xml"}, host_delay=0.4)

    (first,) = follower.run_once()
    assert first.stored == 2
    assert [str(e) for e in first.errors] == [
        f"[W610] source polite: page {site.url('/private/kharkiv')}: disallowed by robots.txt; not read"
    ]
    assert site.hits("/private/kharkiv") == 0
    assert site.log[0].path == "/robots.txt"
    gaps = [b.at - a.at for a, b in zip(site.log, site.log[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.4 * 0.99  # robots, feed, two pages: never sooner
    (second,) = follower.run_once()
    assert (second.new, second.errors) == (0, [])  # remembered, not reported again
    with Store(db_path) as store:
        assert {i.link: i.status for i in store.feed_items()}[site.url("/private/kharkiv")] == "robots"
    assert set(_tolls(db_path)) == {"sumy", "odesa"}


def test_follow_command_once_prints_a_line_per_poll(site: Site, db_path: Path, tmp_path: Path, reader) -> None:
    """The command: one line per source on stdout, each problem one coded line on stderr; a feed
    that is not a feed is one of those."""
    _serve_pages(site, "zhytomyr")
    site.pages["/feed.xml"] = Page(rss("Cli Desk", [_item(site, "zhytomyr")]), content_type="application/rss+xml")
    site.pages["/page.html"] = Page("<html><body><p>not a feed at all</p></body></html>")
    sources = tmp_path / "sources.toml"
    sources.write_text(_toml(site, {"cli": "/feed.xml", "notafeed": "/page.html"}), encoding="utf-8")
    res = CliRunner().invoke(cli, ["follow", str(sources), "--once", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        "cli: 1 new item(s), 1 stored, 0 error(s)",
        "notafeed: 0 new item(s), 0 stored, 1 error(s) (source failed)",
    ]
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"[W610] source notafeed: feed {site.url('/page.html')}: not an RSS or Atom feed")
    assert _tolls(db_path) == {"zhytomyr": (2, 5)}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[source]]\nname = 'a'\nurl = 'http://127.0.0.1/x'\nintervall = 5\n", "unknown key(s) intervall"),
        ("[[source]]\nname = 'a'\n", "'url' must be a non-empty string"),
        ("[[source]]\nname = 'a'\nurl = 'ftp://127.0.0.1/x'\n", "'url' must be an http(s) URL"),
        ("[defaults]\ntimeout = -1\n[[source]]\nname = 'a'\nurl = 'http://h/x'\n", "'timeout' must be a positive"),
        ("[[source]]\nname = 'a'\nurl = 'http://h/x'\n[[source]]\nname = 'a'\nurl = 'http://h/y'\n", "used twice: a"),
        ("[defaults]\ninterval = 5\n", "no [[source]] tables"),
        ("[[source]\nname = 'a'", "not valid TOML"),
    ],
)
def test_sources_file_errors_name_the_file(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["follow", str(path), "--once", "--db", str(tmp_path / "l.db")])
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert line.startswith(f"Error: [W600] {path}") and problem in line, line
    with pytest.raises(ConfigError):
        parse_config(text, str(path))


def test_sources_file_defaults_and_user_agent() -> None:
    config = parse_config(
        "[defaults]\ninterval = 120\ncontact = 'desk@example.org'\nmax_backoff = 300\n"
        "[[source]]\nname = 'a'\nurl = 'https://one.example/feed'\nhost_delay = 5\n"
        "[[source]]\nname = 'b'\nurl = 'https://two.example/feed'\ninterval = 30\noutlet = 'Two'\n"
    )
    a, b = config.sources
    assert (a.interval, a.host_delay, b.interval, b.host_delay, b.outlet) == (120, 5, 30, 1, "Two")
    assert config.user_agent == "warledger/0.1.0 (feed follower; +desk@example.org)"
    assert config.host_delays() == {"one.example": 5, "two.example": 1}
    assert [config.backoff(n) for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 300, 300]


def test_an_item_the_gate_skips_is_recorded_once_and_not_fetched_again(site: Site, db_path: Path, reader) -> None:
    """A page that reports no violence is recorded as skipped (with the gate's reason), its item
    marked done: the next poll of a changed feed does not fetch it again."""
    _serve_pages(site, "zhytomyr")
    calm = "The council approved a new budget for parks, libraries and bus lanes on Tuesday. " * 12
    site.pages["/news/budget"] = Page(
        f"<html><head><title>Budget approved</title></head><body><article><h1>Budget approved</h1>"
        f"<p>{calm}</p></article></body></html>"
    )
    budget = Item("urn:budget", site.url("/news/budget"), "Budget approved", "2025-05-05")
    site.pages["/daily.xml"] = Page(
        rss("Example Daily", [_item(site, "zhytomyr"), budget]), content_type="application/rss+xml"
    )
    follower = _follower(site, db_path, reader, {"daily": "/daily.xml"})
    (first,) = follower.run_once()
    assert (first.new, first.stored, first.skipped, first.errors) == (2, 1, 1, [])
    assert first.line() == "daily: 2 new item(s), 1 stored, 0 error(s), 1 skipped by the gate"
    with Store(db_path) as store:
        (skipped,) = store.skipped()
        assert (skipped.title, skipped.reason) == ("Budget approved", "no violence or casualty term")
        assert {i.key: i.status for i in store.feed_items("daily")} == {
            "urn:zhytomyr": "stored",
            "urn:budget": "skipped",
        }
    _serve_pages(site, "poltava")
    site.pages["/daily.xml"] = Page(
        rss("Example Daily", [_item(site, "zhytomyr"), budget, _item(site, "poltava")]),
        content_type="application/rss+xml",
    )
    (second,) = follower.run_once()
    assert (second.new, second.stored, second.skipped) == (1, 1, 0)
    assert site.hits("/news/budget") == 1
