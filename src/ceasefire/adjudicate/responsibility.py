"""Responsibility: perpetrator -> the party bound by the agreement -> its sponsors -> the
guarantor accountable for that side, and conflicts of interest along the way."""

from __future__ import annotations

import datetime as dt

from ceasefire.model import (
    AgreementPack,
    ClaimActor,
    Incident,
    MonitorRole,
    Responsibility,
    Role,
    Side,
    SignatureStatus,
)

BINDING = (SignatureStatus.SIGNED, SignatureStatus.REPORTED_SIGNED)
ALLIED = {Side.PRO_GOVERNMENT: Side.GOVERNMENT, Side.GOVERNMENT: Side.GOVERNMENT, Side.OPPOSITION: Side.OPPOSITION}


def bound_by(actor: ClaimActor, pack: AgreementPack, day: dt.date) -> str | None:
    """Why the actor is bound by the agreement on that day, or None when it is not."""
    agreement = pack.agreement
    parties = {p.actor: p for p in agreement.parties}
    chain = pack.sponsor_chain(actor.actor_id, day) if actor.actor_id in pack.actors else []
    for actor_id in _lineage(actor.actor_id, pack):
        party = parties.get(actor_id)
        if party and party.signature in BINDING:
            return f"part of {pack.actors[actor_id].name}, a party ({party.signature.value})"
    for actor_id in chain[:1]:
        for guarantor in agreement.guarantors:
            if guarantor.actor in _lineage(actor_id, pack) and guarantor.role is MonitorRole.GUARANTOR and (
                    guarantor.covers(day)):
                return f"forces of {pack.actors[guarantor.actor].name}, a guarantor since {guarantor.valid_from}"
    side = ALLIED.get(actor.side)
    for party in agreement.parties:
        if side and party.signature in BINDING and ALLIED.get(pack.actors[party.actor].side) is side:
            return (f"fights on the side of {pack.actors[party.actor].name}, a party ({party.signature.value}), "
                    f"which answers for its allies")
    return None


def _lineage(actor_id: str | None, pack: AgreementPack) -> list[str]:
    """The actor and its parents (not its sponsors)."""
    found = []
    while actor_id and actor_id in pack.actors and actor_id not in found:
        found.append(actor_id)
        actor_id = pack.actors[actor_id].parent
    return found


def responsibility(incident: Incident, pack: AgreementPack, day: dt.date) -> Responsibility:
    """The chain from the perpetrator (and the groups named as acting with it) through parents
    and sponsors valid on the day, with the reports' own "backed by" mentions."""
    perpetrator = next((a for a in incident.actors_in(Role.PERPETRATOR) if a.actor_id), None)
    if perpetrator is None or perpetrator.actor_id is None:
        return Responsibility()
    starts = [perpetrator.actor_id] + [a.actor_id for a in incident.actors_in(Role.MEMBER) if a.actor_id]
    paths = _paths(starts, pack, day)
    for sponsor in incident.actors_in(Role.SPONSOR):
        if sponsor.actor_id and sponsor.actor_id not in paths:
            paths[sponsor.actor_id] = [perpetrator.actor_id, sponsor.actor_id]
    chain = list(paths)
    parties = {p.actor for p in pack.agreement.parties if p.signature in BINDING}
    party = next((a for a in chain if a in parties), None)
    monitors = {g.actor: g for g in pack.agreement.guarantors}
    guarantor = next((a for a in chain if a in monitors and monitors[a].role is MonitorRole.GUARANTOR), None)
    conflicts = [f"{pack.actors[a].name} is a {monitors[a].role.value} (from {monitors[a].valid_from}) and "
                 f"sponsors the responsible side ({' -> '.join(pack.actors[x].name for x in paths[a])})"
                 for a in chain if a in monitors and a not in starts]
    own = {a for start in starts for a in _lineage(start, pack)}  # a force's own state is no sponsor of it
    return Responsibility(perpetrator=perpetrator.actor_id, party=party,
                          sponsors=[a for a in chain if a not in own and a != party], guarantor=guarantor,
                          conflicts_of_interest=conflicts)


def _paths(starts: list[str], pack: AgreementPack, day: dt.date) -> dict[str, list[str]]:
    """Each actor reachable through parents and sponsors, with the shortest path to it."""
    paths = {s: [s] for s in starts if s in pack.actors}
    frontier = list(paths)
    while frontier:
        current = frontier.pop(0)
        actor = pack.actors[current]
        links = ([actor.parent] if actor.parent else []) + [s.sponsor for s in actor.sponsors if s.covers(day)]
        for link in links:
            if link not in paths and link in pack.actors:
                paths[link] = [*paths[current], link]
                frontier.append(link)
    return paths
