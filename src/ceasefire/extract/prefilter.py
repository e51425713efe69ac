"""Cheap first: an Aho-Corasick pass picks the sentences that can hold a claim, so only those
go through spaCy. A sentence qualifies when it holds an event, support or control word, in a
report that names at least one of the pack's actors or places."""

from __future__ import annotations

import re
from collections.abc import Iterator

import ahocorasick

from ceasefire.extract.counting import cue_words
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(\[]*[A-Z0-9])|\n\s*\n|\n(?=\s*[•\-*]\s)")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences and list items of a text."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start:match.start()].strip():
            yield _trimmed(text, start, match.start())
        start = match.end()
    if text[start:].strip():
        yield _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def relevance_names(lexicon: Lexicon, gazetteer: Gazetteer) -> set[str]:
    """Proper names that mark a report as about the conflict: the pack's places and localities,
    the GeoNames towns of its countries, and its armed actors (not states as a whole, whose
    names are in every newspaper)."""
    names = {n for n in gazetteer.proper_names if len(n) >= 5}
    for actor_id, aliases in lexicon.aliases_of.items():
        if actor_id not in lexicon.armed:
            continue
        proper = {a for a in aliases if len(a) >= 3 and any(ch.isupper() or not ch.isascii() for ch in a)}
        phrases = {a for a in aliases if " " in a and a not in proper}  # "regime warplanes"
        names |= proper | phrases | {p[0].upper() + p[1:] for p in phrases}
    return names


def _automaton(words: set[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        if word:
            automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


class Prefilter:
    """Finds candidate sentences with two automata: event words, and the pack's names."""

    def __init__(self, lexicon: Lexicon, gazetteer: Gazetteer) -> None:
        language = lexicon.language
        triggers = {w.lower() for w in language.triggers} | set(language.weak_triggers)
        triggers |= set(language.prefilter_extra) | set(language.prefilter_support)
        triggers |= cue_words(lexicon)  # observations and tallies
        self.triggers = _automaton(triggers)
        self.names = _automaton(relevance_names(lexicon, gazetteer))

    def relevant(self, text: str) -> bool:
        """Does the report name a place in the agreement's scope or one of its armed actors?
        Names are matched as written (capitalised), so "residents" or a "tall" building do not count."""
        return any(self._bounded(text, end, word, whole=True) for end, word in self.names.iter(text))

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """Sentences of a relevant report that hold an event, support or control word."""
        if not self.relevant(text):
            return []
        lowered = text.lower()
        hits = sorted(end - len(word) + 1 for end, word in self.triggers.iter(lowered)
                      if self._bounded(lowered, end, word))
        if not hits:
            return []
        found = []
        for start, end in sentences(text):
            if any(start <= h < end for h in hits):
                found.append((start, end))
        return found

    @staticmethod
    def _bounded(text: str, end: int, word: str, whole: bool = False) -> bool:
        """A match that starts a word; names must also end one, while event words may go on
        ("shell" in "shelled")."""
        start = end - len(word) + 1
        before_ok = start == 0 or not text[start - 1].isalnum() or not word[0].isalnum()
        after_ok = (len(word) >= 4 and not whole) or end + 1 >= len(text) or not text[end + 1].isalnum()
        return before_ok and after_ok
