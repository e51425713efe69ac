"""The rows list commands print, one small model per list, and the table each shows a reader.

``IncidentRow`` is the object ``/api/v1/incidents`` lists (tests/test_cli.py compares them), so a
script can move between the command line and the API without renaming a field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from ceasefire.cli.listing import Column, Listing
from ceasefire.model import AgreementPack, Role, StoredReport, Verdict
from ceasefire.publish.palette import place_precision
from ceasefire.store import Rejection, StoredIncident

NOT_ASSESSED: Literal["NOT_ASSESSED"] = "NOT_ASSESSED"


class IncidentRow(BaseModel):
    """An incident as /api/v1/incidents lists it: dates, place, winning verdict, perpetrator's name."""

    model_config = ConfigDict(frozen=True)

    id: str
    date: dt.date
    latest: dt.date
    verdict: Verdict | Literal["NOT_ASSESSED"]
    reviewed: bool
    event_type: str | None
    sub_event_type: str | None
    place: str
    perpetrator: str
    confidence: float | None
    corroboration: int
    geo_precision: int
    uncertainty_km: float
    latitude: float | None  # None for an incident with no known place, which the API does not list
    longitude: float | None


def incident_row(stored: StoredIncident, pack: AgreementPack) -> IncidentRow:
    incident, place = stored.incident, stored.incident.place
    actor = next(iter(incident.actors_in(Role.PERPETRATOR)), None)
    perpetrator = (actor.actor_id or actor.evidence.text) if actor else ""
    precision, uncertainty = place_precision(pack, place.area_id if place else None,
                                             place.geo_precision if place else None)
    return IncidentRow(
        id=incident.id, date=incident.date.earliest, latest=incident.date.latest,
        verdict=Verdict(stored.verdict) if stored.verdict else NOT_ASSESSED, reviewed=stored.review is not None,
        event_type=incident.event_type, sub_event_type=incident.sub_event_type, place=place.name if place else "",
        perpetrator=pack.actors[perpetrator].name if perpetrator in pack.actors else perpetrator,
        confidence=stored.confidence, corroboration=incident.corroboration, geo_precision=precision,
        uncertainty_km=uncertainty, latitude=place.latitude if place else None,
        longitude=place.longitude if place else None)


def incidents(stored: list[StoredIncident], pack: AgreementPack) -> Listing[IncidentRow, IncidentRow]:
    rows = [incident_row(s, pack) for s in stored]
    return Listing(f"Incidents ({len(rows)})", rows, _same, IncidentRow, [
        Column("incident", lambda r: r.id, no_wrap=True),
        Column("date", lambda r: r.date, no_wrap=True),
        Column("verdict", lambda r: r.verdict + (" (reviewed)" if r.reviewed else ""), no_wrap=True),
        Column("event", lambda r: r.sub_event_type),
        Column("place", lambda r: r.place),
        Column("perpetrator", lambda r: r.perpetrator),
        Column("conf.", lambda r: f"{r.confidence:.2f}" if r.confidence is not None else ""),
        Column("origins", lambda r: r.corroboration),
    ])


class ReportRow(BaseModel):
    """A stored report's metadata, without its text (``reports show`` prints that)."""

    model_config = ConfigDict(frozen=True)

    id: int
    sha256: str
    format: str
    published: dt.datetime | None
    received_at: dt.datetime
    source: str | None
    source_id: str | None
    title: str | None
    url: str | None
    author: str | None
    language: str | None
    origin: str | None


def reports(stored: list[StoredReport], total: int) -> Listing[StoredReport, ReportRow]:
    def row(r: StoredReport) -> ReportRow:
        return ReportRow(id=r.id, sha256=r.sha256, format=r.format.value, published=r.published,
                         received_at=r.received_at, source=r.source, source_id=r.source_id, title=r.title,
                         url=r.url, author=r.author, language=r.language, origin=r.origin)

    return Listing(f"Reports ({total} stored)", stored, row, ReportRow, [
        Column("id", lambda r: r.id),
        Column("sha256", lambda r: r.sha256[:12]),
        Column("format", lambda r: r.format.value),
        Column("published", lambda r: r.published.strftime("%Y-%m-%d %H:%M") if r.published else ""),
        Column("source", lambda r: r.source_id or r.source),
        Column("title", lambda r: (r.title or r.text[:60]).replace("\n", " ")),
    ])


class RejectionRow(BaseModel):
    """An input item intake refused: where it was, why, and when."""

    model_config = ConfigDict(frozen=True)

    origin: str
    reason: str
    received_at: dt.datetime


def rejections(found: list[Rejection]) -> Listing[RejectionRow, RejectionRow]:
    rows = [RejectionRow(origin=item.origin, reason=item.reason, received_at=item.received_at) for item in found]
    return Listing(f"Rejected items ({len(rows)})", rows, _same, RejectionRow, [
        Column("file:line", lambda r: r.origin),
        Column("reason", lambda r: r.reason),
        Column("when", lambda r: r.received_at.strftime("%Y-%m-%d %H:%M")),
    ])


class PackRow(BaseModel):
    """A pack bundled with ceasefire."""

    model_config = ConfigDict(frozen=True)

    id: str
    folder: Path


def packs(bundled: dict[str, Path]) -> Listing[PackRow, PackRow]:
    rows = [PackRow(id=pack_id, folder=folder) for pack_id, folder in bundled.items()]
    return Listing(f"Bundled packs ({len(rows)})", rows, _same, PackRow, [
        Column("id", lambda r: r.id, no_wrap=True),
        Column("folder", lambda r: r.folder),
    ])


def _same(row: Any) -> Any:
    return row
