"""From claims to incidents: cluster, then merge each cluster's values keeping where each came
from, and count its independent origins."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel

from ceasefire.model import (
    AgreementPack,
    Casualties,
    Claim,
    ClaimActor,
    ClaimKind,
    ClaimRef,
    ClaimSource,
    Evidence,
    Incident,
    Role,
)
from ceasefire.verify.cluster import Point, Refused, cluster, incident_id
from ceasefire.verify.independence import origins

CLUSTERED = (ClaimKind.EVENT, ClaimKind.OBSERVATION, ClaimKind.DENIAL)
FOUNDING = (ClaimKind.EVENT, ClaimKind.OBSERVATION)  # what a monitor saw itself founds an incident too
MAX_ID_LENGTH = 16  # the incidents.id column
SIGHTING = ("Strategic developments", "Other")


def point(ref: ClaimRef, claim: Claim) -> Point:
    assert claim.date is not None and claim.sub_event_type is not None
    place = claim.place
    return Point(
        ref=ref, sub_event_type=claim.sub_event_type, earliest=claim.date.earliest, latest=claim.date.latest,
        time_precision=claim.date.time_precision,
        latitude=place.latitude if place else None, longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else 3,
        region=(place.admin1 or place.country or "") if place else "",
        perpetrator_sides=_sides(claim, Role.PERPETRATOR), target_sides=_sides(claim, Role.TARGET),
        sentence=claim.sentence.text, coded_id=claim.coded_id or "")


def _sides(claim: Claim, role: Role) -> frozenset[str]:
    return frozenset(a.side.value for a in claim.actors_in(role) if a.side.value != "unknown")


def build_incidents(claims: Sequence[tuple[ClaimRef, Claim, ClaimSource]], pack: AgreementPack,
                    placed: dict[ClaimRef, str] | None = None, refused: Refused | None = None) -> list[Incident]:
    """Incidents from event claims. Denials join the incident they deny but found none.

    With ``refused`` given, a claim that cannot be clustered, or the claims of an incident that
    cannot be merged, are left out with their error put there, and the rest are built.
    """
    claims = [(r, _weapons_seen(c), s) for r, c, s in claims]
    usable = [(r, c, s) for r, c, s in claims if c.kind in CLUSTERED and c.date and c.sub_event_type]
    by_ref = {r: (c, s) for r, c, s in usable}
    groups = cluster([p for r, c, _ in usable if (p := _point(r, c, refused))], placed, refused)
    taken = {g.id for g in groups}
    incidents = []
    for group in groups:
        members = [by_ref[r] for r in group.refs]
        if any(c.kind in FOUNDING for c, _ in members):
            group_id = _coded_id(group.id, by_ref[group.anchor.ref][0], taken)
            try:
                incidents.append(merge(group_id, [(r, *by_ref[r]) for r in group.refs], pack))
            except Exception as exc:
                if refused is None:
                    raise
                refused.update(dict.fromkeys(group.refs, exc))
    return incidents


def _weapons_seen(claim: Claim) -> Claim:
    """A monitor's sighting of weapons that names no act is an incident of its own, coded as
    ACLED codes a movement of forces (Strategic developments / Other), so zone clauses judge it."""
    if claim.kind is not ClaimKind.OBSERVATION or claim.sub_event_type or not claim.weapons:
        return claim
    return claim.model_copy(update={"event_type": SIGHTING[0], "sub_event_type": SIGHTING[1]})


def _point(ref: ClaimRef, claim: Claim, refused: Refused | None) -> Point | None:
    try:
        return point(ref, claim)
    except Exception as exc:
        if refused is None:
            raise
        refused[ref] = exc
        return None


def _coded_id(group_id: str, founder: Claim, taken: set[str]) -> str:
    """A new incident founded by a coded event (an ACLED row) keeps the event's id, so exports
    made from imported data name events as their source did; never an id already in use."""
    coded = founder.coded_id
    if group_id != incident_id(ClaimRef(report_sha256=founder.report_sha256, index=founder.index)) or not coded \
            or len(coded) > MAX_ID_LENGTH or coded in taken:
        return group_id
    taken.add(coded)
    return coded


def merge(incident_id: str, members: Sequence[tuple[ClaimRef, Claim, ClaimSource]], pack: AgreementPack) -> Incident:
    """One incident's best values from its claims: the most precise date and place, every actor,
    fatalities as low/best/high across reports. Every span keeps the report it came from."""
    events = [_traced(c) for _, c, _ in members if c.kind in FOUNDING]
    sub_event = Counter(c.sub_event_type for c in events).most_common(1)[0][0]
    dated = min(events, key=lambda c: (c.date.time_precision, c.date.earliest))  # type: ignore[union-attr]
    placed = min((c for c in events if c.place), default=None,
                 key=lambda c: (c.place.evidence is None, c.place.geo_precision))  # type: ignore[union-attr]
    return Incident(
        id=incident_id, event_type=next(c.event_type for c in events if c.sub_event_type == sub_event),
        sub_event_type=sub_event, tags=sorted({t for c in events for t in c.tags}), date=dated.date,
        place=placed.place if placed else None, actors=_actors(events), fatalities=_fatalities(events),
        claims=[r for r, _, _ in members], origins=origins([(c, s) for _, c, s in members], pack),
        justification=next((c.justification for c in events if c.justification and c.justification.dispute),
                           next((c.justification for c in events if c.justification), None)),
        denied=any(c.kind is ClaimKind.DENIAL for _, c, _ in members),
        weapons=[w for c in events for w in c.weapons])


def _traced(claim: Claim) -> Claim:
    """The claim with its report's hash written into every span, so merged words stay traceable."""
    def trace(value: object) -> object:
        if isinstance(value, Evidence):
            return value.model_copy(update={"report_sha256": claim.report_sha256})
        if isinstance(value, BaseModel):
            return value.model_copy(update={k: trace(getattr(value, k)) for k in type(value).model_fields})
        if isinstance(value, list):
            return [trace(v) for v in value]
        return value

    return trace(claim)  # type: ignore[return-value]


def _actors(claims: Sequence[Claim]) -> list[ClaimActor]:
    seen, merged = set(), []
    for claim in claims:
        for actor in claim.actors:
            key = (actor.role, actor.actor_id, actor.side)
            if key not in seen:
                seen.add(key)
                merged.append(actor)
    return merged


def _fatalities(claims: Sequence[Claim]) -> Casualties | None:
    """Conflicting figures become low (smallest), best (median), high (largest), as UCDP keeps them."""
    counts = [c.fatalities for c in claims if c.fatalities]
    if not counts:
        return None
    if len(counts) == 1:
        return counts[0]
    bests = sorted(c.best for c in counts)
    return Casualties(evidence=counts[0].evidence, low=bests[0], best=int(statistics.median_low(bests)),
                      high=max(c.high if c.high is not None else c.best for c in counts),
                      qualifier=f"{len(counts)} reports")
