"""Intake: source material in any supported format -> Reports (DESIGN.md §5 Intake).

One module per format. Each ``read(stream, origin, defaults)`` yields a ``Report`` for every
good item and an ``IntakeError`` for every bad one, so one broken item never stops a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ceasefire.errors import IntakeError
from ceasefire.intake import acled, feed, html, jsonl, text, ucdp
from ceasefire.intake.metadata import ReportDefaults, parse_timestamp, sha256
from ceasefire.model import Report

Reader = Callable[[BinaryIO, str, ReportDefaults], Iterator[Report | IntakeError]]


def coded_csv(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    """ACLED or UCDP GED CSV, told apart by the columns of the header line."""
    header = stream.readline()
    stream.seek(0)
    reader = ucdp.read if ucdp.is_ucdp_header(header) else acled.read
    yield from reader(stream, origin, defaults)


READERS: dict[str, Reader] = {
    ".txt": text.read, ".md": text.read, ".markdown": text.read,
    ".html": html.read, ".htm": html.read,
    ".jsonl": jsonl.read, ".ndjson": jsonl.read,
    ".rss": feed.read, ".atom": feed.read, ".xml": feed.read,
    ".csv": coded_csv,
}
STDIN = "-"


@dataclass(frozen=True)
class InputFile:
    """One file to read (or standard input), with its size for progress."""

    path: Path | None
    size: int

    @property
    def origin(self) -> str:
        return str(self.path) if self.path else "<stdin>"


def input_files(paths: Iterable[str | Path]) -> Iterator[InputFile | IntakeError]:
    """Every file named, directories walked recursively in sorted order; hidden files skipped."""
    for name in paths:
        if str(name) == STDIN:
            yield InputFile(None, 0)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield InputFile(child, child.stat().st_size)
        elif path.is_file():
            yield InputFile(path, path.stat().st_size)
        else:
            yield IntakeError(path, "does not exist; check the path")


def read_file(item: InputFile, stdin: BinaryIO, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    """The reports and rejections in one input file (standard input is JSON Lines)."""
    if item.path is None:
        yield from jsonl.read(stdin, item.origin, defaults)
        return
    reader = READERS.get(item.path.suffix.lower())
    if reader is None:
        yield IntakeError(item.path, f"has an unsupported file type {item.path.suffix or '(none)'!r}; "
                          f"supported: {', '.join(sorted(READERS))}")
        return
    try:
        with item.path.open("rb") as stream:
            yield from reader(stream, item.origin, defaults)
    except OSError as exc:
        yield IntakeError(item.path, f"cannot be read: {exc.strerror}")


__all__ = ["READERS", "InputFile", "ReportDefaults", "input_files", "parse_timestamp", "read_file", "sha256"]
