"""Component ``ceasefire.claims.v1``: everything one sentence says, gathered for the report's
fold (:mod:`ceasefire.extract.assemble`).

Each event becomes an :class:`EventReading`: its claim as far as the sentence alone decides it
(kind, sub-event, actors, tolls, source), the places and date the sentence names for it, and
what the fold needs to tell whether it is an event already told ("The strikes killed five").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.casualties import INJURED, KILLED
from ceasefire.extract.control import CONTROLS
from ceasefire.extract.dates import EVENT_DATE, EVENT_SHIFT, SENTENCE_DATE, DateShift, NamedDate
from ceasefire.extract.event_places import EVENT_PLACES
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.justification import JUSTIFICATION, JustificationCue
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ANAPHORS
from ceasefire.extract.modality import DENIALS, MODALITY, DenialCue
from ceasefire.extract.observations import OBSERVATIONS
from ceasefire.extract.places import PLACES, PlaceMention
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.roles import PARSED_ROLES, ROLES
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.statements import STATEMENTS
from ceasefire.extract.support import SUPPORTS
from ceasefire.extract.tallies import TALLIES, counted_spans
from ceasefire.extract.triggers import EVENTS, TAGS, EventTrigger
from ceasefire.extract.weapons import WEAPONS
from ceasefire.model import ACLED_EVENT_TYPES, Claim, ClaimActor, ClaimDate, ClaimPlace, Role, Side

EVENT_TYPE_OF = {sub: event for event, subs in ACLED_EVENT_TYPES.items() for sub in subs}
REGAINS, OVERTAKES = "Government regains territory", "Non-state actor overtakes territory"
STATE_SIDES = (Side.GOVERNMENT, Side.PRO_GOVERNMENT, Side.FOREIGN_STATE)


@dataclass(frozen=True)
class EventReading:
    """One event as its sentence tells it."""

    claim: Claim  # without place or date: the fold sets them
    places: tuple[ClaimPlace, ...]  # named for it (empty: the fold takes the sentence before's, or the country)
    date: ClaimDate | None  # named for it (None: the fold takes the report's last date, or publication day)
    parsed_roles: tuple[ClaimActor, ...]  # the roles the parse gave, compared with an earlier event's
    weak: bool  # told only by a weak word ("killed"): may continue the event just told
    references: tuple[tuple[str, ...], ...]  # per definite noun trigger ("the strikes"): places in its phrase
    anaphors: tuple[tuple[int, tuple[Side, ...]], ...] = ()  # actors that refer back ("the group"): start, sides
    shift: DateShift | None = None  # "two days later": counted from the report's last date by the fold


@dataclass(frozen=True)
class SentenceClaims:
    """One sentence's result, the unit the report's fold takes."""

    start: int  # where the sentence starts and ends in its report's text
    end: int
    events: tuple[EventReading, ...]
    others: tuple[Claim, ...]  # support, control, statement, observation and tally claims, in that order
    justification: JustificationCue | None  # None when the sentence tells an event
    named_places: tuple[str, ...]  # words of each place named that the gazetteer knows
    precise_places: tuple[ClaimPlace, ...]  # those below the country, which the next sentence may mean
    denials: tuple[DenialCue, ...] = ()  # denials naming no act of the sentence: of an event told before
    named_date: NamedDate | None = None  # the first date the sentence names: the report's last date moves on


CLAIMS: DocAttr[SentenceClaims] = DocAttr("claims")


@component("ceasefire.claims.v1", requires=[
    REPORT, EVENTS, TAGS, MODALITY, PARSED_ROLES, ROLES, EVENT_PLACES, EVENT_DATE, EVENT_SHIFT, SENTENCE_DATE,
    KILLED, INJURED, ORIGIN, PLACES, DENIALS, SUPPORTS, CONTROLS, STATEMENTS, JUSTIFICATION, WEAPONS, TALLIES,
    OBSERVATIONS, ANAPHORS, "token.pos", "token.dep"], assigns=[CLAIMS])
def make_claims(lexicon: Lexicon, gazetteer: Gazetteer) -> SentenceAssembly:
    language = lexicon.language
    return SentenceAssembly(frozenset(language.weak_triggers), language.anaphoric_determiners,
                            language.actor_anaphors)


class SentenceAssembly:
    def __init__(self, weak_triggers: frozenset[str], anaphoric_determiners: tuple[str, ...],
                 actor_anaphors: dict[str, tuple[Side, ...]]) -> None:
        self.weak_triggers, self.anaphoric_determiners = weak_triggers, anaphoric_determiners
        self.actor_anaphors = actor_anaphors

    def __call__(self, doc: Doc) -> Doc:
        places, report = PLACES.get(doc), REPORT.get(doc)
        CLAIMS.set(doc, SentenceClaims(
            start=report.start, end=report.end,
            events=tuple(self._event(doc, report, event, places) for event in _uncounted(doc)),
            others=(*SUPPORTS.get(doc), *CONTROLS.get(doc), *STATEMENTS.get(doc), *OBSERVATIONS.get(doc),
                    *TALLIES.get(doc)),
            justification=JUSTIFICATION.get(doc),
            named_places=tuple(m.evidence.text for m in places if m.place is not None),
            precise_places=tuple(m.place for m in places if m.place is not None and m.place.geo_precision < 3),
            denials=DENIALS.get(doc),
            named_date=SENTENCE_DATE.get(doc)))
        return doc

    def _event(self, doc: Doc, report: ReportSentence, event: EventTrigger, places: list[PlaceMention]) -> EventReading:
        trigger, cited = event.trigger, ORIGIN.get(doc)
        claim = Claim(
            report_sha256=report.sha256, index=0, kind=MODALITY.get(trigger), sentence=report.whole(),
            trigger=report.token_evidence(trigger), event_type=EVENT_TYPE_OF.get(event.sub_event),
            sub_event_type=event.sub_event, tags=TAGS.get(doc), date=None, place=None, actors=ROLES.get(trigger),
            fatalities=KILLED.get(doc), injured=INJURED.get(doc), origin=cited.origin, origin_source_id=cited.source_id,
            weapons=WEAPONS.get(doc))
        references = (self._reference(member, places) for member in event.members)
        return EventReading(
            claim=_territory(claim), places=tuple(EVENT_PLACES.get(trigger)), date=EVENT_DATE.get(trigger),
            parsed_roles=tuple(PARSED_ROLES.get(trigger)), weak=trigger.lemma_.lower() in self.weak_triggers,
            references=tuple(r for r in references if r is not None),
            anaphors=tuple((m.evidence.start, self.actor_anaphors[m.token.lower_.split()[-1]])
                           for m in ANAPHORS.get(doc)),
            shift=EVENT_SHIFT.get(trigger))

    def _reference(self, trigger: Token, places: list[PlaceMention]) -> tuple[str, ...] | None:
        """"The attack", "the strikes": a definite noun, which may name an event already told;
        with the places named in its phrase (it refers back only if they are the event's)."""
        if trigger.pos_ != "NOUN":
            return None
        if not any(c.lower_ in self.anaphoric_determiners for c in trigger.children if c.dep_ in ("det", "poss")):
            return None
        return tuple(m.evidence.text for m in places if m.token in trigger.subtree)


def _uncounted(doc: Doc) -> list[EventTrigger]:
    """Events, less the words a tally counts ("attacked 60 times") or the weapons a monitor saw
    ("observed artillery"): a count is never split into events, and a sighting is no attack."""
    spans = counted_spans(TALLIES.get(doc))
    if OBSERVATIONS.get(doc):
        spans += [(w.evidence.start, w.evidence.end) for w in WEAPONS.get(doc)]
    start = REPORT.get(doc).start
    return [e for e in EVENTS.get(doc) if not any(a <= start + e.trigger.idx < b for a, b in spans)]


def _territory(claim: Claim) -> Claim:
    """Who took ground decides ACLED's territory sub-event."""
    if claim.sub_event_type not in (REGAINS, OVERTAKES):
        return claim
    taker = next(iter(claim.actors_in(Role.PERPETRATOR)), None)
    state = taker is not None and taker.side in STATE_SIDES
    return claim.model_copy(update={"sub_event_type": REGAINS if state else OVERTAKES})
