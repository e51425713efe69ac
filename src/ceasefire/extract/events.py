"""From one parsed sentence to claims: triggers, modality, actors in roles, places, dates,
casualties, the cited origin; plus support and control claims.

Works on a Doc that holds one sentence of a report, parsed by spaCy after the
``ceasefire_names`` component; ``base`` is the sentence's offset in the report text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from ceasefire.extract import casualties, dates
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.lexicon import Lexicon
from ceasefire.extract.names import plain
from ceasefire.model import (
    ACLED_EVENT_TYPES,
    Amount,
    Casualties,
    Claim,
    ClaimActor,
    ClaimDate,
    ClaimKind,
    ClaimPlace,
    Evidence,
    Justification,
    Role,
    Side,
)

EVENT_TYPE_OF = {sub: event for event, subs in ACLED_EVENT_TYPES.items() for sub in subs}
REGION_WORDS = {"outskirts", "near", "around", "edge", "vicinity", "surroundings", "area", "areas", "outside"}
GOVERNORATE_WORDS = {"province", "governorate", "countryside", "rural", "countrysides"}
THREAT_NOUNS = {"threat", "fear", "warning", "plan", "prospect", "risk", "possibility", "call", "demand", "necessity",
                "need", "right", "ability", "willingness", "readiness", "intention"}


@dataclass
class Context:
    """What earlier sentences of the same report established: places, a date, the last event."""

    sha256: str
    published: dt.date
    places: list[ClaimPlace] = field(default_factory=list)  # named by the last parsed sentence
    places_end: int = -10
    date: ClaimDate | None = None
    last_event: Claim | None = None
    attach_end: int = -10  # end of the sentence a justification or dispute may follow


@dataclass
class Mention:
    token: Token
    evidence: Evidence
    label: str


@dataclass
class Sentence:
    """One parsed sentence and what was found in it."""

    doc: Doc
    base: int
    lexicon: Lexicon
    gazetteer: Gazetteer
    date_finder: re.Pattern[str]
    actors: list[Mention] = field(default_factory=list)
    holders: list[Mention] = field(default_factory=list)
    places: list[Mention] = field(default_factory=list)
    dates: list[Span] = field(default_factory=list)
    cue_words: set[str] = field(default_factory=set)
    text: str = ""
    lemmas: list[str] = field(default_factory=list)
    lowers: list[str] = field(default_factory=list)
    resolved: dict[int, ClaimPlace | None] = field(default_factory=dict)  # place mentions, by token
    counted: tuple[Any, Any] | None = None  # (killed, injured), once per sentence

    def casualties(self) -> tuple[Any, Any]:
        if self.counted is None:
            self.counted = casualties.counts(self.doc[:], self.language)
        return self.counted

    def __post_init__(self) -> None:
        self.text = self.doc.text  # Doc.text joins its tokens on every access
        tokens = list(self.doc)
        self.lemmas = [t.lemma_.lower() for t in tokens]
        self.lowers = [t.lower_ for t in tokens]
        # "government-held X": the holder is not an actor of the event, only of the control claim.
        control = set(self.language["control_words"])
        spans = self.doc.spans.get("actors", [])
        self.holders = [self._mention(s) for s in spans if _holds(s, control)]
        self.actors = [self._mention(s) for s in spans if not _holds(s, control)]
        self.places = [self._mention(s) for s in self.doc.spans.get("places", [])]
        found = (self.doc.char_span(m.start(), m.end(), alignment_mode="expand")
                 for m in self.date_finder.finditer(self.text))
        self.dates = [span for span in found if span is not None]
        self.cue_words = _cue_words(self.lemmas, self.lowers)

    def _mention(self, span: Span) -> Mention:
        return Mention(span.root, self.evidence(span.start_char, span.end_char), span.label_)

    def evidence(self, start: int, end: int) -> Evidence:
        return Evidence(start=self.base + start, end=self.base + end, text=self.text[start:end])

    def token_evidence(self, token: Token) -> Evidence:
        return self.evidence(token.idx, token.idx + len(token))

    def actor_at(self, token: Token) -> Mention | None:
        return next((m for m in self.actors if m.token.i == token.i), None)

    def place_at(self, token: Token) -> Mention | None:
        return next((m for m in self.places if m.token.i == token.i), None)

    @property
    def language(self) -> dict[str, Any]:
        return self.lexicon.language


def _holds(span: Span, control_words: set[str]) -> bool:
    doc = span.doc
    return span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ in control_words


def read_sentence(sentence: Sentence, context: Context) -> list[Claim]:
    """Every claim one sentence makes, in order."""
    claims: list[Claim] = []
    controls = _control_claims(sentence, context)
    holders = [a.model_copy(update={"role": Role.TARGET}) for c in controls for a in c.actors]
    triggers = _triggers(sentence)
    for trigger, sub_event, members in triggers:
        claims += _event_claims(sentence, context, trigger, sub_event, members, holders)
    claims += _support_claims(sentence, context)
    claims += controls
    if not triggers:
        claims += _statement_claims(sentence, context)
    if not triggers:
        _attach_justification(sentence, context)
    _remember_places(sentence, context)
    return claims


# -- triggers --------------------------------------------------------------------------


def _triggers(s: Sentence) -> list[tuple[Token, str, list[Token]]]:
    """Events of a sentence: (main trigger, sub-event, all triggers of that event).

    Triggers in one another's phrase tell one event; the one highest in the parse ("clashed"
    in "fighters, backed by artillery, clashed with ...") decides its sub-event."""
    table: dict[str, Any] = s.language["triggers"]
    lemmas, lowers, cues = s.lemmas, s.lowers, s.cue_words
    found: list[tuple[Token, str]] = []
    for i, token in enumerate(s.doc):
        phrase = _phrase_at(i, lemmas, lowers, table)
        if phrase is None or s.actor_at(token) or s.place_at(token) or _background(s, token):
            continue
        entry = table[phrase]
        sub_event = next((sub for cue, sub in (entry.get("with") or {}).items() if cue in cues), entry["sub_event"])
        found.append((token, sub_event))
    if not found:
        found = _weak_trigger(s)
    return _grouped(found, set(s.language["generic_triggers"]))


def _background(s: Sentence, token: Token) -> bool:
    """"daily air raids", "earlier fighting", "backed by air strikes": no event of its own."""
    if any(c.dep_ in ("amod", "advmod") and c.lower_ in s.language["habitual_modifiers"] for c in token.children):
        return True
    supports = set(s.language["support_heads"])  # "backed by", "supported by": verbs, not "with Russia's support"
    return any(a.lemma_.lower() in supports and a.pos_ == "VERB" for a in list(token.ancestors)[:3])


def _cue_words(lemmas: list[str], lowers: list[str]) -> set[str]:
    """Lemmas and words of a sentence, merged names split ("Syrian warplanes" gives "warplane")."""
    words = set(lemmas) | set(lowers)
    words |= {w for word in lowers if " " in word for w in word.split()}
    return words | {w[:-1] for w in words if w.endswith("s")}


def _phrase_at(i: int, lemmas: list[str], lowers: list[str], table: dict[str, Any]) -> str | None:
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


def _concrete(s: Sentence) -> bool:
    """A bare "killed" makes an event only with a count and a place below the country."""
    killed, _ = s.casualties()
    places = [_resolve_place(s, m) for m in s.places]
    return killed is not None and any(p is not None and p.geo_precision < 3 for p in places)


def _weak_trigger(s: Sentence) -> list[tuple[Token, str]]:
    weak = set(s.language["weak_triggers"])
    if not _concrete(s):
        return []
    for token in s.doc:
        if token.lemma_.lower() in weak and token.pos_ in ("VERB", "ADJ", "NOUN"):
            means = next((sub for word, sub in s.language["means"].items() if word in s.cue_words), None)
            hit_civilians = any(m.label.endswith("|civilians") for m in s.actors) or any(
                lemma in s.language["civilian_words"] for lemma in s.lemmas)
            fallback = s.language["fallback_sub_event"]
            return [(token, means or (fallback["civilians"] if hit_civilians else fallback["other"]))]
    return []


def _grouped(found: list[tuple[Token, str]], generic: set[str]) -> list[tuple[Token, str, list[Token]]]:
    groups: list[list[Any]] = []
    for token, sub_event in sorted(found, key=lambda ts: (len(list(ts[0].ancestors)), ts[0].i)):
        group = next((g for g in groups if any(_related(m, token) for m in g[2])), None)
        if group is None:
            groups.append([token, sub_event, [token]])
            continue
        group[2].append(token)
        if group[0].lemma_.lower() in generic and token.lemma_.lower() not in generic:
            group[1] = sub_event  # "a roadside bomb struck": the bomb says what struck
    return sorted(((g[0], g[1], g[2]) for g in groups), key=lambda g: g[0].i)


def _related(a: Token, b: Token) -> bool:
    return a in b.subtree or b in a.subtree or a.head == b.head


# -- one event -------------------------------------------------------------------------


def _event_claims(s: Sentence, context: Context, trigger: Token, sub_event: str, members: list[Token],
                  holders: list[ClaimActor]) -> list[Claim]:
    """The claims of one event: one per place it hit; none when the sentence only adds details to
    the event just told. "rebel-held Z" makes the holders of Z the target when no other is named."""
    kind = _modality(s, trigger)
    actors: list[ClaimActor] = []
    for member in members:
        actors += [a for a in _roles(s, member) if all(a.evidence != b.evidence for b in actors)]
    weak = trigger.lemma_.lower() in s.language["weak_triggers"]
    refers_back = kind is ClaimKind.EVENT and _same_actors(context.last_event, actors) and (
        any(_refers_back(s, context, m) for m in members) or (weak and _continues(s, context)))
    if holders and not any(a.role is Role.TARGET for a in actors):
        actors += holders
    actors += _fallback_roles(s, trigger, actors)
    if refers_back:
        _add_details(s, context.last_event, actors)  # type: ignore[arg-type]
        return []
    killed, injured = s.casualties()
    places = _event_places(s, trigger) or _context_place(s, context)
    date = _event_date(s, context, trigger)
    origin, origin_source = _origin(s)
    claims = []
    for place in places:
        claim = Claim(
            report_sha256=context.sha256, index=0, kind=kind, sentence=s.evidence(0, len(s.text)),
            trigger=s.token_evidence(trigger), event_type=EVENT_TYPE_OF.get(sub_event), sub_event_type=sub_event,
            tags=_tags(s), date=date, place=place, actors=actors,
            fatalities=_casualties(s, killed), injured=_casualties(s, injured),
            origin=origin, origin_source_id=origin_source)
        claims.append(_territory(claim))
    if kind is ClaimKind.EVENT and claims:
        context.last_event, context.attach_end = claims[0], s.base + len(s.text)
    return claims


def _refers_back(s: Sentence, context: Context, trigger: Token) -> bool:
    """"The attack was repelled", "claimed the attack": a definite noun naming an event the
    report already told, in a sentence that names no other place."""
    if context.last_event is None or trigger.pos_ != "NOUN":
        return False
    determiners = s.language["anaphoric_determiners"]
    definite = any(c.lower_ in determiners for c in trigger.children if c.dep_ in ("det", "poss"))
    last = context.last_event.place
    own_places = [m for m in s.places if m.token in trigger.subtree]
    return definite and all(last is not None and m.evidence.text == (last.evidence.text if last.evidence else "")
                            for m in own_places)


def _same_actors(event: Claim | None, actors: list[ClaimActor]) -> bool:
    """No party here on another side than the earlier event's ("the two airstrikes targeting
    Daesh" after strikes on rebels); a party the event lacked ("IS claimed the attack") is a detail."""
    if event is None:
        return False
    for role in (Role.PERPETRATOR, Role.TARGET):
        before = {a.side for a in event.actors_in(role)} - {Side.UNKNOWN}
        now = {a.side for a in actors if a.role is role} - {Side.UNKNOWN}
        if before and now and not before & now:
            return False
    return True


def _continues(s: Sentence, context: Context) -> bool:
    """A sentence right after an event, naming no other place, tells more about that event."""
    last = context.last_event
    if last is None or s.base - context.attach_end > 3:
        return False
    named = last.place.evidence.text if last.place and last.place.evidence else None
    return all(m.evidence.text == named or not _resolve_place(s, m) for m in s.places)


def _add_details(s: Sentence, event: Claim, actors: list[ClaimActor]) -> None:
    """Fill what the event lacks from a later sentence about it (a toll, a source, an actor)."""
    killed, injured = s.casualties()
    event.fatalities = event.fatalities or _casualties(s, killed)
    event.injured = event.injured or _casualties(s, injured)
    if event.origin is None:
        event.origin, event.origin_source_id = _origin(s)
    for role in (Role.PERPETRATOR, Role.TARGET):
        if not event.actors_in(role):
            event.actors += [a for a in actors if a.role is role][:1]


def _modality(s: Sentence, trigger: Token) -> ClaimKind:
    cues = s.language["modality"]
    if any(c.dep_ == "amod" and c.lower_ in s.language["hypothetical_modifiers"] for c in trigger.children):
        return ClaimKind.THREAT
    governing = [trigger, *trigger.ancestors]
    for token in governing:
        lemma = token.lemma_.lower()
        if lemma in cues["denial"]:
            return ClaimKind.DENIAL
        if lemma in cues["threat"] or lemma in THREAT_NOUNS:
            return ClaimKind.THREAT
        for child in token.children:
            if child.dep_ == "neg" and token.pos_ in ("VERB", "AUX"):
                return ClaimKind.DENIAL
            if child.dep_ == "nsubj" and any(d.lower_ in ("no", "none") for d in child.children if d.dep_ == "det"):
                return ClaimKind.DENIAL
            if child.dep_ in ("aux", "mark") and child.lower_ in (*cues["future"], *cues["hypothetical"]):
                return ClaimKind.THREAT
        if token.dep_ == "ROOT":
            break
    return ClaimKind.EVENT


def _roles(s: Sentence, trigger: Token) -> list[ClaimActor]:
    roles: list[ClaimActor] = []

    def add(token: Token, role: Role, conjuncts: bool = True) -> None:
        for member in (token, *(_conjuncts(token) if conjuncts else ())):
            mention = _mention_in(s, member)
            if mention and all(a.evidence != mention.evidence for a in roles):
                roles.append(_actor(mention, role))
                roles.extend(_sponsors_and_members(s, mention.token))

    verb = trigger if trigger.pos_ in ("VERB", "AUX") else _governing_verb(trigger)
    for child in trigger.children:
        _role_from_child(s, child, add, as_noun=trigger.pos_ not in ("VERB", "AUX"))
    if verb is not None and verb is not trigger:
        for child in verb.children:
            _role_from_child(s, child, add, as_noun=False)
    return roles


def _fallback_roles(s: Sentence, trigger: Token, roles: list[ClaimActor]) -> list[ClaimActor]:
    """Without a parse that says who did what: the first actor named before the act did it,
    and civilians named (or else the first actor after it) were hit."""
    added: list[ClaimActor] = []
    if not any(a.role is Role.PERPETRATOR for a in roles):
        before = [m for m in s.actors if m.token.i < trigger.i and not m.label.endswith("|civilians")
                  and not _has_role(roles, m)]
        if before:
            added.append(_actor(before[0], Role.PERPETRATOR))
    if not any(a.role is Role.TARGET for a in roles):
        taken = roles + added
        civilians = [m for m in s.actors if m.label.endswith("|civilians") and not _has_role(taken, m)]
        after = [m for m in s.actors if m.token.i > trigger.i and not _has_role(taken, m) and not _acts(m)]
        pick = civilians[:1] or after[:1]
        if pick:
            added.append(_actor(pick[0], Role.TARGET))
    return added


def _role_from_child(s: Sentence, child: Token, add: Any, *, as_noun: bool) -> None:
    """One dependent of a trigger (or of its verb) in a role: subject or "by" X did it,
    object, "on"/"against" X was hit, "between X and Y" both."""
    dep = child.dep_
    if dep in ("nsubj", "poss") or (as_noun and dep in ("amod", "compound")):
        add(child, Role.PERPETRATOR)
    elif dep == "agent":
        for pobj in child.children:
            add(pobj, Role.PERPETRATOR)
    elif dep in ("nsubjpass", "dobj"):
        add(child, Role.TARGET)
    elif dep == "prep":
        word = child.lower_
        for pobj in (c for c in child.children if c.dep_ == "pobj"):
            if word == "by":
                add(pobj, Role.PERPETRATOR)
            elif word in ("on", "against", "at", "targeting"):
                add(pobj, Role.TARGET)
            elif word == "between":
                members = [pobj, *_conjuncts(pobj)]
                add(members[0], Role.PERPETRATOR, conjuncts=False)
                for other in members[1:]:
                    add(other, Role.TARGET, conjuncts=False)
            elif word == "with":
                add(pobj, Role.TARGET)
    elif dep in ("acl", "xcomp") and child.lemma_.lower() == "target":
        for obj in child.children:
            if obj.dep_ == "dobj":
                add(obj, Role.TARGET)
    elif dep == "acl":  # "barrel bombs dropped by government helicopters"
        for agent in (c for c in child.children if c.dep_ == "agent"):
            for pobj in agent.children:
                add(pobj, Role.PERPETRATOR)


def _acts(mention: Mention) -> bool:
    """The subject of some verb, or the "by" of one: an actor doing something, not hit."""
    token = mention.token
    return token.dep_ in ("nsubj", "agent") or (token.dep_ == "pobj" and token.head.dep_ == "agent")


def _governing_verb(token: Token) -> Token | None:
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


def _conjuncts(token: Token) -> list[Token]:
    return [t for t in token.conjuncts if t.i > token.i]


def _mention_in(s: Sentence, token: Token) -> Mention | None:
    """The actor a phrase names: the token itself or one inside its phrase ("gunmen from
    Jabhat Fateh al-Sham"), a pack actor before a generic word ("Islamic State militants")."""
    subtree = {t.i for t in token.subtree} - {t.i for c in token.children if c.dep_ in ("relcl", "acl", "appos")
                                              for t in c.subtree}
    inside = [m for m in s.actors if m.token.i in subtree]
    specific = [m for m in inside if not m.label.startswith("|")]
    own = s.actor_at(token)
    if own is not None and (not own.label.startswith("|") or not specific):
        return own
    found = specific or inside
    return found[0] if found else None


def _has_role(roles: list[ClaimActor], mention: Mention) -> bool:
    return any(a.evidence == mention.evidence for a in roles)


def _actor(mention: Mention, role: Role) -> ClaimActor:
    actor_id, side = mention.label.split("|")
    return ClaimActor(role=role, evidence=mention.evidence, actor_id=actor_id or None, side=Side(side))


def _sponsors_and_members(s: Sentence, token: Token) -> list[ClaimActor]:
    """"X, backed by Y" / "Y-backed X" give Y as sponsor; "X, including Y" gives Y as member."""
    subtree = list(token.subtree)
    including = [t for t in subtree if t.lower_ in ("including", "among")]
    included = [m for m in s.actors if m.token != token and any(m.token in inc.subtree for inc in including)]
    found = [_actor(m, Role.MEMBER) for m in included]
    for child in token.children:
        if child.lemma_.lower() in ("back", "support", "arm", "fund") and child.dep_ in ("acl", "amod"):
            found += [_actor(m, Role.SPONSOR) for m in s.actors
                      if m.token in child.subtree and m.token != token and m not in included]
    for left in token.doc[max(0, token.i - 3): token.i]:
        if left.lemma_.lower() in ("back", "backed") and left.i > 0:
            sponsor = s.actor_at(token.doc[left.i - 2]) if left.i >= 2 else None
            sponsor = sponsor or s.actor_at(token.doc[left.i - 1])
            if sponsor:
                found.append(_actor(sponsor, Role.SPONSOR))
    return found


# -- place, date, origin, tags ------------------------------------------------------------


def _event_places(s: Sentence, trigger: Token) -> list[ClaimPlace]:
    """Places of the event: conjoined places give one claim each; otherwise the most precise."""
    if not s.places:
        return []
    resolved: list[tuple[Mention, ClaimPlace]] = []
    for mention in s.places:
        place = _resolve_place(s, mention)
        if place is not None:
            resolved.append((mention, place))
    if not resolved:
        return []
    # The place nearest after the trigger ("struck Douma"), else the nearest before it.
    first = min(resolved, key=lambda mp: mp[0].token.i - trigger.i if mp[0].token.i > trigger.i
                else 50 + trigger.i - mp[0].token.i)
    group = [first] + [(m, p) for m, p in resolved if m.token in first[0].token.conjuncts]
    if len(group) > 1 and first[0].token.head.lower_ != "between":
        return [p for _, p in sorted(group, key=lambda mp: mp[0].token.i)]
    # "Basimah, in Wadi Barada": keep the most precise of the places named together.
    if first[1].geo_precision > 1:
        return [min((p for _, p in resolved), key=lambda p: p.geo_precision)]
    return [first[1]]


def _resolve_place(s: Sentence, mention: Mention) -> ClaimPlace | None:
    if mention.token.i not in s.resolved:
        s.resolved[mention.token.i] = _place_of(s, mention)
    return s.resolved[mention.token.i]


def _place_of(s: Sentence, mention: Mention) -> ClaimPlace | None:
    candidates = [s.gazetteer.places[i] for i in s.gazetteer.index.get(mention.label, [])]
    if not candidates:
        return None
    near = [s.gazetteer.best(s.gazetteer.lookup(m.evidence.text)) for m in s.places if m is not mention
            and s.gazetteer.lookup(m.evidence.text)]
    place = s.gazetteer.best(candidates, near, mention.evidence.text)
    token = mention.token
    window = {t.lower_ for t in token.doc[max(0, token.i - 3): token.i + 3]}
    precision = place.geo_precision
    if window & GOVERNORATE_WORDS:
        governorate = next((c for c in candidates if c.kind == "governorate"), None) or (
            s.gazetteer.governorate(place.admin1) if place.admin1 else None)
        if governorate is not None:
            place, precision = governorate, 3
    elif window & REGION_WORDS and precision == 1:
        precision = 2
    return ClaimPlace(evidence=mention.evidence, name=place.name, area_id=place.area_id,
                      geonames_id=place.geonames_id, latitude=place.latitude, longitude=place.longitude,
                      admin1=place.admin1, country=place.country, geo_precision=precision)


def _context_place(s: Sentence, context: Context) -> list[ClaimPlace | None]:
    """No place in the sentence: where the sentence just before said, else the agreement's
    country at ACLED's country precision (3), marked as not coming from the text."""
    if context.places and 0 <= s.base - context.places_end <= 3:  # the sentence right before
        return [context.places[-1]]
    country = s.gazetteer.country_area()
    if country is None:
        return [None]
    return [ClaimPlace(name=country.name, area_id=country.area_id, latitude=country.latitude,
                       longitude=country.longitude, country=country.country, geo_precision=3)]


def _remember_places(s: Sentence, context: Context) -> None:
    resolved = [p for p in (_resolve_place(s, m) for m in s.places) if p is not None and p.geo_precision < 3]
    context.places = resolved
    context.places_end = s.base + len(s.text)


def _event_date(s: Sentence, context: Context, trigger: Token) -> ClaimDate:
    """A date in the trigger's clause (or a clause governing it, "said on Sunday that ..."),
    else the date the report last gave, else the publication date."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else (_governing_verb(trigger) or trigger)
    for span in s.dates:
        if not _governs(_clause_verb(span.root), verb):
            continue
        resolved = dates.resolve(span.text, context.published, s.language)
        if resolved:
            earliest, latest, precision = resolved
            date = ClaimDate(evidence=s.evidence(span.start_char, span.end_char), earliest=earliest, latest=latest,
                             time_precision=precision)
            context.date = date
            return date
    if context.date is not None:
        return context.date
    return ClaimDate(earliest=context.published, latest=context.published, time_precision=1)


def _clause_verb(token: Token) -> Token:
    return next((t for t in (token, *token.ancestors) if t.pos_ in ("VERB", "AUX")), token.sent.root)


def _governs(clause: Token, verb: Token) -> bool:
    return clause == verb or clause in verb.ancestors


def _origin(s: Sentence) -> tuple[Evidence | None, str | None]:
    """The organisation the sentence cites: "according to X", "X said", "state media reported"."""
    verbs = set(s.language["origin_verbs"])
    for token in s.doc:
        if token.lower_ == "according" and token.i + 1 < len(s.doc):
            phrase = [t for t in token.doc[token.i + 2:] if not t.is_punct or t.text == "-"]
            found = _cited(s, token.doc[token.i + 2: token.i + 2 + max(1, min(12, len(phrase)))])
            if found:
                return found
        if token.lemma_.lower() in verbs and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    found = _cited(s, token.doc[child.left_edge.i: child.right_edge.i + 1])
                    if found:
                        return found
    return None, None


def _cited(s: Sentence, span: Span) -> tuple[Evidence, str | None] | None:
    text = plain(span.text)
    padded = f" {text} "
    for alias, source_id in sorted(s.lexicon.sources.items(), key=lambda kv: -len(kv[0])):
        at = padded.find(f" {alias} ")
        if at >= 0:
            return _span_of(s, span, alias) or s.evidence(span.start_char, span.end_char), source_id
    for phrase in s.language["origin_generic"]:
        if f" {phrase} " in padded:
            return _span_of(s, span, phrase) or s.evidence(span.start_char, span.end_char), None
    return None


def _span_of(s: Sentence, span: Span, words: str) -> Evidence | None:
    pattern = r"\W+".join(re.escape(w) for w in words.split())
    match = re.search(pattern, span.text, re.IGNORECASE)
    if match is None:
        return None
    return s.evidence(span.start_char + match.start(), span.start_char + match.end())


def _tags(s: Sentence) -> list[str]:
    text = " ".join(t.lemma_.lower() for t in s.doc)
    return sorted(tag for tag, words in s.language["tags"].items() if any(re.search(rf"\b{w}\b", text) for w in words))


def _casualties(s: Sentence, count: casualties.Count | None) -> Casualties | None:
    if count is None:
        return None
    return Casualties(evidence=s.evidence(count.start, count.end), low=count.low, best=count.best, high=count.high,
                      qualifier=count.qualifier, civilians=count.civilians)


def _territory(claim: Claim) -> Claim:
    """Who took ground decides ACLED's territory sub-event."""
    if claim.sub_event_type not in ("Government regains territory", "Non-state actor overtakes territory"):
        return claim
    taker = next((a for a in claim.actors_in(Role.PERPETRATOR)), None)
    state = taker is not None and taker.side in (Side.GOVERNMENT, Side.PRO_GOVERNMENT, Side.FOREIGN_STATE)
    sub = "Government regains territory" if state else "Non-state actor overtakes territory"
    return claim.model_copy(update={"sub_event_type": sub})


# -- support, control, justification ------------------------------------------------------


def _support_claims(s: Sentence, context: Context) -> list[Claim]:
    """"Iran opened a credit line for Syria", "Iran has spent $100 billion in Syria"."""
    verbs = set(s.language["support_verbs"])
    if not verbs & s.cue_words:
        return []
    for token in s.doc:
        if token.lemma_.lower() not in verbs or token.pos_ != "VERB" or token.dep_ in ("amod", "acl"):
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        found = (s.actor_at(subject) or _mention_in(s, subject) or _state_named(s, subject)) if subject else None
        supporter = _actor(found, Role.SUPPORTER) if isinstance(found, Mention) else found
        recipient = _recipient(s, token, subject)
        if supporter is None or recipient is None:
            continue
        origin, source = _origin(s)
        return [Claim(report_sha256=context.sha256, index=0, kind=ClaimKind.SUPPORT,
                      sentence=s.evidence(0, len(s.text)), trigger=s.token_evidence(token),
                      actors=[supporter.model_copy(update={"role": Role.SUPPORTER}),
                              recipient.model_copy(update={"role": Role.RECIPIENT})],
                      amount=_amount(s), origin=origin, origin_source_id=source, date=_any_date(s, context))]
    return []


def _recipient(s: Sentence, verb: Token, subject: Token | None) -> ClaimActor | None:
    """The indirect object, or the object of to/for/into/in under the verb or its object."""
    excluded = set(subject.subtree) if subject is not None else set()
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    for head in heads:
        for child in head.children:
            targets = [child] if child.dep_ in ("dative", "iobj") else []
            if child.dep_ == "prep" and child.lower_ in ("to", "for", "into", "in"):
                targets = [c for c in child.children if c.dep_ == "pobj"]
            for target in targets:
                if target in excluded:
                    continue
                found = s.actor_at(target) or _mention_in(s, target) or _state_named(s, target)
                if found:
                    return found if isinstance(found, ClaimActor) else _actor(found, Role.RECIPIENT)
    return None


def _state_named(s: Sentence, token: Token) -> ClaimActor | None:
    """A place that is also an actor's name (a country for its state): "credit lines for Syria"."""
    place = s.place_at(token)
    if place is None:
        return None
    name = s.lexicon.actor(place.evidence.text)
    if name is None:
        return None
    return ClaimActor(role=Role.RECIPIENT, evidence=place.evidence, actor_id=name.actor_id, side=name.side)


def _any_date(s: Sentence, context: Context) -> ClaimDate:
    for span in s.dates:
        resolved = dates.resolve(span.text, context.published, s.language)
        if resolved:
            return ClaimDate(evidence=s.evidence(span.start_char, span.end_char), earliest=resolved[0],
                             latest=resolved[1], time_precision=resolved[2])
    return ClaimDate(earliest=context.published, latest=context.published, time_precision=1)


def _amount(s: Sentence) -> Amount | None:
    scales = s.language["scale_words"]
    for token in s.doc:
        if token.text in ("$", "€") or token.lower_ in s.language["currency_words"]:
            number = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
            if number is None or not number.like_num:
                continue
            try:
                value = float(number.text.replace(",", ""))
            except ValueError:
                continue
            end = number
            if number.i + 1 < len(token.doc) and token.doc[number.i + 1].lower_ in scales:
                end = token.doc[number.i + 1]
                value *= scales[end.lower_]
            return Amount(evidence=s.evidence(token.idx, end.idx + len(end)), value=value,
                          currency=s.language["currency_words"].get(token.text, "USD"))
    return None


def _control_claims(s: Sentence, context: Context) -> list[Claim]:
    """"rebel-held Basimah", "the regime-controlled town of X"."""
    words = set(s.language["control_words"])
    claims = []
    for token in s.doc:
        if token.lower_ not in words or token.i < 2 or token.doc[token.i - 1].text != "-":
            continue
        holder = next((m for m in s.holders if m.token.i == token.i - 2), None)
        if holder is None:
            continue
        noun = token.head
        place = s.place_at(noun) or next((s.place_at(t) for t in noun.subtree if s.place_at(t)), None)
        if place is None:
            continue
        resolved = _resolve_place(s, place)
        claims.append(Claim(report_sha256=context.sha256, index=0, kind=ClaimKind.CONTROL,
                            sentence=s.evidence(0, len(s.text)),
                            trigger=s.evidence(token.doc[token.i - 2].idx, token.idx + len(token)),
                            actors=[_actor(holder, Role.HOLDER)], place=resolved,
                            date=ClaimDate(earliest=context.published, latest=context.published, time_precision=1)))
    return claims


def _statement_claims(s: Sentence, context: Context) -> list[Claim]:
    """Someone named says something about the agreement: "Russia said the truce was holding"."""
    lemmas = {t.lemma_.lower() for t in s.doc}
    if not lemmas & set(s.language["agreement_words"]):
        return []
    for token in s.doc:
        if token.lemma_.lower() not in s.language["speech_verbs"] or token.pos_ != "VERB":
            continue
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        speaker = (s.actor_at(subject) or _mention_in(s, subject)) if subject is not None else None
        if speaker is None and subject is not None and subject.pos_ == "PROPN":
            speaker = Mention(subject, s.evidence(subject.left_edge.idx, subject.idx + len(subject)), "|unknown")
        if speaker is not None:
            origin, source = _origin(s)
            return [Claim(report_sha256=context.sha256, index=0, kind=ClaimKind.STATEMENT,
                          sentence=s.evidence(0, len(s.text)), trigger=s.token_evidence(token),
                          actors=[_actor(speaker, Role.SPEAKER)], origin=origin, origin_source_id=source,
                          date=_any_date(s, context))]
    return []


def _attach_justification(s: Sentence, context: Context) -> None:
    """A sentence without an event of its own that says the target was an excluded group,
    or disputes that, is attached to the report's last event."""
    event = context.last_event
    if event is None or s.base - context.attach_end > 3:  # only the sentences right after the event
        return
    lemmas = {t.lemma_.lower() for t in s.doc} | {t.lower_ for t in s.doc}
    excluded = [m for m in s.actors if m.label.split("|")[0] in s.lexicon.excluded or m.label.endswith("|excluded")]
    justifies = excluded or lemmas & set(s.language["justification_words"])
    disputes = lemmas & set(s.language["dispute_words"])
    context.attach_end = s.base + len(s.text)
    if event.justification is None and justifies:
        speaker = next((m for m in s.actors if m.token.dep_ == "nsubj"), None)
        event.justification = Justification(
            evidence=s.evidence(0, len(s.text)),
            excluded_actor_id=excluded[0].label.split("|")[0] or None if excluded else None,
            claimed_by=_actor(speaker, Role.SPEAKER) if speaker else None,
            dispute=s.evidence(0, len(s.text)) if disputes else None)
    elif event.justification is not None and event.justification.dispute is None and disputes:
        event.justification.dispute = s.evidence(0, len(s.text))
    else:
        context.attach_end = -10
