"""Incidents, their assessments and the claims they were clustered from; and the map's and the
counts' reads, whose SQL store/query.py builds from an :class:`IncidentQuery`."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, text

from ceasefire.errors import NotFound
from ceasefire.ledger import DELETED, digest
from ceasefire.model import Assessment, Claim, ClaimRef, Incident, Role, StoredReport
from ceasefire.store import tables
from ceasefire.store.engine import Database
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.ledger import Change, append_many, latest_hashes
from ceasefire.store.query import (
    FINDINGS,
    READ_TIMEOUT,
    Cancel,
    PageKey,
    findings_per_clause,
    incident_actor_rows,
    incident_page,
    matching,
    time_limit,
    verdict_totals,
    violations_per_day,
    violations_per_party,
)
from ceasefire.store.reviews import Review, review_of

ANALYZE_AFTER = 10_000  # incidents written at once


@dataclass(frozen=True)
class StoredIncident:
    """An incident with its automatic verdict and, when an analyst decided, the review that wins."""

    incident: Incident
    automatic: str | None
    confidence: float | None
    review: Review | None
    clauses: set[str]

    @property
    def verdict(self) -> str | None:
        return self.review.verdict if self.review else self.automatic


@dataclass(frozen=True)
class IncidentPoint:
    """One row of the map's list: the incident's cheap columns and the verdict that wins."""

    id: str
    latitude: float | None
    longitude: float | None
    earliest: dt.date
    latest: dt.date
    event_type: str | None
    sub_event_type: str | None
    corroboration: int
    confidence: float | None
    place_name: str | None
    perpetrator: str | None  # a pack actor id, or the words naming one the pack does not know
    verdict: str | None  # the review's verdict, else the automatic one
    reviewed: str | None  # the review's verdict, None when no analyst reviewed it
    incident: Incident | None = None  # only when asked for
    area_id: str | None = None  # the pack area the place is in or is
    geo_precision: int | None = None  # 1 exact, 2 near a place or in a district, 3 a region or the country


class Incidents(Database):
    read_timeout: float = READ_TIMEOUT  # seconds one public read (map, lists, counts) may run
    _span: tuple[float, dt.timedelta] | None = None  # (when read, longest incident span)

    def placements(self, agreement: str | None = None) -> dict[ClaimRef, str]:
        """Which incident each claim joined on earlier runs (with ``agreement``: of its reports)."""
        t = tables.incident_claims
        with self._connect("read incident membership") as conn:
            others = _of_other_agreements(conn, agreement)
            return {ClaimRef(report_sha256=row.report_sha256, index=row.claim_idx): row.incident_id
                    for row in conn.execute(select(t)) if row.incident_id not in others}

    def home_incidents(self, agreement: str) -> set[str]:
        """Ids of the incidents clustered from this agreement's reports (or from reports of none)."""
        with self._connect("read an agreement's incidents") as conn:
            others = _of_other_agreements(conn, agreement)
            return {row.id for row in conn.execute(select(tables.incidents.c.id))} - others

    def save_incidents(self, incidents: Sequence[Incident], agreement: str | None = None) -> None:
        """Write incidents and their membership in one transaction (replacing the previous state);
        with ``agreement``, the incidents of other agreements' reports are left as they are."""
        self._span = None  # the longest incident span may grow
        now = dt.datetime.now(dt.UTC)
        with self._connect("store incidents", lock=True) as conn:
            others = _of_other_agreements(conn, agreement)
            recorded = {k: h for k, h in latest_hashes(conn, "incident").items() if k not in others}
            changes: list[Change] = []
            for incident in incidents:
                hashed = digest(incident.model_dump(mode="json"))
                if recorded.get(incident.id) != hashed:
                    changes.append(("incident", incident.id, hashed))
            gone = set(recorded) - {i.id for i in incidents} - {k for k, h in recorded.items() if h == DELETED}
            assessed = latest_hashes(conn, "assessments") if gone else {}
            for incident_id in sorted(gone):  # its assessments go with it, below
                changes.append(("incident", incident_id, DELETED))
                if assessed.get(incident_id, DELETED) != DELETED:
                    changes.append(("assessments", incident_id, DELETED))
            append_many(conn, changes)
            conn.execute(tables.incident_claims.delete().where(tables.incident_claims.c.incident_id.not_in(others)))
            conn.execute(tables.incident_actors.delete().where(tables.incident_actors.c.incident_id.not_in(others)))
            for incident in incidents:
                row = _incident_row(incident) | {"updated_at": now}
                stmt = self._insert(tables.incidents).values(**row)
                update = {k: v for k, v in row.items() if k not in ("id", "verdict", "confidence")}
                conn.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=update))
            members = [{"report_sha256": ref.report_sha256, "claim_idx": ref.index, "incident_id": i.id}
                       for i in incidents for ref in i.claims]
            if members:
                conn.execute(tables.incident_claims.insert(), members)
            if named := incident_actor_rows(list(incidents)):
                conn.execute(tables.incident_actors.insert(), named)
            kept = [i.id for i in incidents] + sorted(others)
            conn.execute(tables.assessments.delete().where(tables.assessments.c.incident_id.not_in(kept)))
            conn.execute(tables.incidents.delete().where(tables.incidents.c.id.not_in(kept)))
            if len(incidents) >= ANALYZE_AFTER:
                conn.execute(text("ANALYZE incidents"))  # fresh statistics, or the planner misjudges the map query

    def incidents(self, query: IncidentQuery | None = None) -> list[StoredIncident]:
        """The incidents ``query`` asks for (all of them without one), newest first."""
        return list(self.iter_incidents(query))

    def incident(self, incident_id: str) -> StoredIncident:
        found = self.incidents(IncidentQuery(id=incident_id))
        if not found:
            raise NotFound(f"No incident {incident_id!r}. List them with `ceasefire incidents list`.")
        return found[0]

    def iter_incidents(self, query: IncidentQuery | None = None, *, batch: int = 1000) -> Iterator[StoredIncident]:
        """The incidents ``query`` asks for, newest first, read through one streaming cursor
        (server-side on PostgreSQL) ``batch`` rows at a time, so memory stays flat however many
        there are: what exports use."""
        query = query or IncidentQuery()
        a, r, i = tables.assessments, tables.reviews, tables.incidents.c
        stmt = matching(query, i.id, i.payload, "automatic", "confidence", **self._planning(query))
        with self._connect("stream incidents") as conn:
            result = conn.execution_options(yield_per=batch).execute(stmt.order_by(i.earliest.desc(), i.id))
            for rows in result.partitions():
                ids = [row.id for row in rows]
                clauses: dict[str, set[str]] = {}
                under = [a.c.agreement_id == query.agreement] if query.agreement else []
                for row in conn.execute(select(a.c.incident_id, a.c.clause_id).where(
                        a.c.incident_id.in_(ids), a.c.clause_id.is_not(None), a.c.verdict.in_(FINDINGS), *under)):
                    clauses.setdefault(row.incident_id, set()).add(row.clause_id)
                reviews = {row.incident_id: review_of(row) for row in conn.execute(  # the last one wins
                    select(r).where(r.c.incident_id.in_(ids)).order_by(r.c.id))}
                for row in rows:
                    yield StoredIncident(Incident.model_validate(row.payload), row.automatic, row.confidence,
                                         reviews.get(row.id), clauses.get(row.id, set()))

    def save_assessments(self, assessments: Sequence[Assessment]) -> None:
        """Replace the automatic assessments of the incidents given under their agreement (analyst
        reviews, and the assessments of other agreements, are kept). An incident's rows are kept in
        agreement order; the incident's own verdict column copies the first overall one."""
        by_incident: dict[str, list[Assessment]] = {}
        for assessment in assessments:
            by_incident.setdefault(assessment.incident_id, []).append(assessment)
        a = tables.assessments
        with self._connect("store assessments", lock=True) as conn:
            recorded = latest_hashes(conn, "assessments", list(by_incident))
            changes: list[Change] = []
            for incident_id, found in by_incident.items():
                replaced = {x.agreement_id for x in found}
                kept = [Assessment.model_validate(row.payload) for row in conn.execute(
                    select(a.c.payload).where(a.c.incident_id == incident_id).order_by(a.c.id))]
                rows = sorted([x for x in kept if x.agreement_id not in replaced] + found, key=lambda x: x.agreement_id)
                conn.execute(a.delete().where(a.c.incident_id == incident_id))
                payloads = [x.model_dump(mode="json") for x in rows]
                conn.execute(a.insert(), [
                    {"incident_id": incident_id, "clause_id": x.clause_id, "reading_id": x.reading_id,
                     "verdict": x.verdict.value, "confidence": x.confidence, "payload": payload,
                     "agreement_id": x.agreement_id} for x, payload in zip(rows, payloads, strict=True)])
                if recorded.get(incident_id) != (hashed := digest(payloads)):
                    changes.append(("assessments", incident_id, hashed))
                overall = next(x for x in rows if x.clause_id is None)
                conn.execute(tables.incidents.update().where(tables.incidents.c.id == incident_id).values(
                    verdict=overall.verdict.value, confidence=overall.confidence))
            append_many(conn, changes)

    def assessments(self, incident_id: str, agreement: str | None = None) -> list[Assessment]:
        """An incident's assessments, the overall one first (with ``agreement``: under it alone)."""
        a = tables.assessments
        under = [a.c.agreement_id == agreement] if agreement else []
        with self._connect("read assessments") as conn:
            rows = conn.execute(select(a.c.payload).where(a.c.incident_id == incident_id, *under).order_by(a.c.id))
            return [Assessment.model_validate(r.payload) for r in rows]

    def overall_assessment(self, incident_id: str, agreement: str | None = None) -> Assessment:
        self.incident(incident_id)
        found = next((a for a in self.assessments(incident_id, agreement) if a.clause_id is None), None)
        if found is None:
            raise NotFound(f"Incident {incident_id} has no assessment yet. Run `ceasefire assess` first.")
        return found

    def incident_evidence(self, incident_id: str) -> list[tuple[StoredReport, Claim]]:
        """Each claim of an incident beside the report it came from."""
        c, r, m = tables.claims, tables.reports, tables.incident_claims
        query = (select(r, c.c.payload.label("claim_payload")).join(c, c.c.report_id == r.c.id)
                 .join(m, (m.c.report_sha256 == r.c.sha256) & (m.c.claim_idx == c.c.idx))
                 .where(m.c.incident_id == incident_id).order_by(r.c.published, c.c.idx))
        with self._connect("read an incident's claims") as conn:
            rows = conn.execute(query).all()
        return [(StoredReport.model_validate({k: v for k, v in row._mapping.items() if k != "claim_payload"}),
                 Claim.model_validate(row.claim_payload)) for row in rows]

    def incident_dates(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day any incident covers."""
        i = tables.incidents
        with self._connect("read incident dates") as conn:
            first, last = conn.execute(select(func.min(i.c.earliest), func.max(i.c.latest))).one()
        return first, last

    def longest_incident_span(self) -> dt.timedelta:
        """The longest earliest..latest range of any incident, re-read at most once a minute."""
        now = time.monotonic()
        if self._span is None or now - self._span[0] > 60:
            i = tables.incidents
            if self.engine.dialect.name == "sqlite":
                days = func.max(func.julianday(i.c.latest) - func.julianday(i.c.earliest))
            else:
                days = func.max(i.c.latest - i.c.earliest)
            with self._connect("read incident spans") as conn:
                found = conn.execute(select(days)).scalar()
            self._span = (now, dt.timedelta(days=int(found or 0) + 1))
        return self._span[1]

    # -- the map's and the counts' reads, each stopped after read_timeout ----------

    def incident_points(self, query: IncidentQuery, *, with_payload: bool = False, after: PageKey | None = None,
                        limit: int = 1000, offset: int = 0, cancel: Cancel | None = None) -> list[IncidentPoint]:
        """The map's query: one page of the incidents ``query`` asks for, newest first, with the
        verdict that wins (an analyst's review over the automatic one) and ``reviewed`` (the
        review's verdict, or None). The whole incident comes only when asked for (``with_payload``)."""
        stmt = incident_page(query, with_payload=with_payload, after=after, limit=limit, offset=offset,
                             **self._planning(query))
        return [_point(row, with_payload) for row in self._read("query the map", stmt, cancel)]

    def is_public(self, incident_id: str) -> bool:
        """Whether the public may see this incident (False too when there is no such incident)."""
        query = IncidentQuery(id=incident_id, published_only=True)
        return bool(self._read("check an incident is published",
                               matching(query, tables.incidents.c.id, **self._planning(query))))

    def violations_per_day(self, query: IncidentQuery, cancel: Cancel | None = None
                           ) -> list[tuple[dt.date, str, int]]:
        """(day, responsible party, count) of the violations among the incidents ``query`` asks for."""
        rows = self._read("count violations per day", violations_per_day(query, **self._planning(query)), cancel)
        return [(row.earliest, row.party, row.n) for row in rows]

    def violations_per_party(self, query: IncidentQuery, cancel: Cancel | None = None) -> dict[str, int]:
        """Violations per responsible party among the incidents ``query`` asks for."""
        rows = self._read("count violations per party", violations_per_party(query, **self._planning(query)), cancel)
        return {row.party: row.n for row in rows}

    def verdict_totals(self, query: IncidentQuery, cancel: Cancel | None = None) -> dict[str | None, int]:
        """Incidents per winning verdict (None: not assessed) among those ``query`` asks for."""
        rows = self._read("count incidents per verdict", verdict_totals(query, **self._planning(query)), cancel)
        return {row.verdict: row.n for row in rows}

    def findings_per_clause(self, query: IncidentQuery, cancel: Cancel | None = None
                            ) -> list[tuple[str, str | None, str, int]]:
        """(clause, reading or None for any reading, winning verdict, count) of the incidents found to
        violate a clause (see :func:`ceasefire.store.query.findings_per_clause`)."""
        rows = self._read("count findings per clause", findings_per_clause(query, **self._planning(query)), cancel)
        return [(row.clause_id, row.reading_id, row.verdict, row.n) for row in rows]

    def _planning(self, query: IncidentQuery) -> dict[str, Any]:
        span = self.longest_incident_span() if query.since else dt.timedelta(0)
        return {"span": span, "sqlite": self.engine.dialect.name == "sqlite"}

    def _read(self, doing: str, stmt: Any, cancel: Cancel | None = None) -> list[Any]:
        """The rows of a public read, stopped after ``read_timeout`` seconds or when ``cancel`` trips."""
        with self._connect(doing) as conn, time_limit(conn, self.read_timeout, cancel):
            return list(conn.execute(stmt))


def _of_other_agreements(conn: Connection, agreement: str | None) -> set[str]:
    """Incidents clustered from the reports of agreements other than this one (none without one)."""
    if agreement is None:
        return set()
    m, r = tables.incident_claims.c, tables.reports.c
    query = (select(m.incident_id).distinct().join(tables.reports, r.sha256 == m.report_sha256)
             .where(r.agreement_id.is_not(None), r.agreement_id != agreement))
    return {row.incident_id for row in conn.execute(query)}


def _point(row: Any, with_payload: bool) -> IncidentPoint:
    return IncidentPoint(row.id, row.latitude, row.longitude, row.earliest, row.latest, row.event_type,
                         row.sub_event_type, row.corroboration, row.confidence, row.place_name, row.perpetrator,
                         row.verdict, row.reviewed, Incident.model_validate(row.payload) if with_payload else None,
                         row.area_id, row.geo_precision)


def _incident_row(incident: Incident) -> dict[str, Any]:
    place = incident.place
    return {
        "id": incident.id, "event_type": incident.event_type, "sub_event_type": incident.sub_event_type,
        "earliest": incident.date.earliest, "latest": incident.date.latest,
        "latitude": place.latitude if place else None, "longitude": place.longitude if place else None,
        "admin1": place.admin1 if place else None, "area_id": place.area_id if place else None,
        "corroboration": incident.corroboration, "payload": incident.model_dump(mode="json"),
        "place_name": place.name if place else None, "perpetrator": _perpetrator(incident),
    }


def _perpetrator(incident: Incident) -> str | None:
    actor = next(iter(incident.actors_in(Role.PERPETRATOR)), None)
    return (actor.actor_id or actor.evidence.text) if actor else None
