"""An archive through the pipeline on a Dask cluster: partitions extracted in parallel into
Parquet, then loaded into the database in archive order, each in one transaction.

Extraction is recorded by the partition's Parquet folder, loading by a row in
``archive_partitions`` written with the partition's data: a killed run, started again,
extracts only partitions with no folder and loads only partitions with no row. A run that
loads every partition removes the folders (``scale.parts``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from distributed import Client, Future

from ceasefire.errors import CeasefireError, ExtractError, IntakeError
from ceasefire.intake import ReportDefaults
from ceasefire.model import AgreementPack
from ceasefire.scale.archive import Partition, plan_archive
from ceasefire.scale.parts import parts_folder, read_part, remove_parts
from ceasefire.scale.worker import ExtractionPlugin, PartDone, extract_partition, extractor_version
from ceasefire.store import Store
from ceasefire.store.bulk import PartitionLoad, PartitionRows

PARTITION_SIZE = 1000
SHOWN_REFUSALS = 20
WORKER_WAIT = 300  # seconds; a batch system may take minutes to start the first worker


@dataclass
class ArchiveStart:
    """What a run found before extracting: passed to ``on_start`` with the tasks to watch."""

    partitions: int
    extracted: int  # by an earlier run, Parquet on disk
    loaded: int  # by an earlier run, in the database
    extractor: str
    parts: Path


@dataclass
class ArchiveRun:
    """What one archive run did."""

    start: ArchiveStart
    new: int = 0
    duplicates: int = 0
    claims: int = 0
    rejected: list[IntakeError] = field(default_factory=list)  # paths that could not be read
    rejections: int = 0  # items refused inside readable files (kept in the database, with file:line)
    refused: list[str] = field(default_factory=list)  # the first few of those, "file:line: reason"
    peak_worker_memory: int = 0  # bytes, highest over the workers that ran a partition


def run_archive(
    store: Store,
    pack: AgreementPack,
    paths: Iterable[str | Path],
    client: Client,
    parts_dir: Path | None = None,
    *,
    defaults: ReportDefaults | None = None,
    partition_size: int = PARTITION_SIZE,
    on_start: Callable[[ArchiveStart, list[Future[PartDone]]], None] | None = None,
) -> ArchiveRun:
    """Extract the archive's partitions on ``client``'s cluster and load them into ``store``.

    Args:
        paths: JSON Lines (``.jsonl``, ``.jsonl.gz``), Parquet, and files or folders of single reports.
        parts_dir: where extracted partitions are kept until loaded; must be a folder every worker
            can write. Default: beside a SQLite database, else in the user's cache (``parts_folder``).
        partition_size: reports per partition (lines, Parquet rows, or files).
        on_start: called once the tasks are submitted (e.g. to show Dask's progress bar).

    Raises:
        CeasefireError: the workers disagree on the extractor version, or a partition failed.
    """
    store.register_agreement(pack)
    parts_dir = parts_dir or parts_folder(store.engine.url.render_as_string(hide_password=True))
    plan = plan_archive(paths, partition_size, parts_dir / "unpacked")
    plugin, version = _register_extraction(store, pack, client, defaults or ReportDefaults())
    folder = parts_dir / "partitions" / version.replace("+", "-")
    folder.mkdir(parents=True, exist_ok=True)
    loaded = store.loaded_partitions(version)
    extracted = {p.id for p in plan.partitions if (folder / p.id).is_dir()}
    start = ArchiveStart(len(plan.partitions), len(extracted), len(loaded & {p.id for p in plan.partitions}),
                         version, folder)
    futures = {p.id: client.submit(extract_partition, p, str(folder), version, plugin, key=f"extract-{p.id}",
                                   pure=False)
               for p in plan.partitions if p.id not in loaded and p.id not in extracted}
    if on_start:
        on_start(start, list(futures.values()))
    run = ArchiveRun(start, rejected=plan.missing)
    for partition in plan.partitions:  # in archive order, so report ids and the ledger follow the archive
        if partition.id in loaded:
            continue
        if partition.id in futures:
            done = _result(futures.pop(partition.id), partition)
            run.peak_worker_memory = max(run.peak_worker_memory, done.peak_memory)
        rows = read_part(folder / partition.id, partition.id, partition.source, version)
        _count(run, rows, store.load_partition(rows))
    remove_parts(parts_dir, folder)  # every partition is in the database: nothing left to resume
    return run


def _count(run: ArchiveRun, rows: PartitionRows, load: PartitionLoad) -> None:
    run.refused += [f"{origin}: {reason}" for origin, reason in rows.rejections][:SHOWN_REFUSALS - len(run.refused)]
    run.new, run.duplicates = run.new + load.new, run.duplicates + load.duplicates
    run.claims, run.rejections = run.claims + load.claims, run.rejections + load.rejected


def _register_extraction(store: Store, pack: AgreementPack, client: Client,
                         defaults: ReportDefaults) -> tuple[str, str]:
    """Send the pack to every worker and build each worker's extractor, in parallel; return the
    plugin's name and the extractor version (a worker that joins later checks it before its first partition).

    Raises:
        ExtractError: the workers do not all extract with the same version.
    """
    places = list(store.gazetteer_places(pack.agreement.scope.countries))
    plugin = ExtractionPlugin(pack, places, defaults, store.observer_keys())
    client.register_plugin(plugin)
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except TimeoutError as exc:
        raise CeasefireError(f"No Dask worker joined the scheduler within {WORKER_WAIT} s: start workers "
                             "(docs/scale.md) and run the same command again.") from exc
    workers = list(client.scheduler_info()["workers"])
    versions = {address: client.submit(extractor_version, plugin.name, workers=[address], allow_other_workers=False,
                                       pure=False) for address in workers}
    found = {address: future.result() for address, future in versions.items()}
    if len(set(found.values())) > 1:
        raise ExtractError("The workers extract with different versions (" + ", ".join(
            f"{a}: {v}" for a, v in sorted(found.items())) + "): install the same ceasefire, pack and spaCy model "
            "on every worker, or claims would depend on where they ran.")
    return plugin.name, next(iter(found.values()))


def _result(future: Future[PartDone], partition: Partition) -> PartDone:
    try:
        done: PartDone = future.result()
    except CeasefireError:
        raise
    except Exception as exc:  # a worker's failure, re-raised here by Dask with its own type
        where = f"{partition.source} from line {partition.first}" if partition.kind == "jsonl" else partition.source
        raise CeasefireError(f"Extracting the partition of {where} failed on a worker: "
                             f"{exc.__class__.__name__}: {exc}. Fix it and run the same command again: "
                             "finished partitions are kept.") from exc
    return done
