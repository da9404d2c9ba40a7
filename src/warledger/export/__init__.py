"""export stage: events out as JSON lines, ACLED-layout CSV or GeoJSON.

Exporters are registered by name; adding a format is one class and one entry in EXPORTERS.
"""

from .exporters import (
    EXPORTERS,
    AcledCsvExporter,
    Exporter,
    GeoJsonExporter,
    JsonlExporter,
    export_row,
    exporter,
)

__all__ = ["EXPORTERS", "AcledCsvExporter", "Exporter", "GeoJsonExporter", "JsonlExporter", "export_row", "exporter"]
