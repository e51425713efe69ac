"""Zone clauses: "no weapons of class K within D km of line L (on side S) from date T".

The weapons come from the incident's claims; the distance is measured from the place to the
pack's line (or zone polygon) in km. Both are uncertain: the line was digitised with a stated
tolerance and the place is known only to its precision radius, so a place nearer the zone's edge
than both together is never a confident VIOLATION: it is UNVERIFIED, saying which way it could
fall. Before the clause's deadline the weapons break nothing, and a clause that a later
instrument added binds only acts on or after that instrument's date. Every reason names the
line, the distance measured, the tolerance and the deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ceasefire.adjudicate.responsibility import bound_by, responsibility
from ceasefire.model import (
    AgreementPack,
    Assessment,
    ClaimActor,
    Clause,
    Evidence,
    Incident,
    MonitorRole,
    PackGeometry,
    Reason,
    Role,
    Rule,
    Step,
    Verdict,
    WeaponClass,
    WeaponMention,
    ZoneRule,
)
from ceasefire.packs.geometry import Measure, measure

# How far a place may be from where its coordinates put it, by ACLED geo_precision, when the
# pack gives no radius for it: 1 the town itself, 2 near it or part of a region, 3 the province.
PRECISION_RADIUS_KM = {1: 2.0, 2: 15.0, 3: 50.0}


@dataclass(frozen=True)
class Armed:
    """A weapon of the incident and whether it is of one of the clause's classes (None: its
    calibre would decide, and the reports do not give it)."""

    weapon: WeaponMention
    weapon_class: WeaponClass | None
    certain: bool


def binds_later(clause: Clause, pack: AgreementPack, incident: Incident) -> Reason | None:
    """The reason a clause does not bind this act yet: it binds from a later instrument's date
    (or its own ``from``), and the act ended before that day. None when it binds."""
    start = pack.binds_from(clause)
    if start is None or incident.date.latest >= start:
        return None
    instrument = next((i for i in pack.agreement.instruments if i.id == clause.instrument), None)
    by = f" by {instrument.title} ({instrument.id}, {instrument.date})" if instrument else ""
    return Reason(step=Step.TIME, clause_id=clause.id,
                  text=f"{clause.id}: added{by}; it binds acts on or after {start}, and this one "
                       f"({incident.date.earliest}..{incident.date.latest}) came before.")


def zone_assessments(incident: Incident, pack: AgreementPack, clause: Clause, base: list[Reason], *,
                     in_scope: bool, confidence: float) -> list[Assessment]:
    """The assessments of one zone clause (its rule, or each reading that carries a zone): none
    when the incident names no weapon of the clause's classes, or none held by a party it binds."""
    rules: list[tuple[str | None, Rule]] = [(None, clause.rule)] if clause.rule and clause.rule.zone else []
    rules += [(r.id, r.rule) for r in clause.readings if r.rule.zone]
    found = []
    for reading_id, rule in rules:
        judged = _judge(incident, pack, clause, rule, in_scope)
        if judged is None:
            continue
        verdict, lines = judged
        label = clause.id + (f" under reading {reading_id}" if reading_id else "")
        reasons = [r.model_copy(update={"text": r.text.replace(f"{clause.id}:", f"{label}:", 1),
                                        "reading_id": reading_id}) for r in lines]
        found.append(Assessment(incident_id=incident.id, agreement_id=pack.agreement.id, clause_id=clause.id,
                                reading_id=reading_id, verdict=verdict, confidence=confidence,
                                reasons=base + reasons,
                                responsibility=responsibility(incident, pack, incident.date.earliest)))
    return found


def _judge(incident: Incident, pack: AgreementPack, clause: Clause, rule: Rule,
           in_scope: bool) -> tuple[Verdict, list[Reason]] | None:
    zone = rule.zone
    assert zone is not None
    armed = armed_with(incident, pack, zone)
    if not armed:
        return None
    watchers = {g.actor for g in pack.agreement.guarantors if g.role in (MonitorRole.MONITOR, MonitorRole.OBSERVER)}
    holders = [a for a in incident.actors_in(Role.PERPETRATOR) + incident.actors_in(Role.HOLDER)
               if a.actor_id not in watchers or a.actor_id is None]  # a monitor who saw them holds none
    bound = [(h, why) for h in holders if (why := _binds(rule, h, pack, incident.date.earliest))]
    if holders and not bound:
        return None  # the clause binds another party: its own zone clause judges these weapons
    line = pack.geometry[zone.line]
    lines = [_reason(clause, Step.ACT, _weapons_text(armed, zone), *[a.weapon.evidence for a in armed])]
    if incident.date.latest < pack.agreement.effective.date():
        return Verdict.OUT_OF_SCOPE, [*lines, _reason(clause, Step.TIME, "before the agreement's time window.")]
    if not in_scope:
        return Verdict.OUT_OF_SCOPE, [*lines, _reason(clause, Step.SCOPE, "outside the agreement's scope.")]
    if (later := binds_later(clause, pack, incident)) is not None:
        return Verdict.NOT_A_VIOLATION, [*lines, later]
    if zone.deadline and incident.date.latest < zone.deadline:
        return Verdict.NOT_A_VIOLATION, [*lines, _reason(clause, Step.TIME, (
            f"seen {incident.date.latest}, before the withdrawal deadline {zone.deadline}: weapons within "
            f"{zone.within_km:g} km of {_named(line)} break the clause only from that day (line tolerance "
            f"±{line.tolerance_km:g} km)."))]
    if not line.covers(incident.date.earliest):
        return Verdict.UNVERIFIED, [*lines, _reason(clause, Step.ZONE, (
            f"{_named(line)} is drawn for {line.valid_from or '…'}..{line.valid_to or '…'}, not for "
            f"{incident.date.earliest}; no distance can be measured against it (deadline {_deadline(zone)})."))]
    place = incident.place
    if place is None:
        return Verdict.UNVERIFIED, [*lines, _reason(clause, Step.ZONE, (
            f"no place is named, so the distance to {_named(line)} cannot be measured (the clause keeps these "
            f"weapons {zone.within_km:g} km away from {_deadline(zone)}; line tolerance ±{line.tolerance_km:g} km)."))]
    radius = _radius(incident, pack)
    where = measure(line, place.longitude, place.latitude)
    verdict, text = _distance_verdict(zone, line, where, radius)
    lines.append(_reason(clause, Step.ZONE, f"{place.name} {_cite(place.evidence)} is {text}", place.evidence))
    if verdict is not Verdict.VIOLATION:
        return verdict, lines
    if not holders:
        return Verdict.UNVERIFIED, [*lines, _reason(clause, Step.BOUND, "the reports do not say whose weapons "
                                                                       "these are, so no party can be held to it.")]
    lines += [_reason(clause, Step.BOUND, f"held by {_actor(h, pack)} {_cite(h.evidence)}, bound: {why}.",
                      h.evidence) for h, why in bound]
    if not all(a.certain for a in armed):
        return Verdict.UNVERIFIED, [*lines, _reason(clause, Step.ACT, "the reports give no calibre, so whether "
                                                                     "these weapons are of the clause's class is "
                                                                     "not known.")]
    return Verdict.VIOLATION, lines


def armed_with(incident: Incident, pack: AgreementPack, zone: ZoneRule) -> list[Armed]:
    """The incident's weapons that are, or may be, of the zone's classes."""
    classes = [c for c in pack.weapons.classes if c.id in zone.weapon_classes]
    found = []
    for weapon in incident.weapons:
        named = weapon.weapon_class or pack.weapons.classify(weapon.kind, weapon.calibre_mm, weapon.name)
        if named in zone.weapon_classes:
            found.append(Armed(weapon, next((c for c in classes if c.id == named), None), True))
            continue
        maybe = next((c for c in classes if c.admits(weapon.kind, weapon.calibre_mm) is None), None)
        if maybe is not None and named is None:
            found.append(Armed(weapon, maybe, False))
    return found


def _distance_verdict(zone: ZoneRule, line: PackGeometry, where: Measure, radius: float) -> tuple[Verdict, str]:
    """Inside, outside or too near the edge to say, with the figures that decide it."""
    margin = line.tolerance_km + radius
    low, high = max(where.distance_km - margin, 0.0), where.distance_km + margin
    relation = "inside" if where.inside else f"{where.distance_km:.1f} km from"
    figures = (f"{relation} {_named(line)}{f', on its {where.side} side' if where.side else ''}; the clause keeps "
               f"these weapons {zone.within_km:g} km{f' on its {zone.side} side' if zone.side else ''} from "
               f"{_deadline(zone)}; line tolerance ±{line.tolerance_km:g} km and place precision ±{radius:g} km "
               f"put it {low:.1f}..{high:.1f} km away")
    if zone.side and where.side != zone.side:
        if where.boundary_km <= margin:
            return Verdict.UNVERIFIED, f"{figures}: so near the line that its side is not certain."
        return Verdict.NOT_A_VIOLATION, f"{figures}: on the other side of the line."
    if high <= zone.within_km:
        return Verdict.VIOLATION, f"{figures}: inside the zone."
    if low > zone.within_km:
        return Verdict.NOT_A_VIOLATION, f"{figures}: beyond {zone.within_km:g} km, outside the zone."
    return Verdict.UNVERIFIED, (f"{figures}: within the tolerance of the zone's edge ({zone.within_km:g} km), so "
                                "it may be inside or outside; not a confident violation.")


def _binds(rule: Rule, holder: ClaimActor, pack: AgreementPack, day: dt.date) -> str | None:
    """Why the rule binds whoever holds the weapons: a party it names (or one of its forces), a
    side it names, or any bound party when it binds "parties"."""
    for ref in rule.binds:
        if ref == "parties":
            if why := bound_by(holder, pack, day):
                return why
        elif ref == holder.side.value:
            return f"on the {ref} side, which the clause binds"
        elif ref in pack.actors and holder.actor_id in pack.actors and (
                ref in pack.sponsor_chain(holder.actor_id, day)):
            return f"part of {pack.actors[ref].name}, which the clause binds"
        elif ref in pack.actors and holder.actor_id is None and holder.side is pack.actors[ref].side:
            return (f"named only by side ({holder.side.value}), the side of {pack.actors[ref].name}, which the "
                    "clause binds")
    return None


def _radius(incident: Incident, pack: AgreementPack) -> float:
    place = incident.place
    assert place is not None
    if place.area_id and place.area_id in pack.areas and place.geo_precision <= 2:
        # "near X", "the edge of X": the place's own radius, and as far again beyond its edge at most
        return pack.areas[place.area_id].radius_km * place.geo_precision
    return PRECISION_RADIUS_KM[place.geo_precision]


def _weapons_text(armed: list[Armed], zone: ZoneRule) -> str:
    unique = {(a.weapon.evidence.text, a.weapon.name, a.weapon.kind): a for a in armed}.values()
    listed = "; ".join(f"{_weapon(a.weapon)} ({a.weapon_class.title if a.weapon_class else '?'}"
                       f"{'' if a.certain else ', if its calibre fits'})" for a in unique)
    return f"weapons of the clause's classes ({', '.join(zone.weapon_classes)}): {listed}."


def _weapon(weapon: WeaponMention) -> str:
    return _cite(weapon.evidence) if weapon.evidence.text else (weapon.name or weapon.kind)


def _named(line: PackGeometry) -> str:
    return f"{line.title} ({line.id})"


def _deadline(zone: ZoneRule) -> str:
    return str(zone.deadline) if zone.deadline else "the agreement's entry into force"


def _actor(actor: ClaimActor, pack: AgreementPack) -> str:
    return pack.actors[actor.actor_id].name if actor.actor_id in pack.actors else f"({actor.side.value})"


def _cite(evidence: Evidence | None) -> str:
    if evidence is None:
        return "(not in the text)"
    report = f"{evidence.report_sha256[:8]}:" if evidence.report_sha256 else ""
    return f"“{evidence.text}” [{report}{evidence.start}:{evidence.end}]"


def _reason(clause: Clause, step: Step, text: str, *evidence: Evidence | None) -> Reason:
    return Reason(step=step, text=f"{clause.id}: {text}", clause_id=clause.id,
                  evidence=[e for e in evidence if e is not None and e.text])
