"""/api/v1: incidents, assessments, agreements, actors and areas to read; reports to submit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from ceasefire.adjudicate.review import review
from ceasefire.errors import NotFound
from ceasefire.model import Actor, AgreementPack, Assessment, Verdict
from ceasefire.store.incident_query import IncidentQuery
from ceasefire.store.query import MAX_OFFSET, Cancel
from ceasefire.web import views
from ceasefire.web.accounts import User, UserRole
from ceasefire.web.agreements import pack_of
from ceasefire.web.disconnect import unless_disconnected
from ceasefire.web.schemas import (
    ActorDetail,
    AgreementDetail,
    AgreementSummary,
    AreaCollection,
    ClaimEntry,
    ClaimReport,
    HistoryEntry,
    IncidentCollection,
    IncidentDetail,
    IncidentList,
    Page,
    ReviewOut,
    ReviewRecord,
    Submitted,
    TallyComparison,
)
from ceasefire.web.session import check_csrf, current_user, require
from ceasefire.web.submissions import MAX_TEXT, submit_report

router = APIRouter(prefix="/api/v1", tags=["v1"])


class GeoJSONResponse(JSONResponse):
    media_type = "application/geo+json"


class Submission(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_TEXT, description="What the observer saw, in their words")
    observed_at: dt.datetime = Field(description="When, with a UTC offset: 2017-01-05T14:00:00+02:00")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class ReviewIn(BaseModel):
    action: Literal["confirm", "override"]
    reason: str = Field(min_length=1, max_length=5000)
    verdict: Verdict | None = None


def _filters(request: Request) -> views.Filters:
    return views.Filters.parse(dict(request.query_params), pack_of(request))


AFTER = Query(None, description="Continue after this incident, as page.next gives it: DAY,INCIDENT_ID")
OFFSET = Query(0, ge=0, description=f"Incidents to skip, at most {MAX_OFFSET:,}; to read further, follow page.next")


@router.get("/incidents", response_model=IncidentList, summary="Incidents matching filters, newest first")
async def incidents(request: Request, since: dt.date | None = None, until: dt.date | None = None,
                    event_type: str | None = None, actor: str | None = None,
                    party: str | None = Query(None, description="A party with its forces and proxies"),
                    verdict: str | None = None, agreement: str | None = None, area: str | None = None,
                    clause: str | None = Query(None, description="A clause found violated (or disputed), e.g. C1"),
                    bbox: str | None = Query(None, description="west,south,east,north"),
                    limit: int = Query(1000, ge=1, le=views.MAX_LIMIT), offset: int = OFFSET,
                    after: str | None = AFTER) -> IncidentList:
    return await unless_disconnected(request, lambda cancel: _incident_list(request, cancel))


def _incident_list(request: Request, cancel: Cancel) -> IncidentList:
    filters = _filters(request)
    rows = views.incident_rows(request.app.state.store, pack_of(request), filters, current_user(request),
                               cancel)
    following = views.next_page(rows, filters)
    link = None
    if following is not None:
        link = str(request.url.remove_query_params("offset").include_query_params(after=str(following)))
    return IncidentList(incidents=rows, page=Page(total_returned=len(rows), limit=filters.limit,
                                                  offset=filters.offset, next=link))


@router.get("/tallies", response_model=TallyComparison,
            summary="Counters' tallies per period and area, beside verified incidents and the monitor's count")
def tallies(request: Request, since: dt.date | None = None, until: dt.date | None = None,
            agreement: str | None = None) -> TallyComparison:
    rows = views.tally_rows(request.app.state.store, pack_of(request), _filters(request), current_user(request))
    return TallyComparison(rows=rows)


@router.get("/incidents.geojson", response_model=IncidentCollection, response_class=GeoJSONResponse,
            summary="The same incidents as a GeoJSON FeatureCollection")
async def incidents_geojson(request: Request, since: dt.date | None = None, until: dt.date | None = None,
                            event_type: str | None = None, actor: str | None = None, party: str | None = None,
                            verdict: str | None = None, agreement: str | None = None, area: str | None = None,
                            clause: str | None = None, bbox: str | None = None,
                            limit: int = Query(1000, ge=1, le=views.MAX_LIMIT), offset: int = OFFSET,
                            after: str | None = AFTER) -> IncidentCollection:
    def collection(cancel: Cancel) -> IncidentCollection:
        rows = views.incident_rows(request.app.state.store, pack_of(request), _filters(request),
                                   current_user(request), cancel)
        return views.feature_collection(rows)

    return await unless_disconnected(request, collection)


@router.get("/incidents/{incident_id}", response_model=IncidentDetail,
            summary="One incident: merged facts, claims with evidence, sources")
def incident(request: Request, incident_id: str) -> IncidentDetail:
    view = views.incident_view(request.app.state.store, pack_of(request), incident_id, current_user(request))
    stored = view.stored
    return IncidentDetail(
        incident=stored.incident, verdict=stored.verdict, automatic_verdict=stored.automatic,
        confidence=stored.confidence, review=ReviewOut.model_validate(vars(stored.review)) if stored.review else None,
        claims=[ClaimEntry(report=ClaimReport(id=c.report.id, sha256=c.sha256, title=c.report.title, url=c.report.url,
                                              source=c.who, source_grade=c.source, published=c.published),
                           claim=c.claim) for c in view.claims],
        history=[HistoryEntry.model_validate(vars(r)) for r in view.history])


@router.get("/incidents/{incident_id}/geojson", response_model=IncidentCollection, response_class=GeoJSONResponse,
            summary="One incident as a GeoJSON FeatureCollection (what its page links to)")
def incident_geojson(request: Request, incident_id: str) -> IncidentCollection:
    store, user = request.app.state.store, current_user(request)
    views.visible_incident(store, incident_id, user)
    pack = pack_of(request)
    filters = views.Filters(asked=IncidentQuery(id=incident_id, agreement=pack.agreement.id), limit=1)
    return views.feature_collection(views.incident_rows(store, pack, filters, user))


@router.get("/incidents/{incident_id}/assessments", response_model=list[Assessment],
            summary="Verdicts per clause and reading, with reasons")
def assessments(request: Request, incident_id: str) -> list[Assessment]:
    return views.visible_assessments(request.app.state.store, incident_id, current_user(request))


@router.post("/incidents/{incident_id}/reviews", status_code=201, response_model=ReviewRecord,
             summary="An analyst confirms or overrides")
def add_review(request: Request, incident_id: str, body: ReviewIn) -> ReviewRecord:
    user = require(request, UserRole.ANALYST)
    check_csrf(request, None)
    store, pack = request.app.state.store, pack_of(request)
    overall = store.overall_assessment(incident_id, pack.agreement.id)
    record = review(overall, pack, views.reviewer_for(store, user.name),
                    verdict=body.verdict if body.action == "override" else None, reason=body.reason)
    store.add_review(record)
    return ReviewRecord.model_validate(record)


def _observer(request: Request) -> User:
    user = require(request, UserRole.OBSERVER)
    check_csrf(request, None)
    return user


async def _submission(request: Request) -> Submission:
    """The body, read only once the sender is known to be an observer: strangers learn nothing from it."""
    try:
        return Submission.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from None


# Depends, not a body parameter: FastAPI validates bodies before any dependency runs.
@router.post("/reports", status_code=201, response_model=Submitted, summary="An observer submits a report",
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": {"$ref": "#/components/schemas/Submission"}}}}})
def add_report(request: Request, user: Annotated[User, Depends(_observer)],
               body: Annotated[Submission, Depends(_submission)]) -> Submitted:
    return Submitted.model_validate(submit_report(request, user, text=body.text,
                                                  observed_at=body.observed_at.isoformat(),
                                                  latitude=body.latitude, longitude=body.longitude))


@router.get("/agreements", response_model=list[AgreementSummary],
            summary="Agreements this server judges incidents against")
def agreements(request: Request) -> list[AgreementSummary]:
    packs: dict[str, AgreementPack] = request.app.state.packs
    return [AgreementSummary(id=p.agreement.id, title=p.agreement.title, effective=p.agreement.effective)
            for p in packs.values()]


@router.get("/agreements/{agreement_id}", response_model=AgreementDetail,
            summary="An agreement: parties, guarantors, clauses and readings")
async def agreement(request: Request, agreement_id: str) -> AgreementDetail:
    packs: dict[str, AgreementPack] = request.app.state.packs
    if agreement_id not in packs:
        raise NotFound(f"No agreement {agreement_id!r}; this server has {', '.join(map(repr, packs))}.")
    pack = packs[agreement_id]
    counts = await unless_disconnected(request, lambda cancel: views.agreement_counts(
        request.app.state.store, pack, current_user(request), cancel))
    return AgreementDetail(agreement=pack.agreement, violations_by_party=dict(counts["parties"]),
                           findings_by_clause=dict(counts["clauses"]), incidents_by_clause=dict(counts["per_clause"]),
                           incidents_by_verdict=dict(counts["verdicts"]))


@router.get("/actors", response_model=list[Actor], summary="Actors with kind, side, sponsors and designations")
def actors(request: Request) -> list[Actor]:
    return list(pack_of(request).actors.values())


@router.get("/actors/{actor_id}", response_model=ActorDetail, summary="One actor and its sponsor chain")
def actor(request: Request, actor_id: str) -> ActorDetail:
    pack: AgreementPack = pack_of(request)
    if actor_id not in pack.actors:
        raise NotFound(f"No actor {actor_id!r}. List them at /api/v1/actors.")
    return ActorDetail(**dict(pack.actors[actor_id]), chain=pack.sponsor_chain(actor_id))


@router.get("/areas", response_model=AreaCollection, response_class=GeoJSONResponse,
            summary="Areas and localities of the agreement pack (an outline basemap)")
def areas(request: Request) -> AreaCollection:
    return views.area_outline(pack_of(request))
