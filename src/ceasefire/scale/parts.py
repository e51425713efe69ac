"""Extracted partitions on disk: one folder per partition with ``reports.parquet``,
``claims.parquet`` and ``rejections.parquet``.

A folder appears whole or not at all (written under a temporary name, then renamed), so a
worker killed mid-write leaves nothing that looks done. The parts of a run live beside its
database (``DB-parts`` for a SQLite file) unless the user names a folder; they stay while a run is
unfinished, so the next run resumes from them, and are removed once every partition is loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ceasefire.errors import IntakeError
from ceasefire.model import Claim, Report
from ceasefire.store import sqlite_file
from ceasefire.store.bulk import PartitionRows, claim_columns

REPORTS = pa.schema([
    ("sha256", pa.string()), ("format", pa.string()), ("title", pa.string()), ("url", pa.string()),
    ("published", pa.timestamp("us", tz="UTC")), ("source", pa.string()), ("source_id", pa.string()),
    ("author", pa.string()), ("language", pa.string()), ("text", pa.large_string()), ("origin", pa.string()),
    ("structured", pa.string()), ("raw", pa.large_binary()),
])
CLAIMS = pa.schema([
    ("report_sha256", pa.string()), ("idx", pa.int32()), ("kind", pa.string()), ("event_type", pa.string()),
    ("sub_event_type", pa.string()), ("earliest", pa.date32()), ("latest", pa.date32()),
    ("time_precision", pa.int32()), ("latitude", pa.float64()), ("longitude", pa.float64()),
    ("geo_precision", pa.int32()), ("area_id", pa.string()), ("fatalities", pa.int64()), ("payload", pa.large_string()),
])
REJECTIONS = pa.schema([("origin", pa.string()), ("reason", pa.string())])


def parts_folder(database_url: str) -> Path:
    """Where a run on the database at ``database_url`` keeps its parts unless told: ``DB-parts``
    beside a SQLite file, else a folder of the user's cache named after the database
    (``$XDG_CACHE_HOME/ceasefire``)."""
    file = sqlite_file(database_url)
    if file is not None:
        return Path(f"{file}-parts")
    name = database_url.rsplit("/", 1)[-1].split("?")[0] or "memory"
    key = hashlib.sha256(database_url.encode()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "ceasefire" / f"parts-{name}-{key}"


def remove_parts(parts_dir: Path, partitions: Path) -> None:
    """Remove what a finished run kept in ``parts_dir``: its partitions and unpacked archives; the
    folder itself goes too unless it holds something else."""
    for done in (partitions, parts_dir / "unpacked"):
        shutil.rmtree(done, ignore_errors=True)
    for folder in (partitions.parent, parts_dir):
        try:
            folder.rmdir()
        except OSError:  # not empty: someone else's files, or another extractor version's parts
            pass


def report_columns(report: Report, source_id: str | None) -> dict[str, Any]:
    return {
        "sha256": report.sha256, "format": report.format.value, "title": report.title, "url": report.url,
        "published": report.published, "source": report.source, "source_id": source_id, "author": report.author,
        "language": report.language, "text": report.text, "origin": report.origin,
        "structured": json.dumps(report.structured, ensure_ascii=False) if report.structured is not None else None,
        "raw": report.raw,
    }


def write_part(folder: Path, reports: Sequence[dict[str, Any]], claims: Sequence[Claim],
               rejections: Sequence[IntakeError]) -> None:
    """Write one extracted partition to ``folder``, atomically; an existing folder is kept."""
    if folder.exists():
        return  # a retried task found the first attempt's work
    partial = folder.with_name(f".{folder.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    partial.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(list(reports), schema=REPORTS), partial / "reports.parquet")
    pq.write_table(pa.Table.from_pylist([claim_columns(c) for c in claims], schema=CLAIMS), partial / "claims.parquet")
    pq.write_table(pa.Table.from_pylist([{"origin": e.origin, "reason": e.reason} for e in rejections],
                                        schema=REJECTIONS), partial / "rejections.parquet")
    try:
        partial.rename(folder)
    except OSError:  # another attempt renamed first
        shutil.rmtree(partial, ignore_errors=True)


def read_part(folder: Path, partition_id: str, source: str, extractor: str) -> PartitionRows:
    """An extracted partition, as the bulk loader takes it."""
    reports = pq.read_table(folder / "reports.parquet").to_pylist()
    for report in reports:
        report["structured"] = json.loads(report["structured"]) if report["structured"] is not None else None
        report["published"] = _utc(report["published"])
    claims = pq.read_table(folder / "claims.parquet").to_pylist()
    rejections = [(r["origin"], r["reason"]) for r in pq.read_table(folder / "rejections.parquet").to_pylist()]
    return PartitionRows(partition_id, source, extractor, reports, claims, rejections)


def part_counts(folder: Path) -> tuple[int, int]:
    """(reports, claims) of an extracted partition, from the Parquet footers alone."""
    return (pq.ParquetFile(folder / "reports.parquet").metadata.num_rows,
            pq.ParquetFile(folder / "claims.parquet").metadata.num_rows)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(dt.UTC) if value is not None else None
