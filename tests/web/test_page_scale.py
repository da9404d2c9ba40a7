"""The page over a ledger of a thousand events (the seeds copied inside the database, as
bench/api_load.py builds its ledgers): it reads points, not every event; the list pages through
/api/events; every filter is sent to the API and the page shows what the API answers."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from .browser import Server, chromium, open_page, shown

BENCH = Path(__file__).resolve().parents[2] / "bench" / "api_load.py"
EVENTS = 1000
LIST_PAGE = 50  # web/src/api.js


def api_load() -> ModuleType:
    """bench/api_load.py as a module (its dataclasses need it in sys.modules while it loads)."""
    if "bench_api_load" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_api_load", BENCH)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules["bench_api_load"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, reader) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("web_scale") / "ledger.db"
    api_load().build(db, EVENTS, reader)
    with Server(db) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture()
def opened(browser: Browser, server: Server) -> Iterator[tuple[Page, list[str]]]:
    errors: list[str] = []
    asked: list[str] = []
    context, page = open_page(browser, server.url + "/?poll=0", errors, asked)
    yield page, asked
    context.close()
    assert not errors, errors


def api_calls(asked: list[str], path: str) -> list[dict[str, str]]:
    """The query parameters of each request to ``path`` among ``asked``."""
    return [{k: v[0] for k, v in parse_qs(urlsplit(u).query).items()} for u in asked if urlsplit(u).path == path]


def test_first_render_reads_the_points_not_every_event(opened: tuple[Page, list[str]], server: Server) -> None:
    page, asked = opened
    points = server.get("/api/points")
    assert points["total"] >= EVENTS
    located = sum(p[1] is not None for p in points["points"])
    assert page.locator("#status").get_attribute("data-shown") == str(points["total"])
    assert page.locator("#status").get_attribute("data-mapped") == str(located)
    # every located event is on the map, in a cluster or alone
    counts = (
        page.eval_on_selector_all("#map .ev-cluster[data-count]", "els => els.map(e => +e.dataset.count)")
        + [1] * page.locator("#map .ev-marker[data-event-id]").count()
    )
    assert sum(counts) == located
    # one answer of points; of full events only one (the ledger's count), the list being closed
    assert len(api_calls(asked, "/api/points")) == 1
    assert [c.get("limit") for c in api_calls(asked, "/api/events")] == ["1"]


def list_ids(page: Page) -> list[str]:
    return page.eval_on_selector_all("#list tbody tr", "rows => rows.map(r => r.dataset.eventId)")


def test_the_list_pages_through_the_api(opened: tuple[Page, list[str]], server: Server) -> None:
    page, asked = opened
    total = server.get("/api/points")["total"]
    page.locator("#list summary").click()
    page.wait_for_selector('#list[data-state="ready"][data-offset="0"]', state="attached")
    first = [e["event_id"] for e in server.get(f"/api/events?limit={LIST_PAGE}&offset=0")["events"]]
    assert list_ids(page) == first and page.locator("#list").get_attribute("data-total") == str(total)
    assert page.locator("#list-summary").inner_text() == f"1–{LIST_PAGE} of {total}"
    page.locator("#list-next").click()
    page.wait_for_selector(f'#list[data-state="ready"][data-offset="{LIST_PAGE}"]', state="attached")
    second = [e["event_id"] for e in server.get(f"/api/events?limit={LIST_PAGE}&offset={LIST_PAGE}")["events"]]
    assert list_ids(page) == second and not set(first) & set(second)
    page.locator("#list-prev").click()
    page.wait_for_selector('#list[data-state="ready"][data-offset="0"]', state="attached")
    assert list_ids(page) == first
    assert all(c["limit"] == str(LIST_PAGE) for c in api_calls(asked, "/api/events") if c.get("limit") != "1")

    # a row opens its event in the panel
    page.locator(f'#list tr[data-event-id="{first[3]}"] button').click()
    page.wait_for_selector(f'#panel[data-state="ready"][data-event-id="{first[3]}"]')


def test_each_filter_is_sent_to_the_api_and_its_answer_shown(opened: tuple[Page, list[str]], server: Server) -> None:
    page, asked = opened

    def expect(params: dict[str, str]) -> None:
        answer = server.get("/api/points?" + urlencode(params))
        located = sum(p[1] is not None for p in answer["points"])
        shown(page, located)
        assert page.locator("#status").get_attribute("data-shown") == str(answer["total"])
        assert api_calls(asked, "/api/points")[-1] == params
        facets = server.get("/api/facets?" + urlencode(params))
        options = page.eval_on_selector_all("#f-type option", "os => os.slice(1).map(o => o.textContent)")
        assert options == [f"{v['value']} ({v['events']})" for v in facets["sub_event_type"]]

    page.locator("#f-q").fill("Sumy")
    expect({"q": "Sumy"})
    page.locator("#f-min-killed").fill("5")
    page.locator("#f-min-killed").dispatch_event("change")
    expect({"q": "Sumy", "min_killed": "5"})
    page.select_option("#f-country", "Ukraine")
    expect({"q": "Sumy", "min_killed": "5", "country": "Ukraine"})
    # the timeline's counts leave the date range out but keep the others
    timeline = api_calls(asked, "/api/timeline")[-1]
    assert timeline == {"q": "Sumy", "min_killed": "5", "country": "Ukraine"}
    page.locator("#f-reset").click()
    expect({})
