"""The exporters. Unknown values are written as null (JSON) or an empty cell (CSV), never 0."""

from __future__ import annotations

import csv
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from ..errors import WarledgerError
from ..records import CONFIDENCE_DIGITS, Event


class Exporter(ABC):
    """Writes events to a text stream."""

    name: str = ""
    keeps_deletions: bool = True  # can say "this event was deleted" (needed by export --since)

    @abstractmethod
    def write(self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = ()) -> int:
        """Write every event, then a record per deleted event; RETURNS how many events were written."""




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

    def write(self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = ()) -> int:
        n = 0
        for ev in events:
            out.write(json.dumps(export_row(ev), ensure_ascii=False) + "\n")
            n += 1
        for gone in deleted:
            out.write(json.dumps(gone, ensure_ascii=False) + "\n")
        return n


# ACLED's column names where ACLED has the field, then ours.
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
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


class AcledCsvExporter(Exporter):
    """CSV in ACLED's column layout, followed by warledger's own columns and the fields' confidences."""

    name = "warledger.export.acled_csv.v2"

    def write(self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = ()) -> int:
        if deleted:
            raise WarledgerError(
                "the ACLED CSV layout has no place for deleted events: export --since as jsonl or geojson"
            )
        w = csv.writer(out)
        w.writerow(ACLED_COLUMNS + EXTRA_COLUMNS + [f"confidence_{c}" for c in CONFIDENCE_COLUMNS])
        n = 0
        for ev in events:
            w.writerow(["" if v is None else v for v in self.row(ev)])
            n += 1
        return n

    @staticmethod
    def row(ev: Event) -> list[Any]:
        outlets = sorted({s["outlet"] or s["article"] for s in ev.sources})
        confidence = rounded(ev.confidence)
        return [
            ev.event_id,
            ev.event_date,
            ev.event_date[:4] if ev.event_date else None,
            TIME_PRECISION.get(ev.date_precision or ""),
            "Political violence",
            EVENT_TYPE.get(ev.sub_event_type or ""),
            ev.sub_event_type,
            ev.actor1,
            ev.country,
            ev.admin1,
            ev.location,
            ev.latitude,
            ev.longitude,
            GEO_PRECISION.get(ev.geo_precision or ""),
            "; ".join(outlets),
            ev.sources[0]["quote"] if ev.sources else None,
            ev.killed,
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

    def write(self, events: Iterable[Event], out: TextIO, deleted: Sequence[dict[str, Any]] = ()) -> int:
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


EXPORTERS: dict[str, type[Exporter]] = {
    "jsonl": JsonlExporter,
    "csv": AcledCsvExporter,
    "geojson": GeoJsonExporter,
}


def exporter(fmt: str) -> Exporter:
    """The exporter registered as ``fmt``; raises WarledgerError listing the known names."""
    try:
        return EXPORTERS[fmt]()
    except KeyError:
        raise WarledgerError(f"unknown export format {fmt!r}. Available: {', '.join(EXPORTERS)}") from None
