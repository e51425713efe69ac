"""Reports as received, and the input items refused on the way in."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select

from ceasefire.errors import NotFound
from ceasefire.model import Report, StoredReport
from ceasefire.store import tables
from ceasefire.store.engine import Database, insert
from ceasefire.store.ledger import append
from ceasefire.store.objects import report_object


@dataclass(frozen=True)
class Rejection:
    """An input item that could not become a report, and why."""

    origin: str  # file:line
    reason: str
    received_at: dt.datetime


class Reports(Database):
    def add_reports(
        self, reports: Sequence[Report], source_ids: Sequence[str | None] | None = None
    ) -> list[int | None]:
        """Store reports in one transaction; a report whose bytes are already stored is skipped.

        Returns:
            For each report, its new row id, or ``None`` when it was already stored.
        """
        with self._connect("store reports", lock=True) as conn:
            return insert_reports(conn, reports, source_ids or [None] * len(reports))

    def add_rejection(self, origin: str, reason: str) -> None:
        """Record why an input item was refused; the same refusal twice is kept once."""
        with self._connect("store a rejected item") as conn:
            conn.execute(self._insert(tables.rejections).values(**rejection_row(origin, reason, dt.datetime.now(
                dt.UTC))).on_conflict_do_nothing(index_elements=["sha256"]))

    def count_reports(self) -> int:
        with self._connect("count reports") as conn:
            return conn.execute(select(func.count()).select_from(tables.reports)).scalar_one()

    def reports(self, *, limit: int = 50, offset: int = 0, source: str | None = None,
                since: dt.datetime | None = None) -> list[StoredReport]:
        """Stored reports, newest received first, optionally filtered by outlet or publication time."""
        query = select(tables.reports).order_by(tables.reports.c.id.desc()).limit(limit).offset(offset)
        if source:
            query = query.where(or_(tables.reports.c.source_id == source,
                                    func.lower(tables.reports.c.source) == source.lower()))
        if since:
            query = query.where(tables.reports.c.published >= since)
        with self._connect("list reports") as conn:
            return [StoredReport.model_validate(dict(row._mapping)) for row in conn.execute(query)]

    def report(self, ref: str | int) -> StoredReport:
        """One report by row id or by a prefix of its SHA-256 (at least 6 hex digits).

        Raises:
            NotFound: no report, or the prefix is ambiguous.
        """
        column = tables.reports.c
        ref = str(ref)
        if ref.isdigit() and len(ref) < 6:
            query = select(tables.reports).where(column.id == int(ref))
        else:
            query = select(tables.reports).where(column.sha256.startswith(ref.lower())).limit(2)
        with self._connect("read a report") as conn:
            rows = conn.execute(query).all()
        if len(rows) != 1:
            problem = "matches several reports; give more digits" if rows else "matches no report"
            raise NotFound(f"Report {ref!r} {problem}. List them with `ceasefire reports list`.")
        return StoredReport.model_validate(dict(rows[0]._mapping))

    def rejections(self) -> list[Rejection]:
        r = tables.rejections.c
        with self._connect("list rejected items") as conn:
            return [Rejection(row.origin, row.reason, row.received_at)
                    for row in conn.execute(select(r.origin, r.reason, r.received_at).order_by(r.id))]

    def report_counts(self, by: str) -> list[tuple[str | None, int]]:
        """Number of reports per value of column ``by`` (``format``, ``source_id``, ...)."""
        column = tables.reports.c[by]
        with self._connect("count reports") as conn:
            rows = conn.execute(select(column, func.count()).group_by(column).order_by(func.count().desc()))
            return [(r[0], r[1]) for r in rows]

    def publication_days(self, since: dt.date, until: dt.date) -> dict[dt.date, int]:
        """How many reports were published on each day from ``since`` to ``until`` (days with none are absent)."""
        r = tables.reports.c
        start = dt.datetime.combine(since, dt.time(), dt.UTC)
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
        days: dict[dt.date, int] = {}
        with self._connect("count reports by day") as conn:
            for (published,) in conn.execute(select(r.published).where(r.published >= start, r.published < end)):
                day = published.astimezone(dt.UTC).date()
                days[day] = days.get(day, 0) + 1
        return days


def insert_reports(conn: Connection, reports: Sequence[Report], source_ids: Sequence[str | None]) -> list[int | None]:
    """Insert reports not stored yet, each with its ledger record, in ``conn``'s transaction (which
    holds the writer lock); the new row ids, ``None`` for a report already stored."""
    now = dt.datetime.now(dt.UTC)
    ids: list[int | None] = []
    for report, source_id in zip(reports, source_ids, strict=True):
        row = report.model_dump(mode="python") | {"format": report.format.value, "source_id": source_id,
                                                  "received_at": now}
        stmt = insert(conn.dialect.name, tables.reports).values(**row)
        stmt = stmt.on_conflict_do_nothing(index_elements=["sha256"]).returning(tables.reports.c.id)
        new_id = conn.execute(stmt).scalar()
        if new_id is not None:  # the values inserted hash as the stored row does (verify checks it)
            append(conn, "report", report.sha256, report_object(row))
        ids.append(new_id)
    return ids


def rejection_row(origin: str, reason: str, received_at: dt.datetime) -> dict[str, object]:
    """A rejections row, keyed by the hash of what was refused and why (so a refusal is kept once)."""
    key = hashlib.sha256(f"{origin}\n{reason}".encode()).hexdigest()
    return {"sha256": key, "origin": origin, "reason": reason, "received_at": received_at}
