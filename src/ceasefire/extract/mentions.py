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
ANAPHORS: DocAttr[list[Mention]] = DocAttr("anaphors")  # "the group", "they": in ACTORS too
SUBJECTS = ("nsubj", "nsubjpass")
UNNAMED = f"|{Side.UNKNOWN.value}"


@component("ceasefire.mentions.v1", requires=["doc.spans", "token.dep", "token.head", "token.pos", REPORT],
           assigns=[ACTORS, HOLDERS, ANAPHORS])
def make_mentions(lexicon: Lexicon, gazetteer: Gazetteer) -> ActorMentions:
    language = lexicon.language
    return ActorMentions(frozenset(language.control_words), language.actor_anaphors,
                         frozenset(language.anaphoric_determiners))


class ActorMentions:
    def __init__(self, control_words: frozenset[str], anaphors: dict[str, tuple[Side, ...]],
                 determiners: frozenset[str]) -> None:
        self.control_words, self.anaphors, self.determiners = control_words, anaphors, determiners

    def __call__(self, doc: Doc) -> Doc:
        spans, report = doc.spans.get("actors", []), REPORT.get(doc)
        HOLDERS.set(doc, [mention(report, s) for s in spans if _holds(s, self.control_words)])
        actors = [mention(report, s) for s in spans if not _holds(s, self.control_words)]
        anaphors = [a for token in doc if (a := self._anaphor(report, token, actors)) is not None]
        resolved = [self._named_before(a, actors) for a in anaphors]
        mentions = {id(m): m for m in actors if all(m is not a for a in anaphors)}
        mentions |= {id(m): m for m in resolved}
        ACTORS.set(doc, sorted(mentions.values(), key=lambda m: m.token.i))
        ANAPHORS.set(doc, [m for m in resolved if m.label == UNNAMED])
        return doc

    def _named_before(self, anaphor: Mention, actors: list[Mention]) -> Mention:
        """"the army attacked X while they ...": the sentence's own last actor on a side the
        anaphor may stand for; else it stays unnamed, for the report's fold to resolve."""
        sides = self.anaphors[anaphor.token.lower_.split()[-1]]
        for earlier in reversed([m for m in actors if m.token.i < anaphor.token.i]):
            side = earlier.label.split("|")[1]
            if side not in (Side.UNKNOWN, Side.CIVILIANS) and (not sides or side in sides):
                return Mention(anaphor.token, anaphor.evidence, earlier.label)
        return Mention(anaphor.token, anaphor.evidence, UNNAMED)

    def _anaphor(self, report: ReportSentence, token: Token, actors: list[Mention]) -> Mention | None:
        """"the group", "the militants" (an actor of no known side) or a subject "they"."""
        words = token.lower_.split()
        if not words or words[-1] not in self.anaphors:
            return None
        own = actor_at(actors, token)
        if own is not None:
            return own if own.label == UNNAMED and words[0] in self.determiners else None
        if token.pos_ == "PRON":
            return Mention(token, report.token_evidence(token), UNNAMED) if token.dep_ in SUBJECTS else None
        determiner = next((c for c in token.children if c.dep_ == "det" and c.lower_ in self.determiners), None)
        if determiner is None or determiner.i != token.i - 1:
            return None
        return Mention(token, report.evidence(determiner.idx, token.idx + len(token)), UNNAMED)


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
