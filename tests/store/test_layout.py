"""All SQL lives in ``store/``: every other stage reads and writes the ledger through its methods."""

from __future__ import annotations

import re
from pathlib import Path

import warledger

SRC = Path(warledger.__file__).resolve().parent
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA)\b"
    r"|\.execute(many)?\(|\bsqlite3\b|\bpsycopg\b"
)


def test_no_sql_outside_the_store() -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if path.parent.name != "store"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL.search(line)
    ]
    assert found == []


def test_the_check_sees_sql_where_it_is() -> None:
    """The pattern finds the store's own statements (so an empty list above means something)."""
    store = (SRC / "store" / "sql.py").read_text(encoding="utf-8")
    assert len([ln for ln in store.splitlines() if SQL.search(ln)]) > 50
