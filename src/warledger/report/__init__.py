"""report stage: the daily situation report of a period, from the ledger.

    report = build_report(store, date(2025, 6, 23), date(2025, 6, 24))
    page = render(report, "html")
    write_report(store, date(2025, 6, 23), date(2025, 6, 24), None, "report.pdf")

``render`` gives bytes for "html", "md" or "pdf"; ``write_report`` picks the format from the suffix.
"""

from .formats import FORMATS, render, write_report
from .situation import Count, Dispute, Highlight, Row, Sentence, SituationReport, Totals, build_report

__all__ = [
    "FORMATS",
    "Count",
    "Dispute",
    "Highlight",
    "Row",
    "Sentence",
    "SituationReport",
    "Totals",
    "build_report",
    "render",
    "write_report",
]
