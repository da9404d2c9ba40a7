"""export stage: events out as JSON lines, ACLED-layout CSV, GeoJSON or Parquet.

Exporters are registered by name; adding a format is one class and one entry in EXPORTERS.
"""

from .exporters import (
    EXPORTERS,
    AcledCsvExporter,
    Exporter,
    GeoJsonExporter,
    JsonlExporter,
    ParquetExporter,
    deletion_formats,
    export_row,
    exporter,
    parquet_schema,
)

__all__ = [
    "EXPORTERS",
    "AcledCsvExporter",
    "Exporter",
    "GeoJsonExporter",
    "JsonlExporter",
    "ParquetExporter",
    "deletion_formats",
    "export_row",
    "exporter",
    "parquet_schema",
]
