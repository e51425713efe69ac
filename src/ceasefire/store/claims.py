"""Claims extracted from reports, with the record of which extractor version did each report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from ceasefire.model import Claim, ClaimRef, ClaimSource, ReportFormat, StoredReport
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.ledger import append


@dataclass(frozen=True)
class StoredClaim:
    id: int
    report_id: int
    claim: Claim


class Claims(Database):
    def reports_to_extract(self, extractor: str, *, since: dt.datetime | None = None, batch: int = 200,
                           agreement: str | None = None) -> Iterator[StoredReport]:
        """Reports not yet extracted by this extractor version, oldest first, read in batches;
        with ``agreement``, only that agreement's reports (and those ingested for none)."""
        r, e = tables.reports, tables.extractions
        last = 0
        while True:
            query = (select(r).outerjoin(e, e.c.report_id == r.c.id)
                     .where(or_(e.c.report_id.is_(None), e.c.extractor != extractor), r.c.id > last,
                            *_of_agreement(agreement))
                     .order_by(r.c.id).limit(batch))
            if since is not None:
                query = query.where(r.c.received_at >= since)
            with self._connect("list reports to extract") as conn:
                rows = [StoredReport.model_validate(dict(row._mapping)) for row in conn.execute(query)]
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def has_unextracted_reports(self) -> bool:
        """Whether a stored report was never extracted (say, a process was killed just after storing it)."""
        r, e = tables.reports, tables.extractions
        with self._connect("look for reports to extract") as conn:
            return conn.execute(select(r.c.id).where(~select(e.c.report_id).where(e.c.report_id == r.c.id).exists())
                                .limit(1)).first() is not None

    def adopt_reports(self, agreement: str) -> int:
        """Give the reports ingested for no agreement to this one (the first to extract them)."""
        r = tables.reports
        with self._connect("assign reports to an agreement", lock=True) as conn:
            return conn.execute(r.update().where(r.c.agreement_id.is_(None)).values(agreement_id=agreement)).rowcount

    def save_claims(self, report_id: int, extractor: str, claims: Sequence[Claim]) -> None:
        """Replace a report's claims with these, in one transaction with the extraction record."""
        rows = [_claim_row(report_id, claim) for claim in claims]
        record = {"report_id": report_id, "extractor": extractor, "claims": len(claims),
                  "extracted_at": dt.datetime.now(dt.UTC)}
        with self._connect("store claims", lock=True) as conn:
            conn.execute(tables.claims.delete().where(tables.claims.c.report_id == report_id))
            if rows:
                conn.execute(tables.claims.insert(), rows)
            stmt = self._insert(tables.extractions).values(**record)
            conn.execute(stmt.on_conflict_do_update(index_elements=["report_id"], set_=record))
            sha = conn.execute(select(tables.reports.c.sha256).where(tables.reports.c.id == report_id)).scalar_one()
            append(conn, "claims", sha, [r["payload"] for r in rows])

    def claims(self, *, report_id: int | None = None, kind: str | None = None) -> list[StoredClaim]:
        query = select(tables.claims).order_by(tables.claims.c.report_id, tables.claims.c.idx)
        if report_id is not None:
            query = query.where(tables.claims.c.report_id == report_id)
        if kind is not None:
            query = query.where(tables.claims.c.kind == kind)
        with self._connect("list claims") as conn:
            return [StoredClaim(id=row.id, report_id=row.report_id, claim=Claim.model_validate(row.payload))
                    for row in conn.execute(query)]

    def claim_counts(self) -> list[tuple[str, int]]:
        column = tables.claims.c.kind
        with self._connect("count claims") as conn:
            rows = conn.execute(select(column, func.count()).group_by(column).order_by(column))
            return [(r[0], r[1]) for r in rows]

    def claims_with_sources(self, kinds: Sequence[str],
                            agreement: str | None = None) -> list[tuple[ClaimRef, Claim, ClaimSource]]:
        """Claims of these kinds with what clustering needs of their reports; with ``agreement``,
        only the claims of that agreement's reports (and of those ingested for none)."""
        c, r = tables.claims, tables.reports
        query = (select(c.c.payload, r.c.sha256, r.c.text, r.c.source_id, r.c.source, r.c.format, r.c.published)
                 .join(r, r.c.id == c.c.report_id).where(c.c.kind.in_(list(kinds)), *_of_agreement(agreement))
                 .order_by(c.c.id))
        found = []
        with self._connect("read claims") as conn:
            for row in conn.execute(query):
                claim = Claim.model_validate(row.payload)
                source = ClaimSource(report_sha256=row.sha256, text=row.text, source_id=row.source_id,
                                     source_name=row.source, format=ReportFormat(row.format),
                                     published=row.published.isoformat() if row.published else "")
                found.append((ClaimRef(report_sha256=row.sha256, index=claim.index), claim, source))
        return found

    def claim_places(self, since: dt.date, until: dt.date) -> list[tuple[str | None, float, float]]:
        """(area id, latitude, longitude) of every located claim dated within ``since``..``until``."""
        c = tables.claims.c
        query = select(c.area_id, c.latitude, c.longitude).where(
            c.latitude.is_not(None), c.longitude.is_not(None), c.earliest <= until, c.latest >= since)
        with self._connect("read claim places") as conn:
            return [(row.area_id, row.latitude, row.longitude) for row in conn.execute(query)]


def _of_agreement(agreement: str | None) -> list[ColumnElement[bool]]:
    """Reports of this agreement, and reports ingested for none (which the first agreement to
    extract them takes); every report when no agreement is given."""
    r = tables.reports.c
    return [or_(r.agreement_id == agreement, r.agreement_id.is_(None))] if agreement else []


def _claim_row(report_id: int, claim: Claim) -> dict[str, Any]:
    place, date = claim.place, claim.date
    return {
        "report_id": report_id, "idx": claim.index, "kind": claim.kind.value, "event_type": claim.event_type,
        "sub_event_type": claim.sub_event_type,
        "earliest": date.earliest if date else None, "latest": date.latest if date else None,
        "time_precision": date.time_precision if date else None,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "geo_precision": place.geo_precision if place else None, "area_id": place.area_id if place else None,
        "fatalities": claim.fatalities.low if claim.fatalities else None,
        "payload": claim.model_dump(mode="json"),
    }
