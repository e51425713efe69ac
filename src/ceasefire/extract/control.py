"""Component ``ceasefire.control.v1``: who holds a place, from "rebel-held Basimah" or "the
regime-controlled town of X" (a control claim dated on the report's publication day)."""

from __future__ import annotations

from spacy.tokens import Doc

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import HOLDERS, as_actor
from ceasefire.extract.places import PLACES, place_at
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.model import Claim, ClaimKind, Role

CONTROLS: DocAttr[list[Claim]] = DocAttr("controls")


@component("ceasefire.control.v1", requires=[HOLDERS, PLACES, "token.head", REPORT], assigns=[CONTROLS])
def make_control(lexicon: Lexicon, gazetteer: Gazetteer) -> Control:
    return Control(frozenset(lexicon.language.control_words))


class Control:
    def __init__(self, control_words: frozenset[str]) -> None:
        self.control_words = control_words

    def __call__(self, doc: Doc) -> Doc:
        holders, places, report = HOLDERS.get(doc), PLACES.get(doc), REPORT.get(doc)
        claims = []
        for token in doc:
            if token.lower_ not in self.control_words or token.i < 2 or doc[token.i - 1].text != "-":
                continue
            holder = next((m for m in holders if m.token.i == token.i - 2), None)
            if holder is None:
                continue
            noun = token.head
            place = place_at(places, noun) or next((place_at(places, t) for t in noun.subtree
                                                    if place_at(places, t)), None)
            if place is None:
                continue
            trigger = report.evidence(doc[token.i - 2].idx, token.idx + len(token))  # "rebel-held"
            claims.append(Claim(report_sha256=report.sha256, index=0, kind=ClaimKind.CONTROL,
                                sentence=report.whole(), trigger=trigger, actors=[as_actor(holder, Role.HOLDER)],
                                place=place.place, date=report.publication_day()))
        CONTROLS.set(doc, claims)
        return doc
