"""Component ``ceasefire.places.v1``: each place a sentence names, resolved in the gazetteer.

Among namesakes the gazetteer prefers the one nearest the sentence's other places. Words around
the name change its precision: "the outskirts of TOWN" is precision 2; "rural REGION" or "REGION
province" is the governorate (precision 3), placed as ACLED places it.

A wrong town is worse than a coarse place: a name matched only by spelling likeness (a near
miss) that lies farther than ``NEAR_KM`` from the sentence's other places is dropped, and so is
an acronym ("SANA" is an agency, not a village) that is no pack area; the event then takes the
coarser place the text gives (its district or governorate).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Token

from ceasefire.extract.gazetteer import NEAR_KM, Gazetteer, Place, km
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import Mention, mention
from ceasefire.extract.names import fold
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.model import ClaimPlace, Evidence


@dataclass
class PlaceMention:
    """A place name in the sentence and the place it resolves to (None: not in the gazetteer)."""

    token: Token
    evidence: Evidence
    label: str
    place: ClaimPlace | None


PLACES: DocAttr[list[PlaceMention]] = DocAttr("places")


@component("ceasefire.places.v1", requires=["doc.spans", "token.dep", "token.head", REPORT], assigns=[PLACES])
def make_places(lexicon: Lexicon, gazetteer: Gazetteer) -> Places:
    language = lexicon.language
    return Places(gazetteer, frozenset(language.region_words), frozenset(language.governorate_words))


class Places:
    def __init__(self, gazetteer: Gazetteer, region_words: frozenset[str], governorate_words: frozenset[str]) -> None:
        self.gazetteer, self.region_words, self.governorate_words = gazetteer, region_words, governorate_words

    def __call__(self, doc: Doc) -> Doc:
        report = REPORT.get(doc)
        named = [mention(report, span) for span in doc.spans.get("places", [])]
        PLACES.set(doc, [PlaceMention(m.token, m.evidence, m.label, self._place_of(m, named)) for m in named])
        return doc

    def _place_of(self, named: Mention, others: list[Mention]) -> ClaimPlace | None:
        gazetteer = self.gazetteer
        candidates = [gazetteer.places[i] for i in gazetteer.index.get(named.label, [])]
        if not candidates:
            return None
        near = [gazetteer.best(gazetteer.lookup(m.evidence.text)) for m in others if m is not named
                and gazetteer.lookup(m.evidence.text)]
        place = gazetteer.best(candidates, near, named.evidence.text)
        if not _sure(named, place, near):
            return None
        token = named.token
        window = {t.lower_ for t in token.doc[max(0, token.i - 3): token.i + 3]}
        precision = place.geo_precision
        if window & self.governorate_words:
            governorate = next((c for c in candidates if c.kind == "governorate"), None) or (
                gazetteer.governorate(place.admin1) if place.admin1 else None)
            if governorate is not None:
                place, precision = governorate, 3
        elif window & self.region_words and precision == 1:
            precision = 2
        return ClaimPlace(evidence=named.evidence, name=place.name, area_id=place.area_id,
                          geonames_id=place.geonames_id, latitude=place.latitude, longitude=place.longitude,
                          admin1=place.admin1, country=place.country, geo_precision=precision)


def _sure(named: Mention, place: Place, near: list[Place]) -> bool:
    """Not an acronym that no pack area bears, and, when matched only by likeness of spelling,
    near the sentence's other places; with none, one letter apart at most ("Masakanah")."""
    text = named.evidence.text
    if text.isupper() and len(text) > 1 and place.area_id is None:
        return False
    key = fold(text)
    if key == named.label:
        return True
    if near:
        return any(km(place, other) <= NEAR_KM for other in near)
    return Levenshtein.distance(key, named.label) <= 1


def place_at(places: list[PlaceMention], token: Token) -> PlaceMention | None:
    return next((m for m in places if m.token.i == token.i), None)


def country_place(gazetteer: Gazetteer) -> ClaimPlace | None:
    """Where an event is when its report names no place: the agreement's country at ACLED's
    country precision (3), marked as not coming from the text (no evidence)."""
    country = gazetteer.country_area()
    if country is None:
        return None
    return ClaimPlace(name=country.name, area_id=country.area_id, latitude=country.latitude,
                      longitude=country.longitude, country=country.country, geo_precision=3)
