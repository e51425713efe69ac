"""The field's codes an export needs: ACLED inter codes and disorder types, UCDP precisions and
violence types, PRIO-GRID cells. Standards, not conflict data."""

from __future__ import annotations

import datetime as dt

from ceasefire.intake.codes import INTER_BY_SIDE, country_code, country_name, country_number
from ceasefire.model import ActorKind, AgreementPack, ClaimActor, ClaimDate, ClaimPlace, Incident, Role, Side

DISORDER_BY_TYPE = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
                    "Violence against civilians": "Political violence", "Protests": "Demonstrations",
                    "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
DISORDER_BY_SUB_TYPE = {"Excessive force against protesters": "Political violence; Demonstrations",
                        "Mob violence": "Political violence"}
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
STATE_KINDS = frozenset({ActorKind.STATE, ActorKind.STATE_FORCE})
INTER_BY_KIND = {ActorKind.REBEL_GROUP: 2, ActorKind.JIHADIST_GROUP: 2, ActorKind.MILITIA: 3,
                 ActorKind.CIVILIANS: 7, ActorKind.INTERNATIONAL_BODY: 8}


def actor_name(actor: ClaimActor, pack: AgreementPack) -> str:
    """The pack's name of the actor, else the name coded data gave, else the words of the text."""
    if actor.actor_id and actor.actor_id in pack.actors:
        return pack.actors[actor.actor_id].name
    return actor.name or actor.evidence.text


def inter_code(actor: ClaimActor, pack: AgreementPack) -> int:
    """ACLED's inter code of an actor, from its kind in the pack (or its side when unknown).

    State forces are 1 at home and 8 abroad (ACLED's "external forces"); coalitions follow their side.
    """
    known = pack.actors.get(actor.actor_id or "")
    if known is None:
        return INTER_BY_SIDE[actor.side]
    if known.kind in STATE_KINDS:
        return 1 if known.side is Side.GOVERNMENT else 8
    return INTER_BY_KIND.get(known.kind, INTER_BY_SIDE[known.side])


def interaction(first: int | None, second: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (17); one actor alone gives 10, 20, ..."""
    if first is None:
        return None
    if second is None:
        return first * 10
    low, high = sorted((first, second))
    return low * 10 + high


def disorder_type(incident: Incident) -> str:
    """ACLED's disorder type (political violence, demonstrations, strategic developments) of the event's type."""
    return DISORDER_BY_SUB_TYPE.get(incident.sub_event_type or "",
                                    DISORDER_BY_TYPE.get(incident.event_type or "", ""))


def event_day(date: ClaimDate) -> dt.date:
    """The day an event is dated to: the middle of its range, which ACLED's precision spreads evenly."""
    return date.earliest + (date.latest - date.earliest) // 2


def where_precision(place: ClaimPlace | None) -> int:
    """UCDP where_prec: 1 exact place, 2 within 25 km, 4 a first-order division, 6 only the country."""
    if place is None or place.evidence is None:
        return 6
    return {1: 1, 2: 2, 3: 4}[place.geo_precision]


def date_precision(date: ClaimDate) -> int:
    """UCDP date_prec: 1 the day, 2 within 2-6 days, 3 the week, 4 the month, 5 longer."""
    days = (date.latest - date.earliest).days + 1
    for limit, precision in ((1, 1), (6, 2), (7, 3), (31, 4)):
        if days <= limit:
            return precision
    return 5


def violence_type(incident: Incident, pack: AgreementPack) -> int | None:
    """UCDP type_of_violence: 1 state-based, 2 non-state, 3 one-sided (against civilians)."""
    if incident.event_type not in VIOLENT_TYPES:
        return None
    if incident.event_type == "Violence against civilians" or any(
            a.side is Side.CIVILIANS for a in incident.actors_in(Role.TARGET)):
        return 3
    return 1 if any(inter_code(a, pack) in (1, 8) for a in incident.actors) else 2


def priogrid_cell(latitude: float, longitude: float) -> int:
    """PRIO-GRID cell id of a point (half-degree cells, numbered from the south-west corner)."""
    row, column = int((latitude + 90) // 0.5), int((longitude + 180) // 0.5)
    return row * 720 + column + 1


__all__ = ["country_code", "country_name", "country_number"]
