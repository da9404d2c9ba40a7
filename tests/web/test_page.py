"""The web page in a real browser: Debian's chromium driven by Playwright, against the API app
serving a ledger built from the seed articles.

Needs /usr/bin/chromium (``apt-get install -y chromium``) and the built page
(``cd web && npm ci && npm run build``); the module is skipped without either.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cyrillic import UKR_RU, uman_article, uman_mentions
from playwright.sync_api import Browser, BrowserContext, Page

from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.store import Store

from .browser import ARTIFACTS, Server, chromium, on_map, open_page, shown

TOKEN = "web-test-token"
LABEL_ZOOM = 9  # web/src/labels.js
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


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, reader) -> Path:
    db = tmp_path_factory.mktemp("web") / "ledger.db"
    read = read_paths([seeds_dir])
    assert read.articles and not read.problems
    with Store(db) as store:
        ingest_articles(read.articles, store, reader)
    return db


@pytest.fixture(scope="module")
def server(ledger: Path, reader) -> Iterator[Server]:
    with Server(ledger, tokens=[TOKEN], reader=reader) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture()
def page(browser: Browser, server: Server) -> Iterator[Page]:
    errors: list[str] = []
    context, pg = open_page(browser, server.url + "/", errors)
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


def fresh_page(browser: Browser, server: Server, errors: list[str], query: str = "") -> tuple[BrowserContext, Page]:
    """A page loaded now (the module's ledger has grown since the shared page was opened)."""
    return open_page(browser, server.url + "/" + query, errors)


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


# -- the basemap across the antimeridian ------------------------------------------------------

WEB = Path(__file__).resolve().parents[2] / "web"


def topo_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc of a TopoJSON topology as [lon, lat] points (quantized arcs decoded)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def wide_edges(arcs: list[list[tuple[float, float]]]) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Edges spanning more than 180° of longitude: drawn on a flat map as a stripe across the world.
    A ring or line of the map is its arcs end to end (each starts where the one before ends), so
    its edges are theirs."""
    return [(a, b) for arc in arcs for a, b in zip(arc, arc[1:], strict=False) if abs(b[0] - a[0]) > 180]


def country_lons(topo: dict[str, Any], arcs: list[list[tuple[float, float]]], name: str) -> list[float]:
    (country,) = [g for g in topo["objects"]["countries"]["geometries"] if g["properties"]["name"] == name]
    refs: list[Any] = country["arcs"]
    while refs and isinstance(refs[0], list):
        refs = [r for part in refs for r in part]
    return [lon for r in refs for lon, _ in arcs[r if r >= 0 else ~r]]


def test_basemap_has_no_edge_across_the_antimeridian(page: Page, server: Server) -> None:
    """Russia's Chukotka, Fiji and Antarctica cross 180°: the countries file the page draws has no
    edge across the map, and shows each such shape on both sides of the antimeridian."""
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    (url,) = [u for u in loaded if "/assets/countries" in u and u.endswith(".json")]
    topo = server.get(url.removeprefix(server.url))
    arcs = topo_arcs(topo)
    assert len(arcs) > 1000 and wide_edges(arcs) == []
    for name in ("Russia", "Fiji", "Antarctica"):
        lons = country_lons(topo, arcs, name)
        assert max(lons) > 179 and min(lons) < -179, name
    assert max(country_lons(topo, arcs, "Russia")) > 185  # Chukotka goes on east of 180, whole
    assert max(country_lons(topo, arcs, "Ukraine")) < 41  # the others as they were
    # the check finds the stripes in world-atlas' file as it comes (what the page drew before)
    original = WEB / "node_modules" / "world-atlas" / "countries-50m.json"
    if original.is_file():
        assert len(wide_edges(topo_arcs(json.loads(original.read_text(encoding="utf-8"))))) >= 4


# -- settlement names at city zoom -------------------------------------------------------------


def zoom_at(page: Page, x: float, y: float, until: Callable[[int], bool], wheel: int) -> int:
    """Turn the mouse wheel over (x, y) until the map's zoom satisfies ``until``; RETURNS the zoom."""
    page.mouse.move(x, y)
    for _ in range(30):
        zoom = int(page.locator("#map").get_attribute("data-zoom") or 0)
        if until(zoom):
            return zoom
        page.mouse.wheel(0, wheel)
        page.wait_for_timeout(350)
    raise AssertionError(f"the map did not zoom (at {zoom})")


def test_settlements_are_named_at_city_zoom(page: Page, server: Server) -> None:
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/places" in r.url else None)
    assert int(page.locator("#map").get_attribute("data-zoom") or 0) < LABEL_ZOOM
    assert page.locator("#map .place-label").count() == 0

    eid = next(e for e in server.events() if e["location"] == "Kryvyi Rih")["event_id"]
    marker = page.locator(f'#map .ev-marker[data-event-id="{eid}"], #map .ev-cluster[data-event-ids~="{eid}"]').first

    def at_marker() -> tuple[float, float]:
        """The centre of Kryvyi Rih's marker, or of the cluster holding it (a cluster's centre is
        not the town's: the mouse follows the marker as clusters split while zooming in)."""
        box = marker.bounding_box()
        assert box is not None
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    page.wait_for_timeout(500)
    assert asked == []  # nothing asked below city zoom
    while (zoom := int(page.locator("#map").get_attribute("data-zoom") or 0)) < LABEL_ZOOM + 1:
        zoom_at(page, *at_marker(), zoom.__lt__, -240)  # one step in, then to the marker again
    x, y = at_marker()

    page.wait_for_selector('#map .place-label[data-name="Kryvyi Rih"]')
    labels = page.locator("#map .place-label")
    n = labels.count()
    assert n >= 5 and page.locator("#map").get_attribute("data-labels") == str(n)
    assert asked and all("bbox=" in u for u in asked)
    boxes = [b for b in (labels.nth(i).locator(".place-name").bounding_box() for i in range(n)) if b]
    for i, a in enumerate(boxes):  # no name written over another
        for b in boxes[i + 1 :]:
            assert not (
                a["x"] < b["x"] + b["width"]
                and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"]
                and b["y"] < a["y"] + a["height"]
            )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-city-zoom.png"))

    zoom_at(page, x, y, lambda z: z < LABEL_ZOOM, 240)
    page.wait_for_selector('#map[data-labels="0"]', state="attached")
    assert page.locator("#map .place-label").count() == 0


# -- live: new events without a reload --------------------------------------------------------

LIVE = {
    "id": "live-1",
    "text": (
        "A Russian drone struck an apartment block in Odesa on 3 June 2025, killing two people and "
        "injuring nine, the regional governor said."
    ),
    "published": "2025-06-04",
    "outlet": "Live Desk",
    "language": "en",
}
POLL = 1  # seconds, from the page's URL (?poll=1)


def test_a_new_event_appears_without_a_reload(browser: Browser, server: Server) -> None:
    errors: list[str] = []
    asked: list[str] = []
    context, page = open_page(browser, f"{server.url}/?poll={POLL}", errors, asked)
    page.locator("#list summary").click()
    page.wait_for_selector('#list[data-state="ready"]', state="attached")
    before = int(page.locator("#status").get_attribute("data-shown") or 0)
    page.evaluate("window.__sameDocument = 1")
    page.wait_for_timeout(2500 * POLL)
    polls = [u for u in asked if "/api/changes?after=" in u]
    assert len(polls) >= 2  # it asks, and nothing changed: nothing is read again
    assert len([u for u in asked if "/api/points" in u]) == 1

    posted = server.post("/api/articles", LIVE, TOKEN)
    (eid,) = posted["events"]
    # within one poll interval (and the time to read the view again: a few hundred ms here)
    page.wait_for_selector(
        f'#status[data-state="ready"][data-shown="{before + 1}"]', state="attached", timeout=(POLL + 3) * 1000
    )
    assert eid in on_map(page)
    assert page.locator(f'#list tr[data-event-id="{eid}"]').count() == 1
    assert page.locator("#status").get_attribute("data-updated")
    assert page.evaluate("window.__sameDocument") == 1  # the same document: no reload
    cursor = server.get("/api/changes")["cursor"]
    assert page.locator("body").get_attribute("data-cursor") == str(cursor)
    context.close()
    assert not errors, errors


# -- quotes in their article's language -------------------------------------------------------


@pytest.mark.skipif(not UKR_RU.is_dir(), reason="../shared/corpus/ukr_ru_news absent")
def test_panel_gives_each_quote_its_articles_language(ledger: Path, browser: Browser, server: Server) -> None:
    """A real Ukrainian report (its language detected on reading) stored with its gold strike: the
    panel shows "uk" beside the figure's quote, which is marked lang="uk", in the toll history and
    in the sources; the quote stays as published."""
    article = uman_article()
    with Store(ledger) as store:
        assert store.add_article(article, uman_mentions(article), [])
    event = next(e for e in server.events() if any(s["article"] == article.id for s in e["sources"]))

    errors: list[str] = []
    context, page = fresh_page(browser, server, errors)
    open_event(page, event)
    killed = page.locator('#panel li.figure[data-kind="killed"]').first
    assert killed.locator(".figure-head .badge.lang").inner_text() == "uk"
    quote = killed.locator("p.article-text mark.quote").first
    assert quote.get_attribute("lang") == "uk" and "кількість жертв" in quote.inner_text()
    row = page.locator("#panel #toll-history tbody tr").first
    assert row.locator("td").last.inner_text() == "uk"
    assert page.locator(f'#sources li[data-article="{article.id}"] .badge.lang').inner_text() == "uk"
    context.close()
    assert not errors, errors
