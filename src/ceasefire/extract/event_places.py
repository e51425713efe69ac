"""Component ``ceasefire.event_places.v1``: where each event happened, among the places the
sentence names: the place nearest after the trigger ("struck Northtown"), else the nearest before
it. Conjoined places ("on Northtown and Southtown") give one claim each; otherwise the
most precise of the places named together wins ("Hill Village, in the River Valley").

An event whose sentence names no place gets none here; the assembly then takes the place of
the sentence just before, or the agreement's country.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.places import PLACES, PlaceMention
from ceasefire.extract.registry import TokenAttr, component
from ceasefire.extract.triggers import EVENTS
from ceasefire.model import ClaimPlace

EVENT_PLACES: TokenAttr[list[ClaimPlace]] = TokenAttr("event_places")


@component("ceasefire.event_places.v1", requires=[EVENTS, PLACES, "token.dep", "token.head"], assigns=[EVENT_PLACES])
def make_event_places(lexicon: Lexicon, gazetteer: Gazetteer) -> EventPlaces:
    return EventPlaces(frozenset(lexicon.language.roles.pair_prepositions))


class EventPlaces:
    def __init__(self, pair_prepositions: frozenset[str]) -> None:
        self.pair_prepositions = pair_prepositions

    def __call__(self, doc: Doc) -> Doc:
        places = PLACES.get(doc)
        for event in EVENTS.get(doc):
            EVENT_PLACES.set(event.trigger, self.places_of(places, event.trigger))
        return doc

    def places_of(self, places: list[PlaceMention], trigger: Token) -> list[ClaimPlace]:
        resolved = [(m, m.place) for m in places if m.place is not None]
        if not resolved:
            return []
        first = min(resolved, key=lambda mp: mp[0].token.i - trigger.i if mp[0].token.i > trigger.i
                    else 50 + trigger.i - mp[0].token.i)
        group = [first] + [(m, p) for m, p in resolved if m.token in first[0].token.conjuncts]
        if len(group) > 1 and first[0].token.head.lower_ not in self.pair_prepositions:
            return [p for _, p in sorted(group, key=lambda mp: mp[0].token.i)]
        if first[1].geo_precision > 1:
            return [min((p for _, p in resolved), key=lambda p: p.geo_precision)]
        return [first[1]]
