"""What /api/v1 answers, field by field: the response models that /api/v1/openapi.json describes.

Incidents, claims, assessments and their reasons, agreements and actors are the domain models
themselves (``ceasefire.model``); the models here are what the API wraps around them: list rows
and pages, an incident with its sources and history, GeoJSON collections, reviews, submissions.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from ceasefire.model import Actor, Agreement, Claim, Incident, Verdict

NOT_ASSESSED = "NOT_ASSESSED"

IsoTime = Annotated[AwareDatetime, PlainSerializer(lambda when: when.isoformat(), return_type=str),
                    WithJsonSchema({"type": "string", "format": "date-time"})]
"""A time with its UTC offset, written as Python's isoformat writes it (``+00:00``, never ``Z``)."""


class Schema(BaseModel):
    model_config = ConfigDict(frozen=True)


# -- incidents -----------------------------------------------------------------------------------


class IncidentFields(Schema):
    """An incident as the map and the list show it, without its position."""

    id: str
    date: dt.date = Field(description="The first day it may have happened")
    latest: dt.date = Field(description="The last day it may have happened")
    verdict: Verdict | Literal["NOT_ASSESSED"] = Field(
        description="The verdict that wins: an analyst's review over the automatic one")
    reviewed: bool = Field(description="Whether an analyst confirmed or overrode the automatic verdict")
    event_type: str | None = Field(description="ACLED event type")
    sub_event_type: str | None = Field(description="ACLED sub-event type")
    place: str = Field(description="The place's name ('' when none is known)")
    perpetrator: str = Field(description="The perpetrator's name ('' when the reports name none)")
    confidence: float | None = Field(description="Confidence in the automatic verdict, 0 to 1")
    corroboration: int = Field(description="Independent origins of the reports")
    geo_precision: int = Field(1, description="1: the place is named exactly; 2: known to a district or an area "
                                              "around a place; 3: known only to a region or the country")
    uncertainty_km: float = Field(0.0, description="How far the real place may be from the point given (0 when exact)")


class IncidentRow(IncidentFields):
    """One incident of a list: what the map shows of it, and where."""

    latitude: float
    longitude: float

    def fields(self) -> IncidentFields:
        """The row without its position (a GeoJSON feature's properties)."""
        return IncidentFields.model_validate(self.model_dump(exclude={"latitude", "longitude"}))


class Page(Schema):
    total_returned: int
    limit: int
    offset: int
    next: str | None = Field(description="URL of the next page, when this one is full: the same filters "
                                         "with 'after' set to this page's last incident")


class IncidentList(Schema):
    incidents: list[IncidentRow]
    page: Page


class Point(Schema):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float] = Field(description="longitude, latitude")


class IncidentFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Point
    properties: IncidentFields


class IncidentCollection(Schema):
    """Incidents as a GeoJSON FeatureCollection of points."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[IncidentFeature]


class ReviewOut(Schema):
    """An analyst's decision on an incident's verdict, as stored."""

    id: int
    incident_id: str
    action: Literal["confirm", "override"]
    verdict: Verdict
    reason: str
    reviewer: str
    justification: str | None = Field(description="An admin's reason for letting a conflicted reviewer decide")
    justified_by: str | None
    created_at: IsoTime


class SourceGrade(Schema):
    """The pack's grading of the outlet a report came from."""

    name: str
    kind: str
    reliability: str = Field(description="Admiralty reliability, A (reliable) to F (cannot be judged)")
    reasoning: str


class ClaimReport(Schema):
    """The report a claim was read from; an observer's is shown to the public without their account."""

    id: int
    sha256: str | None = Field(description="None: withheld from the public (an observer's report)")
    title: str | None
    url: str | None
    source: str = Field(description="The outlet or observer account; to the public an observer is "
                                    "'observer report'")
    source_grade: SourceGrade | None
    published: str | None = Field(description="ISO time; to the public an observer's report has its day alone")


class ClaimEntry(Schema):
    report: ClaimReport
    claim: Claim


class HistoryEntry(Schema):
    """A ledger record of the incident, its assessments or its reviews."""

    seq: int
    kind: str
    key: str
    object_hash: str
    prev_hash: str
    hash: str
    at: str = Field(description="ISO time of the change; to the public, the day alone")


class IncidentDetail(Schema):
    """One incident: merged facts, verdict, the claims it rests on with their words, and its history."""

    incident: Incident
    verdict: Verdict | None = Field(description="The verdict that wins: an analyst's review over the automatic one")
    automatic_verdict: Verdict | None
    confidence: float | None
    review: ReviewOut | None
    claims: list[ClaimEntry]
    history: list[HistoryEntry]


class ReviewRecord(Schema):
    """The review just recorded."""

    incident_id: str
    action: Literal["confirm", "override"]
    verdict: Verdict
    reason: str
    reviewer: str
    justification: str | None
    justified_by: str | None


# -- submissions -------------------------------------------------------------------------------


class Attachment(Schema):
    filename: str
    sha256: str
    size: int


class Submitted(Schema):
    report_id: int | None = Field(description="None: the same report was submitted before")
    sha256: str
    duplicate: bool
    attachments: list[Attachment] = []


# -- agreements, actors, areas ------------------------------------------------------------------


class AgreementSummary(Schema):
    id: str
    title: str
    effective: IsoTime


class AgreementDetail(Schema):
    agreement: Agreement
    violations_by_party: dict[str, int] = Field(description="Violations by responsible party (actor id)")
    findings_by_clause: dict[str, int] = Field(description="Incidents per 'clause|reading|verdict': the verdict that "
                                                           "wins, VIOLATION or DISPUTED, of incidents found to violate "
                                                           "the clause under that reading")
    incidents_by_clause: dict[str, int] = Field(default_factory=dict, description="Incidents per 'clause|verdict', "
                                                "each once whatever the reading")
    incidents_by_verdict: dict[str, int] = Field(default_factory=dict, description="Incidents per verdict that wins")


class ActorDetail(Actor):
    chain: list[str] = Field(description="Actor ids from this actor up through its parents and sponsors")


class AreaProperties(Schema):
    id: str
    name: str
    kind: str
    radius_km: float


class AreaFeature(Schema):
    type: Literal["Feature"] = "Feature"
    geometry: Point
    properties: AreaProperties


class AreaCollection(Schema):
    """The pack's areas as points with radii: a basemap that needs no tile server."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[AreaFeature]



# -- tallies (issue 16) --------------------------------------------------------------------------


class TallyFigureOut(Schema):
    counter: str = Field(description="Who counted: a pack actor id, or the words naming it")
    counter_name: str = Field(description="The counter's name in the pack, or its words")
    count: int
    counted: str = Field(description="What was counted: violations, explosions, attacks, ...")
    blamed: str | None = Field(description="Whom the counter blamed: actor id, side or words")
    by_monitor: bool = Field(description="The agreement's monitor's own count, not a party's")
    words: str = Field(description="The words of the count in its report")
    area: str = Field(description="The region the count is for ('' for the whole agreement area)")
    period_start: dt.date
    period_end: dt.date
    report_sha256: str
    claim_index: int


class TallyRowOut(Schema):
    """One period and area: each counter's claimed tally beside what the system could verify."""

    period_start: dt.date
    period_end: dt.date
    area: str = Field(description="The region (admin1) the tallies name, or '' for the whole agreement area")
    figures: list[TallyFigureOut]
    monitor_count: int | None = Field(description="The monitor's own count, when it gave one")
    verified_incidents: int = Field(description="Incidents inside the period and area that the public may see")
    incidents: int | None = Field(description="Every incident inside the period and area (analysts only)")


class TallyComparison(Schema):
    rows: list[TallyRowOut]
