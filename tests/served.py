"""The API app under uvicorn on 127.0.0.1, in a thread: what tests that talk to a real server share
(the browser tests, the API's defences)."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn

from warledger.api.app import create_app


class Server:
    """The API app (and the page it serves) under uvicorn on 127.0.0.1, in a thread."""

    def __init__(
        self, db: Path | str, tokens: Sequence[str] = (), reader: Any = None, poll_seconds: float = 10, **app: Any
    ) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        served = create_app(db, tokens=tokens, reader=reader, poll_seconds=poll_seconds, **app)
        config = uvicorn.Config(served, host="127.0.0.1", port=self.port, log_level="warning")
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

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=30) as res:
            return json.load(res)

    def post(self, path: str, body: Any, token: str) -> Any:
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=120) as res:
            return json.load(res)

    def events(self) -> list[dict[str, Any]]:
        return self.get("/api/events?limit=1000")["events"]
