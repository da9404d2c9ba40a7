"""The answers the web page reads at scale (/api/points, /api/timeline, /api/facets, /api/changes,
/api/places), on a real ledger of the seed articles, each checked against the events' export rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from warledger.api import create_app
from warledger.export import export_row
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.store import Store

TOKEN = "page-token-1"
STRIKE = (
    "A Russian missile struck a bus depot in Zaporizhzhia on Thursday morning, killing three people "
    "and injuring eight, regional governor Ivan Fedorov said."
)
Row = dict[str, Any]


@pytest.fixture(scope="module")
def seed_db(ledgers, seeds_dir: Path, reader) -> Path | str:
    path = ledgers.new("page_seeds")
    with Store(path) as store:
        assert ingest_articles(read_paths([seeds_dir]).articles, store, reader).added == 3
    ledgers.freeze(path)
    return path


@pytest.fixture(scope="module")
def client(seed_db: Path | str) -> TestClient:
    return TestClient(create_app(seed_db, poll_seconds=2.5))


@pytest.fixture(scope="module")
def rows(seed_db: Path | str) -> list[Row]:
    with Store(seed_db) as store:
        return [export_row(ev) for ev in store.events()]


FILTERS: list[tuple[str, Callable[[Row], bool]]] = [
    ("", lambda r: True),
    ("country=ukraine", lambda r: r["country"] == "Ukraine"),
    ("weapon=Drone", lambda r: "drone" in [w.lower() for w in r["weapons"]]),
    ("min_killed=10", lambda r: (r["killed"] or 0) >= 10),
    ("date_from=2025-04-04&date_to=2025-04-04", lambda r: r["date_from"] <= "2025-04-04" <= r["date_to"]),
    ("q=kryvyi", lambda r: r["location"] == "Kryvyi Rih" or any("Kryvyi" in s["quote"] for s in r["sources"])),
]


# -- /api/points ---------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "keep"), FILTERS)
def test_points_are_every_matching_event_as_the_map_draws_it(
    client: TestClient, rows: list[Row], query: str, keep: Callable[[Row], bool]
) -> None:
    body = client.get("/api/points?" + query).json()
    expected = [r for r in rows if keep(r)]
    assert expected and body["total"] == len(expected) == len(body["points"])
    assert body["fields"] == ["event_id", "latitude", "longitude", "event_date", "killed", "type", "place"]
    for row, (eid, lat, lon, day, killed, type_ref, place_ref) in zip(expected, body["points"], strict=True):
        assert (eid, day, killed) == (row["event_id"], row["event_date"], row["killed"])
        assert (lat, lon) == (row["latitude"], row["longitude"])
        assert body["types"][type_ref] == row["sub_event_type"]
        assert body["places"][place_ref] == (row["location"] or row["admin1"] or row["country"])
    # the events /api/events pages through, in the same order
    listed = client.get("/api/events?limit=1000&" + query).json()["events"]
    assert [p[0] for p in body["points"]] == [e["event_id"] for e in listed]


def test_points_hold_a_point_per_located_event_and_none_for_the_others(client: TestClient, rows: list[Row]) -> None:
    points = {p[0]: p for p in client.get("/api/points").json()["points"]}
    located = {r["event_id"] for r in rows if r["latitude"] is not None}
    assert located and {eid for eid, p in points.items() if p[1] is not None} == located
    kryvyi = next(r for r in rows if r["location"] == "Kryvyi Rih" and r["killed"] == 18)
    assert points[kryvyi["event_id"]][3:5] == ["2025-04-04", 18]


def test_answers_are_gzipped_and_filter_errors_are_those_of_the_event_list(client: TestClient) -> None:
    res = client.get("/api/events", headers={"Accept-Encoding": "gzip"})  # 13 full records: over 1 kB
    assert res.headers["content-encoding"] == "gzip" and res.json()["total"] == 13
    res = client.get("/api/changes", headers={"Accept-Encoding": "gzip"})  # small: as it is
    assert "content-encoding" not in res.headers and res.json()["events"] == []
    for path in ("/api/points", "/api/timeline", "/api/facets"):
        bad = client.get(path + "?date_from=2025-13-01")
        assert bad.status_code == 422 and "date_from: '2025-13-01' is not a date" in bad.json()["detail"]
        assert client.get(path + "?limit=5").status_code == 422  # no pages: every matching event


def test_points_of_a_ledger_stored_before_they_were_kept(ledgers, seed_db: Path | str, rows: list[Row]) -> None:
    """A ledger from before migration 0011 gets each event's point, type and place on open."""
    path = ledgers.copy(seed_db, "before_points")
    with Store(path) as store, store.db.write():
        for index in ("events_points", "events_type"):
            store.db.execute(f"DROP INDEX {index}")
        for column in ("latitude", "longitude", "type_name", "place_name"):
            store.db.execute(f"ALTER TABLE events DROP COLUMN {column}")
        store.db.execute("DELETE FROM schema_migrations WHERE name = '0011_event_points'")
    with Store(path) as store:
        points = store.points()
        assert [store.event(p.event_id) for p in points] == [store.rebuild(p.event_id) for p in points]
    assert [(p.event_id, p.latitude, p.longitude, p.type) for p in points] == [
        (r["event_id"], r["latitude"], r["longitude"], r["sub_event_type"]) for r in rows
    ]


# -- /api/timeline ---------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "keep"), FILTERS)
def test_timeline_counts_events_and_killed_per_day(
    client: TestClient, rows: list[Row], query: str, keep: Callable[[Row], bool]
) -> None:
    body = client.get("/api/timeline?" + query).json()
    days: dict[str, list[Any]] = {}
    for r in rows:
        if keep(r) and r["event_date"]:
            day = days.setdefault(r["event_date"], [r["event_date"], 0, None, 0])
            day[1] += 1
            if r["killed"] is None:
                day[3] += 1
            else:
                day[2] = (day[2] or 0) + r["killed"]
    assert body["days"] == [days[d] for d in sorted(days)]
    every = sorted(r["event_date"] for r in rows)
    assert (body["first"], body["last"]) == (every[0], every[-1])  # the whole ledger's, whatever the filter


# -- /api/facets -----------------------------------------------------------------------------


def _facet(rows: list[Row], name: str, keep: Callable[[Row], bool]) -> list[dict[str, Any]]:
    counts: Counter[str] = Counter()
    for r in rows:
        if keep(r):
            values = r["weapons"] if name == "weapon" else [r[name]]
            counts.update(v for v in values if v)
    return [{"value": v, "events": n} for v, n in sorted(counts.items(), key=lambda vn: (vn[0].lower(), vn[0]))]


def test_facets_count_each_filters_values_under_the_other_filters(client: TestClient, rows: list[Row]) -> None:
    body = client.get("/api/facets").json()
    assert list(body) == ["country", "admin1", "actor1", "sub_event_type", "weapon"]
    for name in body:
        assert body[name] == _facet(rows, name, lambda r: True), name
    assert {"value": "Ukraine", "events": sum(r["country"] == "Ukraine" for r in rows)} in body["country"]

    # with a country asked: the countries are those the other filters leave (both), the rest narrows
    body = client.get("/api/facets?country=Russia&min_killed=0").json()
    assert body["country"] == _facet(rows, "country", lambda r: r["killed"] is not None)
    assert {v["value"] for v in body["country"]} == {"Russia", "Ukraine"}
    russia = lambda r: r["country"] == "Russia" and r["killed"] is not None  # noqa: E731
    for name in ("admin1", "actor1", "sub_event_type", "weapon"):
        assert body[name] == _facet(rows, name, russia), name


# -- /api/changes ----------------------------------------------------------------------------


def test_changes_after_a_cursor_name_the_events_a_new_article_makes(ledgers, seed_db: Path | str, reader) -> None:
    db = ledgers.copy(seed_db, "changes")
    client = TestClient(create_app(db, tokens=[TOKEN], reader=reader, poll_seconds=2.5))
    first = client.get("/api/changes").json()
    assert first["events"] == [] and first["cursor"] > 0 and first["poll"] == 2.5
    cursor = first["cursor"]
    assert client.get(f"/api/changes?after={cursor}").json() == {
        "cursor": cursor,
        "events": [],
        "more": False,
        "poll": 2.5,
    }
    assert client.get("/api/points").json()["cursor"] == cursor

    article = {"id": "desk-9", "text": STRIKE, "published": "2024-05-10", "outlet": "Desk", "language": "en"}
    posted = client.post("/api/articles", json=article, headers={"Authorization": f"Bearer {TOKEN}"}).json()
    (eid,) = posted["events"]
    after = client.get(f"/api/changes?after={cursor}").json()
    assert after["events"] == [eid] and after["cursor"] > cursor and not after["more"]
    assert client.get(f"/api/changes?after={after['cursor']}").json()["events"] == []
    assert eid in [p[0] for p in client.get("/api/points").json()["points"]]

    with Store(db) as store:  # pages of the log: more follow
        last, some, more = store.changed_after(0, limit=2)
        assert more and len(some) <= 2 and last < after["cursor"]
    # a cursor from another ledger (past this one's end): the answer's cursor is lower, so the page reloads
    ahead = client.get(f"/api/changes?after={after['cursor'] + 100}").json()
    assert ahead["cursor"] == after["cursor"] and ahead["events"] == []
    assert client.get("/api/changes?after=x").status_code == 422
    assert client.get("/api/changes?since=1").status_code == 422


# -- /api/places -----------------------------------------------------------------------------


def test_places_are_the_most_populous_settlements_in_the_box(client: TestClient) -> None:
    places = client.get("/api/places?bbox=35.9,49.8,36.5,50.1&limit=5").json()["places"]
    assert places[0]["name"] == "Kharkiv" and places[0]["country"] == "UA" and len(places) == 5
    assert all(35.9 <= p["longitude"] <= 36.5 and 49.8 <= p["latitude"] <= 50.1 for p in places)
    pops = [p["population"] for p in places]
    assert pops == sorted(pops, reverse=True)
    # a box across the antimeridian (as Leaflet's bounds give it, past 180): Fiji's both sides
    fiji = client.get("/api/places?bbox=178,-19,182,-16&limit=50").json()["places"]
    assert {"Suva", "Labasa", "Tubou"} <= {p["name"] for p in fiji}  # Tubou lies at -178.8
    # named as English news write them (and the events' places), not always as GeoNames does
    kryvyi = client.get("/api/places?bbox=33.2,47.8,33.6,48.0&limit=1").json()["places"]
    assert [p["name"] for p in kryvyi] == ["Kryvyi Rih"]
    assert all(p["longitude"] >= 178 or p["longitude"] <= -178 for p in fiji)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("bbox=1,2,3", "expected west,south,east,north (4 numbers)"),
        ("bbox=a,b,c,d", "expected west,south,east,north"),
        ("bbox=1,nan,2,3", "expected west,south,east,north"),
        ("bbox=1,50,2,40", "south and north must lie in -90..90, south first"),
        ("bbox=5,1,2,3", "west and east must lie in -540..540, west first"),
        ("bbox=1,2,3,4&limit=501", "limit"),
        ("", "bbox"),
    ],
)
def test_places_refuse_a_bad_box(client: TestClient, query: str, says: str) -> None:
    res = client.get("/api/places?" + query)
    assert res.status_code == 422 and says in res.json()["detail"]


# -- the spec ---------------------------------------------------------------------------------


def test_the_spec_describes_each_answer_as_it_is_sent(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    answers = {
        "/api/points": client.get("/api/points").json(),
        "/api/timeline": client.get("/api/timeline").json(),
        "/api/facets": client.get("/api/facets").json(),
        "/api/changes": client.get("/api/changes?after=0").json(),
        "/api/places": client.get("/api/places?bbox=30,45,40,52").json(),
    }
    schemas = spec["components"]["schemas"]
    for path, answer in answers.items():
        op = spec["paths"][path]["get"]
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[1]]
        assert set(schema["properties"]) == set(answer), path
        params = {p["name"] for p in op.get("parameters", [])}
        if path in ("/api/points", "/api/timeline", "/api/facets"):
            assert {"date_from", "country", "weapon", "min_killed", "q"} <= params
    assert {p["name"] for p in spec["paths"]["/api/places"]["get"]["parameters"]} == {"bbox", "limit"}
