"""What runs on a Dask worker: the extractor, built once per worker process by a worker
plugin, and the task that extracts one partition into Parquet."""

from __future__ import annotations

import hashlib
import json
import resource
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from distributed import get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from ceasefire.errors import ExtractError, IntakeError
from ceasefire.extract.extractor import Extractor
from ceasefire.intake import ReportDefaults
from ceasefire.intake.observers import check_observer, claims_observer
from ceasefire.model import AgreementPack, Claim, Report
from ceasefire.pipeline import _source_index
from ceasefire.scale.archive import Partition, read_partition
from ceasefire.scale.parts import part_counts, report_columns, write_part
from ceasefire.store.gazetteer import GazetteerPlace

PLUGIN = "ceasefire-extraction"


@dataclass
class Extraction:
    """Everything a partition's extraction needs, built once per process."""

    extractor: Extractor
    defaults: ReportDefaults = field(default_factory=ReportDefaults)
    observers: dict[str, str] = field(default_factory=dict)  # registered observers' public keys

    def __post_init__(self) -> None:
        self.source_of = _source_index(self.extractor.pack)


@dataclass(frozen=True)
class PartDone:
    """A partition extracted (now, or by an earlier run) and where its Parquet files are."""

    id: str
    reports: int
    claims: int
    peak_memory: int  # bytes: the process's peak resident memory so far
    worker: str = ""  # the worker's address; empty when run without Dask


class ExtractionPlugin(WorkerPlugin):
    """Carries the pack to each worker once, and holds the worker's extractor, which is built
    on the worker's first task (in a task thread: loading spaCy would stall the worker's event loop)."""

    idempotent = True  # the same plugin registered again (the next run) keeps the built extractor

    def __init__(self, pack: AgreementPack, places: list[GazetteerPlace], defaults: ReportDefaults,
                 observers: dict[str, str]) -> None:
        self.pack, self.places, self.defaults, self.observers = pack, places, defaults, observers
        self.extraction: Extraction | None = None
        self.lock = threading.Lock()
        content = json.dumps([pack.model_dump(mode="json"), places, repr(defaults), observers], sort_keys=True,
                             default=str)
        self.name = f"{PLUGIN}-{hashlib.sha256(content.encode()).hexdigest()[:16]}"

    def setup(self, worker: Any) -> None:
        self.extraction, self.lock = None, threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return self.__dict__ | {"extraction": None, "lock": None}  # built where it runs, never shipped

    def built(self) -> Extraction:
        with self.lock:
            if self.extraction is None:
                extractor = Extractor(self.pack, imported_places=self.places)
                self.extraction = Extraction(extractor, self.defaults, self.observers)
            return self.extraction


def worker_extraction(plugin_name: str) -> Extraction:
    """This worker's extraction, built once per worker process."""
    plugin: ExtractionPlugin = get_worker().plugins[plugin_name]  # type: ignore[assignment]
    return plugin.built()


def extractor_version(plugin_name: str) -> str:
    """A task: the version of the claims this worker makes (building its extractor)."""
    return worker_extraction(plugin_name).extractor.version


def extract_partition(partition: Partition, folder: str, version: str, plugin_name: str) -> PartDone:
    """The Dask task: extract one partition on this worker, into ``folder/<partition id>``.

    Raises:
        ExtractError: this worker's extractor differs from the run's (another pack or model installed).
    """
    extraction = worker_extraction(plugin_name)
    if extraction.extractor.version != version:
        raise ExtractError(f"Worker {get_worker().address} extracts with {extraction.extractor.version}, the run "
                           f"with {version}: install the same ceasefire, pack and spaCy model on every worker.")
    done = extract_to_parquet(partition, Path(folder), extraction)
    return PartDone(done.id, done.reports, done.claims, done.peak_memory, get_worker().address)


def extract_to_parquet(partition: Partition, folder: Path, extraction: Extraction) -> PartDone:
    """Read, check and extract one partition and write it as Parquet (skipped when already written)."""
    target = folder / partition.id
    if not target.exists():
        reports, rejections = _reports(partition, extraction)
        claims: list[Claim] = []
        for _report, found in extraction.extractor.extract_many(reports):
            claims += found
        rows = [report_columns(r, extraction.source_of(r)) for r in reports]
        write_part(target, rows, claims, rejections)
    stored, claimed = part_counts(target)
    return PartDone(partition.id, stored, claimed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


def _reports(partition: Partition, extraction: Extraction) -> tuple[list[Report], list[IntakeError]]:
    """The partition's good reports (each SHA-256 once) and its refused items."""
    reports: dict[str, Report] = {}
    rejections: list[IntakeError] = []
    for item in read_partition(partition, extraction.defaults):
        if isinstance(item, Report) and claims_observer(item):
            try:
                item = check_observer(item, extraction.observers)
            except IntakeError as refused:
                item = refused
        if isinstance(item, IntakeError):
            rejections.append(item)
        else:
            reports.setdefault(item.sha256, item)  # the same bytes twice are one report
    return list(reports.values()), rejections
