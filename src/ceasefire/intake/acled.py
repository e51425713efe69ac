"""ACLED CSV exports: each row becomes a report whose event is already coded."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any, BinaryIO

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import MAX_REPORT_BYTES, ReportDefaults, checked_date, make_report, read_line
from ceasefire.model import ACLED_EVENT_TYPES, Report, ReportFormat

COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
    "timestamp",
)
INTEGERS = ("year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision",
            "fatalities", "timestamp")
RANGES = {"time_precision": (1, 3), "geo_precision": (1, 3), "fatalities": (0, 10**6),
          "latitude": (-90, 90), "longitude": (-180, 180), "inter1": (0, 8), "inter2": (0, 8)}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y")


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    for row in csv_rows(stream, origin, COLUMNS, "ACLED", "export from ACLED with all 31 columns"):
        if isinstance(row, IntakeError):
            yield row
            continue
        values, raw, line = row
        try:
            yield _report(values, raw, origin, line, defaults)
        except IntakeError as exc:
            yield exc


CsvRow = tuple[dict[str, str], bytes, int]
"""A row's values by (lower-case) column, its raw bytes and its first line number."""


def csv_rows(stream: BinaryIO, origin: str, required: tuple[str, ...], kind: str,
             fix: str) -> Iterator[CsvRow | IntakeError]:
    """Each row of a coded-event CSV file with its raw bytes, or an ``IntakeError`` naming its line;
    a row that cannot be read never stops the rows after it."""
    lines = _RawLines(stream)
    reader = csv.reader(lines)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, UnicodeDecodeError, csv.Error):
        yield IntakeError(origin, "is empty or not a UTF-8 CSV file", line=1)
        return
    missing = [c for c in required if c not in header]
    if missing:
        yield IntakeError(origin, f"is missing {kind} columns {', '.join(missing)}; {fix}", line=1)
        return
    while True:
        lines.mark()
        try:
            values = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:  # the reader starts afresh on the next line
            yield IntakeError(origin, f"row cannot be read as CSV ({exc})", line=lines.start)
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            yield IntakeError(origin, f"has {len(values)} fields, the header has {len(header)}; check for an "
                              "unquoted comma", line=lines.start)
            continue
        yield dict(zip(header, values, strict=True)), lines.taken(), lines.start


class _RawLines:
    """Feeds decoded lines to ``csv.reader`` while keeping each row's raw bytes and first line."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.number, self.start, self.buffer = stream, 0, 1, b""

    def __iter__(self) -> _RawLines:
        return self

    def __next__(self) -> str:
        line = read_line(self.stream, MAX_REPORT_BYTES)
        if line == b"":
            raise StopIteration
        self.number += 1
        if line is None:
            raise csv.Error(f"line {self.number} is longer than the limit of {MAX_REPORT_BYTES:,} bytes")
        self.buffer += line
        return line.decode("utf-8-sig")

    def mark(self) -> None:
        self.start, self.buffer = self.number + 1, b""

    def taken(self) -> bytes:
        return self.buffer.rstrip(b"\r\n")


def _report(row: dict[str, str], raw: bytes, origin: str, line: int, defaults: ReportDefaults) -> Report:
    try:
        event = _typed(row, origin)
    except IntakeError as exc:
        raise IntakeError(origin, exc.reason, line=line, field=exc.field) from None
    title = f"{event['sub_event_type']} in {event['location']}, {event['admin1']} ({event['event_date']})"
    meta = {"title": title, "source": event["source"] or None,
            "published": _modified(event["timestamp"], origin, line) if event["timestamp"] else event["event_date"]}
    text = event["notes"] or title
    return make_report(ReportFormat.ACLED, raw=raw, text=text, meta=meta, origin=origin, defaults=defaults,
                       line=line, structured=event)


def _typed(row: dict[str, str], origin: str) -> dict[str, Any]:
    event: dict[str, Any] = {c: row[c].strip() for c in COLUMNS}
    for column in INTEGERS:
        event[column] = _number(event[column], column, origin, int)
    for column in ("latitude", "longitude"):
        event[column] = _number(event[column], column, origin, float)
        if event[column] is None:
            raise IntakeError(origin, f"field {column!r} is empty; ACLED rows carry coordinates")
    for column, (low, high) in RANGES.items():
        value = event[column]
        if value is not None and not low <= value <= high:
            raise IntakeError(origin, f"field {column!r} is {value}, outside {low}..{high}")
    event["event_date"] = _date(event["event_date"], origin).isoformat()
    subs = ACLED_EVENT_TYPES.get(event["event_type"])
    if subs is None:
        raise IntakeError(origin, f"field 'event_type' is {event['event_type']!r}; expected one of "
                          f"{', '.join(ACLED_EVENT_TYPES)}")
    if event["sub_event_type"] not in subs:
        raise IntakeError(origin, f"field 'sub_event_type' {event['sub_event_type']!r} is not a sub-type of "
                          f"{event['event_type']!r}; expected one of {', '.join(subs)}")
    return event


def _number(text: str, column: str, origin: str, kind: type) -> Any:
    if not text:
        return None
    try:
        return kind(float(text)) if kind is int and "." in text else kind(text)
    except (ValueError, OverflowError):
        raise IntakeError(origin, f"field {column!r} is {text[:40]!r}, expected a number") from None


def _date(text: str, origin: str) -> dt.date:
    for fmt in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return checked_date(day, origin, "event_date")
    raise IntakeError(origin, f"field 'event_date' is {text[:40]!r}, not a real date (expected YYYY-MM-DD)")



def _modified(seconds: int, origin: str, line: int) -> dt.datetime:
    """ACLED's ``timestamp`` (seconds since 1970, when the row last changed) as a time."""
    try:
        when = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise IntakeError(origin, f"field 'timestamp' is {seconds}, not a time (seconds since 1970)", line=line,
                          field="timestamp") from None
    return checked_date(when, origin, "timestamp", line)
