"""Actors a sentence means without naming them, read in the report's fold (``assemble.read``).

"IS seized the hill. The group later shelled the airbase": "the group" is the last actor named
on a side it may stand for (``actor_anaphors`` in ``lang/en.yaml``), never one on the side of
the other party of its own act. "Turkish forces and the FSA advanced" right after a strike on
IS: a ground act whose sentence names who moved but not against whom takes the target of the
event just told, when that target is on another side than the movers.
"""

from __future__ import annotations

from dataclasses import replace

from ceasefire.extract.claims import EventReading
from ceasefire.model import Claim, ClaimActor, Role, Side

REMEMBERED = 30  # actors kept for "the group" to refer to
# A ground act may take the target of an event told at most this many characters before it
# (a sentence or two: "Turkish forces advanced" a line after "strikes on IS").
TARGET_REACH = 250
GROUND_ACTS = frozenset({"Armed clash", "Government regains territory", "Non-state actor overtakes territory"})
UNNAMED = (Side.UNKNOWN, Side.CIVILIANS)


def resolved(event: EventReading, told: tuple[Claim, ...], named: tuple[ClaimActor, ...], last: Claim | None,
             gap: int) -> EventReading:
    """The event with its anaphors replaced by the actors they mean and, without a target, the
    report's last-named opponent of its perpetrator (or, for a ground act, the target of the
    event just told, ``gap`` characters before)."""
    claim = event.claim
    anaphors = dict(event.anaphors)
    actors = list(claim.actors)
    for at, actor in enumerate(actors):
        if actor.evidence.start in anaphors:
            actors[at] = _referent(actor, actors, anaphors, named)
            anaphors.pop(actor.evidence.start)
    if not any(a.role is Role.TARGET for a in actors):
        actors += _opponent(actors, told, named)
    if last is not None and 0 <= gap <= TARGET_REACH and claim.sub_event_type in GROUND_ACTS:
        actors += _inherited_target(actors, last)
    if actors == list(claim.actors):
        return event
    return replace(event, claim=claim.model_copy(update={"actors": actors}))


def _opponent(actors: list[ClaimActor], told: tuple[Claim, ...], named: tuple[ClaimActor, ...]) -> list[ClaimActor]:
    """"The army captured the village" in a report where the army fought IS before: IS lost it."""
    sides = {a.side for a in actors if a.role is Role.PERPETRATOR} - set(UNNAMED)
    if not sides:
        return []
    against = {pair[1] for c in told for pair in _fronts(c) if pair[0] in sides} - sides
    found = next((a for a in reversed(named) if a.side in against), None)
    return [found.model_copy(update={"role": Role.TARGET})] if found is not None else []


def _fronts(claim: Claim) -> list[tuple[Side, Side]]:
    """The pairs of sides an event set against each other, both ways."""
    done = {a.side for a in claim.actors_in(Role.PERPETRATOR)} - set(UNNAMED)
    hit = {a.side for a in claim.actors_in(Role.TARGET)} - set(UNNAMED)
    return [pair for d in done for h in hit if d != h for pair in ((d, h), (h, d))]


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
