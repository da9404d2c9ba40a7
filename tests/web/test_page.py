"""The web page in a real browser: Debian's chromium driven by Playwright, against the API app
serving a ledger built from the seed articles.

Needs /usr/bin/chromium (``apt-get install -y chromium``) and the built page
(``cd web && npm ci && npm run build``); the module is skipped without either.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

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

import uvicorn  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright  # noqa: E402

from warledger.api.app import create_app  # noqa: E402
from warledger.ingest import read_paths  # noqa: E402
from warledger.ledger import ingest_articles  # noqa: E402
from warledger.records import Article  # noqa: E402
from warledger.store import Store  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCRIPT = "<script>window.__pwned = 1</script>"
IMG = '<img src=x onerror="window.__pwned = 2">'
HOSTILE = Article(
    id="hostile-1",
    text=(
        "A Russian drone strike on a residential building in Kharkiv killed 3 people on 12 May 2025, "
        f"the regional governor said. {SCRIPT} Residents posted {IMG} on social media. "
        "Rescue work went on through the night."
    ),
    published=date(2025, 5, 13),
    outlet='Outlet <b onmouseover="window.__pwned = 3">bold</b>',
    url="javascript:window.__pwned = 4",
    title='<img src=y onerror="window.__pwned = 5">',
    language="en",
)


class Server:
    """The API app (and the page it serves) under uvicorn on 127.0.0.1, in a thread."""

    def __init__(self, db: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-web-test", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def events(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/api/events?limit=1000", timeout=10) as res:
            return json.load(res)["events"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, reader) -> Path:
    db = tmp_path_factory.mktemp("web") / "ledger.db"
    read = read_paths([seeds_dir])
    assert read.articles and not read.problems
    with Store(db) as store:
        ingest_articles(read.articles, store, reader)
    return db


@pytest.fixture(scope="module")
def server(ledger: Path) -> Iterator[Server]:
    with Server(ledger) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.set_default_timeout(10_000)
    pg.goto(server.url + "/")
    pg.wait_for_selector("body[data-ready=true]")
    yield pg
    context.close()
    assert not errors, errors


def open_on_map(page: Page, event_id: str) -> None:
    """Click the event's point, first clicking open the clusters that hold it."""
    marker = page.locator(f'#map .ev-marker[data-event-id="{event_id}"]')
    for _ in range(10):
        if marker.count() and marker.is_visible():
            break
        page.locator(f'#map .ev-cluster[data-event-ids~="{event_id}"]').first.click()
        page.wait_for_timeout(400)  # zoom / spiderfy animation
    marker.click()
    page.wait_for_selector(f'#panel[data-state=ready][data-event-id="{event_id}"]')


def on_map(page: Page) -> set[str]:
    """Ids of the events the map shows: single points and the members of clusters."""
    ids = page.eval_on_selector_all(
        "#map .ev-marker[data-event-id], #map .ev-cluster[data-event-ids]",
        "els => els.flatMap(e => e.dataset.eventId ? [e.dataset.eventId] : e.dataset.eventIds.split(' '))",
    )
    return set(ids)


def shown(page: Page, mapped: int) -> None:
    """Wait until the page shows ``mapped`` events on the map, every marker drawn (a selector, not a
    JavaScript predicate: the page's Content-Security-Policy forbids evaluating strings)."""
    page.wait_for_selector(f'#status[data-state="ready"][data-mapped="{mapped}"]', state="attached")


def brush(page: Page, first: str, last: str) -> tuple[str, str]:
    """Drag across the timeline from day ``first`` to day ``last``; the range the page took."""
    svg = page.locator("#timeline-svg")
    box = svg.bounding_box()
    assert box is not None
    attrs = svg.evaluate("e => [e.dataset.from, e.dataset.to, +e.dataset.x0, +e.dataset.x1]")
    d0, d1, x0, x1 = datetime.fromisoformat(attrs[0]), datetime.fromisoformat(attrs[1]), attrs[2], attrs[3]

    def px(day: datetime) -> float:
        return box["x"] + x0 + (day - d0) / (d1 - d0) * (x1 - x0)

    y = box["y"] + 40
    page.mouse.move(px(datetime.fromisoformat(first)) + 0.4, y)
    page.mouse.down()
    page.mouse.move(px(datetime.fromisoformat(last) + timedelta(days=1)) - 0.4, y, steps=8)
    page.mouse.up()
    page.wait_for_selector('#range:not([data-from=""])', state="attached")
    got = page.locator("#range").evaluate("e => [e.dataset.from, e.dataset.to]")
    return got[0], got[1]


def test_page_map_panel_and_timeline(page: Page, server: Server) -> None:
    events = server.events()
    target = next(
        e for e in events if e["event_date"] == "2025-04-04" and "Kryv" in (e["location"] or "") and e["killed"] == 18
    )
    mapped = {e["event_id"] for e in events if e["latitude"] is not None and e["longitude"] is not None}
    assert on_map(page) == mapped
    assert page.locator("#timeline-svg rect.bar-events").count() > 0

    open_on_map(page, target["event_id"])
    panel = page.locator("#panel")
    assert "Kryv" in panel.locator("#panel-title").inner_text()
    assert panel.locator('dd[data-fact="killed"]').inner_text().startswith("18")
    killed = panel.locator('li.figure[data-kind="killed"]').first
    quote = killed.locator("p.article-text mark.quote").first
    assert "killed 18 people" in quote.inner_text()
    # the sentence is shown inside the article, not alone
    context = killed.locator("p.article-text").first.inner_text()
    assert len(context) > len(quote.inner_text()) + 40
    assert panel.locator("#toll-history tbody tr").count() == len(target["toll_history"])
    assert panel.locator("#change-log tbody tr").count() >= 1
    assert "Metro" in panel.locator("#sources").inner_text()

    first, last = brush(page, "2025-03-01", "2025-04-10")
    assert abs(date.fromisoformat(first) - date(2025, 3, 1)) <= timedelta(days=1)
    assert abs(date.fromisoformat(last) - date(2025, 4, 10)) <= timedelta(days=1)
    inside = {e["event_id"] for e in events if e["event_id"] in mapped and first <= e["event_date"] <= last}
    assert target["event_id"] in inside and inside != mapped
    shown(page, len(inside))
    page.wait_for_timeout(300)  # marker cluster animation
    assert on_map(page) == inside

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"))

    page.locator("#range-clear").click()
    shown(page, len(mapped))

    # the selects filter the map too
    drones = {e["event_id"] for e in events if e["event_id"] in mapped and e["sub_event_type"] == "Air/drone strike"}
    assert drones and drones != mapped
    page.select_option("#f-type", "Air/drone strike")
    shown(page, len(drones))
    page.wait_for_timeout(300)
    assert on_map(page) == drones


def open_event(page: Page, event: dict[str, Any]) -> None:
    """Open an event's panel from its point on the map, or from the list of unmapped events."""
    if event["latitude"] is not None:
        open_on_map(page, event["event_id"])
    else:
        page.locator(f'#unmapped-list button[data-event-id="{event["event_id"]}"]').click()
        page.wait_for_selector(f'#panel[data-state=ready][data-event-id="{event["event_id"]}"]')


def fresh_page(browser: Browser, server: Server, errors: list[str]) -> tuple[BrowserContext, Page]:
    """A page loaded now (the module's ledger has grown since the shared page was opened)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.set_default_timeout(10_000)
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    return context, page


def test_article_text_is_shown_as_text_never_run(ledger: Path, reader, browser: Browser, server: Server) -> None:
    with Store(ledger) as store:
        ingest_articles([HOSTILE], store, reader)
    event = next(e for e in server.events() if any(s["article"] == HOSTILE.id for s in e["sources"]))

    errors: list[str] = []
    context, page = fresh_page(browser, server, errors)
    open_event(page, event)
    for details in page.locator("#panel details").all():
        details.evaluate("d => { d.open = true; }")
    page.wait_for_timeout(200)

    text = page.locator("#panel").inner_text()
    assert SCRIPT in text
    assert IMG in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("#panel script, #panel img, #panel b").count() == 0
    assert page.locator('a[href^="javascript:"]').count() == 0
    context.close()
    assert not errors, errors


RATED = Article(
    id="rated-web-1",
    text=(
        "A Russian missile struck a grain warehouse in Poltava on 2 June 2025, killing five workers, "
        "the regional governor said."
    ),
    published=date(2025, 6, 3),
    outlet="Rated Wire",
    language="en",
)


def test_panel_shows_confidence_and_marks_low_confidence(
    ledger: Path, store_rated, browser: Browser, server: Server
) -> None:
    """A report read by the nlp stage, rated, and stored through the store: its event's panel shows
    each rated field's confidence and marks the low one; an unknown figure reads "unknown"."""
    evidence = {"killed": "number outside the strike clause", "place": "settlement in the strike clause"}
    store_rated(ledger, RATED, evidence, {"killed": 0.42, "place": 0.9})
    event = next(e for e in server.events() if any(s["article"] == RATED.id for s in e["sources"]))
    assert event["killed"] == 5 and event["hospitalized"] is None

    errors: list[str] = []
    context, page = fresh_page(browser, server, errors)
    open_event(page, event)
    facts_el = page.locator("#panel #facts")
    killed = facts_el.locator('dd[data-fact="killed"]')
    assert killed.inner_text().startswith("5")
    assert "low-confidence" in (killed.get_attribute("class") or "")
    badge = killed.locator(".low-confidence")
    assert badge.is_visible() and badge.inner_text() == "low confidence"
    assert "0.42" in (badge.get_attribute("title") or "")
    assert "number outside the strike clause" in (badge.get_attribute("title") or "")
    place = facts_el.locator('dd[data-fact="place"]')
    assert "confidence 0.9" in place.inner_text() and place.locator(".low-confidence").count() == 0
    assert "confidence" not in facts_el.locator('dd[data-fact="struck_by"]').inner_text()  # not rated
    assert facts_el.locator('dd[data-fact="hospitalised"]').inner_text() == "unknown"  # never 0
    tolls = [e["killed"] for e in server.events()]
    unknown = sum(t is None for t in tolls)
    status = page.locator("#status").inner_text()
    assert f"{sum(t for t in tolls if t is not None)} killed (unknown for {unknown} event" in status
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#panel #facts").screenshot(path=str(ARTIFACTS / "panel-confidence.png"))
    context.close()
    assert not errors, errors
