"""The REST API on a real ledger: the seed articles ingested once, copied for tests that write."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from warledger.api import create_app, create_token
from warledger.export import export_row
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import EXPORT_KEYS
from warledger.store import Store

TOKEN = "test-token-1"
STRIKE = (
    "Missile strike on Zaporizhzhia kills three\n"
    "A Russian missile struck a bus depot in Zaporizhzhia on Thursday morning, killing three people "
    "and injuring eight, regional governor Ivan Fedorov said. <script>alert('x')</script>"
)


@pytest.fixture(scope="module")
def seed_db(ledgers, seeds_dir: Path, reader) -> Path | str:
    path = ledgers.new("api_seeds")
    with Store(path) as store:
        report = ingest_articles(read_paths([seeds_dir]).articles, store, reader)
        assert report.added == 3 and not report.problems
    ledgers.freeze(path)  # the copies tests write to are made from it as built
    return path


@pytest.fixture(scope="module")
def client(seed_db: Path) -> TestClient:
    return TestClient(create_app(seed_db, tokens=[TOKEN]))


@pytest.fixture(scope="module")
def every_row(seed_db: Path) -> list[dict[str, Any]]:
    """Every event as the JSON-lines export writes it, in ledger order: what filters are checked against."""
    with Store(seed_db) as store:
        return [export_row(ev) for ev in store.events()]


@pytest.fixture()
def own_db(seed_db: Path | str, ledgers) -> Path | str:
    """A copy of the seed ledger that a test may write to."""
    return ledgers.copy(seed_db, "own")


def _ids(client: TestClient, query: str = "") -> list[str]:
    res = client.get("/api/events?" + query)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["total"] == len(body["events"])
    return [e["event_id"] for e in body["events"]]


def _kryvyi_rih_april_4(rows: list[dict[str, Any]]) -> dict[str, Any]:
    (row,) = [r for r in rows if r["location"] == "Kryvyi Rih" and r["date_from"] == r["date_to"] == "2025-04-04"]
    return row


# -- GET /api/events ---------------------------------------------------------------------


def test_events_default_page_is_every_event_as_export_rows(client: TestClient, every_row: list[dict[str, Any]]) -> None:
    body = client.get("/api/events").json()
    assert (body["total"], body["limit"], body["offset"]) == (13, 100, 0)
    assert body["events"] == every_row  # exactly the JSONL rows, in ledger order
    assert all(list(row) == list(EXPORT_KEYS) for row in body["events"])
    assert _kryvyi_rih_april_4(body["events"])["killed"] == 18
    dates = [r["date_from"] for r in body["events"]]
    assert dates == sorted(dates)  # every seed event is dated; the order is date, then id


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("date_from=2025-04-04&date_to=2025-04-04", lambda r: r["date_from"] <= "2025-04-04" <= r["date_to"]),
        ("date_from=2025-06-01", lambda r: r["date_to"] >= "2025-06-01"),
        ("date_to=2023-07-30", lambda r: r["date_from"] <= "2023-07-30"),
        ("country=RUSSIA", lambda r: r["country"] == "Russia"),
        ("admin1=sumy oblast", lambda r: r["admin1"] == "Sumy Oblast"),
        ("location=Kryvyi Rih", lambda r: r["location"] == "Kryvyi Rih"),
        ("actor1=Ukraine", lambda r: r["actor1"] == "Ukraine"),
        ("sub_event_type=Air/drone strike", lambda r: r["sub_event_type"] == "Air/drone strike"),
        ("weapon=Ballistic Missile", lambda r: "ballistic missile" in r["weapons"]),
        ("min_killed=10", lambda r: (r["killed"] or 0) >= 10),
        ("q=kryvyi", lambda r: r["location"] == "Kryvyi Rih" or any("Kryvyi" in s["quote"] for s in r["sources"])),
        ("q=DNIPRO", lambda r: "dnipro" in json.dumps([r["admin1"], r["location"], r["sources"]]).lower()),
        (
            "country=Ukraine&min_killed=5&date_from=2025-01-01",
            lambda r: r["country"] == "Ukraine" and (r["killed"] or 0) >= 5 and r["date_to"] >= "2025",
        ),
    ],
)
def test_each_filter_keeps_exactly_the_matching_events(
    client: TestClient, every_row: list[dict[str, Any]], query: str, keep: Callable[[dict[str, Any]], bool]
) -> None:
    expected = [r["event_id"] for r in every_row if keep(r)]
    assert expected and len(expected) < len(every_row)  # the filter does something on the seeds
    assert _ids(client, query) == expected


def test_filters_on_real_values(client: TestClient) -> None:
    assert len(_ids(client, "date_from=2025-04-04&date_to=2025-04-04")) == 4  # three windows end that day
    assert len(_ids(client, "location=kryvyi%20rih")) == 5
    assert len(_ids(client, "min_killed=10")) == 3
    assert _ids(client, "q=no-such-words-anywhere") == []
    assert _ids(client, "q=100%25") == []  # % is a literal, not a wildcard
    assert _ids(client, "country=") == _ids(client)  # an empty value filters nothing


def test_pagination_walks_the_whole_list(client: TestClient) -> None:
    everything = _ids(client)
    pages = []
    for offset in (0, 5, 10):
        body = client.get(f"/api/events?limit=5&offset={offset}").json()
        assert (body["total"], body["limit"], body["offset"]) == (13, 5, offset)
        pages += [e["event_id"] for e in body["events"]]
    assert pages == everything
    past = client.get("/api/events?offset=50").json()
    assert (past["total"], past["events"]) == (13, [])


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("limit=1001", "limit: Input should be less than or equal to 1000"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("limit=many", "limit"),
        ("min_killed=lots", "min_killed"),
        ("date_from=2025-13-01", "date_from: '2025-13-01' is not a date (expected YYYY-MM-DD)"),
        ("date_to=04/04/2025", "date_to: '04/04/2025' is not a date"),
        ("date_from=2025-W14-5", "date_from: '2025-W14-5' is not a date"),
        ("date_from=2025-05-01&date_to=2025-04-01", "date_from 2025-05-01 is after date_to 2025-04-01"),
        ("killed=3&sort=x", "unknown query parameter(s): killed, sort"),
    ],
)
def test_bad_parameters_are_422_with_a_message(client: TestClient, query: str, says: str) -> None:
    res = client.get("/api/events?" + query)
    assert res.status_code == 422
    detail = res.json()["detail"]
    assert isinstance(detail, str) and says in detail


# -- GET /api/events/{id} ----------------------------------------------------------------


def test_event_detail_has_history_changes_links_and_cited_articles(
    client: TestClient, every_row: list[dict[str, Any]]
) -> None:
    eid = _kryvyi_rih_april_4(every_row)["event_id"]
    body = client.get(f"/api/events/{eid}").json()
    assert set(body) == {"event", "changes", "links", "articles"}
    ev = body["event"]
    assert (ev["event_id"], ev["killed"]) == (eid, 18)
    assert {"perpetrators_killed", "toll_history", "sources", "claims"} <= set(ev)
    assert any(t["kind"] == "killed" and t["value"] == 18 for t in ev["toll_history"])
    assert body["changes"][0]["action"] == "created" and body["changes"][0]["event_id"] == eid
    assert any(link["chosen"] and link["event_id"] == eid for link in body["links"])
    assert all(isinstance(link["features"], dict) for link in body["links"])
    cited = {s["article"] for s in ev["sources"]} | {t["article"] for t in ev["toll_history"]}
    assert set(body["articles"]) == cited
    for art in body["articles"].values():
        assert set(art) == {"id", "outlet", "published", "url", "title", "language", "text"}
        assert art["language"] == "en"  # each seed report, as its manifest gives it
    for quote in ev["sources"] + ev["toll_history"]:  # the page highlights these offsets
        assert body["articles"][quote["article"]]["text"][quote["start"] : quote["end"]] == quote["quote"]


def test_unknown_event_is_404_json(client: TestClient) -> None:
    res = client.get("/api/events/ev-000000000000")
    assert res.status_code == 404
    assert res.json() == {"detail": "no event ev-000000000000"}
    assert client.get("/api/events/ev-000000000000?x=1").status_code == 422


def test_merged_event_id_resolves_to_the_event_it_went_into(own_db: Path) -> None:
    with Store(own_db) as store:
        moscow = [e for e in store.events() if e.location == "Moscow"]
        kept = store.merge(moscow[1].event_id, moscow[0].event_id, "test")
        gone = ({e.event_id for e in moscow} - {kept}).pop()
    client = TestClient(create_app(own_db))
    body = client.get(f"/api/events/{gone}").json()
    assert body["event"]["event_id"] == kept
    assert any(c["action"] == "merged" for c in body["changes"])


# -- exports -----------------------------------------------------------------------------


def test_exports_in_each_format_with_filters(client: TestClient, every_row: list[dict[str, Any]]) -> None:
    strong = [r for r in every_row if (r["killed"] or 0) >= 10]
    res = client.get("/api/export.jsonl?min_killed=10")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(line) for line in res.text.splitlines()] == strong

    res = client.get("/api/export.csv?min_killed=10")
    assert res.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(res.text)))
    assert [(r["event_id_cnty"], r["fatalities"]) for r in rows] == [(r["event_id"], str(r["killed"])) for r in strong]

    res = client.get("/api/export.geojson?country=Russia")
    assert res.headers["content-type"].startswith("application/geo+json")
    features = res.json()["features"]
    assert [f["id"] for f in features] == [r["event_id"] for r in every_row if r["country"] == "Russia"]
    assert all("toll_history" not in f["properties"] for f in features)

    assert len(client.get("/api/export.jsonl").text.splitlines()) == len(every_row)  # no pages
    assert client.get("/api/export.csv?limit=5").status_code == 422  # no pagination parameters
    assert client.get("/api/export.xml").status_code == 404


# -- tokens and writing --------------------------------------------------------------------


def test_writing_needs_a_valid_token(own_db: Path, reader) -> None:
    client = TestClient(create_app(own_db, tokens=[TOKEN], reader=reader))
    article = {"id": "api-1", "text": STRIKE, "published": "2024-05-10", "outlet": "Desk"}
    res = client.post("/api/articles", json=article)
    assert res.status_code == 401 and res.headers["www-authenticate"] == "Bearer"
    assert "missing token" in res.json()["detail"]
    res = client.post("/api/articles", json=article, headers={"Authorization": "Bearer wrong"})
    assert res.status_code == 401 and res.json() == {"detail": "invalid token"}
    res = client.post("/api/articles", json=article, headers={"Authorization": f"Basic {TOKEN}"})
    assert res.status_code == 401
    with Store(own_db) as store:
        assert store.counts()["articles"] == 3  # nothing written
    stored = create_token(own_db, "desk")
    for token in (TOKEN, stored):
        res = client.post("/api/articles", json=article, headers={"Authorization": f"Bearer {token}"})
        assert res.status_code == 200, res.text
    with Store(own_db) as store:
        (name, hashed), *_ = store.db.execute("SELECT name, hash FROM api_tokens").fetchall()
    assert name == "desk" and stored not in hashed and len(hashed) == 64  # only the sha256 is kept


def test_closed_reads_need_a_token(own_db: Path) -> None:
    stored = create_token(own_db, "reader")
    client = TestClient(create_app(own_db, tokens=[TOKEN], open_reads=False))
    for path in ("/api/events", "/api/events/ev-000000000000", "/api/export.csv"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer nope"}).status_code == 401
    good = client.get("/api/events", headers={"Authorization": f"Bearer {stored}"})
    assert good.status_code == 200 and good.json()["total"] == 13
    assert client.get("/api/export.csv", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_post_ingests_an_article_and_keeps_markup_as_text(own_db: Path, reader) -> None:
    client = TestClient(create_app(own_db, tokens=[TOKEN], reader=reader))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    article = {"id": "desk-1", "text": STRIKE, "published": "2024-05-10", "outlet": "Desk One", "language": "en"}
    body = client.post("/api/articles", json=article, headers=auth).json()
    assert (body["added"], body["unchanged"], body["problems"]) == (1, 0, [])
    (eid,) = body["events"]
    res = client.get(f"/api/events/{eid}")
    assert b"<script>" not in res.content and b"\\u003cscript\\u003e" in res.content  # escaped in the JSON
    detail = res.json()
    assert "<script>alert('x')</script>" in detail["articles"]["desk-1"]["text"]  # stored as text
    assert (detail["event"]["location"], detail["event"]["killed"], detail["event"]["injured"]) == (
        "Zaporizhzhia",  # as English news spell it
        3,
        8,
    )
    again = client.post("/api/articles", json=[article], headers=auth).json()
    assert (again["added"], again["unchanged"], again["events"]) == (0, 1, [eid])
    assert client.get("/api/events").json()["total"] == 14
    calm = {"id": "desk-2", "text": "The council approved a new budget for parks and libraries. " * 12}
    skipped = client.post("/api/articles", json=calm, headers=auth).json()
    assert (skipped["added"], skipped["skipped"], skipped["events"]) == (0, 1, [])  # recorded, with the gate's reason
    assert client.get("/api/events").json()["total"] == 14


def test_post_reports_bad_items_and_bad_bodies(own_db: Path, reader) -> None:
    client = TestClient(create_app(own_db, tokens=[TOKEN], reader=reader))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    items = [{"id": "a", "text": "   "}, {"file": "/etc/passwd"}, ["not", "an", "object"], {"id": "b"}]
    body = client.post("/api/articles", json=items, headers=auth).json()
    assert (body["added"], body["unchanged"], body["events"]) == (0, 0, [])
    assert body["problems"] == [
        "[W100] article 1: field 'text' is empty",
        "[W100] article 2: field 'file' is not accepted over the API: send 'text' or 'html'",
        "[W100] article 3: not a JSON object (got list)",
        "[W100] article 4: JSON line has no 'text', 'html' or 'file' field",
    ]
    res = client.post("/api/articles", content=b"{not json", headers=auth)
    assert res.status_code == 400 and "not JSON" in res.json()["detail"]
    assert client.post("/api/articles", json=[], headers=auth).status_code == 422
    assert client.post("/api/articles?x=1", json=items, headers=auth).status_code == 422
    with Store(own_db) as store:
        assert store.counts()["articles"] == 3


# -- the web page --------------------------------------------------------------------------


def test_static_page_is_served_after_the_api(seed_db: Path, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>warledger</title>", encoding="utf-8")
    client = TestClient(create_app(seed_db, static_dir=tmp_path))
    assert "<title>warledger</title>" in client.get("/").text
    assert client.get("/api/events?limit=1").json()["limit"] == 1  # the API wins over the mount
    assert client.get("/api/nothing").json() == {"detail": "Not Found"}


def test_situation_report_page(client: TestClient) -> None:
    res = client.get("/report", params={"from": "2025-06-23", "to": "2025-06-24"})
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    assert "Dnipro" in res.text and "<img" in res.text
    bad = client.get("/report", params={"from": "June", "to": "2025-06-24"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
    backwards = client.get("/report", params={"from": "2025-06-24", "to": "2025-06-01"})
    assert backwards.status_code == 422


def test_openapi_spec_is_served_without_cdn_pages(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/articles" in spec["paths"]
    assert client.get("/docs").status_code == 404  # its page would load scripts from a CDN
