"""An archive cut into partitions: slices of JSON Lines and Parquet files, and groups of
single-report files (text, Markdown, HTML, feeds, ACLED CSV), each read on its own by a worker.

The plan is a function of the archive alone (paths in sorted order, sizes, partition size), so a
re-run finds the same partitions under the same ids and skips those already done.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pyarrow.parquet as pq

from ceasefire.errors import IntakeError
from ceasefire.intake import InputFile, ReportDefaults, input_files, jsonl, read_file
from ceasefire.model import Report

PartitionKind = Literal["jsonl", "parquet", "files"]
PARQUET_COLUMNS = (*jsonl.FIELDS,)


@dataclass(frozen=True)
class Partition:
    """One slice of the archive, small enough for one task.

    ``source`` is the file as the user named it (it appears in every rejection); ``read_from``
    is the file actually read, which differs for ``.jsonl.gz`` (unpacked once beside the parts).
    """

    kind: PartitionKind
    source: str
    read_from: str
    first: int  # first line (JSON Lines, from 1) or row (Parquet, from 0)
    count: int  # lines or rows; files for "files"
    offset: int = 0  # byte offset of ``first`` in ``read_from`` (JSON Lines)
    length: int = 0  # bytes (JSON Lines)
    files: tuple[str, ...] = ()
    source_size: int = 0

    @property
    def id(self) -> str:
        """Stable across runs: what the partition holds, not when it was made."""
        key = [self.kind, self.source, self.source_size, self.first, self.count, list(self.files)]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:20]


@dataclass
class ArchivePlan:
    partitions: list[Partition]
    missing: list[IntakeError]  # paths that do not exist, or files that cannot be read at all


def plan_archive(paths: Iterable[str | Path], partition_size: int, unpack_dir: Path) -> ArchivePlan:
    """Cut the archive into partitions of about ``partition_size`` reports.

    Args:
        paths: files and directories (walked recursively, sorted) of the archive.
        partition_size: reports (lines, rows or files) per partition.
        unpack_dir: where ``.jsonl.gz`` files are unpacked once, so workers can seek in them.
    """
    plan = ArchivePlan([], [])
    singles: list[InputFile] = []
    for found in input_files(paths):
        if isinstance(found, IntakeError):
            plan.missing.append(found)
            continue
        path = found.path
        if path is None:
            plan.missing.append(IntakeError("-", "standard input cannot be an archive; name the files"))
            continue
        name = path.name.lower()
        try:
            if name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")):
                plan.partitions += _jsonl_partitions(path, found.size, partition_size, unpack_dir)
            elif name.endswith(".parquet"):
                plan.partitions += _parquet_partitions(path, found.size, partition_size)
            else:
                singles.append(found)
        except IntakeError as unreadable:  # the rest of the archive is still read
            plan.missing.append(unreadable)
    for start in range(0, len(singles), partition_size):
        group = singles[start:start + partition_size]
        files = tuple(str(f.path) for f in group)
        plan.partitions.append(Partition("files", files[0], files[0], start, len(group), files=files,
                                         source_size=sum(f.size for f in group)))
    return plan


def _jsonl_partitions(path: Path, size: int, partition_size: int, unpack_dir: Path) -> list[Partition]:
    read_from = _unpacked(path, size, unpack_dir) if path.name.lower().endswith(".gz") else path
    partitions, first, offset, position, lines = [], 1, 0, 0, 0
    with read_from.open("rb") as stream:
        for line in stream:
            position += len(line)
            lines += 1
            if lines == partition_size:
                partitions.append(Partition("jsonl", str(path), str(read_from), first, lines, offset,
                                            position - offset, source_size=size))
                first, offset, lines = first + lines, position, 0
    if lines:
        partitions.append(Partition("jsonl", str(path), str(read_from), first, lines, offset, position - offset,
                                    source_size=size))
    return partitions


def _unpacked(path: Path, size: int, unpack_dir: Path) -> Path:
    """The gzip file decompressed once; a gzip stream cannot be entered in the middle."""
    key = hashlib.sha256(f"{path.resolve()}\n{size}".encode()).hexdigest()[:16]
    target = unpack_dir / f"{path.name.removesuffix('.gz')}.{key}"
    if target.exists():
        return target
    unpack_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + f".partial-{os.getpid()}")
    try:
        with gzip.open(path, "rb") as packed, partial.open("wb") as plain:
            while block := packed.read(1 << 22):
                plain.write(block)
    except (OSError, EOFError) as exc:
        partial.unlink(missing_ok=True)
        raise IntakeError(path, f"is not a readable gzip file ({exc}); check that it was copied whole") from exc
    partial.rename(target)
    return target


def _parquet_partitions(path: Path, size: int, partition_size: int) -> list[Partition]:
    """Whole row groups where they fit; a row group larger than a partition is split in row ranges."""
    try:
        metadata = pq.ParquetFile(path).metadata
    except (OSError, ValueError) as exc:
        raise IntakeError(path, f"is not a readable Parquet file ({exc})") from exc
    partitions: list[Partition] = []
    first, rows = 0, 0
    for group in range(metadata.num_row_groups):
        group_rows = metadata.row_group(group).num_rows
        if rows and rows + group_rows > partition_size:
            partitions.append(Partition("parquet", str(path), str(path), first, rows, source_size=size))
            first, rows = first + rows, 0
        if group_rows > partition_size:
            for start in range(0, group_rows, partition_size):
                count = min(partition_size, group_rows - start)
                partitions.append(Partition("parquet", str(path), str(path), first + start, count, source_size=size))
            first += group_rows
        else:
            rows += group_rows
    if rows:
        partitions.append(Partition("parquet", str(path), str(path), first, rows, source_size=size))
    return partitions


def read_partition(partition: Partition, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    """The reports and rejections of one partition, in archive order."""
    if partition.kind == "jsonl":
        with open(partition.read_from, "rb") as stream:
            stream.seek(partition.offset)
            lines = stream.read(partition.length).splitlines(keepends=True)
        yield from jsonl.read(lines, partition.source, defaults, first_line=partition.first)
    elif partition.kind == "parquet":
        yield from _parquet_reports(partition, defaults)
    else:
        for name in partition.files:
            yield from read_file(InputFile(Path(name), 0), _NO_STDIN, defaults)


def _parquet_reports(partition: Partition, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    """Each row as the JSON object of its non-empty fields: the same checks and the same
    hash whether an archive was exported as JSON Lines or as Parquet. Rows are numbered from 1."""
    parquet = pq.ParquetFile(partition.read_from)
    columns = [c for c in parquet.schema_arrow.names if c in PARQUET_COLUMNS]
    if "text" not in columns:
        yield IntakeError(partition.source, f"has no 'text' column (columns: {', '.join(parquet.schema_arrow.names)}); "
                          "every row needs the report's text")
        return
    groups, skip = _row_groups(parquet, partition.first, partition.count)
    table = parquet.read_row_groups(groups, columns=columns).slice(skip, partition.count)
    for number, row in enumerate(table.to_pylist(), partition.first + 1):
        try:
            line = _row_line(row)
        except TypeError as exc:
            yield IntakeError(partition.source, str(exc), line=number)
            continue
        yield from jsonl.read([line], partition.source, defaults, first_line=number)


def _row_groups(parquet: pq.ParquetFile, first: int, count: int) -> tuple[list[int], int]:
    """The row groups holding rows [first, first + count), and how many rows to skip in them."""
    groups: list[int] = []
    start, skip = 0, 0
    for group in range(parquet.metadata.num_row_groups):
        rows = parquet.metadata.row_group(group).num_rows
        if start + rows > first and start < first + count:
            if not groups:
                skip = first - start
            groups.append(group)
        start += rows
    return groups, skip


def _row_line(row: dict[str, Any]) -> bytes:
    present = {key: value for key, value in row.items() if value is not None}
    return json.dumps(present, ensure_ascii=False, sort_keys=True, default=_isoformat).encode()


def _isoformat(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"a Parquet value of type {type(value).__name__} cannot be a report field")


class _NoStdin:
    """Archives are files; standard input is never read by a worker."""

    def read(self, _size: int = -1) -> bytes:
        return b""


_NO_STDIN: Any = _NoStdin()
