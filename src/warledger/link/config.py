"""The linking settings in ``data/linking.json``, read and checked once per process."""

from __future__ import annotations

from functools import cache
from typing import Any

from ..datafiles import DATA_DIR, read_json_object
from ..errors import DataFileError


@cache
def linking_config() -> dict[str, Any]:
    path = DATA_DIR / "linking.json"
    data = read_json_object(path)
    for key in (
        "window_days",
        "near_km",
        "apart_km",
        "threshold",
        "hard_rules",
        "day_slack",
        "bias",
        "weights",
        "unconfirmed_sources",
        "as_of_pattern",
    ):
        if key not in data:
            raise DataFileError(str(path), f"missing key {key!r}")
    return data
