"""Stored reports: list, show and the items intake refused; explain a report's claims; capture a
page as evidence."""

from __future__ import annotations

from typing import Annotated

import httpx
import typer

from ceasefire import render
from ceasefire.cli import rows
from ceasefire.cli.console import out
from ceasefire.cli.listing import FormatOption, ListFormat, write
from ceasefire.cli.options import DbOption, PackOption, timestamp
from ceasefire.cli.root import app, group
from ceasefire.pipeline import capture_page, extractor_for, registered_pack
from ceasefire.render import escape
from ceasefire.store import Store

reports_app = group("reports", "Look at stored reports.")


@reports_app.command("list")
def reports_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show")] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    source: Annotated[str | None, typer.Option(help="Only this outlet (name or pack source id)")] = None,
    since: Annotated[str | None, typer.Option(help="Only reports published at or after this time")] = None,
    format: FormatOption = ListFormat.TABLE,
) -> None:
    """List stored reports, newest first."""
    store = Store.open(db, create=False)
    found = store.reports(limit=limit, offset=offset, source=source, since=timestamp(since))
    write(out, rows.reports(found, store.count_reports()), format)


@reports_app.command("show")
def reports_show(
    ref: Annotated[str, typer.Argument(help="Report id or SHA-256 prefix (6+ hex digits)")],
    db: DbOption = None,
) -> None:
    """Show one report: its metadata, hash and full text."""
    render.report_detail(out, Store.open(db, create=False).report(ref))


@reports_app.command("rejected")
def reports_rejected(db: DbOption = None, format: FormatOption = ListFormat.TABLE) -> None:
    """List the input items intake refused, with where they were and why."""
    write(out, rows.rejections(Store.open(db, create=False).rejections()), format)


@app.command("explain")
def explain(
    ref: Annotated[str, typer.Argument(help="Report id or SHA-256 prefix")],
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Show a report's text with each claim's words marked, and every field of every claim."""
    store = Store.open(db, create=False)
    report = store.report(ref)
    claims = [c.claim for c in store.claims(report_id=report.id)]
    if not claims:
        claims = extractor_for(store, registered_pack(store, pack)).extract(report)
    render.explanation(out, report, claims)


@app.command("capture")
def capture_cmd(
    url: Annotated[str, typer.Argument(help="Page to capture as evidence")],
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Keep a web page as evidence (raw bytes, headers, time, hashes) and ingest its text as a report."""
    store = Store.open(db)
    with httpx.Client(timeout=30, headers={"User-Agent": "ceasefire evidence capture"}) as client:
        capture_id, captured = capture_page(store, url, client, registered_pack(store, pack) if pack else None)
    row = captured.row()
    out.print(f"Capture {capture_id}: {escape(captured.final_url)} HTTP {captured.status} at "
              f"{captured.captured_at.isoformat()}, {len(captured.raw):,} bytes, SHA-256 {row['raw_sha256']}.",
              soft_wrap=True)
    if captured.report:
        out.print(f"Text SHA-256 {row['text_sha256']}; ingested as report {captured.report.sha256[:12]} "
                  f"(`ceasefire extract` to read its claims).", soft_wrap=True)
    else:
        out.print(f"No article text to ingest: {escape(captured.problem)}", soft_wrap=True)
