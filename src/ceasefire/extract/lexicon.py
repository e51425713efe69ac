"""The words extraction looks for: English language data (``lang/en.yaml``) joined with the
agreement pack's names of actors, outlets and places."""

from __future__ import annotations

from dataclasses import dataclass, field

from ceasefire.extract.language import LanguageData, extend_language, language_data
from ceasefire.extract.names import fold, plain
from ceasefire.model import ActorKind, AgreementPack, MonitorRole, RuleEffect, Side, WeaponTable
from ceasefire.packs.loader import language_supplement

# Short all-capital aliases ("IS", "SDF") only match in capitals: "is" is an English word.
ACRONYM_MAX = 5


@dataclass(frozen=True)
class ActorName:
    actor_id: str | None
    side: Side


@dataclass
class Lexicon:
    """Everything the extractor matches, keyed for fast lookup."""

    language: LanguageData
    actors: dict[str, ActorName] = field(default_factory=dict)  # folded alias -> actor
    acronyms: dict[str, ActorName] = field(default_factory=dict)  # exact text -> actor
    sources: dict[str, str] = field(default_factory=dict)  # plain alias -> pack source id
    excluded: frozenset[str] = frozenset()  # actors an exclude rule names, under any reading
    armed: frozenset[str] = frozenset()  # actors that fight (not states as a whole, bodies or civilians)
    aliases_of: dict[str, list[str]] = field(default_factory=dict)
    weapons: WeaponTable = field(default_factory=WeaponTable)  # the pack's weapon classes and named systems
    monitors: frozenset[str] = frozenset()  # actors the agreement names as its monitors
    source_actors: dict[str, str] = field(default_factory=dict)  # pack source id -> the actor it speaks for
    proper: frozenset[str] = frozenset()  # folded keys written only as proper names ("Daish")

    def actor(self, text: str) -> ActorName | None:
        key = fold(text)
        if key in self.proper and text.islower():
            return None  # "days" folds like "Daish": a common word is not the name
        return self.acronyms.get(text.strip()) or (self.actors.get(key) if key else None)


def build_lexicon(pack: AgreementPack, language: str = "en") -> Lexicon:
    data = language_data(language)
    supplement = language_supplement(pack)
    if supplement is not None:
        data = extend_language(data, supplement)
    lexicon = Lexicon(language=data)
    civilians = [a.id for a in pack.actors.values() if a.kind is ActorKind.CIVILIANS]
    for word, side in data.generic_actors.items():
        # "residents", "children": the pack's one civilians actor, when it has one
        actor_id = civilians[0] if side is Side.CIVILIANS and len(civilians) == 1 else None
        lexicon.actors[fold(word)] = ActorName(actor_id, side)
    for actor in pack.actors.values():
        names = [actor.name, *actor.aliases]
        lexicon.aliases_of[actor.id] = names
        for name in names:
            target = ActorName(actor.id, actor.side)
            if name.isupper() and len(name.replace(".", "")) <= ACRONYM_MAX:
                lexicon.acronyms[name] = target
            else:
                lexicon.actors.setdefault(fold(name), target)
    written = [(fold(name), name) for names in lexicon.aliases_of.values() for name in names]
    common = {key for key, name in written if name.islower()} | {fold(word) for word in data.generic_actors}
    lexicon.proper = frozenset(key for key, _ in written) - common
    for source in pack.sources.values():
        for name in (source.name, *source.aliases):
            lexicon.sources.setdefault(plain(name), source.id)
    excluded: set[str] = set()
    for clause in pack.agreement.clauses:
        rules = ([clause.rule] if clause.rule else []) + [r.rule for r in clause.readings]
        excluded |= {a for rule in rules if rule.effect is RuleEffect.EXCLUDE for a in rule.actors}
    lexicon.excluded = frozenset(excluded)
    unarmed = {ActorKind.STATE, ActorKind.CIVILIANS, ActorKind.POLITICAL_BODY, ActorKind.INTERNATIONAL_BODY}
    lexicon.armed = frozenset(a.id for a in pack.actors.values() if a.kind not in unarmed)
    _add_counting(lexicon, pack)
    return lexicon


def _add_counting(lexicon: Lexicon, pack: AgreementPack) -> None:
    """What weapons, observations and tallies need: the weapon table, the monitors, whom sources speak for."""
    lexicon.weapons = pack.weapons
    lexicon.monitors = frozenset(g.actor for g in pack.agreement.guarantors if g.role is MonitorRole.MONITOR)
    lexicon.source_actors = {s.id: s.affiliation.actor for s in pack.sources.values() if s.affiliation}
