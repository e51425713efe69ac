"""Component ``ceasefire.justification.v1``: a sentence telling no event of its own that says
the target was an excluded group ("the village was held by Black Band terrorists"),
or disputes that ("Residents disputed this"). The assembly attaches it to the report's last
event when the sentence follows it directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, as_actor
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT
from ceasefire.extract.triggers import EVENTS
from ceasefire.extract.words import LEMMAS, LOWERS
from ceasefire.model import Evidence, Justification, Role


@dataclass(frozen=True)
class JustificationCue:
    """What a sentence without an event may add to the event before it."""

    justification: Justification | None  # the sentence justifies the act
    dispute: Evidence | None  # the sentence disputes a justification


JUSTIFICATION: DocAttr[JustificationCue | None] = DocAttr("justification")


@component("ceasefire.justification.v1", requires=[EVENTS, ACTORS, LEMMAS, LOWERS, REPORT, "token.dep"],
           assigns=[JUSTIFICATION])
def make_justification(lexicon: Lexicon, gazetteer: Gazetteer) -> Justifications:
    return Justifications(lexicon)


class Justifications:
    def __init__(self, lexicon: Lexicon) -> None:
        self.excluded = lexicon.excluded
        self.justification_words = frozenset(lexicon.language.justification_words)
        self.dispute_words = frozenset(lexicon.language.dispute_words)

    def __call__(self, doc: Doc) -> Doc:
        JUSTIFICATION.set(doc, None if EVENTS.get(doc) else self._cue(doc))
        return doc

    def _cue(self, doc: Doc) -> JustificationCue:
        actors = ACTORS.get(doc)
        words = set(LEMMAS.get(doc)) | set(LOWERS.get(doc))
        excluded = [m for m in actors if m.label.split("|")[0] in self.excluded or m.label.endswith("|excluded")]
        report = REPORT.get(doc)
        disputes = report.whole() if words & self.dispute_words else None
        if not (excluded or words & self.justification_words):
            return JustificationCue(None, disputes)
        speaker = next((m for m in actors if m.token.dep_ == "nsubj"), None)
        justification = Justification(
            evidence=report.whole(), excluded_actor_id=(excluded[0].label.split("|")[0] or None) if excluded else None,
            claimed_by=as_actor(speaker, Role.SPEAKER) if speaker else None, dispute=disputes)
        return JustificationCue(justification, disputes)
