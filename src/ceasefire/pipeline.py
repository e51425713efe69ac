"""Compositions of stages that the CLI and the web app share (ingest, the demo)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ceasefire.errors import IntakeError
from ceasefire.intake import InputFile, ReportDefaults, input_files, read_file
from ceasefire.model import AgreementPack, Report
from ceasefire.store import Store

BATCH_SIZE = 200


@dataclass
class Duplicate:
    origin: str
    sha256: str


@dataclass
class IngestResult:
    """What one ingest did: ids of new reports, items already stored, items refused."""

    new: list[int] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[IntakeError] = field(default_factory=list)


Progress = Callable[[int, int | None], None]
"""Called with (bytes read so far, total bytes or None when unknown)."""


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    pack: AgreementPack | None = None,
    defaults: ReportDefaults | None = None,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestResult:
    """Read every item of ``paths`` and store each report once.

    Reports are committed in batches, each in its own transaction, so a killed run leaves
    only whole batches behind, and running it again stores only what is missing.
    """
    result = IngestResult()
    defaults = defaults or ReportDefaults()
    files: list[InputFile] = []
    for found in input_files(paths):
        if isinstance(found, IntakeError):
            result.rejected.append(found)
        else:
            files.append(found)
    total = None if any(f.path is None for f in files) else sum(f.size for f in files)
    batch: list[Report] = []
    done = 0
    if pack is not None:
        store.register_agreement(pack)
    source_of = _source_index(pack)
    for input_file in files:
        read_in_file = 0
        for item in read_file(input_file, stdin or sys.stdin.buffer, defaults):
            if isinstance(item, IntakeError):
                result.rejected.append(item)
                continue
            batch.append(item)
            read_in_file += len(item.raw)
            if len(batch) >= batch_size:
                _flush(store, batch, source_of, result)
                if progress:
                    progress(done + min(read_in_file, input_file.size), total)
        done += input_file.size
        if progress:
            progress(done, total)
    _flush(store, batch, source_of, result)
    for rejection in result.rejected:
        store.add_rejection(rejection.origin, rejection.reason)
    return result


def _flush(store: Store, batch: list[Report], source_of: Callable[[Report], str | None],
           result: IngestResult) -> None:
    if not batch:
        return
    ids = store.add_reports(batch, [source_of(r) for r in batch])
    for report, new_id in zip(batch, ids, strict=True):
        if new_id is None:
            result.duplicates.append(Duplicate(report.origin, report.sha256))
        else:
            result.new.append(new_id)
    batch.clear()


def _source_index(pack: AgreementPack | None) -> Callable[[Report], str | None]:
    """Match a report's outlet to the pack's source registry, by name or alias.

    ACLED lists several outlets ("Reuters; SOHR"): the first one the pack knows is taken.
    """
    names: dict[str, str] = {}
    for source in (pack.sources.values() if pack else ()):
        for name in (source.id, source.name, *source.aliases):
            names.setdefault(name.casefold(), source.id)

    def source_id(report: Report) -> str | None:
        outlets = (report.source or "").split(";")
        return next((names[o.strip().casefold()] for o in outlets if o.strip().casefold() in names), None)

    return source_id
