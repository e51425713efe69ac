"""JSON Lines: one report object per line, streamed so a large file needs little memory."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import BinaryIO, cast

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import (
    MAX_REPORT_BYTES,
    META_FIELDS,
    ReportDefaults,
    check_keys,
    make_report,
    read_line,
)
from ceasefire.intake.observers import canonical_submission, is_submission
from ceasefire.model import Report, ReportFormat

FIELDS = (*META_FIELDS, "text", "observer", "signature")


def read(
    stream: BinaryIO | Iterable[bytes], origin: str, defaults: ReportDefaults, first_line: int = 1
) -> Iterator[Report | IntakeError]:
    """Reports and rejections of each line; ``first_line`` numbers a slice of a larger file."""
    for number, line in enumerate(_lines(stream), first_line):
        raw = line.rstrip(b"\r\n")
        if not raw.strip():
            continue
        try:
            yield _report(raw, origin, number, defaults)
        except IntakeError as exc:
            yield exc


def _lines(stream: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    """Lines of at most MAX_REPORT_BYTES; a longer one is read no further and comes as b"!" (refused)."""
    if not hasattr(stream, "readline"):
        yield from (line if len(line) <= MAX_REPORT_BYTES else b"!" for line in stream)
        return
    while (line := read_line(cast(BinaryIO, stream), MAX_REPORT_BYTES)) != b"":
        yield b"!" if line is None else line


def _report(raw: bytes, origin: str, line: int, defaults: ReportDefaults) -> Report:
    if raw == b"!":
        raise IntakeError(origin, f"is longer than the limit of {MAX_REPORT_BYTES:,} bytes for one report",
                          line=line)
    try:
        item = json.loads(raw)
    except RecursionError:
        raise IntakeError(origin, "is JSON nested too deeply to read", line=line) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise IntakeError(origin, f"is not valid JSON ({exc.__class__.__name__}: {exc}); "
                          "each line must be one complete JSON object", line=line) from None
    if not isinstance(item, dict):
        raise IntakeError(origin, f"is a JSON {type(item).__name__}, expected an object with a 'text' field",
                          line=line)
    check_keys(item, origin, FIELDS, line=line)
    if not isinstance(item.get("text"), str):
        raise IntakeError(origin, "field 'text' is missing or not a string; every line needs the report's text",
                          line=line)
    if is_submission(item):  # stored as signed: canonical JSON, whatever the line's key order, spacing or escapes
        raw = canonical_submission(item, origin, line)
    return make_report(ReportFormat.JSONL, raw=raw, text=item["text"], meta=item, origin=origin, defaults=defaults,
                       line=line)
