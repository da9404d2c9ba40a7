"""Reading the JSON data files in ``warledger/data/`` (vocabularies, aliases, word lists)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DataFileError

DATA_DIR = Path(str(resources.files("warledger") / "data"))


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ``DataFileError`` naming the file (and line) otherwise."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(str(path), "cannot read: no such file") from exc
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}:{exc.lineno}", f"not valid JSON ({exc.msg})") from exc
    if not isinstance(obj, dict):
        raise DataFileError(str(path), "top level must be a JSON object")
    return obj
