"""The API's defences against hostile requests, on the real server (uvicorn on loopback, real HTTP):
body limits, deep JSON, security headers, rate limits, CORS, --closed and revoked tokens."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from served import Server

from warledger.api import create_token
from warledger.api.app import STATIC_DIR as STATIC
from warledger.api.defences import CONTENT_SECURITY_POLICY, json_depth
from warledger.cli import cli
from warledger.store import Store

TOKEN = "defence-token-1"


SECURITY = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


@pytest.fixture()
def served(db_path: Path | str) -> Iterator[Server]:
    with Server(db_path, tokens=[TOKEN], max_body=100_000, max_article_chars=5_000) as server:
        yield server


def _post(server: Server, body: bytes, token: str = TOKEN, **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", **headers}
    return httpx.post(server.url + "/api/articles", content=body, headers=auth, timeout=30)


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[{{{"}]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"[" * 100_000 + b"]" * 100_000) == 100_000


def test_deep_json_is_a_400_not_a_server_error(served: Server) -> None:
    for body in (b"[" * 5000 + b"]" * 5000, b'{"a":' * 5000 + b"1" + b"}" * 5000, b"[" * 50_000):
        res = _post(served, body)
        assert res.status_code == 400, res.text
        assert res.json() == {"detail": "the body nests deeper than 32 levels of arrays or objects"}


def test_bodies_over_the_limit_are_413_declared_or_chunked(served: Server) -> None:
    big = json.dumps([{"text": "x" * 200_000}]).encode()
    res = _post(served, big)
    assert res.status_code == 413 and res.json() == {"detail": "the body is larger than 100000 bytes"}

    def chunks() -> Iterator[bytes]:  # no Content-Length: refused as it is read
        yield b'[{"text": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}]'

    res = httpx.post(
        served.url + "/api/articles",
        content=chunks(),
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        timeout=30,
    )
    assert res.status_code == 413 and "larger than 100000 bytes" in res.json()["detail"]


def test_an_article_text_over_the_limit_is_a_problem_line_and_not_stored(served: Server) -> None:
    body = json.dumps([{"id": "long-1", "outlet": "x", "published": "2025-04-04", "text": "z" * 6000}]).encode()
    res = _post(served, body)
    assert res.status_code == 200, res.text
    assert res.json()["added"] == 0
    assert res.json()["problems"] == ["[W100] article 1: field 'text' is longer than 5000 characters"]


def test_too_many_articles_is_413(served: Server) -> None:
    res = _post(served, json.dumps([{}] * 1001).encode())
    assert res.status_code == 413 and res.json() == {"detail": "at most 1000 articles per request"}


def test_security_headers_on_api_errors_spec_and_page(served: Server) -> None:
    answers = [
        httpx.get(served.url + "/api/events?limit=1"),
        httpx.get(served.url + "/api/events/nope"),
        httpx.get(served.url + "/api/events?bogus=1"),
        httpx.get(served.url + "/openapi.json"),
        _post(served, b"[" * 100),
        _post(served, b"{}", token="wrong"),
    ]
    if STATIC.is_dir():
        answers += [httpx.get(served.url + "/"), httpx.get(served.url + "/no-such-file.js")]
    assert [a.status_code for a in answers][:6] == [200, 404, 422, 200, 400, 401]
    for answer in answers:
        assert {k: answer.headers.get(k) for k in SECURITY} == SECURITY, answer.request.url


def test_csp_header_is_the_page_meta_policy_plus_frame_ancestors() -> None:
    page = (Path(__file__).resolve().parents[2] / "web" / "index.html").read_text(encoding="utf-8")
    meta = page.split('http-equiv="Content-Security-Policy"')[1].split('content="')[1].split('"')[0]
    assert CONTENT_SECURITY_POLICY == meta + "; frame-ancestors 'none'"


def test_wrong_tokens_from_one_address_are_rate_limited(db_path: Path | str) -> None:
    with Server(db_path, tokens=[TOKEN]) as server:
        codes = [_post(server, b"{}", token=f"wrong-{n}").status_code for n in range(60)]
        assert codes[:10] == [401] * 10 and codes[10:] == [429] * 50
        res = _post(server, b"{}", token="wrong")
        assert res.status_code == 429 and int(res.headers["retry-after"]) >= 1
        assert res.json() == {"detail": "too many failed authentications from this address"}


def test_writes_are_rate_limited_per_token_with_retry_after(db_path: Path | str) -> None:
    with Server(db_path, tokens=[TOKEN], write_burst=3, writes_per_minute=1) as server:
        codes = [_post(server, b"[1]").status_code for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        res = _post(server, b"[1]")
        assert res.json() == {"detail": "too many writes: slow down"}
        assert 1 <= int(res.headers["retry-after"]) <= 60
        assert httpx.get(server.url + "/api/events?limit=1").status_code == 200  # reads are not limited


def test_no_cors_headers_unless_configured(db_path: Path | str) -> None:
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    with Server(db_path, tokens=[TOKEN]) as server:
        res = httpx.options(server.url + "/api/articles", headers=preflight)
        assert "access-control-allow-origin" not in res.headers
        res = httpx.get(server.url + "/api/events?limit=1", headers={"Origin": "https://evil.example"})
        assert res.status_code == 200 and "access-control-allow-origin" not in res.headers
    with Server(db_path, tokens=[TOKEN], cors_origins=["https://news.example"]) as server:
        res = httpx.options(server.url + "/api/articles", headers=preflight)
        assert "access-control-allow-origin" not in res.headers
        allowed = {**preflight, "Origin": "https://news.example"}
        res = httpx.options(server.url + "/api/articles", headers=allowed)
        assert res.headers["access-control-allow-origin"] == "https://news.example"


def test_closed_server_reads_need_a_token(db_path: Path | str) -> None:
    with Server(db_path, tokens=[TOKEN], open_reads=False) as server:
        assert httpx.get(server.url + "/api/events").status_code == 401
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert httpx.get(server.url + "/api/events", headers=auth).status_code == 200
        assert httpx.get(server.url + "/api/points", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_tokens_are_listed_and_a_revoked_token_is_refused(db_path: Path | str) -> None:
    token = create_token(db_path, "newsroom")
    create_token(db_path, "archive")
    runner = CliRunner()
    listed = runner.invoke(cli, ["token", "list", "--db", str(db_path)])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["archive", "newsroom"]
    assert all(line.split("\t")[1].startswith("created 20") for line in lines)
    assert token not in listed.output
    with Server(db_path) as server:
        assert _post(server, b"[1]", token=token).status_code == 200
        revoked = runner.invoke(cli, ["token", "revoke", "newsroom", "--db", str(db_path)])
        assert revoked.exit_code == 0, revoked.output
        res = _post(server, b"[1]", token=token)
        assert res.status_code == 401 and res.json() == {"detail": "invalid token"}
    again = runner.invoke(cli, ["token", "revoke", "newsroom", "--db", str(db_path)])
    assert again.exit_code != 0 and "no token named 'newsroom'" in again.output
    with Store(db_path) as store:
        assert [t["name"] for t in store.tokens()] == ["archive"]


def test_token_list_shows_when_each_token_last_wrote(db_path: Path | str) -> None:
    used = create_token(db_path, "used")
    create_token(db_path, "idle")
    runner = CliRunner()

    def listed() -> dict[str, str]:
        out = runner.invoke(cli, ["token", "list", "--db", str(db_path)])
        assert out.exit_code == 0, out.output
        return {line.split("\t")[0]: line.split("\t")[2] for line in out.output.splitlines()}

    assert listed() == {"idle": "never used", "used": "never used"}
    with Server(db_path, write_burst=1, writes_per_minute=0.001) as server:
        before = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 1))
        assert _post(server, b"[1]", token=used).status_code == 200
        assert _post(server, b"[1]", token="wl_not_a_token").status_code == 401
        with Store(db_path) as store:
            (stamp,) = [t["last_used_at"] for t in store.tokens() if t["name"] == "used"]
        assert stamp is not None and stamp[:19] >= before
        assert _post(server, b"[1]", token=used).status_code == 429  # refused: not a use
    assert listed() == {"idle": "never used", "used": f"last used {stamp}"}


def test_a_ledger_from_before_last_used_gets_the_column(db_path: Path | str) -> None:
    create_token(db_path, "old")
    with Store(db_path) as store, store.db.write():
        store.db.execute("ALTER TABLE api_tokens DROP COLUMN last_used_at")
        store.db.execute("DELETE FROM schema_migrations WHERE name = '0013_token_last_used'")
    with Store(db_path) as store:
        assert store.tokens() == [{"name": "old", "created_at": store.tokens()[0]["created_at"], "last_used_at": None}]


def test_huge_integers_are_422_not_an_overflow(served: Server) -> None:
    # found by tests/api/test_schema.py: ?after=107941158217544925184 was a 500 (OverflowError in SQLite)
    for query in ("/api/changes?after=107941158217544925184", "/api/events?offset=99999999999999999999"):
        res = httpx.get(served.url + query)
        assert res.status_code == 422, res.text
        assert "less than or equal to 9223372036854775807" in res.json()["detail"]
    assert httpx.get(served.url + "/api/events?min_killed=99999999999999999999").status_code == 422


def test_the_spec_says_errors_are_one_line_details(served: Server) -> None:
    spec = httpx.get(served.url + "/openapi.json").json()
    assert spec["components"]["schemas"]["HTTPValidationError"]["properties"] == {
        "detail": {"type": "string", "title": "Detail"}
    }
    assert all("4XX" in op["responses"] for path in spec["paths"].values() for op in path.values())


def test_warledger_serve_closed_with_cors_as_a_process(sqlite_path: Path) -> None:
    """The real command: `warledger serve --closed --cors ORIGIN` in its own process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "WARLEDGER_TOKEN": TOKEN}
    args = ["serve", "--db", str(sqlite_path), "--port", str(port), "--closed", "--cors", "https://news.example"]
    server = subprocess.Popen(
        [sys.executable, "-c", "from warledger.cli import main; main()", *args], env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"warledger serve exited with status {server.returncode}"
            try:
                first = httpx.get(base + "/api/events")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "warledger serve did not start"
                time.sleep(0.2)
        assert first.status_code == 401 and first.headers["x-frame-options"] == "DENY"
        auth = {"Authorization": f"Bearer {TOKEN}", "Origin": "https://news.example"}
        res = httpx.get(base + "/api/events", headers=auth)
        assert res.status_code == 200 and res.headers["access-control-allow-origin"] == "https://news.example"
        res = httpx.get(base + "/api/events", headers={**auth, "Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in res.headers
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_unexpected_error_is_a_json_500_without_a_traceback(db_path: Path | str) -> None:
    # a reader that cannot read: ingesting raises AttributeError deep inside the request
    with Server(db_path, tokens=[TOKEN], reader=object()) as server:
        article = {"id": "a1", "outlet": "x", "published": "2025-04-04", "text": "A missile struck Kharkiv."}
        res = _post(server, json.dumps(article).encode())
    assert res.status_code == 500
    assert res.json() == {"detail": "internal error: the server could not answer this request"}
    assert res.headers["x-content-type-options"] == "nosniff"


def test_a_nul_character_in_a_parameter_is_422(served: Server) -> None:
    # found by tests/api/test_schema.py on PostgreSQL: a NUL in ?country= was a 500 (DataError)
    for query in ("/api/events?country=a%00b", "/api/events/ev%00x", "/api/points?q=%00", "/report?from=%00&to=x"):
        res = httpx.get(served.url + query)
        assert res.status_code == 422, (query, res.text)
        assert res.json()["detail"].startswith("a NUL character in parameter(s): ")
