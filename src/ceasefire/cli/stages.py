"""The pipeline's stages as commands: ingest, extract, cluster, assess, all of them with run
(or run --archive on a Dask cluster), and evaluate to score extraction."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ceasefire import render
from ceasefire.cli.console import err, out
from ceasefire.cli.options import DbOption, PackOption, timestamp
from ceasefire.cli.root import app
from ceasefire.errors import CeasefireError
from ceasefire.extract import evaluate as evaluation
from ceasefire.extract import evaluate_sets as evaluation_sets
from ceasefire.extract.extractor import Extractor
from ceasefire.intake import ReportDefaults
from ceasefire.model import AgreementPack
from ceasefire.packs import load_pack
from ceasefire.pipeline import (
    IngestResult,
    assess_incidents,
    cluster_claims,
    extractor_for,
    ingest,
    registered_pack,
)
from ceasefire.pipeline import extract as extract_claims
from ceasefire.render import escape
from ceasefire.store import Store

PublishedOption = Annotated[str | None, typer.Option(help="Publication time for items that carry none")]
SourceOption = Annotated[str | None, typer.Option(help="Outlet for items that name none")]


@app.command("ingest")
def ingest_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (recursive) or - for JSON Lines on stdin")],
    db: DbOption = None,
    pack: PackOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    language: Annotated[str | None, typer.Option(help="Language for items that name none")] = None,
    extract: Annotated[bool, typer.Option(help="Extract claims from the new reports")] = True,
) -> None:
    """Store reports from text/Markdown, HTML, JSON Lines, RSS/Atom and ACLED CSV files, then extract claims."""
    store = Store.open(db)
    defaults = ReportDefaults(timestamp(published), source, language)
    result = ingest_with_progress(store, paths, load_pack(pack) if pack else None, defaults)
    render.ingest_result(out, result)
    if extract and store.agreements():
        extract_with_progress(store, registered_pack(store, pack))
    elif extract:
        out.print("No agreement registered yet, so no claims extracted: pass --pack ID.")
    if result.rejected and not result.new and not result.duplicates:
        raise typer.Exit(1)


@app.command("extract")
def extract_cmd(
    db: DbOption = None,
    pack: PackOption = None,
    since: Annotated[str | None, typer.Option(help="Only reports received at or after this time")] = None,
) -> None:
    """Extract claims (with the words each field came from) from reports not yet extracted."""
    store = Store.open(db, create=False)
    extract_with_progress(store, registered_pack(store, pack), timestamp(since))


@app.command("cluster")
def cluster_cmd(db: DbOption = None, pack: PackOption = None) -> None:
    """Group event claims into incidents and count their independent origins."""
    store = Store.open(db, create=False)
    render.verify_result(out, cluster_claims(store, registered_pack(store, pack)))


@app.command("assess")
def assess_cmd(db: DbOption = None, pack: PackOption = None) -> None:
    """Judge every incident against each clause and reading of the agreement."""
    store = Store.open(db, create=False)
    render.verdict_counts(out, assess_incidents(store, registered_pack(store, pack)))


@app.command("run")
def run_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to ingest (or - for JSON Lines)")],
    db: DbOption = None,
    pack: PackOption = None,
    published: PublishedOption = None,
    source: SourceOption = None,
    archive: Annotated[bool, typer.Option("--archive", help="PATHS are a large archive (JSONL, .jsonl.gz, Parquet, "
                                          "folders): extract on a Dask cluster, load in bulk (docs/scale.md)")] = False,
    cluster: Annotated[str, typer.Option(help="With --archive: local (a worker per core), local:N, or a scheduler "
                                         "address such as tcp://10.0.0.5:8786")] = "local",
    parts: Annotated[Path | None, typer.Option(
        help="With --archive: folder for extracted partitions (Parquet) that every worker can write; a killed run "
             "resumes from it, a finished one removes it", show_default="DB-parts beside a SQLite file, else a "
             "folder in $XDG_CACHE_HOME/ceasefire")] = None,
    partition_size: Annotated[int, typer.Option(min=1, help="With --archive: reports per partition")] = 1000,
) -> None:
    """Ingest, extract, cluster and assess: the whole pipeline in one command."""
    store = Store.open(db)
    agreement_pack = registered_pack(store, pack)
    defaults = ReportDefaults(timestamp(published), source, None)
    if archive:
        _run_archive(store, agreement_pack, paths, defaults, cluster, parts, partition_size)
    else:
        render.ingest_result(out, ingest_with_progress(store, paths, agreement_pack, defaults))
        extract_with_progress(store, agreement_pack)
    render.verify_result(out, cluster_claims(store, agreement_pack))
    render.verdict_counts(out, assess_incidents(store, agreement_pack))


@app.command("evaluate")
def evaluate_cmd(
    pack: Annotated[str, typer.Option(help="Agreement pack id or folder whose registries the documents need")],
    gold: Annotated[Path | None, typer.Option(help="Gold events CSV (DESIGN.md §9 columns)")] = None,
    docs: Annotated[Path | None, typer.Option(help="Folder of documents; each file stem is a doc_id")] = None,
    gold_sets: Annotated[Path | None, typer.Option("--set", help="A tree of sets, <style>/<split>/gold.csv and "
                                                   "docs/, scored per style and overall")] = None,
    split: Annotated[str, typer.Option(help="With --set: the split to score (tune on dev only)")] = "dev",
    write_predictions: Annotated[Path | None, typer.Option(help="Write predicted events here, in the gold format "
                                                           "(with --set: a folder, one CSV per set)")] = None,
) -> None:
    """Score extraction against hand-coded gold events: detection P/R/F1, place, type, sides, fatalities."""
    if gold_sets is not None:
        results = evaluation_sets.evaluate_sets(Extractor(load_pack(pack)), evaluation_sets.gold_sets(gold_sets, split))
        if write_predictions:
            evaluation_sets.write_set_predictions(write_predictions, results)
        render.evaluation_sets(out, results)
        return
    if gold is None or docs is None:
        raise CeasefireError("Give --set DIR (sets laid out as <style>/<split>/), or both --gold and --docs.")
    gold_events = evaluation.read_gold(gold)
    doc_ids, predicted = evaluation.predict(Extractor(load_pack(pack)), docs)
    if write_predictions:
        evaluation.write_predictions(write_predictions, predicted)
    render.evaluation(out, evaluation.score(gold_events, predicted, doc_ids), len(set(doc_ids)))


def ingest_with_progress(store: Store, paths: list[str], pack: AgreementPack | None,
                         defaults: ReportDefaults) -> IngestResult:
    columns = (SpinnerColumn(), TextColumn("ingest"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("ingest", total=None)
        return ingest(store, paths, pack=pack, defaults=defaults,
                      progress=lambda done, total: bar.update(task, completed=done, total=total))


def extract_with_progress(store: Store, pack: AgreementPack, since: dt.datetime | None = None) -> None:
    with Progress(SpinnerColumn(), TextColumn("extract {task.completed} reports"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("extract", total=None)
        extractor = extractor_for(store, pack)
        result = extract_claims(store, extractor, since=since, progress=lambda n: bar.update(task, completed=n))
    render.extract_result(out, result)


def _run_archive(store: Store, pack: AgreementPack, paths: list[str], defaults: ReportDefaults, cluster: str,
                 parts: Path | None, partition_size: int) -> None:
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
