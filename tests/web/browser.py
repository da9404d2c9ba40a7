"""What the browser tests share: the API app under uvicorn in a thread, Debian's chromium through
Playwright, and ways to read the page (which events the map shows, when it has drawn them).

The page's Content-Security-Policy forbids evaluating strings, so the tests wait on selectors (or
poll from Python), never on ``wait_for_function`` predicates that the page would have to evaluate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from warledger.web import STATIC_DIR

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(
        "browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True
    )
if not (STATIC_DIR / "index.html").is_file():
    pytest.skip(
        f"the web page is not built ({STATIC_DIR}/index.html missing): cd web && npm ci && npm run build",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402
from served import Server  # noqa: E402,F401  (re-exported for the page tests)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


def open_page(
    browser: Browser, url: str, errors: list[str], requests: list[str] | None = None
) -> tuple[BrowserContext, Page]:
    """A fresh context and page at ``url``, loaded (``body[data-ready]``); page errors go to ``errors``
    and, when given, the URL of every request the page makes (from its first) to ``requests``."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.set_default_timeout(15_000)
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", state="attached")
    return context, page


def on_map(page: Page) -> set[str]:
    """Ids of the events the map shows: single points and the members of clusters."""
    ids = page.eval_on_selector_all(
        "#map .ev-marker[data-event-id], #map .ev-cluster[data-event-ids]",
        "els => els.flatMap(e => e.dataset.eventId ? [e.dataset.eventId] : e.dataset.eventIds.split(' '))",
    )
    return set(ids)


def shown(page: Page, mapped: int) -> None:
    """Wait until the page shows ``mapped`` events on the map, every marker drawn."""
    page.wait_for_selector(f'#status[data-state="ready"][data-mapped="{mapped}"]', state="attached")
