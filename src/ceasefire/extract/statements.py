"""Component ``ceasefire.statements.v1``: someone named says something about the agreement
("the guarantor said the truce was holding"), in a sentence that tells no event."""

from __future__ import annotations

from spacy.tokens import Doc

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.dates import DATE_SPANS, named_date
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, actor_at, as_actor, mention_in
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.extract.triggers import EVENTS
from ceasefire.extract.words import LEMMAS
from ceasefire.model import Claim, ClaimKind, Role

STATEMENTS: DocAttr[list[Claim]] = DocAttr("statements")


@component("ceasefire.statements.v1", requires=[EVENTS, ACTORS, LEMMAS, ORIGIN, DATE_SPANS, REPORT, "token.lemma",
                                                "token.pos", "token.dep"], assigns=[STATEMENTS])
def make_statements(lexicon: Lexicon, gazetteer: Gazetteer) -> Statements:
    return Statements(lexicon.language)


class Statements:
    def __init__(self, language: LanguageData) -> None:
        self.language = language
        self.agreement_words = frozenset(language.agreement_words)

    def __call__(self, doc: Doc) -> Doc:
        STATEMENTS.set(doc, [] if EVENTS.get(doc) else self._claims(doc))
        return doc

    def _claims(self, doc: Doc) -> list[Claim]:
        if not set(LEMMAS.get(doc)) & self.agreement_words:
            return []
        actors, report = ACTORS.get(doc), REPORT.get(doc)
        for token in doc:
            if token.lemma_.lower() not in self.language.speech_verbs or token.pos_ != "VERB":
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            speaker = (actor_at(actors, subject) or mention_in(actors, subject)) if subject is not None else None
            if speaker is None and subject is not None and subject.pos_ == "PROPN":  # a speaker the pack lacks
                words = report.evidence(subject.left_edge.idx, subject.idx + len(subject))
                speaker = Mention(subject, words, "|unknown")
            if speaker is not None:
                cited = ORIGIN.get(doc)
                return [Claim(report_sha256=report.sha256, index=0, kind=ClaimKind.STATEMENT,
                              sentence=report.whole(), trigger=report.token_evidence(token),
                              actors=[as_actor(speaker, Role.SPEAKER)], origin=cited.origin,
                              origin_source_id=cited.source_id,
                              date=named_date(doc, self.language) or report.publication_day())]
        return []
