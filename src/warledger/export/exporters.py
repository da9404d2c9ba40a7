"""The exporters. Unknown values are written as null (JSON, Parquet) or an empty cell (CSV), never 0."""

from __future__ import annotations

import csv
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from ..datafiles import DATA_DIR, read_json_object
from ..errors import DataFileError, WarledgerError
from ..records import CONFIDENCE_DIGITS, EXPORT_KEYS, Event

# event id -> when the event last changed, ISO 8601 (``Ledger.last_changed``): ACLED's timestamp
Changed = Mapping[str, str]
UNKNOWN: Changed = MappingProxyType({})  # no times given: ACLED's timestamp left empty


class Exporter(ABC):
    """Writes events to a text stream (or, for a binary format, to a file)."""

    name: str = ""
    keeps_deletions: bool = True  # can say "this event was deleted" (needed by export --since)
    binary: bool = False  # written to a file only (write_file), never to a text stream

    @abstractmethod
    def write(
        self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = (), changed: Changed = UNKNOWN
    ) -> int:
        """Write every event, then a record per deleted event; RETURNS how many events were written.

        ``changed`` gives when each event last changed, for a format that carries it (ACLED CSV)."""

    def write_file(
        self,
        events: Iterable[Event],
        path: str | os.PathLike[str],
        deleted: Sequence[dict[str, Any]] = (),
        changed: Changed = UNKNOWN,
    ) -> int:
        """``write`` to the file at ``path`` (created or replaced)."""
        with open(path, "w", encoding="utf-8", newline="") as fh:
            return self.write(events, fh, deleted, changed)


def rounded(confidence: dict[str, float]) -> dict[str, float]:
    """Field confidences as exported: rounded to ``CONFIDENCE_DIGITS`` places."""
    return {k: round(v, CONFIDENCE_DIGITS) for k, v in confidence.items()}


def export_row(ev: Event) -> dict[str, Any]:
    """An event as a JSON-lines export row: exactly ``EXPORT_KEYS``, confidences rounded."""
    return ev.to_row()


class JsonlExporter(Exporter):
    """One event per line with exactly the keys of ``records.EXPORT_KEYS``; a deleted event is a
    line ``{"event_id": ..., "deleted": true, "merged_into": ..., "at": ..., "why": ...}``."""

    name = "warledger.export.jsonl.v3"

    def write(
        self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = (), changed: Changed = UNKNOWN
    ) -> int:
        n = 0
        for ev in events:
            out.write(json.dumps(export_row(ev), ensure_ascii=False) + "\n")
            n += 1
        for gone in deleted:
            out.write(json.dumps(gone, ensure_ascii=False) + "\n")
        return n


# ACLED's column names, in ACLED's order, where the ledger knows the field; then ours.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "timestamp",
]
EXTRA_COLUMNS = [
    "date_from",
    "date_to",
    "date_precision",
    "geo_precision_text",
    "killed_low",
    "killed_high",
    "injured",
    "injured_low",
    "injured_high",
    "children_killed",
    "children_injured",
    "hospitalized",
    "perpetrators_killed",
    "perpetrators_injured",
    "weapons",
    "targets",
    "sources",
    "claims",
]
# after warledger's own columns: how likely each field is right (empty when not rated)
CONFIDENCE_COLUMNS = ["killed", "injured", "place", "date", "actor1", "sub_event_type"]
TIME_PRECISION = {"day": 1, "publication": 2, "week": 2, "month": 3, "year": 3}
GEO_PRECISION = {"settlement": 1, "admin1": 3, "country": 3}
EVENT_TYPE = {
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
}


CIVILIAN_TARGETING = "Civilian targeting"


@cache
def civilian_targets(path: Path = DATA_DIR / "targets.json") -> frozenset[str]:
    """The target names that are civilian objects (``civilian`` in data/targets.json)."""
    data = read_json_object(path)
    names, known = data.get("civilian"), data.get("targets")
    if not isinstance(names, list) or not isinstance(known, dict) or not all(n in known for n in names):
        raise DataFileError(str(path), "'civilian' must be a list of target names from 'targets'")
    return frozenset(names)


def civilian_targeting(ev: Event) -> str | None:
    """ACLED's civilian_targeting: "Civilian targeting" when every target named is a civilian
    object; empty when a target is military or dual-use, or none is named."""
    if ev.targets and all(t in civilian_targets() for t in ev.targets):
        return CIVILIAN_TARGETING
    return None


def actor2(ev: Event) -> str | None:
    """ACLED's actor2 as ACLED names the targets of civilian targeting: "Civilians (Ukraine)",
    the country where it happened; empty otherwise (the ledger does not know who else was hit)."""
    return f"Civilians ({ev.country})" if ev.country and civilian_targeting(ev) else None


def unix_time(iso: str | None) -> int | None:
    """An ISO 8601 time as whole Unix seconds (ACLED's timestamp)."""
    return int(datetime.fromisoformat(iso).timestamp()) if iso else None


class AcledCsvExporter(Exporter):
    """CSV in ACLED's column layout, followed by warledger's own columns and the fields' confidences.

    ACLED's columns the ledger does not know (assoc_actor_1, inter1, admin3, source_scale,
    tags, ...) are left out rather than filled with a guess."""

    name = "warledger.export.acled_csv.v3"
    keeps_deletions = False

    def write(
        self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = (), changed: Changed = UNKNOWN
    ) -> int:
        if deleted:
            raise WarledgerError(
                f"the ACLED CSV layout has no place for deleted events: export --since as {deletion_formats()}"
            )
        w = csv.writer(out)
        w.writerow(ACLED_COLUMNS + EXTRA_COLUMNS + [f"confidence_{c}" for c in CONFIDENCE_COLUMNS])
        n = 0
        for ev in events:
            w.writerow(["" if v is None else v for v in self.row(ev, changed.get(ev.event_id))])
            n += 1
        return n

    @staticmethod
    def row(ev: Event, changed: str | None = None) -> list[Any]:
        """The event's cells; ``changed`` is when it last changed (ISO 8601), or None: unknown."""
        from ..geo.acled import admin2_name, country_code, iso_numeric

        outlets = sorted({s["outlet"] or s["article"] for s in ev.sources})
        confidence = rounded(ev.confidence)
        settled = ev.geo_precision == "settlement"
        return [
            ev.event_id,
            ev.event_date,
            ev.event_date[:4] if ev.event_date else None,
            TIME_PRECISION.get(ev.date_precision or ""),
            "Political violence",
            EVENT_TYPE.get(ev.sub_event_type or ""),
            ev.sub_event_type,
            ev.actor1,
            actor2(ev),
            civilian_targeting(ev),
            iso_numeric(ev.country),
            ev.country,
            ev.admin1,
            admin2_name(country_code(ev.country), ev.latitude, ev.longitude) if settled else None,
            ev.location,
            ev.latitude,
            ev.longitude,
            GEO_PRECISION.get(ev.geo_precision or ""),
            "; ".join(outlets),
            ev.sources[0]["quote"] if ev.sources else None,
            ev.killed,
            unix_time(changed),
            ev.date_from,
            ev.date_to,
            ev.date_precision,
            ev.geo_precision,
            ev.killed_low,
            ev.killed_high,
            ev.injured,
            ev.injured_low,
            ev.injured_high,
            ev.children_killed,
            ev.children_injured,
            ev.hospitalized,
            ev.perpetrators_killed,
            ev.perpetrators_injured,
            "; ".join(ev.weapons),
            "; ".join(ev.targets),
            json.dumps(ev.sources, ensure_ascii=False),
            json.dumps(ev.claims, ensure_ascii=False),
            *(confidence.get(c) for c in CONFIDENCE_COLUMNS),
        ]


class GeoJsonExporter(Exporter):
    """A FeatureCollection; an event with no coordinates has a null geometry, not a made-up point."""

    name = "warledger.export.geojson.v2"

    def write(
        self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = (), changed: Changed = UNKNOWN
    ) -> int:
        features = []
        for ev in events:
            props = export_row(ev)
            del props["toll_history"]  # kept in JSONL; a map's properties stay flat
            lat, lon = props.pop("latitude"), props.pop("longitude")
            geom = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
            features.append({"type": "Feature", "id": ev.event_id, "geometry": geom, "properties": props})
        n = len(features)
        features += [{"type": "Feature", "id": d["event_id"], "geometry": None, "properties": d} for d in deleted]
        json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return n


def parquet_schema() -> Any:
    """The Parquet export's columns: exactly the JSON-lines keys, typed. Days are date32,
    coordinates float64, counts nullable int64 (unknown is null, never 0), lists and records
    nested as Arrow lists and structs, evidence / confidence maps."""
    import pyarrow as pa

    text, count, day, flag = pa.string(), pa.int64(), pa.date32(), pa.bool_()
    source = pa.struct(
        [("article", text), ("outlet", text), ("published", day), ("url", text), ("quote", text)]
        + [("start", count), ("end", count), ("language", text)]
    )
    toll = pa.struct(
        [("kind", text), ("value", count), ("low", count), ("high", count), ("reported_by", text)]
        + [("credible", flag), ("article", text), ("outlet", text), ("published", day), ("quote", text)]
        + [("start", count), ("end", count), ("language", text)]
    )
    claim = pa.struct(
        [("by", text), ("statement", text), ("killed", count), ("injured", count), ("disputed", flag)]
        + [("article", text), ("quote", text), ("language", text)]
    )
    types = {
        "event_id": text,
        "wave_id": text,
        **dict.fromkeys(("event_date", "date_from", "date_to"), day),
        **dict.fromkeys(("date_precision", "country", "admin1", "location"), text),
        **dict.fromkeys(("latitude", "longitude"), pa.float64()),
        **dict.fromkeys(("geo_precision", "actor1", "sub_event_type"), text),
        **dict.fromkeys(("weapons", "targets"), pa.list_(text)),
        **dict.fromkeys(COUNT_KEYS, count),
        "toll_history": pa.list_(toll),
        "sources": pa.list_(source),
        "claims": pa.list_(claim),
        "evidence": pa.map_(text, text),
        "confidence": pa.map_(text, pa.float64()),
    }
    return pa.schema([pa.field(k, types[k], nullable=k != "event_id") for k in EXPORT_KEYS])


COUNT_KEYS = tuple(k for k in EXPORT_KEYS if k.startswith(("killed", "injured", "children", "hosp", "perp", "n_")))
DAY_KEYS = ("event_date", "date_from", "date_to")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def parquet_row(ev: Event) -> dict[str, Any]:
    """The JSON-lines row with its days as dates (Arrow's date32 takes ``date`` objects)."""
    row = export_row(ev)
    for key in DAY_KEYS:
        row[key] = _day(row[key])
    for key in ("toll_history", "sources"):
        row[key] = [{**item, "published": _day(item["published"])} for item in row[key]]
    return row


class ParquetExporter(Exporter):
    """Apache Parquet, typed (``parquet_schema``), one row per event with the JSON-lines fields.

    A binary file, so written to a path only. It has no rows for deleted events (every row is
    a live event with the same columns), so ``export --since`` refuses it, as for CSV."""

    name = "warledger.export.parquet.v1"
    keeps_deletions = False
    binary = True

    def write(
        self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = (), changed: Changed = UNKNOWN
    ) -> int:
        raise WarledgerError("parquet is a binary format: write it to a file (export --format parquet -o FILE)")

    def write_file(
        self,
        events: Iterable[Event],
        path: str | os.PathLike[str],
        deleted: Sequence[dict[str, Any]] = (),
        changed: Changed = UNKNOWN,
    ) -> int:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if deleted:
            raise WarledgerError(f"Parquet has no place for deleted events: export --since as {deletion_formats()}")
        table = pa.Table.from_pylist([parquet_row(ev) for ev in events], schema=parquet_schema())
        try:
            pq.write_table(table, path)
        except OSError as exc:
            raise WarledgerError(f"{os.fspath(path)}: cannot write ({exc})") from None
        return int(table.num_rows)


EXPORTERS: dict[str, type[Exporter]] = {
    "jsonl": JsonlExporter,
    "csv": AcledCsvExporter,
    "geojson": GeoJsonExporter,
    "parquet": ParquetExporter,
}


def deletion_formats() -> str:
    """The formats that can list deleted events (what ``export --since`` needs), for messages."""
    return ", ".join(name for name, cls in EXPORTERS.items() if cls.keeps_deletions)


def exporter(fmt: str) -> Exporter:
    """The exporter registered as ``fmt``; raises WarledgerError listing the known names."""
    try:
        return EXPORTERS[fmt]()
    except KeyError:
        raise WarledgerError(f"unknown export format {fmt!r}. Available: {', '.join(EXPORTERS)}") from None
