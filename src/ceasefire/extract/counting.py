"""What observations and tallies share: who counted or saw (a monitor, a party, an outlet's
principal), and which words of the language data make a sentence worth parsing for them."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from ceasefire.extract.attribution import Attribution
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import Mention, as_actor, mention_in
from ceasefire.extract.names import plain
from ceasefire.extract.sentence import ReportSentence
from ceasefire.model import ClaimActor, Role, Side


def cue_words(lexicon: Lexicon) -> set[str]:
    """Words the prefilter looks for so that observation and tally sentences are parsed."""
    counts, weapons = lexicon.language.counts, lexicon.language.weapons
    words = {w.lower() for w in (*counts.counted, *weapons.kinds, *counts.restriction_nouns, *counts.times_words)}
    words |= {"observ", "recorded", "registered", "heard", "spotted", "saw", "seen", "sighted"}
    words |= {n.lower() for s in lexicon.weapons.systems for n in s.names}
    return words


def subject_of(verb: Token, passive: bool = True) -> Token | None:
    """The verb's subject; with ``passive=False`` only an active one ("15 violations were recorded" has none)."""
    deps = ("nsubj", "nsubjpass") if passive else ("nsubj",)
    return next((c for c in verb.children if c.dep_ in deps), None)


def source_in(lexicon: Lexicon, report: ReportSentence, phrase: Span) -> Attribution | None:
    """A pack outlet or organisation named in a phrase ("the Reconciliation Centre recorded ...")."""
    padded = f" {plain(phrase.text)} "
    for alias, source_id in sorted(lexicon.sources.items(), key=lambda kv: -len(kv[0])):
        if f" {alias} " in padded:
            match = re.search(r"\W+".join(re.escape(w) for w in alias.split()), phrase.text, re.IGNORECASE)
            start, end = (match.start(), match.end()) if match else (0, len(phrase.text))
            return Attribution(report.evidence(phrase.start_char + start, phrase.start_char + end), source_id)
    return None


def is_monitor(lexicon: Lexicon, words: str, found: Mention | None) -> bool:
    """Words naming the agreement's monitors: a pack actor it names as monitor, or a generic word."""
    if found is not None and found.label.split("|")[0] in lexicon.monitors:
        return True
    lowered = f" {words.lower()} "
    return any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in lexicon.language.counts.monitor_words)


def speaker(lexicon: Lexicon, doc: Doc, report: ReportSentence, actors: list[Mention], subject: Token | None,
            cited: Attribution) -> tuple[ClaimActor | None, bool]:
    """Who counted or saw: the verb's subject, else the outlet the sentence cites; and whether it is a monitor."""
    if subject is not None:
        subjects = [c for c in subject.head.children if c.dep_ == subject.dep_]  # a name split in two
        phrase = doc[min(s.left_edge.i for s in subjects): max(s.right_edge.i for s in subjects) + 1]
        found = mention_in(actors, subject)
        monitor = is_monitor(lexicon, phrase.text, found)
        evidence = report.evidence(phrase.start_char, phrase.end_char)
        cited = source_in(lexicon, report, phrase) or cited
        inside = cited.origin is not None and evidence.start <= cited.origin.start and cited.origin.end <= evidence.end
        if inside and (found is None or len(cited.origin.text) > len(found.evidence.text)):  # type: ignore[union-attr]
            actor = _cited_actor(lexicon, cited)  # "the Reconciliation Centre": the outlet, not the state it belongs to
            return actor, monitor or actor.actor_id in lexicon.monitors
        if found is not None:
            return as_actor(found, Role.SPEAKER), monitor
        if subject.pos_ in ("NOUN", "PROPN"):
            return ClaimActor(role=Role.SPEAKER, evidence=evidence, name=phrase.text,
                              actor_id=_only(lexicon.monitors) if monitor else None,
                              side=Side.OTHER if monitor else Side.UNKNOWN), monitor
    if cited.origin is not None:
        actor = _cited_actor(lexicon, cited)
        return actor, is_monitor(lexicon, cited.origin.text, None) or actor.actor_id in lexicon.monitors
    return None, False


def _cited_actor(lexicon: Lexicon, cited: Attribution) -> ClaimActor:
    assert cited.origin is not None
    actor_id = lexicon.source_actors.get(cited.source_id or "")
    name = lexicon.actor(lexicon.aliases_of[actor_id][0]) if actor_id in lexicon.aliases_of else None
    return ClaimActor(role=Role.SPEAKER, evidence=cited.origin, actor_id=actor_id,
                      side=name.side if name else Side.UNKNOWN, name=cited.origin.text)


def _only(ids: frozenset[str]) -> str | None:
    return next(iter(ids)) if len(ids) == 1 else None
