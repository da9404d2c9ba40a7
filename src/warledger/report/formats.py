"""The situation report as HTML, Markdown or PDF bytes, and written to a file by its suffix.

Article and claim text is untrusted: HTML escapes every value (no raw HTML from data), Markdown
escapes HTML and Markdown punctuation, PDF text is drawn with mathtext off. Unknown is "unknown".
"""

from __future__ import annotations

import base64
import html
import re
import textwrap
import warnings
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from urllib.parse import quote

from matplotlib.backends.backend_pdf import PdfPages

from ..errors import WarledgerError
from ..records import Event
from .charts import chart_figure, chart_png, map_figure, map_png, new_figure
from .situation import (
    UNKNOWN,
    Dispute,
    EventSource,
    Highlight,
    Row,
    Sentence,
    SituationReport,
    Totals,
    build_report,
    count_text,
    figure_text,
    place_of,
    window_of,
)

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".pdf": "pdf"}
NO_EVENTS = "No events in the ledger for this period."
WEAPON_NOTE = "An event with several weapons counts under each, so these rows overlap."
TOTALS_NOTE = (
    "Totals are sums of each event's best current figure; '+' marks a sum that includes an 'at least' figure, "
    "and events whose figure is unknown are counted apart, never as 0."
)
CHART_ALT = "Killed and injured per day"
MAP_ALT = "Map of the period's strike events, circles sized by killed"


def _opt(value: object) -> str:
    return UNKNOWN if value is None or value == "" else str(value)


def _source_line(s: Sentence) -> str:
    """ "article 004.txt, outlet Metro, published 2025-06-24, language en" (unknowns said)."""
    return f"article {s.article}, outlet {_opt(s.outlet)}, published {_opt(s.published)}, language {_opt(s.language)}"


def languages_line(report: SituationReport) -> str:
    """ "Sources by language: en 12, uk 3, ru 2" (articles the period's events cite)."""
    counts = ", ".join(f"{code} {n}" for code, n in report.sources_by_language)
    return f"Sources by language: {counts or 'none'}"


def _totals_cells(t: Totals) -> list[str]:
    if not t.events:
        return ["0", "–", "–", "–"]  # no event: nothing unknown, nothing to sum
    return [str(t.events), count_text(t.killed), count_text(t.injured), count_text(t.children_killed)]


def _event_cells(ev: Event) -> list[str]:
    return [
        ev.event_id,
        window_of(ev),
        place_of(ev),
        _opt(ev.actor1),
        ", ".join(ev.weapons) or UNKNOWN,
        figure_text(ev.killed, ev.killed_low, ev.killed_high),
        figure_text(ev.injured, ev.injured_low, ev.injured_high),
        figure_text(ev.children_killed),
    ]


def _dispute_cells(d: Dispute) -> list[str]:
    return [
        d.event_id,
        d.when,
        d.place,
        d.by,
        d.statement,
        figure_text(d.claimed_killed),
        figure_text(d.claimed_injured),
        figure_text(d.reported_killed),
        figure_text(d.reported_injured),
        "yes" if d.disputed else "no",
    ]


TOTALS_HEAD = ["events", "killed", "injured", "children killed"]
EVENT_HEAD = ["event", "date", "place", "actor", "weapons", "killed", "injured", "children killed"]
DISPUTE_HEAD = [
    "event",
    "date",
    "place",
    "claim by",
    "statement",
    "claimed killed",
    "claimed injured",
    "reported killed",
    "reported injured",
    "disputed",
]


def _breakdowns(report: SituationReport) -> list[tuple[str, str, list[Row], str]]:
    return [
        ("By day", "day", report.by_day, "A range is an event dated only to that window, not spread over its days."),
        ("By oblast", "oblast (admin1), country", report.by_oblast, ""),
        ("By weapon", "weapon", report.by_weapon, WEAPON_NOTE),
    ]


def _notes(report: SituationReport) -> list[str]:
    notes = [TOTALS_NOTE]
    if report.unlocated:
        notes.append(f"{report.unlocated} event(s) of the period have no coordinates and are not on the map.")
    if report.undated:
        notes.append(f"{report.undated} event(s) in the ledger have no date and are in no period.")
    return notes


# --- HTML ---------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:1.5em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3} td.n{text-align:right} .note{color:#555;font-size:.85em}
blockquote{margin:.3em 0 .3em 1em;padding-left:.8em;border-left:3px solid #b2182b}
img{max-width:100%;height:auto;border:1px solid #eee}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html_table(head: list[str], rows: list[list[str]], numeric_from: int = 99) -> str:
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(
            f'<td class="n">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>" for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _html_source(s: Sentence) -> str:
    link = ""
    if s.url and re.match(r"https?://", s.url):
        link = f' (<a href="{_e(s.url)}" rel="noopener noreferrer nofollow">link</a>)'
    lang = f' lang="{_e(s.language)}"' if s.language else ""
    return f'<blockquote{lang}>“{_e(s.quote)}”</blockquote><p class="note">{_e(_source_line(s))}{link}</p>'


def _html_img(data: bytes, alt: str) -> str:
    return f'<img src="data:image/png;base64,{base64.b64encode(data).decode("ascii")}" alt="{_e(alt)}">'


def render_html(report: SituationReport) -> str:
    """A self-contained HTML page (charts embedded as base64 PNG)."""
    p: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{_e(report.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="note">Events whose date window overlaps {_e(report.period)}'
        f"{', country ' + _e(report.country) if report.country else ''}. Generated {_e(report.generated_at)}.</p>",
    ]
    if not report.events:
        p.append(f'<p class="empty"><strong>{_e(NO_EVENTS)}</strong></p>')
    p += ["<h2>Totals</h2>", _html_table(TOTALS_HEAD, [_totals_cells(report.totals)], 0)]
    p.append(f'<p class="languages">{_e(languages_line(report))}</p>')
    if report.events:
        p += ["<h2>Killed and injured per day</h2>", _html_img(chart_png(report), CHART_ALT)]
        p += ["<h2>Map</h2>", _html_img(map_png(report), MAP_ALT)]
        for title, label, rows, note in _breakdowns(report):
            p.append(f"<h2>{_e(title)}</h2>")
            if note:
                p.append(f'<p class="note">{_e(note)}</p>')
            p.append(_html_table([label, *TOTALS_HEAD], [[r.label, *_totals_cells(r.totals)] for r in rows], 1))
        p.append("<h2>Largest events</h2>")
        p.append(_html_largest(report.largest))
        p.append("<h2>Open disputes</h2>")
        p.append(_html_disputes(report.disputes))
        p += ["<h2>All events</h2>", _html_table(EVENT_HEAD, [_event_cells(e) for e in report.events], 5)]
    p.append("<h2>Notes</h2><ul>" + "".join(f"<li>{_e(n)}</li>" for n in _notes(report)) + "</ul>")
    p.append("</body></html>")
    return "\n".join(p) + "\n"


def _html_largest(largest: list[Highlight]) -> str:
    if not largest:
        return "<p>No event of the period has a known death toll.</p>"
    items = []
    for h in largest:
        ev = h.event
        head = (
            f"<strong>{_e(place_of(ev))}</strong>, {_e(window_of(ev))}: "
            f"killed {_e(figure_text(ev.killed, ev.killed_low, ev.killed_high))}, "
            f"injured {_e(figure_text(ev.injured, ev.injured_low, ev.injured_high))} "
            f'<span class="note">({_e(ev.event_id)})</span>'
        )
        body = _html_source(h.sentence) if h.sentence else '<p class="note">No source sentence stored.</p>'
        items.append(f"<li>{head}{body}</li>")
    return "<ol>" + "\n".join(items) + "</ol>"


def _html_disputes(disputes: list[Dispute]) -> str:
    if not disputes:
        return "<p>No claims by a party to the conflict about the period's events.</p>"
    out = [_html_table(DISPUTE_HEAD, [_dispute_cells(d) for d in disputes], 5), "<h3>Claim sources</h3><ul>"]
    out += [f"<li>{_e(d.by)} on {_e(d.event_id)}: {_html_source(d.sentence)}</li>" for d in disputes]
    out.append("</ul>")
    return "\n".join(out)


# --- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # inline markup; HTML is escaped apart


def _m(value: object) -> str:
    """Untrusted text made inert in Markdown: HTML escaped, Markdown punctuation backslashed, one line."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(_m(h) for h in head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(_m(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def render_markdown(report: SituationReport, images: Mapping[str, str] | None = None) -> str:
    """Markdown; ``images`` maps "chart" / "map" to image paths, else the PNGs are inlined as data URIs."""
    if images is None and report.events:
        images = {
            "chart": "data:image/png;base64," + base64.b64encode(chart_png(report)).decode("ascii"),
            "map": "data:image/png;base64," + base64.b64encode(map_png(report)).decode("ascii"),
        }
    where = f", country {_m(report.country)}" if report.country else ""
    p = [
        f"# {_m(report.title)}",
        "",
        f"Events whose date window overlaps {_m(report.period)}{where}. Generated {_m(report.generated_at)}.",
        "",
    ]
    if not report.events:
        p += [f"**{NO_EVENTS}**", ""]
    p += ["## Totals", "", *_md_table(TOTALS_HEAD, [_totals_cells(report.totals)]), _m(languages_line(report)), ""]
    if report.events and images:
        p += ["## Killed and injured per day", "", f"![{CHART_ALT}]({images['chart']})", ""]
        p += ["## Map", "", f"![{MAP_ALT}]({images['map']})", ""]
    if report.events:
        for title, label, rows, note in _breakdowns(report):
            p += [f"## {title}", ""] + ([f"_{note}_", ""] if note else [])
            p += _md_table([label, *TOTALS_HEAD], [[r.label, *_totals_cells(r.totals)] for r in rows])
        p += ["## Largest events", ""]
        if not report.largest:
            p += ["No event of the period has a known death toll.", ""]
        for i, h in enumerate(report.largest, 1):
            ev = h.event
            p.append(
                f"{i}. **{_m(place_of(ev))}**, {_m(window_of(ev))}: killed "
                f"{_m(figure_text(ev.killed, ev.killed_low, ev.killed_high))}, injured "
                f"{_m(figure_text(ev.injured, ev.injured_low, ev.injured_high))} ({_m(ev.event_id)})"
            )
            if h.sentence:
                p.append(f"   “{_m(h.sentence.quote)}” — {_m(_source_line(h.sentence))}")
        p += ["", "## Open disputes", ""]
        if report.disputes:
            p += _md_table(DISPUTE_HEAD, [_dispute_cells(d) for d in report.disputes])
            p += [
                f"- {_m(d.by)} on {_m(d.event_id)}: “{_m(d.sentence.quote)}” — {_m(_source_line(d.sentence))}"
                for d in report.disputes
            ]
            p.append("")
        else:
            p += ["No claims by a party to the conflict about the period's events.", ""]
        p += ["## All events", "", *_md_table(EVENT_HEAD, [_event_cells(e) for e in report.events])]
    p += ["## Notes", "", *[f"- {_m(n)}" for n in _notes(report)], ""]
    return "\n".join(p)


# --- PDF ----------------------------------------------------------------------------------------

_PAGE = (8.27, 11.69)  # A4, inches
_LINES_PER_PAGE = 62
_WRAP = 110


def _pdf_lines(report: SituationReport) -> list[tuple[str, str]]:
    """(style, text) lines of the report's text pages: "h1", "h2", "body", "mono", "note"."""
    lines: list[tuple[str, str]] = [("h1", report.title)]
    where = f", country {report.country}" if report.country else ""
    lines.append(
        ("note", f"Events whose date window overlaps {report.period}{where}. Generated {report.generated_at}.")
    )
    if not report.events:
        lines.append(("h2", NO_EVENTS))

    def table(head: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(str(c)) for c in col) for col in zip(head, *rows, strict=True)]
        widths = [min(w, 44) for w in widths]
        for row in [head, *rows]:
            lines.append(
                (
                    "mono",
                    "  ".join(
                        textwrap.shorten(c, w, placeholder="…").ljust(w) for c, w in zip(row, widths, strict=True)
                    ),
                )
            )

    lines.append(("h2", "Totals"))
    table(TOTALS_HEAD, [_totals_cells(report.totals)])
    lines.append(("body", languages_line(report)))
    if report.events:
        for title, label, rows, note in _breakdowns(report):
            lines.append(("h2", title))
            if note:
                lines.append(("note", note))
            table([label, *TOTALS_HEAD], [[r.label, *_totals_cells(r.totals)] for r in rows])
        lines.append(("h2", "Largest events"))
        if not report.largest:
            lines.append(("body", "No event of the period has a known death toll."))
        for i, h in enumerate(report.largest, 1):
            ev = h.event
            lines.append(
                (
                    "body",
                    f"{i}. {place_of(ev)}, {window_of(ev)}: killed "
                    f"{figure_text(ev.killed, ev.killed_low, ev.killed_high)}, injured "
                    f"{figure_text(ev.injured, ev.injured_low, ev.injured_high)} ({ev.event_id})",
                )
            )
            if h.sentence:
                lines.append(("quote", f"“{h.sentence.quote}”"))
                lines.append(("note", _source_line(h.sentence)))
        lines.append(("h2", "Open disputes"))
        if not report.disputes:
            lines.append(("body", "No claims by a party to the conflict about the period's events."))
        for d in report.disputes:
            lines.append(("body", f"{d.event_id} ({d.place}, {d.when}): {d.by} — {d.statement}"))
            lines.append(
                (
                    "body",
                    f"   claimed killed {figure_text(d.claimed_killed)}, injured "
                    f"{figure_text(d.claimed_injured)}; reported killed {figure_text(d.reported_killed)}, "
                    f"injured {figure_text(d.reported_injured)}; disputed: {'yes' if d.disputed else 'no'}",
                )
            )
            lines.append(("quote", f"“{d.sentence.quote}”"))
            lines.append(("note", _source_line(d.sentence)))
        lines.append(("h2", "All events"))
        for ev in report.events:
            cells = _event_cells(ev)
            lines.append(
                (
                    "body",
                    f"{cells[0]}  {cells[1]}  {cells[2]}  actor {cells[3]}; weapons {cells[4]}; "
                    f"killed {cells[5]}, injured {cells[6]}, children killed {cells[7]}",
                )
            )
    lines.append(("h2", "Notes"))
    lines += [("note", n) for n in _notes(report)]
    return lines


_STYLES: dict[str, dict[str, object]] = {
    "h1": {"fontsize": 14, "fontweight": "bold"},
    "h2": {"fontsize": 11, "fontweight": "bold"},
    "body": {"fontsize": 8},
    "quote": {"fontsize": 8, "style": "italic", "color": "#67001f"},
    "note": {"fontsize": 7, "color": "#555555"},
    "mono": {"fontsize": 7, "family": "monospace"},
}


def _pdf_text_pages(pdf: PdfPages, lines: list[tuple[str, str]]) -> None:
    wrapped: list[tuple[str, str]] = []
    for style, text in lines:
        if style == "h2" and wrapped:
            wrapped.append(("body", ""))
        if style == "mono":
            wrapped.append((style, text))
        else:
            wrapped += [(style, part) for part in textwrap.wrap(text, _WRAP if style != "h1" else 80) or [""]]
    for start in range(0, len(wrapped), _LINES_PER_PAGE):
        fig = new_figure(*_PAGE)
        y = 0.96
        for style, text in wrapped[start : start + _LINES_PER_PAGE]:
            fig.text(0.06, y, text, va="top", parse_math=False, **_STYLES[style])  # type: ignore[arg-type]
            y -= 0.0148 if style not in ("h1", "h2") else 0.019
        pdf.savefig(fig)


def render_pdf(report: SituationReport) -> bytes:
    """A PDF: text pages (totals, tables, sourced sentences, disputes), then the chart and the map."""
    import io

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        with PdfPages(buf, metadata={"Title": report.title, "Creator": "warledger"}) as pdf:
            _pdf_text_pages(pdf, _pdf_lines(report))
            if report.events:
                pdf.savefig(chart_figure(report), bbox_inches="tight")
                pdf.savefig(map_figure(report), bbox_inches="tight")
    return buf.getvalue()


_RENDERERS: dict[str, Callable[[SituationReport], bytes]] = {
    "html": lambda r: render_html(r).encode("utf-8"),
    "md": lambda r: render_markdown(r).encode("utf-8"),
    "pdf": render_pdf,
}


def render(report: SituationReport, fmt: str) -> bytes:
    """The report as bytes in ``fmt``: "html", "md" or "pdf" (Markdown inlines its images)."""
    try:
        renderer = _RENDERERS[fmt.lower().lstrip(".")]
    except KeyError:
        raise WarledgerError(f"report format {fmt!r}: use one of {', '.join(_RENDERERS)}") from None
    return renderer(report)


def write_report(
    store: EventSource, date_from: date, date_to: date, country: str | None, path: str | Path
) -> SituationReport:
    """Build the report and write it to ``path``, in the format its suffix names (.html, .md, .pdf).

    A .md file gets its two PNGs beside it (``NAME.chart.png``, ``NAME.map.png``) and links them.
    RETURNS the report written.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise WarledgerError(
            f"{path}: unknown report format {path.suffix or '(no suffix)'!r}; use {', '.join(FORMATS)}"
        )
    report = build_report(store, date_from, date_to, country)
    try:
        if fmt == "md":
            images: dict[str, str] = {}
            if report.events:
                for name, draw in (("chart", chart_png), ("map", map_png)):
                    image = path.with_name(f"{path.stem}.{name}.png")
                    image.write_bytes(draw(report))
                    images[name] = quote(image.name)
            path.write_text(render_markdown(report, images), encoding="utf-8")
        else:
            path.write_bytes(render(report, fmt))
    except OSError as exc:
        raise WarledgerError(f"{path}: cannot write the report ({exc.strerror or exc})") from None
    return report
