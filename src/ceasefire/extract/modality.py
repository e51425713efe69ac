"""Component ``ceasefire.modality.v1``: whether each event is told as done, denied or threatened.

Cues are read on the trigger and the words governing it up to the sentence's root: "denied
shelling" is a denial, "threatened to storm" or "would attack" a threat, "a possible offensive"
hypothetical (a threat); otherwise the act is asserted (an event). A clause joined to a denial
("denied losing any positions and said they had repelled the attack") is not under it.

A denial that governs no act of the sentence ("..., but rebel factions denied losing any
positions", "The army denied the report") is kept as a :class:`DenialCue`: the fold
(:mod:`ceasefire.extract.assemble`) makes it a denial of the event it answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, TokenAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.extract.triggers import EVENTS
from ceasefire.model import ClaimKind, Evidence

MODALITY: TokenAttr[ClaimKind] = TokenAttr("modality")
CLAUSE_PARTS = ("nsubj", "nsubjpass", "xcomp", "ccomp", "dobj", "neg", "aux", "prep")  # a denial's own words


@dataclass(frozen=True)
class DenialCue:
    """A denial that names no act of its own: its words, its sentence, and whether it names a
    report ("denied the report": the event just told, wherever) or an act in other words
    ("denied losing any positions": an event told before it in the same sentence)."""

    evidence: Evidence
    sentence: Evidence
    names_report: bool


DENIALS: DocAttr[tuple[DenialCue, ...]] = DocAttr("denials")


@component("ceasefire.modality.v1", requires=[EVENTS, REPORT, "token.lemma", "token.pos", "token.dep", "token.head"],
           assigns=[MODALITY, DENIALS])
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
        self.denied_reports = frozenset(cues.denied_reports)

    def __call__(self, doc: Doc) -> Doc:
        governing: set[int] = set()  # denials that name an act of the sentence
        for event in EVENTS.get(doc):
            kind, denier = self.read(event.trigger)
            MODALITY.set(event.trigger, kind)
            if denier is not None:
                governing.add(denier.i)
        DENIALS.set(doc, tuple(cue for token in doc if token.i not in governing
                               and (cue := self._cue(token)) is not None))
        return doc

    def _cue(self, token: Token) -> DenialCue | None:
        """A denial verb answering an act it does not name: "denied losing any positions" (a
        verb under it), "denied the report" (a report noun); not "did not deny", not "rejected the plan"."""
        if token.pos_ != "VERB" or token.lemma_.lower() not in self.denial:
            return None
        if any(c.dep_ == "neg" for c in token.children):
            return None
        parts = [c for c in token.children if c.dep_ in CLAUSE_PARTS]
        names_report = any(c.dep_ == "dobj" and c.lemma_.lower() in self.denied_reports for c in parts)
        if not names_report and not any(c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX") for c in parts):
            return None
        words = [token, *(w for c in parts for w in c.subtree)]
        start, end = min(words, key=lambda w: w.i), max(words, key=lambda w: w.i)
        report = REPORT.get(token.doc)
        return DenialCue(evidence=report.evidence(start.idx, end.idx + len(end)), sentence=report.whole(),
                         names_report=names_report)

    def kind(self, trigger: Token) -> ClaimKind:
        return self.read(trigger)[0]

    def read(self, trigger: Token) -> tuple[ClaimKind, Token | None]:
        """How the act is told, and the denial verb over it when it is denied by one."""
        if any(c.dep_ == "amod" and c.lower_ in self.hypothetical_modifiers for c in trigger.children):
            return ClaimKind.THREAT, None
        previous = trigger
        for token in (trigger, *trigger.ancestors):
            lemma = token.lemma_.lower()
            if lemma in self.denial and not (previous.dep_ == "conj" and previous.head.i == token.i):
                return ClaimKind.DENIAL, token
            if lemma in self.threat:
                return ClaimKind.THREAT, None
            for child in token.children:
                if child.dep_ == "neg" and token.pos_ in ("VERB", "AUX"):
                    return ClaimKind.DENIAL, None
                if child.dep_ == "nsubj" and any(d.lower_ in self.negative_determiners for d in child.children
                                                 if d.dep_ == "det"):
                    return ClaimKind.DENIAL, None
                if child.dep_ in ("aux", "mark") and child.lower_ in self.auxiliaries:
                    return ClaimKind.THREAT, None
            if token.dep_ == "ROOT":
                break
            previous = token
        return ClaimKind.EVENT, None
