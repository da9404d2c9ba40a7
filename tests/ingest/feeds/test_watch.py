"""``warledger watch DIR``: files dropped into a real folder are read once whole, remembered in the
ledger, and a bad one is reported while the rest is stored."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from warledger.cli import cli
from warledger.ingest.feeds import Watcher
from warledger.store import Store

from .site import REPORTS, page_html


def _sentence(city: str) -> str:
    return REPORTS[city][1] + " Rescue teams worked at the site until the evening.\n"


def _tolls(db: object) -> dict[str, tuple[int | None, int | None]]:
    with Store(db) as store:  # type: ignore[arg-type]
        return {(e.location or "?").lower(): (e.killed, e.injured) for e in store.events()}


class Ticks:
    """A clock the test moves: when the watcher looks is the test's choice, not the machine's speed."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_watch_reads_each_file_once_and_remembers_it(tmp_path: Path, db_path: Path, reader) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(_sentence("zhytomyr"), encoding="utf-8")
    (inbox / "b.html").write_text(page_html("poltava"), encoding="utf-8")
    lines = [{"id": "wire-1", "text": _sentence("sumy")}, {"id": "wire-2", "text": _sentence("odesa")}]
    (inbox / "c.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    (inbox / "notes.md").write_text("not an input", encoding="utf-8")
    (inbox / ".d.txt").write_text(_sentence("kharkiv"), encoding="utf-8")  # a dot file: being written

    first = Watcher(inbox, db_path, settle=0.05, reader=reader).run_once()
    assert (first.files, first.added, first.unchanged, first.errors) == (3, 4, 0, [])
    assert _tolls(db_path) == {"zhytomyr": (2, 5), "poltava": (3, 11), "sumy": (1, 4), "odesa": (4, 7)}

    # a restart: the ledger remembers what was read, nothing is read again
    again = Watcher(inbox, db_path, settle=0.05, reader=reader).run_once()
    assert (again.files, again.added) == (0, 0)

    (inbox / ".d.txt").rename(inbox / "d.txt")  # written, then renamed in: read now
    (inbox / "a.txt").write_text(_sentence("zhytomyr") + "A second funeral was held on Monday.\n", encoding="utf-8")
    third = Watcher(inbox, db_path, settle=0.05, reader=reader).run_once()
    assert (third.files, third.added) == (2, 2)  # the new file, and a.txt's new content
    with Store(db_path) as store:
        assert store.counts()["articles"] == 5  # a.txt's new version replaced its first
        text = store.article("a.txt")
        assert text is not None and "second funeral" in text["text"]
        assert text["language"] == "en"  # told from the text: nothing gave it
        assert store.article("wire-1")["language"] == "en"  # type: ignore[index]
        assert store.watched_file(str((inbox / "c.jsonl").resolve()), _hash(inbox / "c.jsonl")) == "read"
    assert _tolls(db_path)["kharkiv"] == (5, 20)


def _hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_watch_waits_for_a_file_being_written(tmp_path: Path, db_path: Path, reader) -> None:
    """A file whose size changed since the last look is left alone (a JSON line cut in the middle
    is never read); it is read once its size held for the settle time."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    line = json.dumps({"id": "slow-1", "text": _sentence("dnipro")}) + "\n"
    partial = inbox / "late.jsonl"
    partial.write_text(line[:40], encoding="utf-8")
    clock = Ticks()
    watcher = Watcher(inbox, db_path, settle=2.0, reader=reader, clock=clock)
    with Store(db_path) as store:
        watcher.look()
        clock.t = 1.0
        with partial.open("a", encoding="utf-8") as fh:
            fh.write(line[40:80])
        result = watcher.scan(store)
        assert (result.files, result.waiting, result.errors) == (0, 1, [])  # it grew: wait again
        clock.t = 2.5
        with partial.open("a", encoding="utf-8") as fh:
            fh.write(line[80:])
        assert watcher.scan(store).waiting == 1
        clock.t = 4.0
        assert watcher.scan(store).waiting == 1  # held for 1.5 s of the 2
        assert store.counts()["articles"] == 0
        clock.t = 5.0
        done = watcher.scan(store)
        assert (done.files, done.added, done.waiting, done.errors) == (1, 1, 0, [])
        assert store.article("slow-1") is not None
        clock.t = 20.0
        assert watcher.scan(store).quiet  # read: not looked at again
    assert _tolls(db_path) == {"dnipro": (2, 9)}


def test_watch_reports_a_bad_file_and_reads_the_rest(tmp_path: Path, db_path: Path, reader) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(_sentence("mykolaiv"), encoding="utf-8")
    (inbox / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 40)
    (inbox / "empty.html").write_text("", encoding="utf-8")
    (inbox / "mixed.jsonl").write_text(
        json.dumps({"id": "m-1", "text": _sentence("kherson")}) + '\n{"id": "m-2", "text": \n', encoding="utf-8"
    )
    res = CliRunner().invoke(cli, ["watch", str(inbox), "--once", "--settle", "0.05", "--db", str(db_path)])
    assert res.exit_code == 0, res.output
    assert res.stdout.splitlines() == [
        f"{inbox}: 4 file(s) read, 2 article(s) added, 0 unchanged, 0 still being written, 3 problem(s)"
    ]
    assert sorted(res.stderr.splitlines()) == [
        f"[W100] {inbox / 'binary.txt'}: binary file, not text",
        f"[W100] {inbox / 'empty.html'}: empty file",
        f"[W100] {inbox / 'mixed.jsonl'}:2: malformed JSON (Expecting value at column 23)",
    ]
    assert _tolls(db_path) == {"mykolaiv": (1, 3), "kherson": (2, 8)}
    with Store(db_path) as store:
        assert store.watched_file(str((inbox / "binary.txt").resolve()), _hash(inbox / "binary.txt")) == "bad"
    again = CliRunner().invoke(cli, ["watch", str(inbox), "--once", "--settle", "0.05", "--db", str(db_path)])
    assert again.stderr == ""  # a bad file is reported once, until it changes
    assert "0 file(s) read" in again.stdout
