"""Component ``ceasefire.observations.v1``: what a monitor saw itself: "the monitors observed
four 122mm howitzers near X" (an observation with its weapons), and restrictions of their
movement: "a patrol was denied passage at a checkpoint near Y" (tagged ``restriction of
monitors' movement``, a breach in itself). Counts the monitors heard are tallies
(:mod:`ceasefire.extract.tallies`)."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.counting import is_monitor, speaker, subject_of
from ceasefire.extract.dates import DATE_SPANS, named_date
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, as_actor, mention_in
from ceasefire.extract.places import PLACES
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.extract.tallies import TALLIES
from ceasefire.extract.weapons import WEAPONS
from ceasefire.extract.words import LEMMAS
from ceasefire.model import Claim, ClaimActor, ClaimKind, Role

OBSERVATIONS: DocAttr[list[Claim]] = DocAttr("observations")
RESTRICTION_TAG = "restriction of monitors' movement"
NOUN_WINDOW = 4  # words after a restriction verb that may hold its noun ("denied passage", "turned back")


@component("ceasefire.observations.v1", requires=[REPORT, LEMMAS, ACTORS, PLACES, ORIGIN, DATE_SPANS, WEAPONS, TALLIES,
                                                  "token.lemma", "token.pos", "token.dep", "token.head"],
           assigns=[OBSERVATIONS])
def make_observations(lexicon: Lexicon, gazetteer: Gazetteer) -> Observations:
    return Observations(lexicon)


class Observations:
    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon, self.words = lexicon, lexicon.language.counts

    def __call__(self, doc: Doc) -> Doc:
        found = self._restriction(doc) or self._sighting(doc)
        OBSERVATIONS.set(doc, [found] if found is not None else [])
        return doc

    def _restriction(self, doc: Doc) -> Claim | None:
        lemmas = LEMMAS.get(doc)
        for token in doc:
            if token.lemma_.lower() not in self.words.restriction_verbs or token.pos_ != "VERB":
                continue
            window = lemmas[token.i + 1: token.i + 1 + NOUN_WINDOW]
            if not set(window) & set(self.words.restriction_nouns):
                continue
            if not is_monitor(self.lexicon, doc.text, None) and not self._monitor_named(doc):
                continue
            return self._claim(doc, token, [RESTRICTION_TAG], self._restricting(doc, token), with_weapons=False)
        return None

    def _sighting(self, doc: Doc) -> Claim | None:
        weapons = WEAPONS.get(doc)
        if not weapons or TALLIES.get(doc):
            return None
        for token in doc:
            if token.lemma_.lower() not in self.words.observation_verbs or token.pos_ != "VERB":
                continue
            subject = subject_of(token)
            if subject is None and not self._monitor_named(doc):
                continue
            words = doc[subject.left_edge.i: subject.right_edge.i + 1].text if subject is not None else doc.text
            if is_monitor(self.lexicon, words, mention_in(ACTORS.get(doc), subject) if subject else None):
                return self._claim(doc, token, [], [], with_weapons=True)
        return None

    def _monitor_named(self, doc: Doc) -> bool:
        return any(m.label.split("|")[0] in self.lexicon.monitors for m in ACTORS.get(doc))

    def _restricting(self, doc: Doc, verb: Token) -> list[ClaimActor]:
        """Who stopped the monitors: the agent of a passive verb ("by armed men"), or the subject of an active one."""
        actors, agents = ACTORS.get(doc), self.lexicon.language.roles.agent_prepositions
        agent = next((c for c in verb.children if c.dep_ == "agent"), None) or next(
            (t for t in doc[verb.i + 1:] if t.lower_ in agents), None)  # "near X by Y": wherever the parse hangs it
        who = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if who is None and verb.dep_ != "auxpass" and not any(c.dep_ == "nsubjpass" for c in verb.children):
            who = subject_of(verb)
        found: Mention | None = mention_in(actors, who) if who is not None else None
        if found is None or is_monitor(self.lexicon, found.evidence.text, found):
            return []
        return [as_actor(found, Role.PERPETRATOR)]

    def _claim(self, doc: Doc, verb: Token, tags: list[str], actors: list[ClaimActor], with_weapons: bool) -> Claim:
        report, cited = REPORT.get(doc), ORIGIN.get(doc)
        observer, _ = speaker(self.lexicon, doc, report, ACTORS.get(doc), subject_of(verb), cited)
        place = next((m.place for m in PLACES.get(doc) if m.place is not None), None)
        observers = [observer] if observer is not None and observer.role is Role.SPEAKER else []
        return Claim(report_sha256=report.sha256, index=0, kind=ClaimKind.OBSERVATION, sentence=report.whole(),
                     trigger=report.token_evidence(verb), tags=tags, actors=[*actors, *observers],
                     date=named_date(doc, self.lexicon.language) or report.publication_day(), place=place,
                     origin=cited.origin, origin_source_id=cited.source_id,
                     weapons=WEAPONS.get(doc) if with_weapons else [])
