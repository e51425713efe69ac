"""Incidents: list them (in four formats), show one, review its verdict, export them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire import render
from ceasefire.adjudicate.review import review
from ceasefire.cli import rows
from ceasefire.cli.console import err, out
from ceasefire.cli.listing import FormatOption, ListFormat, write
from ceasefire.cli.options import (
    ActorOption,
    AreaOption,
    ClauseOption,
    DbOption,
    PackOption,
    PartyOption,
    SinceOption,
    UntilOption,
    VerdictOption,
    incident_query,
)
from ceasefire.cli.root import app, group
from ceasefire.model import Verdict
from ceasefire.pipeline import registered_pack
from ceasefire.publish.exports import ExportFormat, export_file
from ceasefire.render import escape
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery

incidents_app = group("incidents", "Incidents with their verdicts, reasons and sources.")
IncidentArgument = Annotated[str, typer.Argument(help="Incident id (I-...)")]


@incidents_app.command("list")
def incidents_list(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    area: AreaOption = None,
    actor: ActorOption = None,
    party: PartyOption = None,
    verdict: VerdictOption = None,
    clause: ClauseOption = None,
    format: FormatOption = ListFormat.TABLE,
    pack: PackOption = None,
) -> None:
    """List incidents, newest first, with their verdicts (as /api/v1/incidents gives them, in json)."""
    store = Store.open(db, create=False)
    agreement = registered_pack(store, pack)
    query = incident_query(agreement, since, until, area, actor, party, verdict, clause)
    write(out, rows.incidents(store.incidents(query), agreement), format)


@incidents_app.command("show")
def incidents_show(incident_id: IncidentArgument, db: DbOption = None, pack: PackOption = None) -> None:
    """Show an incident: merged facts, verdicts with reason lines, responsibility, claims and sources."""
    store = Store.open(db, create=False)
    agreement = registered_pack(store, pack).agreement.id
    found = store.incidents(IncidentQuery(id=incident_id, agreement=agreement))  # with its verdict under it
    stored = found[0] if found else store.incident(incident_id)
    claims = {(c.claim.report_sha256, c.claim.index): (c.report_id, c.claim) for c in store.claims(kind="event")}
    for kind in ("observation", "denial"):
        claims |= {(c.claim.report_sha256, c.claim.index): (c.report_id, c.claim) for c in store.claims(kind=kind)}
    render.incident_detail(out, stored, store.assessments(incident_id, agreement), store.reviews(incident_id),
                           [claims[(r.report_sha256, r.index)] for r in stored.incident.claims
                            if (r.report_sha256, r.index) in claims])


@app.command("review")
def review_cmd(
    incident_id: IncidentArgument,
    as_user: Annotated[str, typer.Option("--as", help="Reviewer name (see `ceasefire reviewer add`)")],
    reason: Annotated[str, typer.Option(help="Why: shown beside the verdict to every reader")],
    confirm: Annotated[bool, typer.Option("--confirm", help="Confirm the automatic verdict")] = False,
    override: Annotated[Verdict | None, typer.Option(help="Replace the automatic verdict")] = None,
    justification: Annotated[str | None, typer.Option(help="Admin's reason to let a conflicted reviewer decide")]
    = None,
    admin: Annotated[str | None, typer.Option(help="Admin recording the justification")] = None,
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Record an analyst's decision; it wins over the automatic verdict and survives re-runs."""
    if confirm == (override is not None):
        raise typer.BadParameter("Use exactly one of --confirm or --override VERDICT.")
    store = Store.open(db, create=False)
    agreement_pack = registered_pack(store, pack)
    overall = store.overall_assessment(incident_id, agreement_pack.agreement.id)
    record = review(overall, agreement_pack, store.reviewer(as_user), verdict=override,
                    reason=reason, justification=justification, admin=store.reviewer(admin) if admin else None)
    store.add_review(record)
    done = {"confirm": "confirmed", "override": "overridden with"}[record["action"]]
    out.print(f"{incident_id}: {done} {record['verdict']} by {escape(as_user)}.")


@app.command("export")
def export_cmd(
    format: Annotated[ExportFormat, typer.Option("--format", help="acled-csv, ucdp-csv, geojson or json")],
    out_path: Annotated[str, typer.Option("--out", help="File to write, or - for standard output")] = "-",
    db: DbOption = None,
    pack: PackOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    area: AreaOption = None,
    actor: ActorOption = None,
    party: PartyOption = None,
    verdict: VerdictOption = None,
    clause: ClauseOption = None,
    with_verdicts: Annotated[bool, typer.Option(
        "--with-verdicts", help="ACLED CSV: append ceasefire_verdict, ceasefire_reviewed, ceasefire_clauses ... "
                                "after ACLED's own 31 columns")] = False,
    base_url: Annotated[str, typer.Option(
        "--base-url", help="Where the web app is served, to start each incident's URL "
                           "(e.g. https://monitor.example.org)")] = "",
) -> None:
    """Export incidents (filtered as `incidents list` does) as ACLED CSV, UCDP GED-style CSV, GeoJSON or
    JSON, streamed row by row."""
    store = Store.open(db, create=False)
    agreement = registered_pack(store, pack)
    query = incident_query(agreement, since, until, area, actor, party, verdict, clause)
    path = None if out_path == "-" else Path(out_path)
    count = export_file(store, agreement, format, path, query, with_verdicts=with_verdicts, base_url=base_url)
    err.print(f"Exported {count} incidents as {format.value} to {path or 'standard output'}.")
