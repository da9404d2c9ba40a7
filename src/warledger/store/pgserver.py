"""A throw-away PostgreSQL server on loopback, for tests and benchmarks (no system service).

    with temp_server() as base:                 # initdb + pg_ctl in a temporary data directory
        url = create_database(base, "ledger1")  # postgresql://postgres@127.0.0.1:PORT/ledger1
        ...                                     # the server is stopped and its files removed after

The binaries are Debian's (``/usr/lib/postgresql/*/bin``, package ``postgresql``; ``make test``
installs it when absent) or whatever ``initdb`` is on PATH. PostgreSQL refuses to run as root:
as root, the server runs as the ``postgres`` user the package creates. Authentication is ``trust``
on loopback only, which is why this is for throw-away servers and nothing else.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import StoreError

USER = "postgres"


def bindir() -> Path:
    """The folder holding initdb and pg_ctl; StoreError when PostgreSQL is not installed."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    raise StoreError("PostgreSQL is not installed (no initdb): `apt-get install postgresql` or `make test`")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], as_user: bool) -> None:
    cmd = ["runuser", "-u", USER, "--", *args] if as_user else args
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StoreError(f"{args[0]} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")


@contextmanager
def temp_server() -> Iterator[str]:
    """Start a fresh server; YIELDS its base URL (``postgresql://postgres@127.0.0.1:PORT/``)."""
    bins = bindir()
    as_user = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="warledger-pg-"))
    data = root / "data"
    port = _free_port()
    try:
        if as_user:
            shutil.chown(root, USER, USER)
        _run([str(bins / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-sync"], as_user)
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off -c max_connections=200"
        _run([str(bins / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"], as_user)
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/"
        finally:
            _run([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], as_user)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """Create database ``name`` on the server at ``base_url``; RETURNS its URL."""
    import psycopg

    with psycopg.connect(base_url + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base_url + name
