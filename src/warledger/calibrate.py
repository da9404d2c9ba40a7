"""Confidence per field from what the field rests on, fitted on scored pairs.

Extraction writes, per field of a record, a short ``evidence`` category ("count before a killing
verb", "publication window", ...); its confidence is the share of such fields that were right in
an evaluation. ``fit`` turns (field, evidence, correct) rows into that table, smoothed toward the
field's overall accuracy; ``cross_validate`` measures how well such a table is calibrated on
articles it was not fitted on (k folds by article), as a reliability table and expected
calibration error (ECE).

The table lives in ``data/calibration.json``::

    {"about": "...", "fields": {"killed": {"count before a killing verb": 0.93, "*": 0.81}, ...}}

where ``"*"`` is the field's default for an evidence kind the fit never saw.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataFileError
from .textable import format_table

DEFAULT_PATH = Path(__file__).parent / "data" / "calibration.json"
PRIOR_STRENGTH = 5.0  # pseudo-observations pulling an evidence kind toward its field's accuracy
FOLDS = 5
BINS = 10
UNSEEN = 0.5  # the probability given to a field the training folds never scored

Table = dict[str, dict[str, float]]  # field -> evidence -> probability right ("*": field default)


@dataclass(frozen=True, slots=True)
class Row:
    """One scored field of one matched pair."""

    article: str
    field: str
    evidence: str
    correct: bool


@dataclass(frozen=True, slots=True)
class Prediction:
    """A row's cross-validated confidence: fitted on the folds that do not hold its article."""

    field: str
    fold: int
    confidence: float
    correct: bool


@dataclass(frozen=True, slots=True)
class Bin:
    low: float
    high: float
    n: int
    mean_confidence: float | None
    accuracy: float | None


def fit(rows: Iterable[tuple[str, str, bool]], strength: float = PRIOR_STRENGTH) -> Table:
    """(field, evidence, correct) rows -> field -> evidence -> probability right.

    A field's base rate is its accuracy under a uniform Beta(1, 1) prior, (right + 1) / (n + 2),
    so that no field is ever certain; an evidence kind's rate is its accuracy with ``strength``
    pseudo-observations at the base rate: (right + strength * base) / (n + strength).
    """
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for field_name, evidence, correct in rows:
        c = counts[field_name][evidence]
        c[0] += int(bool(correct))
        c[1] += 1
    table: Table = {}
    for field_name, by_evidence in sorted(counts.items()):
        right = sum(c[0] for c in by_evidence.values())
        n = sum(c[1] for c in by_evidence.values())
        base = (right + 1) / (n + 2)
        entry = {ev: (c[0] + strength * base) / (c[1] + strength) for ev, c in sorted(by_evidence.items())}
        entry["*"] = base
        table[field_name] = entry
    return table


def confidence(table: Table | None, field_name: str, evidence: str | None) -> float | None:
    """The fitted probability that ``field_name`` resting on ``evidence`` is right.

    None when there is no table (no calibration file) or the table does not know the field.
    """
    if table is None or field_name not in table:
        return None
    entry = table[field_name]
    return entry.get(evidence or "none", entry.get("*"))


def load(path: str | Path = DEFAULT_PATH) -> Table | None:
    """Read a calibration file; None when it does not exist."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataFileError(str(path), f"calibration file is not readable JSON ({exc})") from None
    return _checked(raw, path)


def _checked(raw: Any, path: Path) -> Table:
    fields = raw.get("fields") if isinstance(raw, dict) else None
    if not isinstance(fields, dict):
        raise DataFileError(str(path), 'calibration file needs {"fields": {field: {evidence: probability}}}')
    table: Table = {}
    for name, entry in fields.items():
        if not isinstance(entry, dict):
            raise DataFileError(str(path), f"calibration field {name!r} is not an object of evidence: probability")
        for evidence, p in entry.items():
            if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
                raise DataFileError(str(path), f"calibration {name!r} / {evidence!r}: {p!r} is not a probability")
        table[str(name)] = {str(k): float(v) for k, v in entry.items()}
    return table


def save(table: Table, path: str | Path = DEFAULT_PATH, about: str = "") -> Path:
    """Write ``table`` as a calibration file (probabilities rounded to 4 places)."""
    path = Path(path)
    doc = {
        "about": about or "P(field right | evidence kind), fitted by `warledger eval --calibrate`.",
        "fields": {f: {ev: round(p, 4) for ev, p in entry.items()} for f, entry in table.items()},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def fold_of(article: str, k: int = FOLDS) -> int:
    """The article's fold: a stable hash of its id, so that every run splits alike."""
    return int(hashlib.sha256(article.encode("utf-8")).hexdigest(), 16) % k


def cross_validate(rows: Sequence[Row], k: int = FOLDS, strength: float = PRIOR_STRENGTH) -> list[Prediction]:
    """Each row's confidence from a table fitted on the other folds (all fields of an article share a fold)."""
    folds = [fold_of(r.article, k) for r in rows]
    out: list[Prediction] = []
    for f in sorted(set(folds)):
        table = fit(((r.field, r.evidence, r.correct) for r, rf in zip(rows, folds, strict=True) if rf != f), strength)
        for r, rf in zip(rows, folds, strict=True):
            if rf == f:
                p = confidence(table, r.field, r.evidence)
                out.append(Prediction(r.field, f, UNSEEN if p is None else p, r.correct))
    return out


def reliability(preds: Iterable[Prediction], bins: int = BINS) -> list[Bin]:
    """Equal-width confidence bins: how many, the mean confidence and the share right in each."""
    members: list[list[Prediction]] = [[] for _ in range(bins)]
    for p in preds:
        members[min(int(p.confidence * bins), bins - 1)].append(p)
    out = []
    for i, m in enumerate(members):
        n = len(m)
        conf = sum(p.confidence for p in m) / n if n else None
        acc = sum(p.correct for p in m) / n if n else None
        out.append(Bin(i / bins, (i + 1) / bins, n, conf, acc))
    return out


def ece(preds: Sequence[Prediction], bins: int = BINS) -> float | None:
    """Expected calibration error: the n-weighted mean |accuracy - confidence| over the bins."""
    if not preds:
        return None
    total = len(preds)
    return sum(
        b.n / total * abs(b.accuracy - b.mean_confidence)
        for b in reliability(preds, bins)
        if b.n and b.accuracy is not None and b.mean_confidence is not None
    )


@dataclass(slots=True)
class CalibrationReport:
    """Cross-validated calibration of the fitted confidences."""

    predictions: list[Prediction]

    def fields(self) -> list[str]:
        return sorted({p.field for p in self.predictions})

    def of_field(self, name: str) -> list[Prediction]:
        return [p for p in self.predictions if p.field == name]

    def fold_ece(self) -> dict[int, float]:
        folds = sorted({p.fold for p in self.predictions})
        out = {f: ece([p for p in self.predictions if p.fold == f]) for f in folds}
        return {f: e for f, e in out.items() if e is not None}

    def to_json(self) -> dict[str, Any]:
        folds = self.fold_ece()
        return {
            "ece": ece(self.predictions),
            "ece_by_field": {f: ece(self.of_field(f)) for f in self.fields()},
            "ece_by_fold": folds,
            "ece_fold_mean": sum(folds.values()) / len(folds) if folds else None,
            "reliability": [
                {"bin": [b.low, b.high], "n": b.n, "mean_confidence": b.mean_confidence, "accuracy": b.accuracy}
                for b in reliability(self.predictions)
            ],
        }


def calibration_report(rows: Sequence[Row], k: int = FOLDS) -> CalibrationReport:
    return CalibrationReport(cross_validate(rows, k))


def format_calibration(report: CalibrationReport) -> str:
    """The reliability table (all fields together), then n / accuracy / ECE per field and by fold."""

    def num(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    rel = [["confidence", "n", "mean confidence", "accuracy"]]
    for b in reliability(report.predictions):
        rel.append([f"{b.low:.1f}-{b.high:.1f}", str(b.n), num(b.mean_confidence), num(b.accuracy)])
    per = [["field", "n", "accuracy", "mean confidence", "ECE"]]
    for name in [*report.fields(), "all"]:
        ps = report.predictions if name == "all" else report.of_field(name)
        acc = sum(p.correct for p in ps) / len(ps) if ps else None
        conf = sum(p.confidence for p in ps) / len(ps) if ps else None
        per.append([name, str(len(ps)), num(acc), num(conf), num(ece(ps))])
    folds = report.fold_ece()
    mean = sum(folds.values()) / len(folds) if folds else None
    by_fold = "  ".join(f"{f}: {e:.3f}" for f, e in folds.items())
    return (
        f"reliability of the confidences (cross-validated, {FOLDS} folds by article)\n"
        + format_table(rel)
        + "\n\n"
        + format_table(per)
        + f"\nECE by fold  {by_fold}  mean {num(mean)}"
    )
