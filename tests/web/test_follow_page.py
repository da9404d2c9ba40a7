"""``serve --follow`` end to end: a strike published on a followed feed (served on 127.0.0.1 by
the test) appears on the open page, without a reload, within one poll of the feed."""

from __future__ import annotations

import time
from pathlib import Path

from ingest.feeds.site import Item, Page, Site, page_html, rss

from warledger.ingest.feeds import parse_config
from warledger.store import Store

from .browser import Server, chromium, open_page

FEED_POLL = 3.0  # seconds between two polls of the feed
PAGE_POLL = 1.0  # seconds between two looks of the page at /api/changes


def _feed(site: Site, *cities: str) -> Page:
    items = [Item(f"urn:{c}", site.url(f"/news/{c}"), f"Strike on {c.capitalize()}") for c in cities]
    return Page(rss("Example Daily", items), content_type="application/rss+xml")


def test_a_followed_strike_appears_on_the_open_page_within_a_poll(db_path: Path | str, reader) -> None:
    with Site() as site:
        for city in ("zhytomyr", "poltava"):
            site.pages[f"/news/{city}"] = Page(page_html(city))
        site.pages["/daily.xml"] = _feed(site, "zhytomyr")
        config = parse_config(
            f"[defaults]\ninterval = {FEED_POLL}\nhost_delay = 0.01\ntimeout = 5\n\n"
            f'[[source]]\nname = "daily"\nurl = "{site.url("/daily.xml")}"\n',
            "sources.toml",
        )
        errors: list[str] = []
        with Server(db_path, reader=reader, poll_seconds=PAGE_POLL, follow=config, on_poll=lambda r: None) as server:
            deadline = time.monotonic() + 60
            while not server.events():  # the follower's first poll
                assert time.monotonic() < deadline, "the first item was never stored"
                time.sleep(0.2)
            with chromium() as browser:
                context, page = open_page(browser, server.url, errors)
                page.wait_for_selector('#status[data-state="ready"][data-shown="1"]', state="attached")
                page.evaluate("window.__sameDocument = 1")
                site.pages["/daily.xml"] = _feed(site, "zhytomyr", "poltava")
                published = time.monotonic()
                # one poll of the feed, the page's look, and the extraction of one page (seconds here)
                page.wait_for_selector(
                    '#status[data-state="ready"][data-shown="2"]', state="attached", timeout=(FEED_POLL + 30) * 1000
                )
                waited = time.monotonic() - published
                assert page.evaluate("window.__sameDocument") == 1  # no reload
                context.close()
    assert not errors, errors
    assert waited < FEED_POLL + PAGE_POLL + 20
    with Store(db_path) as store:
        assert sorted((e.location or "").lower() for e in store.events()) == ["poltava", "zhytomyr"]
