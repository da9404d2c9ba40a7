"""docs/python-api.md runs as written, and the Python API's functions keep their promises."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

import warledger
from warledger import library
from warledger.api.queries import EventFilter
from warledger.errors import InputError, WarledgerError
from warledger.records import Event

DOC = Path(__file__).resolve().parents[1] / "docs" / "python-api.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


@pytest.fixture()
def cached_reader(reader, monkeypatch):
    """The session's nlp stage as the library's cached one (loaded once for the whole run)."""
    monkeypatch.setattr(library, "_READER", reader)
    return reader


def test_the_doc_runs_and_does_what_it_says(tmp_path, seeds_dir, cached_reader, monkeypatch, capsys):
    # the doc runs from a checkout's root with ../shared/corpus beside it: the same layout in tmp
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    (tmp_path / "shared" / "corpus" / "seeds").symlink_to(seeds_dir, target_is_directory=True)
    root = tmp_path / "checkout"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("WARLEDGER_DB", raising=False)
    blocks = _BLOCK.findall(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 6
    ns: dict = {}
    for n, block in enumerate(blocks, start=1):
        exec(compile(block, f"{DOC.name} block {n}", "exec"), ns)
    printed = capsys.readouterr().out

    assert (root / "strikes.db").is_file()
    # the seeds: three articles, each stored, with their strikes; the made-up note is one more
    assert (ns["report"].read, ns["report"].added, ns["report"].problems) == (3, 3, [])
    assert ns["report"].mentions >= 3
    assert ns["extra"].added == 1
    assert [type(p) for p in ns["extra"].problems] == [InputError]
    assert "3 articles read, 3 added" in printed

    # filters: every event found is in Ukraine with a death toll, and the note's strike is among them
    everything, found = ns["everything"], ns["found"]
    assert found and len(found) < len(everything)
    assert all(ev.country == "Ukraine" and ev.killed is not None and ev.killed >= 1 for ev in found)
    assert "Kharkiv" in {ev.location for ev in found}
    assert ns["drones"] and all("drone" in [w.lower() for w in ev.weapons] for ev in ns["drones"])
    assert all("2025-06-01" <= (ev.date_to or "") and (ev.date_from or "9") <= "2025-06-30" for ev in ns["drones"])
    assert "unknown filter(s) city" in printed

    # provenance: the worst event's figures each quote a sentence of the article they name
    worst = ns["worst"]
    assert worst.killed == max(ev.killed or 0 for ev in found)
    killed = [f for f in worst.toll_history if f["kind"] == "killed"]
    assert killed and killed[0]["quote"]
    for figure in worst.toll_history:
        text = (seeds_dir / figure["article"]).read_text(encoding="utf-8")
        assert " ".join(figure["quote"].split()) in " ".join(text.split())
        assert figure["quote"] in printed
    assert worst.sources and worst.confidence

    # the exports: one CSV row per event found, one GeoJSON feature per event, a JSON line
    with open(root / "ukraine.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert ns["n_csv"] == len(rows) == len(found)
    assert {r["event_id_cnty"] for r in rows} == {ev.event_id for ev in found}
    assert {r["country"] for r in rows} == {"Ukraine"}
    features = json.loads((root / "ledger.geojson").read_text(encoding="utf-8"))["features"]
    assert ns["n_map"] == len(features) == len(everything)
    assert any(f["geometry"] for f in features)
    (line,) = ns["stream"].getvalue().splitlines()
    assert json.loads(line)["event_id"] == found[0].event_id
    assert f"{len(rows)} rows in ukraine.csv" in printed


def test_the_package_exports_the_api():
    for name in ("open_ledger", "ingest_into", "events", "export_events"):
        assert getattr(warledger, name) is getattr(library, name)
        assert name in warledger.__all__
    with pytest.raises(AttributeError):
        warledger.no_such_thing  # noqa: B018


def test_events_names_an_unknown_filter(db_path):
    with library.open_ledger(db_path) as ledger:
        with pytest.raises(TypeError) as info:
            library.events(ledger, country="Ukraine", city="Dnipro", killed=3)
        message = str(info.value)
        assert "city, killed" in message and "min_killed" in message
        assert library.events(ledger, country="Ukraine") == []


def test_events_filters_are_eventfilters_fields():
    assert set(library.FILTERS) == set(EventFilter.__dataclass_fields__)


@pytest.mark.parametrize(
    "filters, words",
    [
        ({"date_from": "24 June 2025"}, "is not a date"),
        ({"date_from": "2025-06-30", "date_to": "2025-06-01"}, "is after"),
        ({"min_killed": "3"}, "not a whole number"),
        ({"min_killed": True}, "not a whole number"),
    ],
)
def test_a_bad_filter_value_is_a_warledger_error(db_path, filters, words):
    with library.open_ledger(db_path) as ledger:
        with pytest.raises(WarledgerError) as info:
            library.events(ledger, **filters)
        assert words in str(info.value) and "\n" not in str(info.value)


class _FindingStore:
    """A ledger double that records what events() asks of it."""

    def __init__(self) -> None:
        self.asked: list[EventFilter] = []

    def find_events(self, flt: EventFilter, limit: int | None = None, offset: int = 0) -> tuple[int, list[Event]]:
        self.asked.append(flt)
        return 1, [Event(event_id="ev-1", country="Ukraine")]


def test_events_hands_its_filters_to_the_ledger_as_one_event_filter():
    from datetime import date

    store = _FindingStore()
    found = library.events(store, country="Ukraine", date_from=date(2025, 6, 1), min_killed=0)
    assert [ev.event_id for ev in found] == ["ev-1"]
    assert store.asked == [EventFilter(country="Ukraine", date_from="2025-06-01", min_killed=0)]


def test_open_ledger_path_env_default_and_url(tmp_path, monkeypatch):
    opened: list[object] = []
    monkeypatch.setattr(library, "Store", lambda where: opened.append(where) or SimpleNamespace())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WARLEDGER_DB", raising=False)
    library.open_ledger()
    library.open_ledger(tmp_path / "a.db")
    monkeypatch.setenv("WARLEDGER_DB", str(tmp_path / "env.db"))
    library.open_ledger()
    library.open_ledger("postgresql://warledger@localhost:5432/ledger")
    monkeypatch.setenv("WARLEDGER_DB", "postgres://u@db/w")
    library.open_ledger()
    assert opened == [
        Path("warledger.db"),
        tmp_path / "a.db",
        tmp_path / "env.db",
        "postgresql://warledger@localhost:5432/ledger",
        "postgres://u@db/w",
    ]


def test_ingest_reports_bad_dicts_and_refuses_other_types(db_path):
    with library.open_ledger(db_path) as ledger:
        report = library.ingest_into(ledger, [{"title": "no text"}, {"id": "x", "text": "   "}])
        assert report.added == 0 and [p.where for p in report.problems] == ["article 1", "article 2"]
        with pytest.raises(TypeError, match="not int"):
            library.ingest_into(ledger, [3])


def test_ingest_names_a_dict_without_id_by_its_text(db_path, cached_reader):
    text = "A drone struck a depot in Kharkiv on 20 June 2025, killing one guard, officials said."
    with library.open_ledger(db_path) as ledger:
        first = library.ingest_into(ledger, {"text": text, "published": "2025-06-21"})
        again = library.ingest_into(ledger, [{"text": text, "published": "2025-06-21"}])
        assert (first.added, again.added, again.unchanged) == (1, 0, 1)
        (ev,) = library.events(ledger)
        assert ev.sources[0]["article"].startswith("py-")


def test_export_to_a_stream_and_an_unknown_format(tmp_path):
    evs = [Event(event_id="ev-1", country="Ukraine", killed=2), Event(event_id="ev-2")]
    out = io.StringIO()
    assert library.export_events(evs, "jsonl", out) == 2
    assert [json.loads(line)["event_id"] for line in out.getvalue().splitlines()] == ["ev-1", "ev-2"]
    assert library.export_events(evs, "csv", tmp_path / "e.csv") == 2
    with pytest.raises(WarledgerError, match="unknown export format 'xlsx'"):
        library.export_events(evs, "xlsx", io.StringIO())
