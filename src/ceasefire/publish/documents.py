"""Write a :class:`PeriodReport` as HTML (one self-contained file), Markdown (with its two images
beside it) or PDF (WeasyPrint, with a fetcher that refuses anything but embedded images, so
rendering never touches the network). Every value from the database is escaped by the template
engine: HTML-escaped in HTML and PDF, Markdown-escaped in Markdown."""

from __future__ import annotations

import base64
import datetime as dt
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from ceasefire.errors import PublishError
from ceasefire.model import AgreementPack, Verdict
from ceasefire.publish.charts import daily_chart, incident_map
from ceasefire.publish.codes import event_day
from ceasefire.publish.exports import ExportFormat, export_file
from ceasefire.publish.report import PeriodReport, build_report
from ceasefire.store import Store

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


class ReportFormat(StrEnum):
    HTML = "html"
    MD = "md"
    PDF = "pdf"


def write_report(report: PeriodReport, pack: AgreementPack, format: ReportFormat, out: Path) -> list[Path]:
    """Write the report to ``out``; returns every file written (Markdown adds two PNGs beside it).

    Raises:
        PublishError: a file cannot be written.
    """
    images = {"map": incident_map(report, pack), "daily": daily_chart(report)}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if format is ReportFormat.MD:
            return _write_markdown(report, images, out)
        html = render_html(report, images)
        if format is ReportFormat.HTML:
            out.write_text(html, encoding="utf-8")
        else:
            out.write_bytes(html_to_pdf(html))
        return [out]
    except OSError as exc:
        raise PublishError(f"Cannot write {out}: {exc.strerror}. Check the folder exists and is writable.") from exc


def render_html(report: PeriodReport, images: dict[str, bytes]) -> str:
    """The report as one HTML page, its images embedded as data URIs."""
    uris = {name: Markup("data:image/png;base64," + base64.b64encode(png).decode()) for name, png in images.items()}
    environment = Environment(loader=PackageLoader("ceasefire.publish", "templates"), autoescape=True,
                              undefined=StrictUndefined)
    return environment.get_template("report.html").render(r=report, images=uris, verdicts=_verdicts())


def _write_markdown(report: PeriodReport, images: dict[str, bytes], out: Path) -> list[Path]:
    paths = {name: out.with_name(f"{out.stem}-{name}.png") for name in images}
    for name, path in paths.items():
        path.write_bytes(images[name])
    environment = Environment(loader=PackageLoader("ceasefire.publish", "templates"), autoescape=False,
                              undefined=StrictUndefined, finalize=markdown_escape, keep_trailing_newline=True)
    links = {name: Markup(path.name) for name, path in paths.items()}
    out.write_text(environment.get_template("report.md").render(r=report, images=links, verdicts=_verdicts()),
                   encoding="utf-8")
    return [out, *paths.values()]


def markdown_escape(value: Any) -> Any:
    """Text safe to put in Markdown: HTML escaped, Markdown's special characters backslashed, one line."""
    if isinstance(value, Markup):
        return value
    text = str(escape(str(value)))
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF with WeasyPrint; only ``data:`` URLs are fetched, never the network."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: it loads Pango, slow to start
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"], fail_on_errors=True)).write_pdf()
    return pdf


def _verdicts() -> list[str]:
    return [v.value for v in Verdict]


def report_file(store: Store, pack: AgreementPack, start: dt.date, end: dt.date, format: ReportFormat,
                out: Path) -> list[Path]:
    """Build the report of ``start``..``end`` from the store and write it; returns the files written."""
    return write_report(build_report(store, pack, start, end), pack, format, out)


DEMO_PERIOD = dt.timedelta(days=30)


def demo_outputs(store: Store, pack: AgreementPack, folder: Path) -> tuple[dt.date, dt.date, list[Path]]:
    """What the demo publishes beside its bundle: the report of the last month with incidents (PDF
    and HTML; it starts no earlier than the agreement) and every incident as GeoJSON and ACLED CSV.

    Returns:
        The report's first and last day, and the files written.
    """
    newest = next(store.iter_incidents(), None)
    end = event_day(newest.incident.date) if newest else pack.agreement.effective.date()
    start = max(end - DEMO_PERIOD, pack.agreement.effective.date())
    report = build_report(store, pack, start, end)
    written = [*write_report(report, pack, ReportFormat.PDF, folder / "report.pdf"),
               *write_report(report, pack, ReportFormat.HTML, folder / "report.html")]
    for name, format in (("incidents.geojson", ExportFormat.GEOJSON), ("events-acled.csv", ExportFormat.ACLED_CSV)):
        export_file(store, pack, format, folder / name)
        written.append(folder / name)
    return start, end, written
