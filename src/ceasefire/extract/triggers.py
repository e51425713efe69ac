"""Component ``ceasefire.triggers.v1``: the events a sentence tells, each as its trigger words
and ACLED sub-event, plus the sentence's ACLED-style tags.

Triggers in one another's phrase tell one event; the one highest in the parse ("clashed" in
"fighters, backed by artillery, clashed with ...") decides its sub-event, unless it names
violence without its means ("artillery shells struck": the shells say what struck). A sentence
without a trigger of its own still tells an event when a weak word ("killed") comes with a
count and a place below the country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from ceasefire.extract.casualties import KILLED
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import LanguageData, Trigger
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, actor_at
from ceasefire.extract.places import PLACES, place_at
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.words import CUE_WORDS, LEMMAS, LOWERS


@dataclass(frozen=True)
class EventTrigger:
    """One event of a sentence: its main trigger, its sub-event, and every trigger that tells it."""

    trigger: Token
    sub_event: str
    members: tuple[Token, ...]


EVENTS: DocAttr[list[EventTrigger]] = DocAttr("events")
TAGS: DocAttr[list[str]] = DocAttr("tags")


@component("ceasefire.triggers.v1", requires=[LEMMAS, LOWERS, CUE_WORDS, "token.lemma", "token.pos", "token.dep",
                                              "token.head", ACTORS, PLACES, KILLED], assigns=[EVENTS, TAGS])
def make_triggers(lexicon: Lexicon, gazetteer: Gazetteer) -> Triggers:
    return Triggers(lexicon.language)


class Triggers:
    def __init__(self, language: LanguageData) -> None:
        self.language = language
        self.generic = frozenset(language.generic_triggers)
        self.weak = frozenset(language.weak_triggers)
        self.supports = frozenset(language.support_heads)

    def __call__(self, doc: Doc) -> Doc:
        lemmas, lowers, cues = LEMMAS.get(doc), LOWERS.get(doc), CUE_WORDS.get(doc)
        events = self._events(doc, lemmas, lowers, cues)
        EVENTS.set(doc, events)
        TAGS.set(doc, _tags(lemmas, self.language) if events else [])
        return doc

    def _events(self, doc: Doc, lemmas: list[str], lowers: list[str], cues: set[str]) -> list[EventTrigger]:
        table = self.language.triggers
        actors, places = ACTORS.get(doc), PLACES.get(doc)
        found: list[tuple[Token, str]] = []
        for i, token in enumerate(doc):
            phrase = _phrase_at(i, lemmas, lowers, table)
            if phrase is None or actor_at(actors, token) or place_at(places, token) or self._background(token):
                continue
            entry = table[phrase]
            found.append((token, next((sub for cue, sub in entry.with_.items() if cue in cues), entry.sub_event)))
        if not found:
            found = self._weak_trigger(doc, actors, lemmas, cues)
        return _grouped(found, self.generic)

    def _background(self, token: Token) -> bool:
        """"daily air raids", "earlier fighting", "backed by air strikes": no event of its own."""
        if any(c.dep_ in ("amod", "advmod") and c.lower_ in self.language.habitual_modifiers for c in token.children):
            return True
        # "backed by", "supported by": verbs, not "with the guarantor's support"
        return any(a.lemma_.lower() in self.supports and a.pos_ == "VERB" for a in list(token.ancestors)[:3])

    def _weak_trigger(self, doc: Doc, actors: list[Mention], lemmas: list[str],
                      cues: set[str]) -> list[tuple[Token, str]]:
        """A bare "killed" makes an event only with a count and a place below the country."""
        concrete = KILLED.get(doc) is not None and any(
            p.place is not None and p.place.geo_precision < 3 for p in PLACES.get(doc))
        if not concrete:
            return []
        language = self.language
        for token in doc:
            if token.lemma_.lower() in self.weak and token.pos_ in ("VERB", "ADJ", "NOUN"):
                means = next((sub for word, sub in language.means.items() if word in cues), None)
                hit_civilians = any(m.label.endswith("|civilians") for m in actors) or any(
                    lemma in language.civilian_words for lemma in lemmas)
                fallback = language.fallback_sub_event
                return [(token, means or (fallback.civilians if hit_civilians else fallback.other))]
        return []


def _phrase_at(i: int, lemmas: list[str], lowers: list[str], table: dict[str, Trigger]) -> str | None:
    """The longest trigger phrase ending at token ``i`` ("air strike" ends at "strike")."""
    for size in (3, 2, 1):
        if i - size + 1 < 0:
            continue
        for words in (lemmas[i - size + 1: i + 1], lowers[i - size + 1: i + 1]):
            key = " ".join(w for w in words if w != "-") if size > 1 else words[0]
            if key in table:
                if size == 1 and i + 1 < len(lemmas) and f"{lemmas[i]} {lemmas[i + 1]}" in table:
                    return None  # the head of a longer phrase ("air" of "air strike")
                return key
    return None


def _grouped(found: list[tuple[Token, str]], generic: frozenset[str]) -> list[EventTrigger]:
    groups: list[tuple[Token, str, list[Token]]] = []
    for token, sub_event in sorted(found, key=lambda ts: (len(list(ts[0].ancestors)), ts[0].i)):
        at = next((n for n, g in enumerate(groups) if any(_related(m, token) for m in g[2])), None)
        if at is None:
            groups.append((token, sub_event, [token]))
            continue
        main, main_sub, members = groups[at]
        members.append(token)
        if main.lemma_.lower() in generic and token.lemma_.lower() not in generic:
            groups[at] = (main, sub_event, members)  # "artillery shells struck": the shells say what struck
    return sorted((EventTrigger(t, sub, tuple(members)) for t, sub, members in groups), key=lambda e: e.trigger.i)


def _related(a: Token, b: Token) -> bool:
    return a in b.subtree or b in a.subtree or a.head == b.head


def _tags(lemmas: list[str], language: LanguageData) -> list[str]:
    text = " ".join(lemmas)
    return sorted(tag for tag, words in language.tags.items() if any(re.search(rf"\b{w}\b", text) for w in words))
