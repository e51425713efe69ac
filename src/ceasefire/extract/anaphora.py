"""Actors a sentence means without naming them, read in the report's fold (``assemble.read``).

"IS seized the hill. The group later shelled the airbase": "the group" is the last actor named
on a side it may stand for (``actor_anaphors`` in ``lang/en.yaml``), never one on the side of
the other party of its own act. "Foreign troops and their allies advanced" right after a strike on
IS: a ground act whose sentence names who moved but not against whom takes the target of the
event just told, when that target is on another side than the movers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ceasefire.extract.claims import EventReading
from ceasefire.model import Claim, ClaimActor, ClaimKind, Role, Side

REMEMBERED = 30  # actors kept for "the group" to refer to
# A ground act may take the target of an event told at most this many characters before it
# (a sentence or two: "the troops advanced" a line after "strikes on IS").
TARGET_REACH = 250
GROUND_ACTS = frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"})
UNNAMED = (Side.UNKNOWN, Side.CIVILIANS)


def resolved(event: EventReading, told: tuple[Claim, ...], named: tuple[ClaimActor, ...], last: Claim | None,
             gap: int) -> EventReading:
    """The event with its anaphors replaced by the actors they mean, and a missing party filled
    from context: for a ground act the target of the event just told (``gap`` characters
    before), else the side the report has set against the party named (its last-named actor)."""
    claim = event.claim
    anaphors = dict(event.anaphors)
    actors = list(claim.actors)
    for at, actor in enumerate(actors):
        if actor.evidence.start in anaphors:
            actors[at] = _referent(actor, actors, anaphors, named)
    # an anaphor nothing told before resolves ("they" with no one named yet) is no actor
    actors = [a for a in actors if a.evidence.start not in anaphors or a.side is not Side.UNKNOWN or a.actor_id]
    actors = _without_self_targets(actors)
    if last is not None and 0 <= gap <= TARGET_REACH and claim.sub_event_type in GROUND_ACTS:
        actors += _inherited_target(actors, last)
    fronts = _fronts(told)
    for missing, given in ((Role.TARGET, Role.PERPETRATOR), (Role.PERPETRATOR, Role.TARGET)):
        if claim.kind is ClaimKind.EVENT and not any(a.role is missing for a in actors):
            actors += _opponent(actors, given, missing, fronts, named)
    if actors == list(claim.actors):
        return event
    return replace(event, claim=claim.model_copy(update={"actors": actors}))


def _without_self_targets(actors: list[ClaimActor]) -> list[ClaimActor]:
    """"ISIL's offensive ... conducted by ISIL", "the army ... the military": one party named
    twice is not its own target (two named factions of one side may fight each other)."""
    doers = [a for a in actors if a.role is Role.PERPETRATOR]

    def same(target: ClaimActor) -> bool:
        return any(d.side == target.side and (d.actor_id == target.actor_id or None in (d.actor_id, target.actor_id))
                   for d in doers)

    return [a for a in actors if a.role is not Role.TARGET or a.side in UNNAMED or not same(a)]


def _opponent(actors: list[ClaimActor], given: Role, missing: Role, fronts: Counter[tuple[Side, Side]],
              named: tuple[ClaimActor, ...]) -> list[ClaimActor]:
    """"The army captured the village" in a report where the army has mostly fought IS: IS lost it."""
    sides = {a.side for a in actors if a.role is given} - set(UNNAMED)
    if not sides:
        return []
    scores = Counter({other: sum(fronts[(side, other)] for side in sides) for _, other in fronts if other not in sides})
    best = [side for side, score in scores.most_common(1) if score > 0]
    found = next((a for a in reversed(named) if a.side in best), None)
    return [found.model_copy(update={"role": missing})] if found is not None else []


def _fronts(told: tuple[Claim, ...]) -> Counter[tuple[Side, Side]]:
    """How often the report has set one side against another (both ways), less how often it
    named them acting together."""
    fronts: Counter[tuple[Side, Side]] = Counter()
    for claim in told:
        done = {a.side for a in claim.actors_in(Role.PERPETRATOR)} - set(UNNAMED)
        hit = {a.side for a in claim.actors_in(Role.TARGET)} - set(UNNAMED)
        fronts.update(pair for d in done for h in hit if d != h for pair in ((d, h), (h, d)))
        fronts.subtract((a, b) for a in done for b in done if a != b)
    return fronts


def remembered(named: tuple[ClaimActor, ...], claim: Claim) -> tuple[ClaimActor, ...]:
    """The actors named so far after one more event: its targets, then its perpetrators (the
    subject is what "the group" most often means), the latest last."""
    known = [a for role in (Role.TARGET, Role.PERPETRATOR) for a in claim.actors_in(role)
             if a.actor_id is not None or a.side not in UNNAMED]
    return (named + tuple(known))[-REMEMBERED:]


def _referent(anaphor: ClaimActor, actors: list[ClaimActor], anaphors: dict[int, tuple[Side, ...]],
              named: tuple[ClaimActor, ...]) -> ClaimActor:
    sides = anaphors[anaphor.evidence.start]
    others = {a.side for a in actors if a.role is not anaphor.role and a.evidence.start not in anaphors}
    for candidate in reversed(named):
        if candidate.side in UNNAMED or candidate.side in others or (sides and candidate.side not in sides):
            continue
        return anaphor.model_copy(update={"actor_id": candidate.actor_id, "side": candidate.side})
    return anaphor


def _inherited_target(actors: list[ClaimActor], last: Claim) -> list[ClaimActor]:
    perpetrators = {a.side for a in actors if a.role is Role.PERPETRATOR}
    if not perpetrators or perpetrators <= set(UNNAMED) or any(a.role is Role.TARGET for a in actors):
        return []
    told = last.sentence  # a target the event's own sentence named, not one it took in turn
    return [t for t in last.actors_in(Role.TARGET) if t.side not in perpetrators and t.side not in UNNAMED
            and told.start <= t.evidence.start < told.end][:1]
