"""Component ``ceasefire.roles.v1``: the actors of each event in their roles.

From the parse of the trigger and its verb: the subject or "by" X did it, the object or "on" /
"against" X was hit, "between X and Y" both; "X, backed by Y" adds Y as sponsor and "X,
including Y" adds Y as member. Where the parse says nothing, the first actor named before the
act did it, and civilians named (or else the first actor after it) were hit; "rebel-held Z"
makes the holders of Z the target when no other is named.

``token._.parsed_roles`` keeps the roles the parse gave (the assembly compares them with an
earlier event's); ``token._.roles`` is every actor of the event.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ceasefire.extract.control import CONTROLS
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.language import RoleWords
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.mentions import ACTORS, Mention, actor_at, as_actor, has_role, mention_in
from ceasefire.extract.registry import TokenAttr, component
from ceasefire.extract.sentence import governing_verb
from ceasefire.extract.triggers import EVENTS
from ceasefire.model import ClaimActor, Role

PARSED_ROLES: TokenAttr[list[ClaimActor]] = TokenAttr("parsed_roles")
ROLES: TokenAttr[list[ClaimActor]] = TokenAttr("roles")


@component("ceasefire.roles.v1", requires=[EVENTS, ACTORS, CONTROLS, "token.lemma", "token.pos", "token.dep",
                                           "token.head"], assigns=[PARSED_ROLES, ROLES])
def make_roles(lexicon: Lexicon, gazetteer: Gazetteer) -> Roles:
    language = lexicon.language
    return Roles(language.roles, frozenset((*language.origin_verbs, *language.according_words)))


class Roles:
    def __init__(self, words: RoleWords, citing: frozenset[str] = frozenset()) -> None:
        self.words, self.citing = words, citing

    def __call__(self, doc: Doc) -> Doc:
        actors = ACTORS.get(doc)
        holders = [a.model_copy(update={"role": Role.TARGET}) for c in CONTROLS.get(doc) for a in c.actors]
        reciprocal = frozenset(self.words.reciprocal_triggers)
        for event in EVENTS.get(doc):
            found: list[ClaimActor] = []
            for member in event.members:
                found += [a for a in _Reading(self.words, actors).roles(member)
                          if all(a.evidence != b.evidence for b in found)]
            two_sided = any(m.lemma_.lower() in reciprocal for m in event.members)
            if two_sided:
                found = _two_sides(found)
            PARSED_ROLES.set(event.trigger, list(found))
            if holders and not any(a.role is Role.TARGET for a in found):
                found += holders
            found += _fallback_roles([m for m in actors if not _cited(m.token, self.citing)], event.trigger, found)
            ROLES.set(event.trigger, _two_sides(found) if two_sided else found)
        return doc


class _Reading:
    """The roles one trigger's parse gives, each actor once."""

    def __init__(self, words: RoleWords, actors: list[Mention]) -> None:
        self.words, self.actors = words, actors
        self.found: list[ClaimActor] = []

    def roles(self, trigger: Token) -> list[ClaimActor]:
        verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
        for child in trigger.children:
            self._from_child(child, as_noun=trigger.pos_ not in ("VERB", "AUX"))
        if verb is not None and verb is not trigger:
            for child in verb.children:
                self._from_child(child, as_noun=False)
        return self.found

    def _add(self, token: Token, role: Role, conjuncts: bool = True) -> None:
        for member in (token, *(_conjuncts(token) if conjuncts else ())):
            mention = mention_in(self.actors, member)
            if mention and all(a.evidence != mention.evidence for a in self.found):
                self.found.append(as_actor(mention, role))
                self.found.extend(self._sponsors_and_members(mention.token))

    def _from_child(self, child: Token, *, as_noun: bool) -> None:
        """One dependent of a trigger (or of its verb) in a role: subject or "by" X did it,
        object, "on"/"against" X was hit, "between X and Y" both."""
        dep, words = child.dep_, self.words
        if dep in ("nsubj", "poss") or (as_noun and dep in ("amod", "compound")):
            self._add(child, Role.PERPETRATOR)
        elif dep == "agent":
            for pobj in child.children:
                self._add(pobj, Role.PERPETRATOR)
        elif dep in ("nsubjpass", "dobj"):
            self._add(child, Role.TARGET)
        elif dep == "prep":
            word = child.lower_
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                for attached in pobj.children:  # "clashes near X between Y and Z": parsed under X
                    if attached.dep_ == "prep" and attached.lower_ in words.pair_prepositions:
                        self._from_child(attached, as_noun=as_noun)
                if word in words.agent_prepositions:
                    self._add(pobj, Role.PERPETRATOR)
                elif word in words.target_prepositions:
                    self._add(pobj, Role.TARGET)
                elif word in words.pair_prepositions:
                    members = [pobj, *_conjuncts(pobj)]
                    self._add(members[0], Role.PERPETRATOR, conjuncts=False)
                    for other in members[1:]:
                        self._add(other, Role.TARGET, conjuncts=False)
        elif dep in ("acl", "xcomp") and child.lemma_.lower() in words.targeting_verbs:
            for obj in child.children:
                if obj.dep_ == "dobj":
                    self._add(obj, Role.TARGET)
        elif dep == "acl":  # "barrel bombs dropped by government helicopters"
            for agent in (c for c in child.children if c.dep_ == "agent"):
                for pobj in agent.children:
                    self._add(pobj, Role.PERPETRATOR)

    def _sponsors_and_members(self, token: Token) -> list[ClaimActor]:
        """"X, backed by Y" / "Y-backed X" give Y as sponsor; "X, including Y" gives Y as member."""
        words, actors = self.words, self.actors
        including = [t for t in token.subtree if t.lower_ in words.member_words]
        included = [m for m in actors if m.token != token and any(m.token in inc.subtree for inc in including)]
        found = [as_actor(m, Role.MEMBER) for m in included]
        for child in token.children:
            if child.lemma_.lower() in words.sponsor_verbs and child.dep_ in ("acl", "amod"):
                found += [as_actor(m, Role.SPONSOR) for m in actors
                          if m.token in child.subtree and m.token != token and m not in included]
        for left in token.doc[max(0, token.i - 3): token.i]:
            if left.lemma_.lower() in words.sponsor_prefixes and left.i > 0:
                sponsor = actor_at(actors, token.doc[left.i - 2]) if left.i >= 2 else None
                sponsor = sponsor or actor_at(actors, token.doc[left.i - 1])
                if sponsor:
                    found.append(as_actor(sponsor, Role.SPONSOR))
        return found


def _fallback_roles(actors: list[Mention], trigger: Token, roles: list[ClaimActor]) -> list[ClaimActor]:
    """Without a parse that says who did what: the first actor named before the act did it,
    and civilians named (or else the first actor after it) were hit."""
    added: list[ClaimActor] = []
    if not any(a.role is Role.PERPETRATOR for a in roles):
        before = [m for m in actors if m.token.i < trigger.i and not m.label.endswith("|civilians")
                  and not has_role(roles, m)]
        if before:
            allies = (actor_at(actors, t) for t in before[0].token.conjuncts)  # "X and Y advanced"
            added += [as_actor(m, Role.PERPETRATOR) for m in (before[0], *allies)
                      if m is not None and not has_role(roles, m)]
    if not any(a.role is Role.TARGET for a in roles):
        taken = roles + added
        civilians = [m for m in actors if m.label.endswith("|civilians") and not has_role(taken, m)]
        after = [m for m in actors if m.token.i > trigger.i and not has_role(taken, m) and not _acts(m)]
        pick = civilians[:1] or after[:1]
        if pick:
            added.append(as_actor(pick[0], Role.TARGET))
    return added


def _cited(token: Token, citing: frozenset[str]) -> bool:
    """A name in the phrase that says who reports ("opposition sources reported that",
    "according to the defence ministry"): a source, not a party to the act."""
    for word in (token, *token.ancestors):
        if word.dep_ in ("nsubj", "nsubjpass") and word.head.lemma_.lower() in citing:
            return True
        if word.dep_ == "pobj" and word.head.head.lower_ in citing:
            return True
    return False


def _two_sides(roles: list[ClaimActor]) -> list[ClaimActor]:
    """An act with two sides ("clashes") names both: in "X and Y clashed" Y is the other party,
    in "X was killed in clashes with Y" (both hit, no one doing) X is the first side."""
    perpetrators = [a for a in roles if a.role is Role.PERPETRATOR]
    targets = [a for a in roles if a.role is Role.TARGET]
    if not targets and len(perpetrators) > 1:
        others = {id(a) for a in perpetrators[1:]}
        return [a.model_copy(update={"role": Role.TARGET}) if id(a) in others else a for a in roles]
    if not perpetrators and len(targets) > 1:
        first = min(targets, key=lambda a: a.evidence.start)
        return [a.model_copy(update={"role": Role.PERPETRATOR}) if a is first else a for a in roles]
    return roles


def _acts(mention: Mention) -> bool:
    """The subject of some verb, or the "by" of one: an actor doing something, not hit."""
    token = mention.token
    return token.dep_ in ("nsubj", "agent") or (token.dep_ == "pobj" and token.head.dep_ == "agent")


def _conjuncts(token: Token) -> list[Token]:
    return [t for t in token.conjuncts if t.i > token.i]
