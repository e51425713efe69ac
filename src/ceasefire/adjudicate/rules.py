"""Adjudication: each incident against each clause of the agreement and each reading of it.

For every clause that prohibits the act, in this order: inside the time window? inside the
scope? is the perpetrator bound? is the target covered or excluded (under each reading, with
designations and area control as of the incident's date)? Each step writes a :class:`Reason`
naming its step, the clause and reading, and citing the words it rests on. The overall verdict
then weighs readings, contested facts (justifications, denials) and corroboration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ceasefire.adjudicate.responsibility import bound_by, responsibility
from ceasefire.adjudicate.zones import binds_later, zone_assessments
from ceasefire.model import (
    Actor,
    AgreementPack,
    Assessment,
    ClaimActor,
    Clause,
    Evidence,
    Incident,
    Reading,
    Reason,
    Role,
    Rule,
    RuleEffect,
    Side,
    Step,
    Verdict,
)
from ceasefire.verify.independence import GRADE_ORDER, credibility

CONFIDENCE_OF_CREDIBILITY = {1: 0.9, 2: 0.8, 3: 0.65, 4: 0.5, 5: 0.3, 6: 0.3}
PROTECTED_ALWAYS = {Side.CIVILIANS}


@dataclass(frozen=True)
class Exclusion:
    """One way of reading who is excluded: a reading of an exclude clause, or the clause itself."""

    clause: Clause
    reading: Reading | None
    rule: Rule

    @property
    def label(self) -> str:
        return self.reading.id if self.reading else self.clause.id


@dataclass(frozen=True)
class Where:
    """The clause being applied, and the exclusion reading it is read under (if any)."""

    clause_id: str
    reading_id: str | None

    def reason(self, step: Step, text: str, *evidence: Evidence | None) -> Reason:
        """A reason of this clause and reading; its text starts with where it applies."""
        label = self.clause_id + (f" under reading {self.reading_id}" if self.reading_id else "")
        return Reason(step=step, text=f"{label}: {text}", clause_id=self.clause_id, reading_id=self.reading_id,
                      evidence=_cited(evidence))


def _cited(evidence: tuple[Evidence | None, ...]) -> list[Evidence]:
    """The words a reason cites (none when the text gave none, e.g. a place's holder from the pack)."""
    return [e for e in evidence if e is not None and e.text]


def cite(evidence: Evidence | None) -> str:
    """The words and where they are: report hash prefix and character offsets."""
    if evidence is None:
        return "(not in the text)"
    report = f"{evidence.report_sha256[:8]}:" if evidence.report_sha256 else ""
    return f"“{evidence.text}” [{report}{evidence.start}:{evidence.end}]"


def assess(incident: Incident, pack: AgreementPack) -> list[Assessment]:
    """The overall assessment first, then one per prohibiting clause and exclusion reading."""
    agreement = pack.agreement
    day = incident.date.earliest
    base = _base_reasons(incident, pack)
    detailed: list[Assessment] = []
    for clause in _zone_clauses(pack):
        detailed += zone_assessments(incident, pack, clause, base, in_scope=_in_scope(incident, pack),
                                     confidence=_confidence(incident)[0])
    for clause, rule in _prohibitions(pack):
        if not _prohibits(rule, incident):
            continue
        readings: list[Exclusion | None] = [*_exclusions(pack)] or [None]
        for exclusion in readings:
            verdict, lines = _judge(incident, pack, rule, Where(clause.id, exclusion.label if exclusion else None),
                                    exclusion, day)
            if (later := binds_later(clause, pack, incident)) is not None and verdict is not Verdict.OUT_OF_SCOPE:
                verdict, lines = Verdict.NOT_A_VIOLATION, [*lines, later]
            detailed.append(Assessment(
                incident_id=incident.id, agreement_id=agreement.id, clause_id=clause.id,
                reading_id=exclusion.label if exclusion else None, verdict=verdict,
                confidence=_confidence(incident)[0], reasons=base + lines,
                responsibility=responsibility(incident, pack, day)))
    return [_overall(incident, pack, detailed, base), *detailed]


def _base_reasons(incident: Incident, pack: AgreementPack) -> list[Reason]:
    """The time window and scope of the incident as a whole (no clause)."""
    agreement = pack.agreement
    effective = agreement.effective
    dated = incident.date.evidence
    if incident.date.latest < effective.date():
        time = (f"{incident.date.latest} is before the agreement took effect ({effective.isoformat()}); "
                f"date from {cite(dated)}.")
    elif incident.date.earliest < effective.date():
        time = (f"{incident.date.earliest}..{incident.date.latest} may begin before the agreement took "
                f"effect ({effective.isoformat()}).")
    else:
        until = f", until {agreement.expiry.isoformat()}" if agreement.expiry else ""
        time = (f"{incident.date.earliest} is inside the agreement's window (in force from "
                f"{effective.isoformat()}{until}).")
    place = incident.place
    where = f"{place.name} ({place.country or '?'}) from {cite(place.evidence)}" if place else "no place named"
    scope = "inside" if _in_scope(incident, pack) else "outside"
    return [_reason(Step.TIME, f"Time: {time}", dated),
            _reason(Step.SCOPE, f"Scope: {where} is {scope} the agreement's scope "
                                f"({', '.join(agreement.scope.countries)}).", place.evidence if place else None)]


def _reason(step: Step, text: str, *evidence: Evidence | None) -> Reason:
    """A reason about the incident as a whole, citing the words given."""
    return Reason(step=step, text=text, evidence=_cited(evidence))


def _in_scope(incident: Incident, pack: AgreementPack) -> bool:
    scope = pack.agreement.scope
    place = incident.place
    if place is None:
        return True
    if place.country and place.country not in scope.countries:
        return False
    area = place.area_id
    while area:
        if area in scope.exclude_areas:
            return False
        area = pack.areas[area].parent if area in pack.areas else None
    return True


def _prohibitions(pack: AgreementPack) -> list[tuple[Clause, Rule]]:
    return [(c, c.rule) for c in pack.agreement.clauses
            if c.rule and c.rule.effect is RuleEffect.PROHIBIT and c.rule.zone is None]


def _zone_clauses(pack: AgreementPack) -> list[Clause]:
    """Clauses about where weapons may be (adjudicate/zones.py), rather than about acts."""
    return [c for c in pack.agreement.clauses if (c.rule and c.rule.zone) or any(r.rule.zone for r in c.readings)]


def _exclusions(pack: AgreementPack) -> list[Exclusion]:
    found = []
    for clause in pack.agreement.clauses:
        if clause.rule and clause.rule.effect is RuleEffect.EXCLUDE:
            found.append(Exclusion(clause, None, clause.rule))
        found += [Exclusion(clause, r, r.rule) for r in clause.readings if r.rule.effect is RuleEffect.EXCLUDE]
    return found


def _prohibits(rule: Rule, incident: Incident) -> bool:
    acts = set(rule.acts)
    return bool({incident.event_type, incident.sub_event_type, *incident.tags} & acts)


def _judge(incident: Incident, pack: AgreementPack, rule: Rule, where: Where, exclusion: Exclusion | None,
           day: dt.date) -> tuple[Verdict, list[Reason]]:
    if incident.date.latest < pack.agreement.effective.date():
        return Verdict.OUT_OF_SCOPE, [where.reason(Step.TIME, "before the agreement's time window.")]
    if not _in_scope(incident, pack):
        return Verdict.OUT_OF_SCOPE, [where.reason(Step.SCOPE, "outside the agreement's scope.")]
    acts = [a for a in (incident.event_type, incident.sub_event_type, *incident.tags) if a in rule.acts]
    lines = [where.reason(Step.ACT, f"the clause prohibits {', '.join(dict.fromkeys(acts))} "
                                    f"(its acts: {', '.join(rule.acts)}).")]
    perpetrators = incident.actors_in(Role.PERPETRATOR)
    if not perpetrators:
        verdict, target_lines = _target(incident, pack, where, exclusion, day)
        if verdict is Verdict.NOT_A_VIOLATION:
            return verdict, [*lines, where.reason(Step.BOUND, "no perpetrator named, but the target is excluded "
                                                              "whoever acted."), *target_lines]
        return Verdict.UNVERIFIED, [*lines, where.reason(Step.BOUND, "the reports name no perpetrator, so no party "
                                                                    "can be held to the clause yet.")]
    bound = [(p, bound_by(p, pack, day)) for p in perpetrators]
    held = [(p, via) for p, via in bound if via]
    for perpetrator, via in bound:
        name = _name(perpetrator, pack)
        status = f"is bound: {via}." if via else "is not a party, nor allied to one, nor a guarantor: not bound."
        lines.append(where.reason(Step.BOUND, f"perpetrator {name} {cite(perpetrator.evidence)} {status}",
                                  perpetrator.evidence))
    if not held:
        return Verdict.NOT_A_VIOLATION, lines
    verdict, target_lines = _target(incident, pack, where, exclusion, day)
    return verdict, lines + target_lines


def _target(incident: Incident, pack: AgreementPack, where: Where, exclusion: Exclusion | None,
            day: dt.date) -> tuple[Verdict, list[Reason]]:
    targets = incident.actors_in(Role.TARGET)
    if not targets:
        holder = _holder(incident, pack, day)
        if holder is None:
            return Verdict.VIOLATION, [where.reason(Step.TARGET, "no target named; attacks on any covered party "
                                                                 "are prohibited.")]
        targets = [holder]
    lines = []
    excluded = set(exclusion.rule.actors) if exclusion else set()
    for target in targets:
        named = f"target {_name(target, pack)} {cite(target.evidence)}"
        if target.side in PROTECTED_ALWAYS:
            lines.append(where.reason(Step.TARGET, f"{named} is protected under every reading.", target.evidence))
            return Verdict.VIOLATION, lines
        if _excluded(target, excluded, pack, day):
            lines.append(where.reason(Step.TARGET, f"{named} is excluded"
                         + (f" under {exclusion.label} (held by {_holders(exclusion, pack)})" if exclusion else "")
                         + _designations(target, pack, day) + ".", target.evidence))
        else:
            lines.append(where.reason(Step.TARGET, f"{named} is covered"
                                      + (f" under {exclusion.label}" if exclusion else "") + ".", target.evidence))
            return Verdict.VIOLATION, lines
    return Verdict.NOT_A_VIOLATION, lines


def _excluded(target: ClaimActor, excluded: set[str], pack: AgreementPack, day: dt.date) -> bool:
    if target.actor_id is None:
        return target.side is Side.EXCLUDED
    return any(a in excluded for a in pack.sponsor_chain(target.actor_id, day)[:1] + _parents(target.actor_id, pack))


def _parents(actor_id: str, pack: AgreementPack) -> list[str]:
    found, current = [], pack.actors.get(actor_id)
    while current is not None and current.parent:
        found.append(current.parent)
        current = pack.actors.get(current.parent)
    return found


def _holder(incident: Incident, pack: AgreementPack, day: dt.date) -> ClaimActor | None:
    """Who held the place on the day, from the pack's control records (the place or its parents)."""
    area = incident.place.area_id if incident.place else None
    while area and area in pack.areas:
        for control in pack.areas[area].control:
            if control.covers(day) and control.holder in pack.actors:
                actor = pack.actors[control.holder]
                words = incident.place.evidence if incident.place and incident.place.evidence else Evidence(
                    start=0, end=0, text="")
                return ClaimActor(role=Role.TARGET, evidence=words, actor_id=actor.id, side=actor.side)
        area = pack.areas[area].parent
    return None


def _designations(target: ClaimActor, pack: AgreementPack, day: dt.date) -> str:
    actor: Actor | None = pack.actors.get(target.actor_id or "")
    if actor is None:
        return ""
    valid = [d for d in actor.designations if d.covers(day)]
    return "".join(f"; designated {d.designation} by {d.by} ({d.basis}) since {d.valid_from}" for d in valid[:2])


def _holders(exclusion: Exclusion, pack: AgreementPack) -> str:
    if exclusion.reading is None:
        return "all parties"
    return ", ".join(pack.actors[h].name for h in exclusion.reading.held_by if h in pack.actors)


def _name(actor: ClaimActor, pack: AgreementPack) -> str:
    if actor.actor_id and actor.actor_id in pack.actors:
        return pack.actors[actor.actor_id].name
    return f"({actor.side.value})"


def _confidence(incident: Incident) -> tuple[float, Reason]:
    grade = credibility(incident.origins)
    base = CONFIDENCE_OF_CREDIBILITY[grade]
    perpetrators = incident.actors_in(Role.PERPETRATOR)
    named = 1.0 if any(a.actor_id for a in perpetrators) else 0.85 if any(
        a.side is not Side.UNKNOWN for a in perpetrators) else 0.7
    how = {1.0: "named", 0.85: "known only by side", 0.7: "not identified"}[named]
    value = round(base * named, 2)
    return value, _reason(Step.CONFIDENCE, f"Confidence {value:.2f} = credibility {grade} ({base:.2f}) × "
                                           f"perpetrator {how} ({named:.2f}).")


def _corroboration(incident: Incident) -> Reason:
    origins = ", ".join(f"{o.label} ({o.reliability.value})" for o in incident.origins)
    return _reason(Step.CORROBORATION, f"Corroboration: {incident.corroboration} independent origin(s): {origins}; "
                                       f"Admiralty credibility {credibility(incident.origins)}.")


def _verified(incident: Incident) -> bool:
    """Two independent origins, or one graded A or B."""
    best = min((GRADE_ORDER.index(o.reliability.value) for o in incident.origins), default=5)
    return incident.corroboration >= 2 or best <= 1


def _overall(incident: Incident, pack: AgreementPack, detailed: list[Assessment], base: list[Reason]) -> Assessment:
    confidence, confidence_line = _confidence(incident)
    reasons = [*base, _corroboration(incident)]
    verdicts = {a.verdict for a in detailed}
    depends_on: str | None = None
    contested: list[Evidence | None] = []
    if not detailed:
        verdict = Verdict.NOT_A_VIOLATION
        reasons.append(_reason(Step.ACT, f"No clause of {pack.agreement.id} prohibits {incident.sub_event_type}."))
    elif verdicts == {Verdict.OUT_OF_SCOPE}:
        verdict = Verdict.OUT_OF_SCOPE
    elif split_clauses := _split_by_reading(detailed):
        verdict = Verdict.DISPUTED
        split = sorted({f"{a.clause_id}/{a.reading_id}: {a.verdict.value}" for a in detailed
                        if a.clause_id in split_clauses and a.verdict in (Verdict.VIOLATION, Verdict.NOT_A_VIOLATION)})
        depends_on = "the reading of the exclusion clause: " + "; ".join(split)
    elif Verdict.VIOLATION in verdicts:
        verdict, depends_on, contested = _contested(incident, pack)
        if verdict is Verdict.VIOLATION and not _verified(incident):
            verdict = Verdict.UNVERIFIED
            reasons.append(_reason(Step.CORROBORATION, "Verification: one origin, not graded A or B; a violation "
                                                       "needs an independent origin."))
    elif Verdict.UNVERIFIED in verdicts:
        verdict = Verdict.UNVERIFIED
    else:
        verdict = Verdict.NOT_A_VIOLATION
    if depends_on:
        reasons.append(_reason(Step.DISPUTE, f"Disputed: depends on {depends_on}.", *contested))
    reasons += [r for a in detailed for r in a.reasons if r.clause_id and r not in reasons]
    reasons.append(confidence_line)
    return Assessment(incident_id=incident.id, agreement_id=pack.agreement.id, verdict=verdict,
                      confidence=confidence, reasons=reasons, depends_on=depends_on,
                      responsibility=responsibility(incident, pack, incident.date.earliest))


def _split_by_reading(detailed: list[Assessment]) -> set[str]:
    """Clauses that are violated under one reading and not under another (a clause that is not
    violated beside another that is, such as a zone the weapons were outside of, splits nothing)."""
    by_clause: dict[str | None, set[Verdict]] = {}
    for a in detailed:
        by_clause.setdefault(a.clause_id, set()).add(a.verdict)
    return {c for c, v in by_clause.items() if c and {Verdict.VIOLATION, Verdict.NOT_A_VIOLATION} <= v}


def _contested(incident: Incident, pack: AgreementPack) -> tuple[Verdict, str | None, list[Evidence | None]]:
    """A violation on its face can still turn on a contested fact: a party's claim that the
    target was an excluded group, or a denial that the act took place. Returns the verdict, the
    fact it depends on and the words that contest it."""
    justification = incident.justification
    if justification is not None:
        group = pack.actors[justification.excluded_actor_id].name if (
            justification.excluded_actor_id in pack.actors) else "an excluded group"
        disputed = (f", disputed in {cite(justification.dispute)}; the reports themselves contest the claim, so "
                    "the verdict leans VIOLATION") if justification.dispute else ""
        return Verdict.DISPUTED, (f"the contested fact whether the target was {group}: claimed in "
                                  f"{cite(justification.evidence)}{disputed}"), [justification.evidence,
                                                                                justification.dispute]
    if incident.denied:
        return Verdict.DISPUTED, "the contested fact whether it happened: a report denies it", []
    return Verdict.VIOLATION, None, []
