"""A report's claims as a pure fold over its sentences (DESIGN.md §7 "assemble").

``read(told, sentence)`` takes what the report has told so far and one sentence's result
(:class:`~ceasefire.extract.claims.SentenceClaims`) and returns what it has told after it; the
claims already told are never changed in place: a later sentence that adds to an earlier event
("The strikes killed five civilians", "The government said the village was held by
terrorists") replaces that claim in the new state with an updated copy.

Context flows forward only: a sentence naming no place takes the place of the sentence just
before (or the agreement's country), a sentence naming no date the date the report last gave
(or the publication day), and a justification or a toll attaches to the event just told.
After the fold, one event told twice in a report (lead and body) becomes one claim.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from functools import reduce
from typing import Any

from pydantic import BaseModel, ConfigDict

from ceasefire.extract.anaphora import remembered, resolved
from ceasefire.extract.claims import EventReading, SentenceClaims
from ceasefire.extract.dates import NamedDate
from ceasefire.extract.modality import DenialCue
from ceasefire.model import (
    Claim,
    ClaimActor,
    ClaimDate,
    ClaimKind,
    ClaimPlace,
    Report,
    ReportFormat,
    Role,
    Side,
)

NEAR = 3  # characters between two sentences that follow each other (the space or line between)
AREA_REACH = 600  # characters after the last place named within which a narrative is still "in the area"


class Told(BaseModel):
    """What a report has told after some of its sentences."""

    model_config = ConfigDict(frozen=True)

    published: ClaimDate  # the date of an event when the report has named none
    country: ClaimPlace | None  # the place of an event when the report has named none
    claims: tuple[Claim, ...] = ()
    last_event: int | None = None  # position in ``claims`` of the event later sentences may add to
    attach_end: int = -10  # end of the sentence a justification or dispute may follow
    places: tuple[ClaimPlace, ...] = ()  # precise places named by the sentence just read
    places_end: int = -10
    area: ClaimPlace | None = None  # the last precise place the report named, and where
    area_end: int = -10
    date: ClaimDate | None = None  # the date the report last gave an event
    named: tuple[ClaimActor, ...] = ()  # actors the events told named, the latest last ("the group")
    event_end: int = -10  # end of the sentence of the last event told


def assemble(report: Report, sentences: Iterable[SentenceClaims], country: ClaimPlace | None) -> list[Claim]:
    """The claims of a report's sentences, in text order, each event placed and dated."""
    if report.published is None:
        return []
    day = report.published.date()
    start = Told(published=ClaimDate(earliest=day, latest=day, time_precision=1), country=country)
    claims = list(reduce(read, sentences, start).claims)
    point = observer_point(report)
    if point is not None:
        claims = [c.model_copy(update={"place": point}) if c.place is None or c.place.evidence is None else c
                  for c in claims]
    return claims


def read(told: Told, sentence: SentenceClaims) -> Told:
    """What the report has told after one more sentence."""
    for event in sentence.events:
        event = resolved(event, told.claims, told.named, _last_event(told), sentence.start - told.event_end)
        told = _tell(told, sentence, event)
        told = told.model_copy(update={"named": remembered(told.named, event.claim), "event_end": sentence.end})
    if not sentence.events and sentence.named_date is not None:
        told = told.model_copy(update={"date": _named_date(told, sentence.named_date) or told.date})
    told = told.model_copy(update={"claims": told.claims + sentence.others})
    for cue in sentence.denials:
        told = _deny(told, sentence, cue)
    if sentence.justification is not None:
        told = _attach(told, sentence)
    places = sentence.precise_places
    if not places and sentence.events and 0 <= sentence.start - told.places_end <= NEAR:
        places = told.places  # "the army recaptured the town": the place goes on with the events told
    update: dict[str, Any] = {"places": places, "places_end": sentence.end}
    if sentence.precise_places:
        update |= {"area": sentence.precise_places[-1], "area_end": sentence.end}
    return told.model_copy(update=update)


def _last_event(told: Told) -> Claim | None:
    return told.claims[told.last_event] if told.last_event is not None else None


def _tell(told: Told, sentence: SentenceClaims, event: EventReading) -> Told:
    """One event: new claims (one per place), or details of the event just told."""
    last = _last_event(told)
    if last is not None and event.claim.kind is ClaimKind.EVENT and _same_actors(last, event.parsed_roles) and (
            _names_it(last, event) or (event.weak and _continues(told, sentence, last))):
        return _with_details(told, event)
    places = list(event.places) or _context_places(told, sentence)
    date = _event_date(told, event)
    claims = tuple(event.claim.model_copy(update={"place": place, "date": date}) for place in places)
    update: dict[str, Any] = {"claims": told.claims + claims}
    if (event.date is not None or event.shift is not None) and not date.undated:
        update["date"] = date
    if event.claim.kind is ClaimKind.EVENT and claims:
        update |= {"last_event": len(told.claims), "attach_end": sentence.end}
    return told.model_copy(update=update)


def _deny(told: Told, sentence: SentenceClaims, cue: DenialCue) -> Told:
    """A denial naming no act of its own denies the event just told: one told earlier in its
    sentence ("..., but rebel factions denied losing any positions"), or, when it names a report
    ("The army denied the report"), the report's last event wherever it was told."""
    before = [c for c in told.claims if c.kind is ClaimKind.EVENT and c.trigger is not None
              and c.trigger.start < cue.evidence.start and (cue.names_report or sentence.start <= c.trigger.start)]
    if not before:
        return told
    last = before[-1]  # not an act the same sentence tells after the denial ("... and said they repelled it")
    assert last.trigger is not None
    denial = last.model_copy(update={
        "kind": ClaimKind.DENIAL, "sentence": cue.sentence, "trigger": cue.evidence, "denies": last.trigger,
        "fatalities": None, "injured": None, "origin": None, "origin_source_id": None, "justification": None})
    return told.model_copy(update={"claims": told.claims + (denial,)})


def _event_date(told: Told, event: EventReading) -> ClaimDate:
    """The date named for the event; one told from the last date ("two days later", "26 January"
    in the narrative's year) counts from it; else the report's last date, or publication day."""
    return _named_date(told, NamedDate(event.date, event.shift)) or told.date or told.published


def _named_date(told: Told, named: NamedDate) -> ClaimDate | None:
    if named.shift is not None and told.date is not None:
        chained = named.shift.after(told.date)
        if chained is not None and chained.latest <= told.published.latest + dt.timedelta(days=1):
            return chained
    return named.date


def _same_actors(event: Claim, actors: tuple[ClaimActor, ...]) -> bool:
    """No party here on another side than the earlier event's ("the two airstrikes targeting
    the jihadists" after strikes on rebels); a party the event lacked ("a group claimed the attack") is a detail."""
    for role in (Role.PERPETRATOR, Role.TARGET):
        before = {a.side for a in event.actors_in(role)} - {Side.UNKNOWN}
        now = {a.side for a in actors if a.role is role} - {Side.UNKNOWN}
        if before and now and not before & now:
            return False
    return True


def _names_it(last: Claim, event: EventReading) -> bool:
    """"The attack was repelled", "claimed the attack": a definite noun naming the event just
    told, whose phrase names no other place."""
    place = last.place
    named = place.evidence.text if place is not None and place.evidence else ""
    return any(all(place is not None and text == named for text in texts) for texts in event.references)


def _continues(told: Told, sentence: SentenceClaims, last: Claim) -> bool:
    """A sentence right after an event, naming no other place, tells more about that event."""
    if sentence.start - told.attach_end > NEAR:
        return False
    named = last.place.evidence.text if last.place and last.place.evidence else None
    return all(text == named for text in sentence.named_places)


def _with_details(told: Told, event: EventReading) -> Told:
    """Fill what the event just told lacks from a later sentence about it (a toll, a source, an actor)."""
    assert told.last_event is not None
    last, new = told.claims[told.last_event], event.claim
    update: dict[str, Any] = {"fatalities": last.fatalities or new.fatalities, "injured": last.injured or new.injured}
    if last.origin is None:
        update |= {"origin": new.origin, "origin_source_id": new.origin_source_id}
    actors = list(last.actors)
    for role in (Role.PERPETRATOR, Role.TARGET):
        if not any(a.role is role for a in actors):
            actors += [a for a in new.actors if a.role is role][:1]
    update["actors"] = actors
    return _replace(told, told.last_event, last.model_copy(update=update))


def _replace(told: Told, position: int, claim: Claim) -> Told:
    claims = told.claims[:position] + (claim,) + told.claims[position + 1:]
    return told.model_copy(update={"claims": claims})


def _context_places(told: Told, sentence: SentenceClaims) -> list[ClaimPlace | None]:
    """No place in the sentence: where the sentence just before said; else, a few sentences on,
    near the last place named (precision 2, "in the area"); else the agreement's country."""
    if told.places and 0 <= sentence.start - told.places_end <= NEAR:
        return [told.places[-1]]
    if told.area is not None and 0 <= sentence.start - told.area_end <= AREA_REACH:
        return [told.area.model_copy(update={"geo_precision": max(told.area.geo_precision, 2)})]
    return [told.country]


def _attach(told: Told, sentence: SentenceClaims) -> Told:
    """A sentence right after an event that says its target was an excluded group, or disputes
    that, is attached to the event; any other sentence ends what may attach to it."""
    cue = sentence.justification
    if told.last_event is None or cue is None or sentence.start - told.attach_end > NEAR:
        return told
    event = told.claims[told.last_event]
    if event.justification is None and cue.justification is not None:
        justified = event.model_copy(update={"justification": cue.justification})
    elif event.justification is not None and event.justification.dispute is None and cue.dispute is not None:
        justified = event.model_copy(update={"justification": event.justification.model_copy(
            update={"dispute": cue.dispute})})
    else:
        return told.model_copy(update={"attach_end": -10})
    return _replace(told, told.last_event, justified).model_copy(update={"attach_end": sentence.end})


def observer_point(report: Report) -> ClaimPlace | None:
    """Where an observer said they were (a click on the map), for claims whose text names no place."""
    if report.format is not ReportFormat.OBSERVER:
        return None
    try:
        item = json.loads(report.raw)
        latitude, longitude = float(item["latitude"]), float(item["longitude"])
    except (ValueError, KeyError, TypeError):
        return None
    return ClaimPlace(name=f"observer's location {latitude:.4f}, {longitude:.4f}", latitude=latitude,
                      longitude=longitude, geo_precision=1)


def merge_twins(claims: list[Claim]) -> list[Claim]:
    """One event told twice in a report (lead and body) is one claim; later words fill gaps."""
    kept: list[Claim] = []
    for claim in claims:
        twin = next((k for k in kept if _same_event(k, claim)), None)
        if twin is None:
            kept.append(claim)
            continue
        updates: dict[str, Any] = {}
        for name in ("fatalities", "injured", "origin", "origin_source_id", "justification"):
            if getattr(twin, name) is None and getattr(claim, name) is not None:
                updates[name] = getattr(claim, name)
        roles = {(a.role, a.actor_id, a.side) for a in twin.actors}
        extra = [a for a in claim.actors if (a.role, a.actor_id, a.side) not in roles]
        if extra:
            updates["actors"] = [*twin.actors, *extra]
        kept[kept.index(twin)] = twin.model_copy(update=updates)
    return kept


def _same_event(a: Claim, b: Claim) -> bool:
    """Same kind of act, same named place (not just the country), overlapping dates, and no
    two different perpetrators."""
    if a.kind is not ClaimKind.EVENT or b.kind is not ClaimKind.EVENT or a.sub_event_type != b.sub_event_type:
        return False
    if a.date and b.date and (a.date.earliest > b.date.latest or b.date.earliest > a.date.latest):
        return False
    if not a.place or not b.place or a.place.geo_precision == 3 or not (_names_place(a) or _names_place(b)):
        return False
    if (a.place.area_id, a.place.geonames_id, a.place.name, a.place.geo_precision) != (
            b.place.area_id, b.place.geonames_id, b.place.name, b.place.geo_precision):
        return False
    sides_a = {x.side for x in a.actors_in(Role.PERPETRATOR)}
    sides_b = {x.side for x in b.actors_in(Role.PERPETRATOR)}
    return not sides_a or not sides_b or bool(sides_a & sides_b)


def _names_place(claim: Claim) -> bool:
    """The claim's own sentence names its place (not one carried from a sentence before)."""
    place = claim.place
    return place is not None and place.evidence is not None and \
        claim.sentence.start <= place.evidence.start < claim.sentence.end


def numbered(claims: list[Claim]) -> list[Claim]:
    return [c.model_copy(update={"index": i}) for i, c in enumerate(claims)]

