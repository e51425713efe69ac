"""The ``ceasefire`` command: a thin skin over the library. Each command parses its options,
calls one library function and prints the result; errors are worded once, in ``main``."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ceasefire import render
from ceasefire.adjudicate.review import review
from ceasefire.errors import CeasefireError
from ceasefire.extract import evaluate as evaluation
from ceasefire.extract.extractor import Extractor
from ceasefire.intake import ReportDefaults, parse_timestamp
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import AgreementPack, Verdict
from ceasefire.packs import bundled_packs, check_pack, load_pack
from ceasefire.packs.signatures import pack_hash, sign_pack, signature_status
from ceasefire.pipeline import (
    IngestResult,
    assess_incidents,
    capture_page,
    cluster_claims,
    extractor_for,
    import_gazetteer,
    ingest,
    publish,
    registered_pack,
    verify_ledger,
)
from ceasefire.pipeline import checkpoint as make_checkpoint
from ceasefire.pipeline import extract as extract_claims
from ceasefire.publish.bundle import read_checkpoint, read_trusted_key, verify_bundle
from ceasefire.publish.documents import ReportFormat as DocumentFormat
from ceasefire.publish.documents import demo_outputs, report_file
from ceasefire.publish.exports import ExportFormat, export_file
from ceasefire.render import escape
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery, ask
from ceasefire.web import OSM_TILES

if TYPE_CHECKING:
    from ceasefire.web.app import Settings

app = typer.Typer(help="Ceasefire monitoring and verification: reports -> claims -> incidents -> assessments.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
pack_app = typer.Typer(help="Validate and inspect agreement packs.", no_args_is_help=True)
reports_app = typer.Typer(help="Look at stored reports.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
gazetteer_app = typer.Typer(help="Places beyond the bundled GeoNames cities500.", no_args_is_help=True)
incidents_app = typer.Typer(help="Incidents with their verdicts, reasons and sources.", no_args_is_help=True)
reviewer_app = typer.Typer(help="Analysts who review verdicts, and their affiliations.", no_args_is_help=True)
keys_app = typer.Typer(help="Ed25519 keys for signing checkpoints.", no_args_is_help=True)
observer_app = typer.Typer(help="Observers whose signed submissions are accepted.", no_args_is_help=True)
user_app = typer.Typer(help="Web accounts: observers, analysts and admins.", no_args_is_help=True)
app.add_typer(pack_app, name="pack")
app.add_typer(reports_app, name="reports")
app.add_typer(db_app, name="db")
app.add_typer(gazetteer_app, name="gazetteer")
app.add_typer(incidents_app, name="incidents")
app.add_typer(reviewer_app, name="reviewer")
app.add_typer(keys_app, name="keys")
app.add_typer(observer_app, name="observer")
app.add_typer(user_app, name="user")

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_KEY = Path("demo-output/keys/demo-monitoring-body.key")
DbOption = Annotated[str | None, typer.Option(
    "--db", help="SQLite file or postgresql:// URL [default: $CEASEFIRE_DB or ceasefire.db]")]
PackOption = Annotated[str | None, typer.Option("--pack", help="Agreement pack id or folder")]
# The incident filters `incidents list` and `export` share.
SinceOption = Annotated[str | None, typer.Option(help="Only incidents lasting into or beyond this date")]
UntilOption = Annotated[str | None, typer.Option(help="Only incidents begun on or before this date")]
AreaOption = Annotated[str | None, typer.Option(help="Pack area (id or name): the area and every area inside it")]
ActorOption = Annotated[str | None, typer.Option(help="Actor taking part (id or any of its names)")]
PartyOption = Annotated[str | None, typer.Option(help="Party (id or name), with its forces and proxies")]
VerdictOption = Annotated[Verdict | None, typer.Option(help="Verdict, after analyst reviews")]
ClauseOption = Annotated[str | None, typer.Option(help="Clause found violated or disputed (e.g. C1)")]


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


@app.command("cluster")
def cluster_cmd(db: DbOption = None, pack: PackOption = None) -> None:
    """Group event claims into incidents and count their independent origins."""
    store = Store.open(db)
    render.verify_result(out, cluster_claims(store, registered_pack(store, pack)))


@app.command("assess")
def assess_cmd(db: DbOption = None, pack: PackOption = None) -> None:
    """Judge every incident against each clause and reading of the agreement."""
    store = Store.open(db)
    render.verdict_counts(out, assess_incidents(store, registered_pack(store, pack)))


@app.command("run")
def run_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to ingest (or - for JSON Lines)")],
    db: DbOption = None,
    pack: PackOption = None,
    published: Annotated[str | None, typer.Option(help="Publication time for items that carry none")] = None,
    source: Annotated[str | None, typer.Option(help="Outlet for items that name none")] = None,
    archive: Annotated[bool, typer.Option("--archive", help="PATHS are a large archive (JSONL, .jsonl.gz, Parquet, "
                                          "folders): extract on a Dask cluster, load in bulk (docs/scale.md)")] = False,
    cluster: Annotated[str, typer.Option(help="With --archive: local (a worker per core), local:N, or a scheduler "
                                         "address such as tcp://10.0.0.5:8786")] = "local",
    parts: Annotated[Path, typer.Option(help="With --archive: folder for extracted partitions (Parquet) that "
                                        "every worker can write; a killed run resumes from it")]
    = Path("ceasefire-parts"),
    partition_size: Annotated[int, typer.Option(min=1, help="With --archive: reports per partition")] = 1000,
) -> None:
    """Ingest, extract, cluster and assess: the whole pipeline in one command."""
    store = Store.open(db)
    agreement_pack = registered_pack(store, pack)
    defaults = ReportDefaults(_timestamp(published), source, None)
    if archive:
        _run_archive(store, agreement_pack, paths, defaults, cluster, parts, partition_size)
        render.verify_result(out, cluster_claims(store, agreement_pack))
        render.verdict_counts(out, assess_incidents(store, agreement_pack))
        return
    render.ingest_result(out, _ingest_with_progress(store, paths, agreement_pack, defaults))
    _judge(store, agreement_pack)


def _run_archive(store: Store, pack: AgreementPack, paths: list[str], defaults: ReportDefaults, cluster: str,
                 parts: Path, partition_size: int) -> None:
    from distributed import progress  # Dask takes a second or so to import: only for archive runs

    from ceasefire import scale

    def watch(start: scale.ArchiveStart, futures: list[Any]) -> None:
        out.print(f"Archive: {start.partitions} partitions of up to {partition_size} reports; {start.extracted} "
                  f"extracted and {start.loaded} loaded by an earlier run (parts in {start.parts}).", soft_wrap=True)
        if futures:
            watcher.append(threading.Thread(target=progress, args=(futures,), kwargs={"notebook": False},
                                            daemon=True))  # a failed run exits without waiting for the bar
            watcher[-1].start()

    watcher: list[threading.Thread] = []
    with scale.connect(cluster) as client:
        if link := scale.dashboard(client):
            out.print(f"Dask dashboard: {link}", soft_wrap=True)
        run = scale.run_archive(store, pack, paths, client, parts, defaults=defaults, partition_size=partition_size,
                                on_start=watch)
        for thread in watcher:
            thread.join()
    out.print(f"\nLoaded {run.new:,} new reports ({run.duplicates:,} already stored) and {run.claims:,} claims; "
              f"{run.rejections:,} items refused (`ceasefire reports rejected`).", soft_wrap=True)
    for problem in [str(p) for p in run.rejected] + run.refused:
        err.print(f"  {escape(problem)}", soft_wrap=True)


def _judge(store: Store, pack: AgreementPack) -> None:
    _extract_with_progress(store, pack)
    render.verify_result(out, cluster_claims(store, pack))
    render.verdict_counts(out, assess_incidents(store, pack))


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
) -> None:
    """List incidents, newest first, with their verdicts."""
    store = Store.open(db)
    query = _incident_query(registered_pack(store), since, until, area, actor, party, verdict, clause)
    render.incident_list(out, store.incidents(query))


@incidents_app.command("show")
def incidents_show(
    incident_id: Annotated[str, typer.Argument(help="Incident id (I-...)")], db: DbOption = None
) -> None:
    """Show an incident: merged facts, verdicts with reason lines, responsibility, claims and sources."""
    store = Store.open(db)
    stored = store.incident(incident_id)
    claims = {(c.claim.report_sha256, c.claim.index): (c.report_id, c.claim) for c in store.claims(kind="event")}
    claims |= {(c.claim.report_sha256, c.claim.index): (c.report_id, c.claim) for c in store.claims(kind="denial")}
    render.incident_detail(out, stored, store.assessments(incident_id), store.reviews(incident_id),
                           [claims[(r.report_sha256, r.index)] for r in stored.incident.claims
                            if (r.report_sha256, r.index) in claims])


@app.command("review")
def review_cmd(
    incident_id: Annotated[str, typer.Argument(help="Incident id (I-...)")],
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
    store = Store.open(db)
    overall = store.overall_assessment(incident_id)
    record = review(overall, registered_pack(store, pack), store.reviewer(as_user), verdict=override,
                    reason=reason, justification=justification, admin=store.reviewer(admin) if admin else None)
    store.add_review(record)
    done = {"confirm": "confirmed", "override": "overridden with"}[record["action"]]
    out.print(f"{incident_id}: {done} {record['verdict']} by {escape(as_user)}.")


@reviewer_app.command("add")
def reviewer_add(
    name: Annotated[str, typer.Argument(help="Reviewer name")],
    affiliation: Annotated[str | None, typer.Option(help="Actor id the reviewer is affiliated with")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="May record justifications")] = False,
    db: DbOption = None,
) -> None:
    """Register a reviewer and the actor they are affiliated with, if any."""
    Store.open(db).add_reviewer(name, affiliation, admin)
    out.print(f"Reviewer {escape(name)} registered" + (f", affiliated with {affiliation}" if affiliation else "")
              + (", admin" if admin else "") + ".")


def _incident_query(pack: AgreementPack, since: str | None, until: str | None, area: str | None,
                    actor: str | None, party: str | None, verdict: Verdict | None, clause: str | None) -> IncidentQuery:
    return ask(pack, since=_day(since), until=_day(until), area=area, actor=actor, party=party,
               verdict=verdict.value if verdict else None, clause=clause)


def _day(value: str | None) -> dt.date | None:
    return _timestamp(value).date() if value else None  # type: ignore[union-attr]


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
def pack_check(
    ref: Annotated[str, typer.Argument(help="Pack folder or bundled pack id")],
    db: Annotated[str | None, typer.Option("--db", help="Also show parties' signatures stored in this database")]
    = None,
) -> None:
    """Validate a pack and summarise it; every error names its file, line and field."""
    check = check_pack(ref)
    for error in check.errors:
        err.print(f"[red]error[/red] {render.escape(str(error))}")
    if check.pack is None:
        err.print(f"{len(check.errors)} error(s) in {check.path}")
        raise typer.Exit(1)
    render.pack_summary(out, check.pack)
    out.print(f"Pack text SHA-256 {pack_hash(check.pack)}", soft_wrap=True)
    if db:
        rows = Store.open(db).pack_signatures(check.pack.agreement.id)
        render.pack_signatures(out, check.pack, signature_status(check.pack, rows))


@pack_app.command("sign")
def pack_sign(
    ref: Annotated[str, typer.Argument(help="Pack folder or bundled pack id")],
    party: Annotated[str, typer.Option(help="Actor id of the signing party")],
    key: Annotated[Path, typer.Option(help="The party's private key")],
    db: DbOption = None,
) -> None:
    """Record a party's Ed25519 signature on the hash of the pack's text."""
    pack = load_pack(ref)
    row = sign_pack(pack, party, load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")))
    Store.open(db).add_pack_signature(row)
    out.print(f"{escape(pack.actors[party].name)} signed {pack.agreement.id} (text SHA-256 {row['pack_sha256']}).",
              soft_wrap=True)


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


@app.command("verify")
def verify_cmd(db: DbOption = None) -> None:
    """Recompute the ledger's hash chain and check every stored object against it."""
    records, head, problems = verify_ledger(Store.open(db))
    if problems:
        err.print(f"Ledger does not verify: {len(problems)} problem(s); the first is {escape(problems[0])}.")
        for problem in problems[1:20]:
            err.print(f"  {escape(problem)}")
        raise typer.Exit(1)
    out.print(f"Ledger verifies: {records} records, head {head}.", soft_wrap=True)


@keys_app.command("new")
def keys_new(
    name: Annotated[str, typer.Argument(help="Key name: NAME.key and NAME.pub are written")],
    folder: Annotated[Path, typer.Option("--out", help="Folder for the key files")] = Path("."),
    passphrase: Annotated[bool, typer.Option("--passphrase", help="Encrypt the private key (asks for it)")] = False,
) -> None:
    """Make an Ed25519 key pair; the private key file is readable by its owner only (0600)."""
    secret = typer.prompt("Passphrase", hide_input=True, confirmation_prompt=True) if passphrase else None
    private_path, public_path = new_key(name, folder, secret)
    out.print(f"Wrote {private_path} (mode 0600) and {public_path}.")


@observer_app.command("add")
def observer_add(
    name: Annotated[str, typer.Argument(help="Observer name, as their submissions give it")],
    public_key: Annotated[Path, typer.Option(help="The observer's Ed25519 public key (PEM)")],
    db: DbOption = None,
) -> None:
    """Register an observer's public key; their submissions must be signed with the matching key."""
    Store.open(db).add_observer(name, public_key.read_text())
    out.print(f"Observer {escape(name)} registered; unsigned or badly signed submissions in their name are refused.")


@app.command("checkpoint")
def checkpoint_cmd(
    key: Annotated[Path, typer.Option(help="Private key file of the monitoring body")],
    signer: Annotated[str, typer.Option(help="Who signs, as readers will see it")] = "monitoring body",
    db: DbOption = None,
) -> None:
    """Sign the ledger's Merkle root, and prove it extends the previous checkpoint (RFC 6962)."""
    made = make_checkpoint(Store.open(db), load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")), signer)
    out.print(f"Checkpoint #{made.id}: {made.size} records, Merkle root {made.root}, signed by {escape(signer)}.",
              soft_wrap=True)
    if made.previous:
        out.print(f"Extends checkpoint #{made.previous.id} ({made.previous.size} records): consistency proof "
                  f"of {made.proof_length} hashes verified.")


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


@app.command("publish")
def publish_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the bundle")],
    key: Annotated[Path, typer.Option(help="Private key file of the monitoring body")],
    signer: Annotated[str, typer.Option(help="Who signs, as readers will see it")] = "monitoring body",
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Write a signed bundle (GeoJSON, ACLED CSV, assessments, checkpoint) that verifies offline."""
    store = Store.open(db)
    files = publish(store, registered_pack(store, pack), out_dir,
                    load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")), signer)
    out.print(f"Wrote {len(files)} files to {out_dir}: {', '.join(files)}. Check with "
              f"`ceasefire verify-bundle {out_dir}`.", soft_wrap=True)


@app.command("verify-bundle")
def verify_bundle_cmd(
    folder: Annotated[Path, typer.Argument(help="A bundle written by `ceasefire publish`")],
    public_key: Annotated[Path | None, typer.Option(help="The signer's public key, obtained elsewhere")] = None,
    since_checkpoint: Annotated[Path | None, typer.Option(
        help="The checkpoint.json of the latest bundle you verified: refuse a bundle older than it or not "
             "extending it")] = None,
) -> None:
    """Check a published bundle offline, with no database; names any file that was changed."""
    known = read_checkpoint(since_checkpoint) if since_checkpoint else None
    check = verify_bundle(folder, read_trusted_key(public_key) if public_key else None, known)
    if check.problems:
        for problem in check.problems:
            err.print(f"[red]{escape(problem)}[/red]", soft_wrap=True)
        raise typer.Exit(1)
    trust = "the key you gave" if public_key else "the key inside the bundle (pass --public-key to check who signed)"
    out.print(f"Bundle verifies: {check.files} files match the signed manifest; signature checked with {trust}.",
              soft_wrap=True)
    if known:
        out.print(f"It extends the checkpoint you gave ({known.size} records).")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or migrate it to the latest schema."""
    store = Store.open(db)
    out.print(f"Database {store.engine.url.render_as_string(hide_password=True)} is at the latest schema.")


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
) -> None:
    """Export incidents (filtered as `incidents list` does) as ACLED CSV, UCDP GED-style CSV, GeoJSON or
    JSON, streamed row by row."""
    store = Store.open(db)
    agreement = registered_pack(store, pack)
    query = _incident_query(agreement, since, until, area, actor, party, verdict, clause)
    path = None if out_path == "-" else Path(out_path)
    count = export_file(store, agreement, format, path, query)
    err.print(f"Exported {count} incidents as {format.value} to {path or 'standard output'}.")


@app.command("report")
def report_cmd(
    start: Annotated[str, typer.Option("--from", help="First day of the period (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="Last day of the period (YYYY-MM-DD), included")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write")],
    format: Annotated[DocumentFormat, typer.Option("--format", help="html, md or pdf")] = DocumentFormat.HTML,
    agreement: Annotated[str | None, typer.Option(help="Agreement (pack id) the report is about")] = None,
    db: DbOption = None,
) -> None:
    """Write a monitoring report for a period: counts against the previous period, map, daily chart,
    tables per clause, party and area, notable and disputed incidents, coverage, ledger checkpoint."""
    store = Store.open(db)
    files = report_file(store, registered_pack(store, agreement), _period_day(start, "--from"),
                        _period_day(end, "--to"), format, out_path)
    out.print(f"Wrote {', '.join(str(f) for f in files)}.", soft_wrap=True)


def _period_day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a day such as 2017-01-31, got {value!r}", param_hint=option) from None


@app.command("demo")
def demo(
    db: Annotated[Path, typer.Option(help="Demo database file (rebuilt on each run)")] = Path("ceasefire-demo.db"),
    corpus: Annotated[Path, typer.Option(help="Demo corpus folder")] = Path("examples/corpus"),
    pack: Annotated[str, typer.Option(help="Agreement pack id or folder")] = "syria-2016-12-30",
    serve: Annotated[bool, typer.Option(help="Serve the web app at the end (--no-serve for scripts)")] = True,
    port: Annotated[int, typer.Option(help="Port for the web app")] = 8000,
) -> None:
    """Build the demo database from the bundled Syria pack and the demo corpus, show it, and serve it."""
    if not corpus.is_dir():
        raise CeasefireError(f"No demo corpus at {corpus}. Run from the repository root or pass --corpus DIR.")
    for stale in db.parent.glob(db.name + "*"):
        stale.unlink()
    agreement_pack = load_pack(pack)
    render.pack_summary(out, agreement_pack, brief=True)
    store = Store.open(str(db))
    render.ingest_result(out, _ingest_with_progress(store, [str(corpus)], agreement_pack, ReportDefaults()))
    _judge(store, agreement_pack)
    render.store_overview(out, store, db)
    records, head, breaks = verify_ledger(store)
    out.print(f"Ledger: {records} records, head {head[:16]}…, {'verifies' if not breaks else 'BROKEN'} "
              f"(`ceasefire verify --db {db}`).", soft_wrap=True)
    demo_key = db.parent / DEMO_KEY  # beside the demo database
    key = demo_key if demo_key.exists() else new_key(demo_key.stem, demo_key.parent)[0]
    made = make_checkpoint(store, load_private(key), "ceasefire demo")
    out.print(f"Checkpoint #{made.id} signed with {key}: Merkle root {made.root[:16]}… over {made.size} records.",
              soft_wrap=True)
    bundle = db.parent / "demo-output" / "bundle"
    publish(store, agreement_pack, bundle, load_private(key), "ceasefire demo")
    check = verify_bundle(bundle, key.with_suffix(".pub").read_bytes())
    out.print(f"Published {bundle} ({check.files} signed files) and checked it offline: "
              f"{'verifies' if not check.problems else 'FAILS: ' + '; '.join(check.problems)} "
              f"(`ceasefire verify-bundle {bundle} --public-key {key.with_suffix('.pub')}`).", soft_wrap=True)
    start, end, files = demo_outputs(store, agreement_pack, db.parent / "demo-output")
    out.print(f"Wrote {', '.join(str(f) for f in files)} (`ceasefire report --from {start} --to {end} --format pdf "
              f"--out report.pdf --db {db}`, `ceasefire export --format acled-csv --out - --db {db}`).", soft_wrap=True)
    _demo_accounts(store)
    if serve:
        from ceasefire.web.app import Settings

        _serve(store, agreement_pack, "127.0.0.1", port, Settings())


def _demo_accounts(store: Store) -> None:
    """One account per role, with fresh passwords printed once, so every page can be tried."""
    import secrets

    from ceasefire.web.accounts import ACCOUNT_ROLES, add_user

    out.print("Web accounts for this demo (passwords are new on every run):")
    for role in ACCOUNT_ROLES:
        password = secrets.token_urlsafe(9)
        add_user(store, f"demo-{role.label}", role, password)
        out.print(f"  {role.label:<9} name demo-{role.label}  password {password}")


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    pack: PackOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    tiles: Annotated[str, typer.Option(help="Web map tile URL template; '' for the offline outline only")]
    = OSM_TILES,
    secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure (behind HTTPS)")] = False,
) -> None:
    """Serve the map, timeline, incident pages, observer form and /api/v1 (OpenAPI at /api/docs)."""
    from ceasefire.web.app import Settings

    store = Store.open(db)
    _serve(store, registered_pack(store, pack), host, port, Settings(
        secret_key=os.environ.get("CEASEFIRE_SECRET_KEY", ""), tiles=tiles, secure_cookies=secure_cookies))


def _serve(store: Store, pack: AgreementPack, host: str, port: int, settings: Settings) -> None:
    import socket

    import uvicorn

    from ceasefire.web.app import create_app

    with socket.socket() as probe:
        # As uvicorn binds: connections the last server closed (TIME_WAIT) must not block a restart.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CeasefireError(f"Cannot listen on {host}:{port} ({exc.strerror}): another program, perhaps "
                                 "another `ceasefire serve`, uses it. Stop it or pass --port N.") from None
    if not settings.secret_key:
        err.print("Note: sessions end when the server stops; set CEASEFIRE_SECRET_KEY to keep them.")
    out.print(f"Serving {pack.agreement.id} at http://{host}:{port}/ (API: http://{host}:{port}/api/docs). "
              "Ctrl-C stops.", soft_wrap=True)
    uvicorn.run(create_app(store, pack, settings), host=host, port=port, log_level="warning")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help="observer, analyst or admin")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          envvar="CEASEFIRE_PASSWORD", help="At least 10 characters")],
    db: DbOption = None,
) -> None:
    """Create a web account, or change its role and password (which signs it out everywhere and revokes
    its API tokens); the password is stored as argon2id."""
    from ceasefire.web.accounts import add_user

    ended = add_user(Store.open(db), name, role, password)
    ending = f"; their {_ended(ended.tokens, ended.sessions)} were ended" if ended else ""
    out.print(f"User {escape(name)} saved as {role}{ending}.")


@user_app.command("remove")
def user_remove(name: Annotated[str, typer.Argument(help="User name")], db: DbOption = None) -> None:
    """Delete a web account; its sessions and API tokens end with it."""
    from ceasefire.web.accounts import remove_user

    ended = remove_user(Store.open(db), name)
    out.print(f"Removed user {escape(name)}" + (f"; their {_ended(ended.tokens, ended.sessions)} were ended."
                                                  if ended.tokens or ended.sessions else "."))


def _ended(tokens: int, sessions: int) -> str:
    return f"{tokens} API token{'s' * (tokens != 1)} and {sessions} session{'s' * (sessions != 1)}"


@user_app.command("token")
def user_token(
    name: Annotated[str, typer.Argument(help="User name")],
    revoke: Annotated[bool, typer.Option("--revoke", help="End every API token of the user instead")] = False,
    db: DbOption = None,
) -> None:
    """A new API token with the user's role (shown once: only its hash is kept), or --revoke them all."""
    from ceasefire.web.accounts import new_api_token, revoke_api_tokens

    if revoke:
        count = revoke_api_tokens(Store.open(db), name)
        out.print(f"Revoked {count} API token{'s' * (count != 1)} of {escape(name)}.")
    else:
        out.print(new_api_token(Store.open(db), name))


def main() -> None:
    try:
        app()
    except CeasefireError as exc:
        err.print(f"[red]Error:[/red] {render.escape(str(exc))}")
        sys.exit(1)
