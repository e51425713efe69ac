"""What the pages and the API show, built from the store and the pack; no HTTP here."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from ceasefire.adjudicate.summary import Summary, summarise
from ceasefire.errors import CeasefireError, NotFound
from ceasefire.ledger import Record
from ceasefire.model import AgreementPack, Assessment, Claim, Evidence, StoredReport, Verdict
from ceasefire.publish.citation import Citation, latest_record
from ceasefire.publish.counts import ANY_READING, count
from ceasefire.publish.palette import place_precision
from ceasefire.render import claim_fields
from ceasefire.store import Attachment, IncidentPoint, Review, Reviewer, Store, StoredIncident, TallyFigure
from ceasefire.store.incident_query import BadQuery, IncidentQuery, ask
from ceasefire.store.query import MAX_OFFSET, Cancel, PageKey
from ceasefire.web.accounts import User, UserRole
from ceasefire.web.redaction import OBSERVER_REPORT, Redaction
from ceasefire.web.schemas import (
    NOT_ASSESSED,
    AreaCollection,
    AreaFeature,
    AreaProperties,
    IncidentCollection,
    IncidentFeature,
    IncidentRow,
    Point,
    SourceGrade,
    TallyFigureOut,
    TallyRowOut,
)

VERDICTS = [v.value for v in (Verdict.VIOLATION, Verdict.DISPUTED, Verdict.NOT_A_VIOLATION, Verdict.UNVERIFIED,
                              Verdict.OUT_OF_SCOPE)]
MAX_LIMIT = 5000
PAGE_KEY = re.compile(r"^(\d{4}-\d{2}-\d{2}),([\w.:-]{1,64})$")


class BadFilter(CeasefireError):
    """A query parameter of a page or the API is malformed or names something unknown."""

    status = 422


@dataclass
class Filters:
    """The map's filters, as kept in the page's URL so a view can be shared, and the incident
    query they ask (checked against the pack by :func:`ceasefire.store.incident_query.ask`)."""

    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    actor: str | None = None
    party: str | None = None
    verdict: str | None = None
    agreement: str | None = None
    area: str | None = None
    clause: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int = 1000
    offset: int = 0
    after: PageKey | None = None
    asked: IncidentQuery = field(default_factory=IncidentQuery)

    @classmethod
    def parse(cls, params: dict[str, str], pack: AgreementPack) -> Filters:
        """Filters from query parameters; an unknown value names the parameter and the nearest known ones."""
        given = {k: v.strip() for k, v in params.items() if v and v.strip()}
        words = {name: given.get(name) for name in ("event_type", "actor", "party", "verdict", "agreement", "area",
                                                     "clause")}
        since, until, bbox = _date(given, "since"), _date(given, "until"), _bbox(given.get("bbox"))
        try:
            asked = ask(pack, since=since, until=until, bbox=bbox, event_type=words["event_type"],
                        actor=words["actor"], party=words["party"], verdict=words["verdict"],
                        agreement=words["agreement"], area=words["area"], clause=words["clause"])
        except BadQuery as exc:
            raise BadFilter(f"Parameter '{exc.field}': {exc}") from None
        return cls(since=since, until=until, bbox=bbox, **words, limit=_int(given, "limit", 1000, 1, MAX_LIMIT),
                   offset=_offset(given), after=_after(given), asked=asked)

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (for links that keep the view)."""
        values = {"since": self.since, "until": self.until, "event_type": self.event_type, "actor": self.actor,
                  "party": self.party, "verdict": self.verdict, "agreement": self.agreement, "area": self.area,
                  "clause": self.clause}
        return {k: str(v) for k, v in values.items() if v}


def _date(params: dict[str, str], name: str) -> dt.date | None:
    if name not in params:
        return None
    try:
        day = dt.date.fromisoformat(params[name][:10])
    except ValueError:
        raise BadFilter(f"Parameter '{name}' must be a date like 2017-01-31, got {params[name][:40]!r}.") from None
    if not 1900 <= day.year <= 2100:
        raise BadFilter(f"Parameter '{name}' must be a date between 1900 and 2100, got {day}.")
    return day


def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(params.get(name, default))
    except ValueError:
        raise BadFilter(f"Parameter '{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise BadFilter(f"Parameter '{name}' must be between {low} and {high}, got {value}.")
    return value


def _offset(params: dict[str, str]) -> int:
    """How many incidents to skip: capped, so that no page costs more than a scan of the cap."""
    given = params.get("offset", "0")
    try:
        offset = int(given)
    except ValueError:
        raise BadFilter("Parameter 'offset' must be a whole number.") from None
    if not 0 <= offset <= MAX_OFFSET:
        raise BadFilter(f"Parameter 'offset' must be between 0 and {MAX_OFFSET:,}, got {given[:40]}. To read "
                        "further, follow page.next: it continues after the last incident of a page "
                        "(parameter 'after').")
    return offset


def _after(params: dict[str, str]) -> PageKey | None:
    if "after" not in params:
        return None
    found = PAGE_KEY.match(params["after"])
    if found:
        try:
            return PageKey(dt.date.fromisoformat(found.group(1)), found.group(2))
        except ValueError:
            pass
    raise BadFilter(f"Parameter 'after' must be a day and an incident id as page.next gives them, like "
                    f"2017-01-16,I-0a1b2c3d4e; got {params['after'][:40]!r}. Follow page.next to read on.")


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise BadFilter("Parameter 'bbox' must be west,south,east,north in degrees, "
                        "e.g. 35.5,32.3,42.4,37.3.") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise BadFilter("Parameter 'bbox' must have west <= east within -180..180 and south <= north within -90..90.")
    return west, south, east, north


def incident_query(filters: Filters, user: User) -> IncidentQuery:
    """What the map, the lists and the counts ask the store: the filters, located incidents only,
    and for anyone below analyst only what the publication rule lets the public see."""
    return replace(filters.asked, located_only=True, published_only=user.role < UserRole.ANALYST)


def incident_rows(store: Store, pack: AgreementPack, filters: Filters, user: User,
                  cancel: Cancel | None = None) -> list[IncidentRow]:
    """One page of the incidents matching the filters, as flat rows, newest first."""
    rows = store.incident_points(incident_query(filters, user), after=filters.after, limit=filters.limit,
                                 offset=filters.offset, cancel=cancel)
    return [_row(pack, r) for r in rows]


def next_page(rows: list[IncidentRow], filters: Filters) -> PageKey | None:
    """Where the next page starts, when this one is full."""
    if len(rows) < filters.limit:
        return None
    return PageKey(rows[-1].date, rows[-1].id)


def _row(pack: AgreementPack, row: IncidentPoint) -> IncidentRow:
    perpetrator = row.perpetrator
    return IncidentRow(
        id=row.id, date=row.earliest, latest=row.latest, latitude=row.latitude, longitude=row.longitude,
        verdict=row.verdict or NOT_ASSESSED, reviewed=row.reviewed is not None, event_type=row.event_type,
        sub_event_type=row.sub_event_type, place=row.place_name or "",
        perpetrator=pack.actors[perpetrator].name if perpetrator in pack.actors else (perpetrator or ""),
        confidence=row.confidence, corroboration=row.corroboration, **_precision(pack, row))


def _precision(pack: AgreementPack, row: IncidentPoint) -> dict[str, Any]:
    precision, uncertainty = place_precision(pack, row.area_id, row.geo_precision)
    return {"geo_precision": precision, "uncertainty_km": uncertainty}


def feature_collection(rows: list[IncidentRow]) -> IncidentCollection:
    return IncidentCollection(features=[
        IncidentFeature(id=r.id, geometry=Point(coordinates=(r.longitude, r.latitude)), properties=r.fields())
        for r in rows])


def area_outline(pack: AgreementPack) -> AreaCollection:
    """The pack's areas as points with radii: a basemap that needs no tile server."""
    return AreaCollection(features=[
        AreaFeature(geometry=Point(coordinates=(a.longitude, a.latitude)),
                    properties=AreaProperties(id=a.id, name=a.name, kind=a.kind, radius_km=a.radius_km))
        for a in pack.areas.values()])


# -- incident page -------------------------------------------------------------


@dataclass
class Segment:
    text: str
    label: str | None = None


@dataclass
class ClaimView:
    report: StoredReport
    claim: Claim
    segments: list[Segment]
    fields: list[tuple[str, str, Evidence | None]]
    source: SourceGrade | None
    attachments: list[Attachment] = field(default_factory=list)  # shown to analysts only
    who: str = ""  # the outlet or observer account; to the public an observer is "observer report"
    published: str | None = None  # ISO time; to the public an observer's report has its day alone
    sha256: str | None = None  # None: withheld from the public (an observer's report)

    @property
    def when(self) -> str:
        """The time as the page shows it (a day alone as it is)."""
        if self.published is None or len(self.published) == len("2017-01-17"):
            return self.published or ""
        return dt.datetime.fromisoformat(self.published).strftime("%Y-%m-%d %H:%M %Z")


@dataclass
class IncidentView:
    stored: StoredIncident
    overall: Assessment | None
    clauses: list[Assessment]
    claims: list[ClaimView]
    reviews: list[Review]
    history: list[Record]
    chain: list[tuple[str, str]] = field(default_factory=list)
    summary: Summary | None = None


def reviewer_for(store: Store, name: str) -> Reviewer:
    """The reviewer record of a signed-in analyst (registered on first review, with no affiliation)."""
    try:
        return store.reviewer(name)
    except NotFound:
        store.add_reviewer(name, None, False)
        return store.reviewer(name)


def visible_incident(store: Store, incident_id: str, user: User) -> StoredIncident:
    """The incident, if this user may see it: analysts see all, others what the publication rule
    lets the public see. An unpublished incident gets the same answer as a missing one."""
    if user.role < UserRole.ANALYST and not store.is_public(incident_id):
        raise NotFound(f"No published incident {incident_id!r}. The published ones are listed at "
                       "/api/v1/incidents and on the map.")
    return store.incident(incident_id)


def incident_view(store: Store, pack: AgreementPack, incident_id: str, user: User) -> IncidentView:
    """The incident page; to anyone below analyst, its observers show as "observer report", with the day."""
    stored = visible_incident(store, incident_id, user)
    analyst = user.role >= UserRole.ANALYST
    evidence = store.incident_evidence(incident_id)
    hide = Redaction() if analyst else Redaction.of(stored.incident, [report for report, _ in evidence])
    assessments = [hide.model(a) for a in store.assessments(incident_id, pack.agreement.id)]
    overall = next((a for a in assessments if a.clause_id is None), None)
    claims = [_claim_view(pack, report, hide.model(claim), hide, store.attachments(report.sha256) if analyst else [])
              for report, claim in evidence]
    reviews = store.reviews(incident_id)
    history = store.ledger_for([("incident", incident_id), ("assessments", incident_id),
                                *[("review", str(r.id)) for r in reviews]])
    if not analyst:  # when a record was made can tell when an observer reported: the day is enough
        history = [replace(r, at=r.at[:10]) for r in history]
    shown = replace(stored, incident=hide.model(stored.incident))
    clauses = [a for a in assessments if a.clause_id]
    return IncidentView(shown, overall, clauses, claims, reviews, history, _chain(pack, overall),
                        summarise(shown.incident, overall, clauses, pack, shown.verdict, _override(shown)))


def _override(stored: StoredIncident) -> tuple[str, str] | None:
    review = stored.review
    return (review.reviewer, review.reason) if review and review.action == "override" else None


def citation(view: IncidentView, url: str, as_of: dt.datetime | None = None) -> Citation:
    """How to cite the incident on its page at ``url``, pinned to its newest ledger record."""
    incident = view.stored.incident
    title = (f"{incident.sub_event_type or incident.event_type or 'Incident'}"
             f"{' at ' + incident.place.name if incident.place else ''}, {incident.date.earliest.isoformat()}")
    seq, record = latest_record([(r.seq, r.hash) for r in view.history])
    return Citation(title=f"{title} ({incident.id})", verdict=view.stored.verdict or "not assessed",
                    reviewed=view.stored.review is not None, day=incident.date.earliest, url=url, record_hash=record,
                    record_seq=seq, as_of=as_of or dt.datetime.now(dt.UTC))


def visible_assessments(store: Store, incident_id: str, user: User) -> list[Assessment]:
    """The incident's assessments, if this user may see it, observers hidden as on its page."""
    stored = visible_incident(store, incident_id, user)
    hide = Redaction()
    if user.role < UserRole.ANALYST:
        hide = Redaction.of(stored.incident, [report for report, _ in store.incident_evidence(incident_id)])
    return [hide.model(a) for a in store.assessments(incident_id)]


def _claim_view(pack: AgreementPack, report: StoredReport, claim: Claim, hide: Redaction,
                attachments: list[Attachment]) -> ClaimView:
    published = report.published
    view = ClaimView(report, claim, highlight(report.text, claim), claim_fields(claim), _source(pack, report),
                     attachments, report.source or "", published.isoformat() if published else None, report.sha256)
    if not hide.hides(report):
        return view
    day = published.astimezone(dt.UTC).date().isoformat() if published else None
    return replace(view, who=OBSERVER_REPORT, published=day, sha256=None)


def _source(pack: AgreementPack, report: StoredReport) -> SourceGrade | None:
    source = pack.sources.get(report.source_id or "")
    if source is None:
        return None
    return SourceGrade(name=source.name, kind=source.kind.value, reliability=source.reliability.value,
                       reasoning=source.reasoning)


def _chain(pack: AgreementPack, overall: Assessment | None) -> list[tuple[str, str]]:
    if overall is None or not overall.responsibility.perpetrator:
        return []
    r = overall.responsibility
    steps = [("perpetrator", r.perpetrator), ("party", r.party)] + [("sponsor", s) for s in r.sponsors]
    steps.append(("guarantor", r.guarantor))
    return [(role, pack.actors[a].name if a in pack.actors else a) for role, a in steps if a]


def highlight(text: str, claim: Claim) -> list[Segment]:
    """The claim's sentence split into plain and marked pieces; the innermost span names a piece."""
    sentence = claim.sentence
    spans = [(e.start, e.end, name) for name, _, e in claim_fields(claim)
             if e is not None and sentence.start <= e.start < e.end <= sentence.end and name != "sentence"]
    cuts = sorted({sentence.start, sentence.end, *[s for s, _, _ in spans], *[e for _, e, _ in spans]})
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [(e - s, name) for s, e, name in spans if s <= start and end <= e]
        segments.append(Segment(text[start:end], min(covering)[1] if covering else None))
    return segments


# -- timeline and agreement ----------------------------------------------------


def violations_by_day(store: Store, pack: AgreementPack, filters: Filters, user: User,
                      cancel: Cancel | None = None) -> dict[str, Any]:
    """Violations per day by responsible party, for the timeline chart (counted by :func:`count`)."""
    per_day = count(store, incident_query(filters, user), cancel).days
    counts = {(d.isoformat(), p): n for d, parties in per_day.items() for p, n in parties.items()}
    days = _every_day(sorted({d for d, _ in counts}))
    parties = sorted({p for _, p in counts})
    return {"days": days, "parties": [{"id": p, "name": pack.actors[p].name if p in pack.actors else p,
                                       "counts": [counts.get((d, p), 0) for d in days]} for p in parties],
            "max": max((sum(counts.get((d, p), 0) for p in parties) for d in days), default=0)}


def _every_day(days: list[str], most: int = 400) -> list[str]:
    """Quiet days kept on the axis: a gap in the chart is information too."""
    if not days:
        return []
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    span = min((last - first).days, most)
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(span + 1)]


def agreement_counts(store: Store, pack: AgreementPack, user: User,
                     cancel: Cancel | None = None) -> dict[str, Counter[str]]:
    """Findings per clause and reading ('clause|reading|verdict', the verdict that wins), incidents per
    clause whatever the reading ('clause|verdict') and violations per responsible party (by :func:`count`)."""
    counts = count(store, incident_query(Filters(asked=IncidentQuery(agreement=pack.agreement.id)), user), cancel)
    per_reading = Counter({f"{c}|{r}|{v}": n for (c, r, v), n in counts.clauses.items() if r != ANY_READING})
    per_clause = Counter({f"{c}|{v}": n for (c, r, v), n in counts.clauses.items() if r == ANY_READING})
    return {"clauses": per_reading, "per_clause": per_clause, "parties": Counter(counts.parties),
            "verdicts": Counter(counts.verdicts)}


def tally_rows(store: Store, pack: AgreementPack, filters: Filters, user: User) -> list[TallyRowOut]:
    """The store's tally comparison (:meth:`ceasefire.store.Store.tally_comparison`) with the pack's
    names; below analyst, without observers' own counts or unpublished incidents."""
    analyst = user.role >= UserRole.ANALYST
    rows = store.tally_comparison(since=filters.since, until=filters.until, agreement=pack.agreement.id,
                                  public=not analyst)
    return [TallyRowOut(period_start=row.period_start, period_end=row.period_end, area=row.area,
                        figures=[_figure(pack, f) for f in row.figures], monitor_count=row.monitor_count,
                        verified_incidents=row.verified, incidents=row.incidents if analyst else None)
            for row in rows]


def _figure(pack: AgreementPack, figure: TallyFigure) -> TallyFigureOut:
    actor = pack.actors.get(figure.counter)
    return TallyFigureOut(counter=figure.counter, counter_name=actor.name if actor else figure.counter,
                          count=figure.count, counted=figure.counted, blamed=figure.blamed,
                          by_monitor=figure.by_monitor, words=figure.words, area=figure.area,
                          period_start=figure.period_start, period_end=figure.period_end,
                          report_sha256=figure.ref.report_sha256, claim_index=figure.ref.index)
