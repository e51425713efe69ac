"""UCDP GED CSV: each row becomes a report whose event is already coded, mapped onto ACLED's
fields (the project's coded-event shape) with UCDP's own date range and low/best/high deaths kept.

UCDP's types of violence become ACLED's nearest types: state-based and non-state conflict (1, 2)
are Battles / Armed clash, one-sided violence (3) is Violence against civilians / Attack.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, BinaryIO

from ceasefire.errors import IntakeError
from ceasefire.intake.acled import csv_rows
from ceasefire.intake.metadata import ReportDefaults, checked_date, make_report
from ceasefire.model import Report, ReportFormat

REQUIRED = ("id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "country",
            "date_prec", "date_start", "date_end", "best", "low", "high")
SIGNATURE = frozenset({"type_of_violence", "where_prec", "date_prec"})  # columns only UCDP GED has
EVENT_TYPES = {1: ("Battles", "Armed clash"), 2: ("Battles", "Armed clash"),
               3: ("Violence against civilians", "Attack")}
# UCDP where_prec 1-7 -> ACLED geo_precision 1-3; date_prec 1-5 -> ACLED time_precision 1-3
GEO_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}
TIME_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}


def is_ucdp_header(line: bytes) -> bool:
    """True when a CSV header line names UCDP GED's own columns."""
    columns = {c.strip().strip('"').lower() for c in line.decode("utf-8-sig", errors="replace").split(",")}
    return SIGNATURE <= columns


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    """A report for every good row of a UCDP GED CSV file and an ``IntakeError`` (file:line and
    reason) for every bad one; a bad row never stops the rest."""
    for row in csv_rows(stream, origin, REQUIRED, "UCDP GED", "export the GED with its standard columns"):
        if isinstance(row, IntakeError):
            yield row
            continue
        values, raw, line = row
        try:
            yield _report(values, raw, origin, line, defaults)
        except IntakeError as exc:
            yield exc


def _report(values: dict[str, str], raw: bytes, origin: str, line: int, defaults: ReportDefaults) -> Report:
    row = {name: value.strip() for name, value in values.items()}
    try:
        event = coded_event(row)
    except IntakeError as exc:
        raise IntakeError(origin, exc.reason, line=line, field=exc.field) from None
    title = (f"{event['sub_event_type']} in {event['location']} ({event['date_start']}), "
             f"UCDP GED {event['event_id_cnty']}")
    meta = {"title": title, "source": event["source"] or None, "published": event["date_end"]}
    return make_report(ReportFormat.UCDP, raw=raw, text=row.get("source_headline") or title, meta=meta,
                       origin=origin, defaults=defaults, line=line, structured=event)


def coded_event(row: dict[str, str]) -> dict[str, Any]:
    """A GED row as the project's coded event (ACLED's field names, plus UCDP's range and deaths).

    Raises:
        IntakeError: naming the field that is missing, not a number, out of range or not a date.
    """
    violence = _integer(row, "type_of_violence", 1, 3)
    start, end = _day(row, "date_start"), _day(row, "date_end")
    if end < start:
        raise IntakeError("", f"field 'date_end' ({end}) is before 'date_start' ({start})", field="date_end")
    low, best, high = (_integer(row, name, 0, 10**6) for name in ("low", "best", "high"))
    if not low <= best <= high:
        raise IntakeError("", f"deaths are not ordered low <= best <= high ({low}, {best}, {high})", field="best")
    event_type, sub_event_type = EVENT_TYPES[violence]
    return {
        "event_id_cnty": row["id"], "event_date": start.isoformat(), "date_start": start.isoformat(),
        "date_end": end.isoformat(), "time_precision": TIME_PRECISION[_integer(row, "date_prec", 1, 5)],
        "event_type": event_type, "sub_event_type": sub_event_type, "actor1": row["side_a"], "actor2": row["side_b"],
        "country": row["country"], "admin1": row.get("adm_1", ""),
        "location": row.get("where_coordinates") or row.get("where_description") or row["country"],
        "latitude": _number(row, "latitude", -90, 90), "longitude": _number(row, "longitude", -180, 180),
        "geo_precision": GEO_PRECISION[_integer(row, "where_prec", 1, 7)],
        "fatalities": low, "deaths_low": low, "deaths_best": best, "deaths_high": high, "coded_by": "UCDP",
        "source": row.get("source_office") or row.get("source_original", ""), "tags": "",
    }


def _number(row: dict[str, str], name: str, low: float, high: float) -> float:
    if not row[name]:
        raise IntakeError("", f"field {name!r} is empty; UCDP GED rows carry it", field=name)
    try:
        value = float(row[name])
    except ValueError:
        raise IntakeError("", f"field {name!r} is {row[name][:40]!r}, expected a number", field=name) from None
    if not low <= value <= high:
        raise IntakeError("", f"field {name!r} is {value:g}, outside {low:g}..{high:g}", field=name)
    return value


def _integer(row: dict[str, str], name: str, low: int, high: int) -> int:
    value = _number(row, name, low, high)
    if value != int(value):
        raise IntakeError("", f"field {name!r} is {value:g}, expected a whole number", field=name)
    return int(value)


def _day(row: dict[str, str], name: str) -> dt.date:
    text = row[name][:10]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise IntakeError("", f"field {name!r} is {row[name][:40]!r}, not a date (expected YYYY-MM-DD)",
                          field=name) from None
    return checked_date(day, "", name)
