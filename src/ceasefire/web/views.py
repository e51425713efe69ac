"""What the pages and the API show, built from the store and the pack; no HTTP here."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ceasefire.errors import CeasefireError, NotFound
from ceasefire.model import AgreementPack, Claim, Evidence, StoredReport
from ceasefire.render import claim_fields
from ceasefire.store import Store, StoredIncident
from ceasefire.web.accounts import Role as UserRole
from ceasefire.web.accounts import User

VERDICTS = ["VIOLATION", "DISPUTED", "NOT_A_VIOLATION", "UNVERIFIED", "OUT_OF_SCOPE"]
MAX_LIMIT = 5000


class BadFilter(CeasefireError):
    status = 422


@dataclass
class Filters:
    """The map's filters, as kept in the page's URL so a view can be shared."""

    since: dt.date | None = None
    until: dt.date | None = None
    event_type: str | None = None
    actor: str | None = None
    party: str | None = None
    verdict: str | None = None
    agreement: str | None = None
    area: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int = 1000
    offset: int = 0

    @classmethod
    def parse(cls, params: dict[str, str], pack: AgreementPack) -> Filters:
        """Filters from query parameters; an unknown value names the parameter and what it accepts."""
        given = {k: v.strip() for k, v in params.items() if v and v.strip()}
        return cls(since=_date(given, "since"), until=_date(given, "until"), event_type=given.get("event_type"),
                   actor=_known(given, "actor", pack.actors), party=_known(given, "party", pack.actors),
                   verdict=_choice(given, "verdict", VERDICTS), agreement=given.get("agreement"),
                   area=_known(given, "area", pack.areas), bbox=_bbox(given.get("bbox")),
                   limit=_int(given, "limit", 1000, 1, MAX_LIMIT), offset=_int(given, "offset", 0, 0, 10**9))

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (for links that keep the view)."""
        values = {"since": self.since, "until": self.until, "event_type": self.event_type, "actor": self.actor,
                  "party": self.party, "verdict": self.verdict, "agreement": self.agreement, "area": self.area}
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


def _known(params: dict[str, str], name: str, known: dict[str, Any]) -> str | None:
    value = params.get(name)
    if value is not None and value not in known:
        raise BadFilter(f"Parameter '{name}' must be an id from the agreement pack (see /api/v1/"
                        f"{'areas' if name == 'area' else 'actors'}), got {value[:40]!r}.")
    return value


def _choice(params: dict[str, str], name: str, allowed: list[str]) -> str | None:
    value = params.get(name)
    if value is not None and value not in allowed:
        raise BadFilter(f"Parameter '{name}' must be one of {', '.join(allowed)}, got {value[:40]!r}.")
    return value


def _int(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(params.get(name, default))
    except ValueError:
        raise BadFilter(f"Parameter '{name}' must be a whole number.") from None
    if not low <= value <= high:
        raise BadFilter(f"Parameter '{name}' must be between {low} and {high}, got {value}.")
    return value


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


def area_box(pack: AgreementPack, area_id: str) -> tuple[list[str], tuple[float, float, float, float]]:
    """An area and the areas inside it, and a box around its centre of its radius: what is 'around' it."""
    inside, frontier = [area_id], [area_id]
    while frontier:
        parent = frontier.pop()
        children = [a.id for a in pack.areas.values() if a.parent == parent]
        inside += children
        frontier += children
    area = pack.areas[area_id]
    dlat = area.radius_km / 111.0
    dlon = dlat / max(math.cos(math.radians(area.latitude)), 0.01)
    return inside, (area.longitude - dlon, area.latitude - dlat, area.longitude + dlon, area.latitude + dlat)


def incident_rows(store: Store, pack: AgreementPack, filters: Filters, user: User) -> list[dict[str, Any]]:
    """Incidents matching the filters, as flat rows; the public sees published findings only.

    Date, box, area, type and verdict are filtered in SQL; actor and party (which need the
    incident's actors and the pack's sponsor chains) on the rows SQL returns, page by page."""
    areas, near = area_box(pack, filters.area) if filters.area else (None, None)

    def page(limit: int, offset: int) -> list[dict[str, Any]]:
        return store.incident_points(bbox=filters.bbox, since=filters.since, until=filters.until,
                                     event_type=filters.event_type, verdict=filters.verdict, areas=areas, near=near,
                                     agreement=filters.agreement, published_only=user.role < UserRole.ANALYST,
                                     with_payload=bool(filters.actor or filters.party), limit=limit, offset=offset)

    if not (filters.actor or filters.party):
        return [_row(pack, r) for r in page(filters.limit, filters.offset)]
    found: list[dict[str, Any]] = []
    scanned, size = 0, max(filters.limit * 4, 500)
    while len(found) < filters.offset + filters.limit:
        rows = page(size, scanned)
        found += [_row(pack, r) for r in rows if _has_actor(r["payload"], filters.actor, filters.party, pack)]
        scanned += len(rows)
        if len(rows) < size:
            break
    return found[filters.offset:filters.offset + filters.limit]


def _has_actor(payload: dict[str, Any], actor: str | None, party: str | None, pack: AgreementPack) -> bool:
    ids = {a.get("actor_id") for a in payload.get("actors", [])}
    if actor and actor not in ids:
        return False
    if party:
        family = {a for a in ids if a in pack.actors and (a == party or party in pack.sponsor_chain(a))}
        return bool(family)
    return True


def _row(pack: AgreementPack, row: dict[str, Any]) -> dict[str, Any]:
    perpetrator = row["perpetrator"]
    return {"id": row["id"], "date": row["earliest"].isoformat(), "latest": row["latest"].isoformat(),
            "latitude": row["latitude"], "longitude": row["longitude"], "verdict": row["verdict"] or "NOT_ASSESSED",
            "reviewed": row["reviewed"] is not None, "event_type": row["event_type"],
            "sub_event_type": row["sub_event_type"], "place": row["place_name"] or "",
            "perpetrator": pack.actors[perpetrator].name if perpetrator in pack.actors else (perpetrator or ""),
            "confidence": row["confidence"], "corroboration": row["corroboration"]}


def feature_collection(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r["id"],
         "geometry": {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]},
         "properties": {k: v for k, v in r.items() if k not in ("latitude", "longitude")}} for r in rows]}


def area_outline(pack: AgreementPack) -> dict[str, Any]:
    """The pack's areas as points with radii: a basemap that needs no tile server."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [a.longitude, a.latitude]},
         "properties": {"id": a.id, "name": a.name, "kind": a.kind, "radius_km": a.radius_km}}
        for a in pack.areas.values()]}


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
    source: dict[str, Any] | None
    attachments: list[dict[str, Any]] = field(default_factory=list)  # shown to analysts only


@dataclass
class IncidentView:
    stored: StoredIncident
    overall: Any
    clauses: list[Any]
    claims: list[ClaimView]
    reviews: list[dict[str, Any]]
    history: list[Any]
    chain: list[tuple[str, str]] = field(default_factory=list)


def reviewer_for(store: Store, name: str) -> dict[str, Any]:
    """The reviewer record of a signed-in analyst (registered on first review, with no affiliation)."""
    try:
        return store.reviewer(name)
    except NotFound:
        store.add_reviewer(name, None, False)
        return store.reviewer(name)


def is_published(stored: StoredIncident) -> bool:
    """Shown to the public: an analyst decided, or enough independent origins for a verdict."""
    return stored.review is not None or stored.verdict not in (None, "UNVERIFIED")


def visible_incident(store: Store, incident_id: str, user: User) -> StoredIncident:
    """The incident, if this user may see it: analysts see all, others published findings only."""
    stored = store.incident(incident_id)
    if user.role < UserRole.ANALYST and not is_published(stored):
        raise NotFound(f"No published incident {incident_id!r}.")
    return stored


def incident_view(store: Store, pack: AgreementPack, incident_id: str, user: User) -> IncidentView:
    stored = visible_incident(store, incident_id, user)
    assessments = store.assessments(incident_id)
    overall = next((a for a in assessments if a.clause_id is None), None)
    analyst = user.role >= UserRole.ANALYST
    claims = [ClaimView(report, claim, highlight(report.text, claim), claim_fields(claim), _source(pack, report),
                        store.attachments(report.sha256) if analyst else [])
              for report, claim in store.incident_evidence(incident_id)]
    reviews = store.reviews(incident_id)
    history = store.ledger_for([("incident", incident_id), ("assessments", incident_id),
                                *[("review", str(r["id"])) for r in reviews]])
    return IncidentView(stored, overall, [a for a in assessments if a.clause_id], claims, reviews, history,
                        _chain(pack, overall))


def _source(pack: AgreementPack, report: StoredReport) -> dict[str, Any] | None:
    source = pack.sources.get(report.source_id or "")
    if source is None:
        return None
    return {"name": source.name, "kind": source.kind.value, "reliability": source.reliability.value,
            "reasoning": source.reasoning}


def _chain(pack: AgreementPack, overall: Any) -> list[tuple[str, str]]:
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


def violations_by_day(store: Store, pack: AgreementPack, filters: Filters, user: User) -> dict[str, Any]:
    """Violations per day by responsible party, for the timeline chart."""
    filters.verdict, filters.limit = "VIOLATION", MAX_LIMIT
    rows = incident_rows(store, pack, filters, user)
    overall = store.overall_assessments([r["id"] for r in rows])
    counts: Counter[tuple[str, str]] = Counter()
    for row in rows:
        responsibility = overall[row["id"]].responsibility if row["id"] in overall else None
        party = responsibility and (responsibility.party or responsibility.perpetrator)
        counts[(row["date"], party or "unknown")] += 1
    days = _every_day(sorted({d for d, _ in counts}))
    parties = sorted({p for _, p in counts})
    return {"days": days, "parties": [{"id": p, "name": pack.actors[p].name if p in pack.actors else p,
                                       "counts": [counts[(d, p)] for d in days]} for p in parties],
            "max": max((sum(counts[(d, p)] for p in parties) for d in days), default=0)}


def _every_day(days: list[str], most: int = 400) -> list[str]:
    """Quiet days kept on the axis: a gap in the chart is information too."""
    if not days:
        return []
    first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
    span = min((last - first).days, most)
    return [(first + dt.timedelta(days=n)).isoformat() for n in range(span + 1)]


def agreement_counts(store: Store, pack: AgreementPack, user: User) -> dict[str, Counter[str]]:
    """Verdicts per clause (under each reading) and violations per responsible party."""
    rows = incident_rows(store, pack, Filters(agreement=pack.agreement.id, limit=MAX_LIMIT), user)
    ids = [r["id"] for r in rows]
    per_clause: Counter[str] = Counter()
    for _, clause, reading, verdict in store.clause_verdicts(ids):
        if verdict in ("VIOLATION", "DISPUTED"):
            per_clause[f"{clause}|{reading or ''}|{verdict}"] += 1
    per_party: Counter[str] = Counter()
    for assessment in store.overall_assessments([r["id"] for r in rows if r["verdict"] == "VIOLATION"]).values():
        per_party[assessment.responsibility.party or "unknown"] += 1
    return {"clauses": per_clause, "parties": per_party}
