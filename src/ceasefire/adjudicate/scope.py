"""Judging an incident under an agreement other than the one whose reports it came from: only
when the other agreement applies (its scope and time window hold the incident), and with the
incident's pack-specific names (actor, area and place ids) read as that pack knows them."""

from __future__ import annotations

from ceasefire.model import AgreementPack, ClaimActor, Incident


def applies(incident: Incident, pack: AgreementPack) -> bool:
    """Whether the agreement covers the incident's place and time: scope decides."""
    agreement = pack.agreement
    place = incident.place
    if place is None or place.country not in agreement.scope.countries:
        return False
    if place.area_id and place.area_id in pack.areas and place.area_id in agreement.scope.exclude_areas:
        return False
    ends = agreement.expiry.date() if agreement.expiry else None
    return incident.date.latest >= agreement.effective.date() and (ends is None or incident.date.earliest <= ends)


def seen_by(incident: Incident, pack: AgreementPack) -> Incident:
    """The incident with every id the pack does not know dropped (actors keep their side and words)."""
    def actor(a: ClaimActor) -> ClaimActor:
        return a if a.actor_id is None or a.actor_id in pack.actors else a.model_copy(update={"actor_id": None})

    place = incident.place
    if place is not None and place.area_id and place.area_id not in pack.areas:
        place = place.model_copy(update={"area_id": None})
    justification = incident.justification
    if justification is not None and justification.excluded_actor_id not in pack.actors:
        justification = justification.model_copy(update={"excluded_actor_id": None})
    return incident.model_copy(update={"actors": [actor(a) for a in incident.actors], "place": place,
                                       "justification": justification})
