"""The periodic report as a reader gets it: PDF pages that are not blank, HTML and Markdown with
every section, untrusted words escaped, counts against the previous period, coverage gaps."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.model import Report, ReportFormat, Verdict
from ceasefire.publish.documents import ReportFormat as DocumentFormat
from ceasefire.publish.documents import report_file
from ceasefire.publish.report import build_report
from ceasefire.store import Store
from tests.publish.conftest import incident

SECTIONS = ("headline", "map", "clauses", "parties", "areas", "tallies", "notable", "disputed", "coverage", "ledger")
JANUARY = (dt.date(2017, 1, 1), dt.date(2017, 1, 31))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_report_renders_to_pages_that_are_not_blank(monitored: Store, syria_pack, tmp_path: Path) -> None:
    (pdf,) = report_file(monitored, syria_pack, *JANUARY, DocumentFormat.PDF, tmp_path / "report.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(pdf).pages) >= 4
    for page in pages:
        grey = Image.open(page).convert("L")
        inked = sum(grey.histogram()[:200]) / (grey.width * grey.height)
        assert ImageStat.Stat(grey).var[0] > 50 and inked > 0.005, f"{page.name} looks blank"


def test_html_report_has_every_section_and_embeds_its_images(monitored: Store, syria_pack, tmp_path: Path) -> None:
    (html,) = report_file(monitored, syria_pack, *JANUARY, DocumentFormat.HTML, tmp_path / "report.html")
    page = html.read_text()
    assert [s for s in SECTIONS if f'<section id="{s}">' not in page] == []
    assert page.count('src="data:image/png;base64,') == 2 and "http://" not in page and "https://" not in page
    report = build_report(monitored, syria_pack, *JANUARY)
    assert f"Built from signed checkpoint #{report.checkpoint['id']}" in page and report.ledger_head["hash"] in page
    for finding in report.notable + report.disputed:
        assert finding.id in page
    assert all(f.depends_on and f"Depends on: {f.depends_on}" in page for f in report.disputed)


def test_markdown_report_has_every_section_and_its_images_beside_it(monitored: Store, syria_pack,
                                                                    tmp_path: Path) -> None:
    files = report_file(monitored, syria_pack, *JANUARY, DocumentFormat.MD, tmp_path / "daily.md")
    assert [f.name for f in files] == ["daily.md", "daily-map.png", "daily-daily.png"]
    text = files[0].read_text()
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == ["Headline counts", "Map and daily chart", "By clause", "By party", "By area",
                        "Tallies beside verified incidents", "Notable incidents", "Disputed", "Coverage",
                        "Ledger checkpoint"]
    assert "![Map of the period's incidents by verdict](daily-map.png)" in text
    assert all(f.stat().st_size > 5000 and f.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in files[1:])


def test_counts_change_against_the_previous_period_of_the_same_length(store: Store, syria_pack) -> None:
    store.save_incidents([incident(1, day=dt.date(2017, 1, 5)), incident(2, day=dt.date(2017, 1, 6)),
                          incident(3, day=dt.date(2017, 1, 1))])
    for incident_id in ("I-0000000001", "I-0000000002", "I-0000000003"):
        _judge(store, incident_id, Verdict.VIOLATION)
    report = build_report(store, syria_pack, dt.date(2017, 1, 4), dt.date(2017, 1, 6))
    assert (report.previous_start, report.previous_end) == (dt.date(2017, 1, 1), dt.date(2017, 1, 3))
    violations = next(c for c in report.totals if c.label == "VIOLATION")
    assert (violations.now, violations.before, violations.delta) == (2, 1, "+1")
    assert [(c.label, c.now, c.before) for c in report.by_type] == [("Shelling/artillery/missile attack", 2, 1)]
    assert report.daily == {"unattributed": {dt.date(2017, 1, 5): 1, dt.date(2017, 1, 6): 1}}


def test_coverage_names_days_and_areas_without_reports(store: Store, syria_pack) -> None:
    published = [dt.datetime(2017, 1, day, 12, tzinfo=dt.UTC) for day in (1, 3)]
    store.add_reports([Report(sha256=f"{n:064x}", format=ReportFormat.TEXT, text=f"report {n}", raw=str(n).encode(),
                              origin=f"r{n}", published=when) for n, when in enumerate(published)])
    report = build_report(store, syria_pack, dt.date(2017, 1, 1), dt.date(2017, 1, 4))
    assert report.coverage.days_without_reports == [dt.date(2017, 1, 2), dt.date(2017, 1, 4)]
    assert "Wadi Barada" in report.coverage.areas_without_reports  # no claim placed anywhere


def test_untrusted_words_are_escaped_in_html_and_markdown(store: Store, syria_pack, tmp_path: Path) -> None:
    store.save_incidents([incident(1, place="<img src=x onerror=alert(1)>*Douma*|")])
    _judge(store, "I-0000000001", Verdict.VIOLATION)
    (html,) = report_file(store, syria_pack, *JANUARY, DocumentFormat.HTML, tmp_path / "r.html")
    assert "<img src=x" not in html.read_text() and "&lt;img src=x onerror=alert(1)&gt;*Douma*|" in html.read_text()
    markdown = report_file(store, syria_pack, *JANUARY, DocumentFormat.MD, tmp_path / "r.md")[0].read_text()
    assert "<img src=x" not in markdown and r"&lt;img src=x onerror=alert\(1\)&gt;\*Douma\*\|" in markdown


def test_report_command_writes_the_file(monitored: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--from", "2017-01-01", "--to", "2017-01-31", "--format", "html",
                                      "--out", str(out), "--db", str(monitored.engine.url.database)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}.\n" and out.stat().st_size > 10_000


def test_a_period_that_ends_before_it_starts_is_refused(monitored: Store, syria_pack) -> None:
    from ceasefire.errors import PublishError

    with pytest.raises(PublishError, match=r"ends \(2017-01-01\) before it starts \(2017-01-31\)"):
        build_report(monitored, syria_pack, dt.date(2017, 1, 31), dt.date(2017, 1, 1))


def _judge(store: Store, incident_id: str, verdict: Verdict) -> None:
    from ceasefire.model import Assessment

    store.save_assessments([Assessment(incident_id=incident_id, agreement_id="syria-2016-12-30", verdict=verdict,
                                       confidence=0.9, reasons=["test"])])


def test_the_report_sets_the_guarantors_tallies_beside_verified_incidents(monitored: Store, syria_pack,
                                                                          tmp_path: Path) -> None:
    february = (dt.date(2017, 2, 1), dt.date(2017, 2, 28))
    (md, *_) = report_file(monitored, syria_pack, *february, DocumentFormat.MD, tmp_path / "february.md")
    assert ("| 2017-02-20 | Aleppo | Russia: 10 violations, blaming opposition; Turkish Armed Forces: 14 violations, "
            "blaming Syrian Arab Army | none given | 0 |") in md.read_text()
    (january,) = build_report(monitored, syria_pack, *JANUARY).tallies  # the Hmeimim centre's 24 hours
    assert (january["period"], january["area"], january["claimed"]) == (
        "2017-01-03, counts from 2017-01-02", "whole agreement area", "Russia: 16 violations")
    december = (dt.date(2016, 12, 1), dt.date(2016, 12, 31))
    (md_december, *_) = report_file(monitored, syria_pack, *december, DocumentFormat.MD, tmp_path / "december.md")
    assert "No tallies were reported for this period." in md_december.read_text()
