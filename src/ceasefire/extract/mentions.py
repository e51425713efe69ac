"""Component ``ceasefire.mentions.v1``: the actors a sentence names, as mentions on the parse.

The ``ceasefire_names`` matcher marks actor names before the parser runs; once parsed, each
becomes a :class:`Mention` at its head token. A name glued to a control word ("government-held
X") names the holder of a place, not an actor of the event: those go to ``doc._.holders``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.registry import DocAttr, component
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.model import ClaimActor, Evidence, Role, Side


@dataclass
class Mention:
    """A name in the sentence: its head token, its words, and its label (``actor_id|side``,
    or for a place the folded name, a gazetteer key)."""

    token: Token
    evidence: Evidence
    label: str


ACTORS: DocAttr[list[Mention]] = DocAttr("actors")
HOLDERS: DocAttr[list[Mention]] = DocAttr("holders")


@component("ceasefire.mentions.v1", requires=["doc.spans", "token.dep", "token.head", REPORT],
           assigns=[ACTORS, HOLDERS])
def make_mentions(lexicon: Lexicon, gazetteer: Gazetteer) -> ActorMentions:
    return ActorMentions(frozenset(lexicon.language.control_words))


class ActorMentions:
    def __init__(self, control_words: frozenset[str]) -> None:
        self.control_words = control_words

    def __call__(self, doc: Doc) -> Doc:
        spans, report = doc.spans.get("actors", []), REPORT.get(doc)
        HOLDERS.set(doc, [mention(report, s) for s in spans if _holds(s, self.control_words)])
        ACTORS.set(doc, [mention(report, s) for s in spans if not _holds(s, self.control_words)])
        return doc


def mention(report: ReportSentence, span: Span) -> Mention:
    return Mention(span.root, report.evidence(span.start_char, span.end_char), span.label_)


def _holds(span: Span, control_words: frozenset[str]) -> bool:
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ in control_words


def actor_at(actors: list[Mention], token: Token) -> Mention | None:
    return next((m for m in actors if m.token.i == token.i), None)


def mention_in(actors: list[Mention], token: Token) -> Mention | None:
    """The actor a phrase names: the token itself or one inside its phrase ("gunmen from
    the Black Band"), a pack actor before a generic word ("Islamic State militants")."""
    subtree = {t.i for t in token.subtree} - {t.i for c in token.children if c.dep_ in ("relcl", "acl", "appos")
                                              for t in c.subtree}
    inside = [m for m in actors if m.token.i in subtree]
    specific = [m for m in inside if not m.label.startswith("|")]
    own = actor_at(actors, token)
    if own is not None and (not own.label.startswith("|") or not specific):
        return own
    found = specific or inside
    return found[0] if found else None


def as_actor(mention: Mention, role: Role) -> ClaimActor:
    actor_id, side = mention.label.split("|")
    return ClaimActor(role=role, evidence=mention.evidence, actor_id=actor_id or None, side=Side(side))


def has_role(roles: list[ClaimActor], mention: Mention) -> bool:
    return any(a.evidence == mention.evidence for a in roles)
