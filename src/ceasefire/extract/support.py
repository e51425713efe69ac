"""Component ``ceasefire.support.v1``: one actor funding, arming or backing another: "State A
opened a credit line for state B", "A has spent $100 billion in B" (with the amount)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.dates import DATE_SPANS, named_date
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, actor_at, as_actor, mention_in
from ceasefire.extract.places import PLACES, place_at
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.words import CUE_WORDS
from ceasefire.model import Amount, Claim, ClaimActor, ClaimKind, Role

SUPPORTS: DocAttr[list[Claim]] = DocAttr("supports")


@component("ceasefire.support.v1", requires=[ACTORS, PLACES, CUE_WORDS, ORIGIN, DATE_SPANS, REPORT, "token.lemma",
                                             "token.pos", "token.dep", "token.head"], assigns=[SUPPORTS])
def make_support(lexicon: Lexicon, gazetteer: Gazetteer) -> Support:
    return Support(lexicon)


class Support:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon, self.language = lexicon, lexicon.language
        self.verbs = frozenset(lexicon.language.support_verbs)
        self.recipient_prepositions = lexicon.language.roles.recipient_prepositions

    def __call__(self, doc: Doc) -> Doc:
        SUPPORTS.set(doc, self._claims(doc) if self.verbs & CUE_WORDS.get(doc) else [])
        return doc

    def _claims(self, doc: Doc) -> list[Claim]:
        actors, report = ACTORS.get(doc), REPORT.get(doc)
        for token in doc:
            if token.lemma_.lower() not in self.verbs or token.pos_ != "VERB" or token.dep_ in ("amod", "acl"):
                continue
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            found = (actor_at(actors, subject) or mention_in(actors, subject) or self._state_named(doc, subject)
                     ) if subject else None
            supporter = as_actor(found, Role.SUPPORTER) if isinstance(found, Mention) else found
            recipient = self._recipient(doc, actors, token, subject)
            if supporter is None or recipient is None:
                continue
            cited = ORIGIN.get(doc)
            return [Claim(report_sha256=report.sha256, index=0, kind=ClaimKind.SUPPORT,
                          sentence=report.whole(), trigger=report.token_evidence(token),
                          actors=[supporter.model_copy(update={"role": Role.SUPPORTER}),
                                  recipient.model_copy(update={"role": Role.RECIPIENT})],
                          amount=_amount(doc, report, self.language), origin=cited.origin,
                          origin_source_id=cited.source_id,
                          date=named_date(doc, self.language) or report.publication_day())]
        return []

    def _recipient(self, doc: Doc, actors: list[Mention], verb: Token, subject: Token | None) -> ClaimActor | None:
        """The indirect object, or the object of to/for/into/in under the verb or its object."""
        excluded = set(subject.subtree) if subject is not None else set()
        heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
        for head in heads:
            for child in head.children:
                targets = [child] if child.dep_ in ("dative", "iobj") else []
                if child.dep_ == "prep" and child.lower_ in self.recipient_prepositions:
                    targets = [c for c in child.children if c.dep_ == "pobj"]
                for target in targets:
                    if target in excluded:
                        continue
                    found = actor_at(actors, target) or mention_in(actors, target) or self._state_named(doc, target)
                    if found:
                        return found if isinstance(found, ClaimActor) else as_actor(found, Role.RECIPIENT)
        return None

    def _state_named(self, doc: Doc, token: Token) -> ClaimActor | None:
        """A place that is also an actor's name (a country for its state): "credit lines for <country>"."""
        place = place_at(PLACES.get(doc), token)
        if place is None:
            return None
        name = self.lexicon.actor(place.evidence.text)
        if name is None:
            return None
        return ClaimActor(role=Role.RECIPIENT, evidence=place.evidence, actor_id=name.actor_id, side=name.side)


def _amount(doc: Doc, report: ReportSentence, language: LanguageData) -> Amount | None:
    """"$2 billion": the first currency word followed by a number, times a scale word after it."""
    scales, currencies = language.scale_words, language.currency_words
    for token in doc:
        if token.lower_ not in currencies:
            continue
        number = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if number is None or not number.like_num:
            continue
        try:
            value = float(number.text.replace(",", ""))
        except ValueError:
            continue
        end = number
        if number.i + 1 < len(doc) and doc[number.i + 1].lower_ in scales:
            end = doc[number.i + 1]
            value *= scales[end.lower_]
        return Amount(evidence=report.evidence(token.idx, end.idx + len(end)), value=value,
                      currency=currencies.get(token.text, language.default_currency))
    return None
