"""The situation report, on a ledger read from the seed articles (and one report written for a test)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from cyrillic import UKR_RU, uman_article, uman_mentions

from warledger.errors import WarledgerError
from warledger.ingest import read_paths
from warledger.ledger import ingest_articles
from warledger.records import Article
from warledger.report import build_report, render, write_report
from warledger.store import Store

JUNE = (date(2025, 6, 23), date(2025, 6, 24))
SCRIPT = "<script>alert(1)</script>"
CLAIMED = Article(
    id="own-claim",
    published=date(2024, 5, 10),
    outlet="test desk",
    text=(
        "A Russian missile hit a hospital in Kharkiv on Thursday, killing seven people.\n"
        f"Russia's defence ministry claimed the strike hit a {SCRIPT} command post and killed 40 soldiers.\n"
    ),
)


@pytest.fixture(scope="module")
def seeds_db(seeds_dir: Path, reader, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "seeds.db"
    with Store(path) as store:
        ingest_articles(read_paths([seeds_dir]).articles, store, reader)
    return path


@pytest.fixture()
def store(seeds_db: Path):
    with Store(seeds_db) as s:
        yield s


def test_report_largest_events_quote_their_sentence(store: Store) -> None:
    report = build_report(store, *JUNE)
    dnipro = next(h for h in report.largest if h.event.location == "Dnipro")
    assert dnipro.event.killed == 11
    assert report.largest[0] is dnipro  # the deadliest of the period
    assert dnipro.sentence is not None and "11" in dnipro.sentence.quote
    assert dnipro.sentence.article.startswith("004_")
    page = render(report, "html").decode()
    assert "Dnipro, Dnipropetrovsk Oblast, Ukraine" in page
    assert "11 residents were killed in Dnipro city" in page


def test_report_totals_by_oblast_day_and_weapon(store: Store) -> None:
    report = build_report(store, *JUNE)
    oblasts = {r.label: r.totals for r in report.by_oblast}
    dnipro = oblasts["Dnipropetrovsk Oblast, Ukraine"]
    assert (dnipro.events, dnipro.killed.value) == (2, 13)  # Dnipro 11 + Samar 2
    assert oblasts["Sumy Oblast, Ukraine"].children_killed.value == 1
    assert report.by_oblast[0].label == "Dnipropetrovsk Oblast, Ukraine"
    assert report.totals.events == len(report.events) == 5
    assert report.totals.killed.value == 17
    moscow = oblasts["Moscow, Russia"]
    assert moscow.killed.value is None and moscow.killed.unknown == 1  # unknown, never 0
    days = {r.label: r.totals for r in report.by_day}
    assert days["2025-06-24"].killed.value == 13
    assert days["2025-06-23..2025-06-24"].events == 3  # overnight windows stay whole
    assert {r.label for r in report.by_weapon} >= {"missile", "drone"}
    only_russia = build_report(store, *JUNE, country="RU")
    assert {e.country for e in only_russia.events} == {"Russia"}


def test_report_html_has_chart_and_map_and_says_unknown(store: Store) -> None:
    page = render(build_report(store, *JUNE), "html").decode()
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]+)"', page)
    assert len(images) == 2 and any("Map" in alt for _, alt in images)
    import base64

    assert all(base64.b64decode(data).startswith(b"\x89PNG") for data, _ in images)
    assert "unknown" in page


def test_report_md_and_pdf_are_written(store: Store, tmp_path: Path) -> None:
    md = tmp_path / "report.md"
    write_report(store, *JUNE, None, md)
    text = md.read_text(encoding="utf-8")
    assert "# Situation report 2025-06-23 to 2025-06-24" in text
    assert "(report.chart.png)" in text and (tmp_path / "report.chart.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "report.map.png").is_file()
    pdf = tmp_path / "report.pdf"
    write_report(store, *JUNE, None, pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert render(build_report(store, *JUNE), "md").startswith(b"# Situation report")


def test_report_escapes_claim_text(db_path: Path, reader) -> None:
    with Store(db_path) as store:
        ingest_articles([CLAIMED], store, reader)
        report = build_report(store, date(2024, 5, 9), date(2024, 5, 9))
    (dispute,) = report.disputes
    assert (dispute.by, dispute.claimed_killed, dispute.reported_killed) == ("Russia", 40, 7)
    assert SCRIPT in dispute.sentence.quote
    page = render(report, "html").decode()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in render(report, "md").decode()


def test_report_bad_suffix_is_a_clear_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(WarledgerError) as info:
        write_report(store, *JUNE, None, tmp_path / "report.docx")
    message = str(info.value)
    assert "report.docx" in message and ".html" in message and ".md" in message and ".pdf" in message
    assert not (tmp_path / "report.docx").exists()
    with pytest.raises(WarledgerError):
        build_report(store, date(2025, 6, 24), date(2025, 6, 23))


def test_report_empty_period_says_no_events(store: Store, tmp_path: Path) -> None:
    report = build_report(store, date(2020, 1, 1), date(2020, 1, 2))
    assert report.events == [] and report.largest == [] and report.totals.killed.value is None
    assert "No events in the ledger for this period." in render(report, "html").decode()
    assert "No events" in render(report, "md").decode()
    out = tmp_path / "empty.pdf"
    write_report(store, date(2020, 1, 1), date(2020, 1, 2), None, out)
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(not UKR_RU.is_dir(), reason="../shared/corpus/ukr_ru_news absent")
def test_report_counts_sources_by_language(db_path: Path, seeds_dir: Path, reader) -> None:
    """The seed reports (English) and a real Ukrainian one: each cited article counted once under
    its language, in every format; the Ukrainian quote is given with its language."""
    uman = uman_article()
    with Store(db_path) as store:
        ingest_articles(read_paths([seeds_dir]).articles, store, reader)
        assert store.add_article(uman, uman_mentions(uman), [])
        report = build_report(store, date(2023, 4, 1), date(2025, 6, 30))
        empty = build_report(store, date(2020, 1, 1), date(2020, 1, 2))
    cited = {e["article"] for ev in report.events for e in [*ev.sources, *ev.toll_history, *ev.claims]}
    assert report.sources_by_language == [("en", len(cited) - 1), ("uk", 1)]
    assert len(cited) - 1 == 3  # every seed report
    line = f"Sources by language: en {len(cited) - 1}, uk 1"
    assert line in render(report, "html").decode() and line in render(report, "md").decode()
    (uman_largest,) = [h for h in report.largest if h.event.location == "Uman"]
    assert uman_largest.sentence is not None and uman_largest.sentence.language == "uk"
    assert "published 2023-04-28, language uk" in render(report, "md").decode()
    assert empty.sources_by_language == [] and "Sources by language: none" in render(empty, "md").decode()
