"""The ``ceasefire`` command: a thin skin over the library. Each command parses its options,
calls one library function and prints the result; errors are worded once, in ``main``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ceasefire import render
from ceasefire.errors import CeasefireError
from ceasefire.intake import ReportDefaults, parse_timestamp
from ceasefire.packs import bundled_packs, check_pack, load_pack
from ceasefire.extract import evaluate as evaluation
from ceasefire.extract.extractor import Extractor
from ceasefire.model import AgreementPack
from ceasefire.pipeline import IngestResult, extractor_for, import_gazetteer, ingest, registered_pack
from ceasefire.pipeline import extract as extract_claims
from ceasefire.store import Store

app = typer.Typer(help="Ceasefire monitoring and verification: reports -> claims -> incidents -> assessments.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
pack_app = typer.Typer(help="Validate and inspect agreement packs.", no_args_is_help=True)
reports_app = typer.Typer(help="Look at stored reports.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
gazetteer_app = typer.Typer(help="Places beyond the bundled GeoNames cities500.", no_args_is_help=True)
app.add_typer(pack_app, name="pack")
app.add_typer(reports_app, name="reports")
app.add_typer(db_app, name="db")
app.add_typer(gazetteer_app, name="gazetteer")

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[str | None, typer.Option(
    "--db", help="SQLite file or postgresql:// URL [default: $CEASEFIRE_DB or ceasefire.db]")]
PackOption = Annotated[str | None, typer.Option("--pack", help="Agreement pack id or folder")]


def _timestamp(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or - for JSON Lines on stdin")],
    db: DbOption = None,
    pack: PackOption = None,
    published: Annotated[str | None, typer.Option(help="Publication time for items that carry none")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet for items that name none")] = None,
    language: Annotated[str | None, typer.Option(help="Language for items that name none")] = None,
    extract: Annotated[bool, typer.Option(help="Extract claims from the new reports")] = True,
) -> None:
    """Store reports from text/Markdown, HTML, JSON Lines, RSS/Atom and ACLED CSV files, then extract claims."""
    store = Store.open(db)
    defaults = ReportDefaults(_timestamp(published), source, language)
    result = _ingest_with_progress(store, paths, load_pack(pack) if pack else None, defaults)
    render.ingest_result(out, result)
    if extract and store.agreements():
        _extract_with_progress(store, registered_pack(store, pack))
    elif extract:
        out.print("No agreement registered yet, so no claims extracted: pass --pack ID.")
    if result.rejected and not result.new and not result.duplicates:
        raise typer.Exit(1)


def _extract_with_progress(store: Store, pack: AgreementPack, since: dt.datetime | None = None) -> None:
    with Progress(SpinnerColumn(), TextColumn("extract {task.completed} reports"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("extract", total=None)
        extractor = extractor_for(store, pack)
        result = extract_claims(store, extractor, since=since, progress=lambda n: bar.update(task, completed=n))
    render.extract_result(out, result)


@app.command("extract")
def extract_cmd(
    db: DbOption = None,
    pack: PackOption = None,
    since: Annotated[str | None, typer.Option(help="Only reports received at or after this time")] = None,
) -> None:
    """Extract claims (with the words each field came from) from reports not yet extracted."""
    store = Store.open(db)
    _extract_with_progress(store, registered_pack(store, pack), _timestamp(since))


@app.command("explain")
def explain(
    ref: Annotated[str, typer.Argument(help="Report id or SHA-256 prefix")],
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Show a report's text with each claim's words marked, and every field of every claim."""
    store = Store.open(db)
    report = store.report(ref)
    claims = [c.claim for c in store.claims(report_id=report.id)]
    if not claims:
        claims = extractor_for(store, registered_pack(store, pack)).extract(report)
    render.explanation(out, report, claims)


def _ingest_with_progress(store: Store, paths: list[str], pack: AgreementPack | None,
                          defaults: ReportDefaults) -> IngestResult:
    columns = (SpinnerColumn(), TextColumn("ingest"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None)
        return ingest(store, paths, pack=pack, defaults=defaults,
                      progress=lambda done, total: bar.update(task, completed=done, total=total))


@app.command("evaluate")
def evaluate_cmd(
    gold: Annotated[Path, typer.Option(help="Gold events CSV (DESIGN.md §9 columns)")],
    docs: Annotated[Path, typer.Option(help="Folder of documents; each file stem is a doc_id")],
    pack: Annotated[str, typer.Option(help="Agreement pack id or folder")] = "syria-2016-12-30",
    write_predictions: Annotated[Path | None, typer.Option(help="Write predicted events here, in the gold format")]
    = None,
) -> None:
    """Score extraction against hand-coded gold events: detection P/R/F1, place, type, sides, fatalities."""
    gold_events = evaluation.read_gold(gold)
    doc_ids, predicted = evaluation.predict(Extractor(load_pack(pack)), docs)
    if write_predictions:
        evaluation.write_predictions(write_predictions, predicted)
    render.evaluation(out, evaluation.score(gold_events, predicted, doc_ids), len(set(doc_ids)))


@pack_app.command("check")
def pack_check(ref: Annotated[str, typer.Argument(help="Pack folder or bundled pack id")]) -> None:
    """Validate a pack and summarise it; every error names its file, line and field."""
    check = check_pack(ref)
    for error in check.errors:
        err.print(f"[red]error[/red] {render.escape(str(error))}")
    if check.pack is None:
        err.print(f"{len(check.errors)} error(s) in {check.path}")
        raise typer.Exit(1)
    render.pack_summary(out, check.pack)


@pack_app.command("list")
def pack_list() -> None:
    """List the packs bundled with ceasefire."""
    for pack_id, path in bundled_packs().items():
        out.print(f"{pack_id}\t{path}")


@reports_app.command("list")
def reports_list(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show")] = 50,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    source: Annotated[str | None, typer.Option(help="Only this outlet (name or pack source id)")] = None,
    since: Annotated[str | None, typer.Option(help="Only reports published at or after this time")] = None,
) -> None:
    """List stored reports, newest first."""
    store = Store.open(db)
    render.report_list(out, store.reports(limit=limit, offset=offset, source=source, since=_timestamp(since)),
                       store.count_reports())


@reports_app.command("show")
def reports_show(
    ref: Annotated[str, typer.Argument(help="Report id or SHA-256 prefix (6+ hex digits)")],
    db: DbOption = None,
) -> None:
    """Show one report: its metadata, hash and full text."""
    render.report_detail(out, Store.open(db).report(ref))


@reports_app.command("rejected")
def reports_rejected(db: DbOption = None) -> None:
    """List the input items intake refused, with where they were and why."""
    render.rejections(out, Store.open(db).rejections())


@gazetteer_app.command("import")
def gazetteer_import(
    path: Annotated[Path, typer.Argument(help="GeoNames dump: a country's XX.zip or XX.txt (19 columns)")],
    db: DbOption = None,
) -> None:
    """Load GeoNames places (with alternate names) so extraction can place villages cities500 lacks."""
    store = Store.open(db)
    with Progress(SpinnerColumn(), TextColumn("import {task.completed} places"), console=err, transient=True) as bar:
        task = bar.add_task("import", total=None)
        result = import_gazetteer(store, path, progress=lambda n: bar.update(task, completed=n))
    render.gazetteer_import(out, result, store.count_gazetteer())


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or migrate it to the latest schema."""
    store = Store.open(db)
    out.print(f"Database {store.engine.url.render_as_string(hide_password=True)} is at the latest schema.")


@app.command("demo")
def demo(
    db: Annotated[Path, typer.Option(help="Demo database file (rebuilt on each run)")] = Path("ceasefire-demo.db"),
    corpus: Annotated[Path, typer.Option(help="Demo corpus folder")] = Path("examples/corpus"),
    pack: Annotated[str, typer.Option(help="Agreement pack id or folder")] = "syria-2016-12-30",
) -> None:
    """Build the demo database from the bundled Syria pack and the demo corpus, and show it."""
    if not corpus.is_dir():
        raise CeasefireError(f"No demo corpus at {corpus}. Run from the repository root or pass --corpus DIR.")
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    agreement_pack = load_pack(pack)
    render.pack_summary(out, agreement_pack, brief=True)
    store = Store.open(str(db))
    render.ingest_result(out, _ingest_with_progress(store, [str(corpus)], agreement_pack, ReportDefaults()))
    _extract_with_progress(store, agreement_pack)
    render.store_overview(out, store, db)


def main() -> None:
    try:
        app()
    except CeasefireError as exc:
        err.print(f"[red]Error:[/red] {render.escape(str(exc))}")
        sys.exit(1)
