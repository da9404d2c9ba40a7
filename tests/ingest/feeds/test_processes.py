"""The follower as a process: killed with SIGKILL mid-run and restarted, it has read every item
exactly once and lost none; stopped with SIGTERM (``follow``, ``serve --follow``), it ends cleanly.
``serve --follow`` in the app: the follower runs while the app does and stops with it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

import warledger
from warledger.api import create_app
from warledger.ingest.feeds import PollResult, parse_config
from warledger.ingest.feeds.follow import article_id
from warledger.store import Store

from .site import REPORTS, TOLLS, Item, Page, Site, page_html, rss

SRC = str(Path(warledger.__file__).resolve().parents[1])


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "warledger.cli", *args]


def _sources(tmp_path: Path, site: Site, name: str, path: str, **defaults: object) -> Path:
    values = {"timeout": 10, "host_delay": 0.01, "interval": 3600, **defaults}
    text = "[defaults]\n" + "".join(f"{k} = {v}\n" for k, v in values.items())
    text += f'[[source]]\nname = "{name}"\nurl = "{site.url(path)}"\n'
    out = tmp_path / "sources.toml"
    out.write_text(text, encoding="utf-8")
    return out


def test_follow_killed_mid_run_resumes_without_rereading_or_losing(tmp_path: Path) -> None:
    """Pages are read and stored 4 at a time; SIGKILL lands as soon as the first article of the
    second batch (pages 5-8) is in the ledger: the first batch marked, the second being stored.
    The restart (--once) reads only what was not marked, and the ledger holds each item once:
    none lost, none twice."""
    cities = list(REPORTS)
    db = tmp_path / "ledger.db"
    with Site() as site:
        for city in cities:
            site.pages[f"/news/{city}"] = Page(page_html(city), delay=0.2)
        items = [Item(f"urn:{c}", site.url(f"/news/{c}"), f"Strike on {c}", REPORTS[c][0]) for c in cities]
        site.pages["/feed.xml"] = Page(rss("Kill Desk", items), content_type="application/rss+xml", etag='"k1"')
        sources = _sources(tmp_path, site, "kill", "/feed.xml", batch=4)

        proc = subprocess.Popen(
            _command("follow", str(sources), "--db", str(db)),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            read = site.wait_for(8, "/news/", timeout=300)
            if read:
                with Store(db) as watching:  # the follower made the ledger (it stored the first batch)
                    read = _wait(lambda: watching.counts()["articles"] >= 5, 120, every=0.005)
        finally:
            proc.kill()
            out, err = proc.communicate()
        assert read, err.decode()
        assert proc.returncode == -signal.SIGKILL
        with Store(db) as store:
            marked = {i.key: i for i in store.feed_items()}
            # nothing is marked that is not stored
            assert all(i.status == "stored" and store.article(i.article_id or "") for i in marked.values())
            stored_before = store.counts()["articles"]
        assert 1 <= len(marked) < len(cities) and stored_before >= len(marked)

        again = subprocess.run(
            _command("follow", str(sources), "--once", "--db", str(db)),
            env=_env(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert again.returncode == 0, again.stderr
        rest = len(cities) - len(marked)
        assert again.stdout.splitlines() == [f"kill: {rest} new item(s), {rest} stored, 0 error(s)"]
        # the killed run never kept the feed's validators: the restart got the feed whole
        assert [r.status for r in site.requests("/feed.xml")] == [200, 200]
        for city in cities:
            hits = site.hits(f"/news/{city}", 200)
            assert hits == 1 if f"urn:{city}" in marked else hits <= 2, (city, hits)

    with Store(db) as store:
        items = store.feed_items()
        assert sorted(i.key for i in items) == sorted(f"urn:{c}" for c in cities)
        assert {i.status for i in items} == {"stored"}
        assert {i.article_id for i in items} == {article_id(site.url(f"/news/{c}")) for c in cities}
        assert store.counts()["articles"] == len(cities)
        tolls = {(e.location or "?").lower(): (e.killed, e.injured) for e in store.events()}
    assert tolls == TOLLS


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check: Callable[[], bool], timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def test_follow_and_serve_follow_stop_on_sigterm(tmp_path: Path) -> None:
    """SIGTERM ends `follow` (exit 0) and `serve --follow` after the follower stopped; no page
    is read (the feed is empty), so neither loads the nlp stage."""
    with Site() as site:
        site.pages["/feed.xml"] = Page(rss("Quiet Desk", []), content_type="application/rss+xml")
        sources = _sources(tmp_path, site, "quiet", "/feed.xml")

        follow = subprocess.Popen(
            _command("follow", str(sources), "--db", str(tmp_path / "f.db")),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert _wait(lambda: site.hits("/feed.xml") >= 1, 120)
            follow.send_signal(signal.SIGTERM)
            out, err = follow.communicate(timeout=60)
        finally:
            follow.kill()
        assert follow.returncode == 0, err
        assert out.splitlines() == ["quiet: 0 new item(s), 0 stored, 0 error(s)"]
        assert err.splitlines()[-1] == "warledger: stopped following"

        port = _free_port()
        serve = subprocess.Popen(
            _command("serve", "--follow", str(sources), "--port", str(port), "--db", str(tmp_path / "s.db")),
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert _wait(lambda: site.hits("/feed.xml") >= 2, 120)
            answer = httpx.get(f"http://127.0.0.1:{port}/api/events", timeout=10)
            assert answer.status_code == 200 and answer.json()["total"] == 0
            serve.send_signal(signal.SIGTERM)
            _, err = serve.communicate(timeout=60)
        finally:
            serve.kill()
        assert serve.returncode in (0, -signal.SIGTERM), err  # uvicorn ends by the signal it caught
        lines = err.splitlines()
        assert "follow: quiet: 0 new item(s), 0 stored, 0 error(s)" in lines
        assert lines[-1] == "follow: stopped"


def test_serve_follow_runs_with_the_app_and_stops_with_it(db_path: Path, reader, tmp_path: Path) -> None:
    polls: list[PollResult] = []
    with Site() as site:
        site.pages["/news/odesa"] = Page(page_html("odesa"))
        feed = rss("Served Desk", [Item("urn:odesa", site.url("/news/odesa"), "Strike on Odesa")])
        site.pages["/feed.xml"] = Page(feed, content_type="application/rss+xml")
        config = parse_config(_sources(tmp_path, site, "served", "/feed.xml").read_text(), "sources.toml")
        app = create_app(db_path, reader=reader, follow=config, on_poll=polls.append)
        follower = app.state.follower
        with TestClient(app) as client:
            assert _wait(lambda: client.get("/api/events").json()["total"] == 1, 120)
            (event,) = client.get("/api/events").json()["events"]
            assert follower.running
        assert not follower.running
    assert (event["location"], event["killed"], event["injured"]) == ("Odesa", 4, 7)
    assert [p.line() for p in polls] == ["served: 1 new item(s), 1 stored, 0 error(s)"]
