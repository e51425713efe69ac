"""Component ``ceasefire.modality.v1``: whether each event is told as done, denied or threatened.

Cues are read on the trigger and the words governing it up to the sentence's root: "denied
shelling" is a denial, "threatened to storm" or "would attack" a threat, "a possible offensive"
hypothetical (a threat); otherwise the act is asserted (an event).
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import TokenAttr, component
from ceasefire.extract.triggers import EVENTS
from ceasefire.model import ClaimKind

MODALITY: TokenAttr[ClaimKind] = TokenAttr("modality")


@component("ceasefire.modality.v1", requires=[EVENTS, "token.lemma", "token.pos", "token.dep", "token.head"],
           assigns=[MODALITY])
def make_modality(lexicon: Lexicon, gazetteer: Gazetteer) -> Modality:
    return Modality(lexicon.language)


class Modality:
    def __init__(self, language: LanguageData) -> None:
        cues = language.modality
        self.hypothetical_modifiers = language.hypothetical_modifiers
        self.denial = cues.denial
        self.threat = frozenset((*cues.threat, *cues.threat_nouns))
        self.auxiliaries = (*cues.future, *cues.hypothetical)
        self.negative_determiners = cues.negative_determiners

    def __call__(self, doc: Doc) -> Doc:
        for event in EVENTS.get(doc):
            MODALITY.set(event.trigger, self.kind(event.trigger))
        return doc

    def kind(self, trigger: Token) -> ClaimKind:
        if any(c.dep_ == "amod" and c.lower_ in self.hypothetical_modifiers for c in trigger.children):
            return ClaimKind.THREAT
        for token in (trigger, *trigger.ancestors):
            lemma = token.lemma_.lower()
            if lemma in self.denial:
                return ClaimKind.DENIAL
            if lemma in self.threat:
                return ClaimKind.THREAT
            for child in token.children:
                if child.dep_ == "neg" and token.pos_ in ("VERB", "AUX"):
                    return ClaimKind.DENIAL
                if child.dep_ == "nsubj" and any(d.lower_ in self.negative_determiners for d in child.children
                                                 if d.dep_ == "det"):
                    return ClaimKind.DENIAL
                if child.dep_ in ("aux", "mark") and child.lower_ in self.auxiliaries:
                    return ClaimKind.THREAT
            if token.dep_ == "ROOT":
                break
        return ClaimKind.EVENT
