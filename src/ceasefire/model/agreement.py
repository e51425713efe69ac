"""An agreement's terms (``agreement.yaml``: :class:`Agreement`) and the pack that holds them
with its registries (:class:`AgreementPack`)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field, ValidationInfo, field_validator, model_validator

from ceasefire.model.actors import Actor, Source
from ceasefire.model.geometry import PackGeometry
from ceasefire.model.places import Area
from ceasefire.model.sourced import PackModel, Sourced, TimeRange, check_url
from ceasefire.model.weapons import WeaponTable

# ACLED's event taxonomy (DESIGN.md §4): the field's standard, not conflict data.
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
ACLED_SUB_EVENT_TYPES = frozenset(s for subs in ACLED_EVENT_TYPES.values() for s in subs)
# Ceasefire-specific tags, written in ACLED's `tags` style.
CEASEFIRE_TAGS = frozenset({
    "siege", "denial of humanitarian access", "attack on infrastructure", "water supply",
    "heavy weapons in security zone", "restriction of monitors' movement",
})
ACTS = frozenset(ACLED_EVENT_TYPES) | ACLED_SUB_EVENT_TYPES | CEASEFIRE_TAGS


class SignatureStatus(StrEnum):
    SIGNED = "signed"
    REPORTED_SIGNED = "reported_signed"  # named as a signatory by others, not confirmed by itself
    DENIED = "denied"  # named as a signatory, but said it did not sign
    NOT_SIGNED = "not_signed"


class MonitorRole(StrEnum):
    GUARANTOR = "guarantor"
    MONITOR = "monitor"
    OBSERVER = "observer"
    ENDORSER = "endorser"


class RuleEffect(StrEnum):
    PROHIBIT = "prohibit"  # the acts are violations when done by bound actors to protected ones
    REQUIRE = "require"  # bound actors must allow the acts (e.g. humanitarian access)
    EXCLUDE = "exclude"  # the actors are outside the agreement's protection and obligations


class ZoneRule(PackModel):
    """"No weapons of these classes within D km of line L (on one side of it) from date T"."""

    line: str  # a pack geometry id: a line, or a zone polygon (then "within" means inside or that near)
    within_km: float = Field(ge=0)
    weapon_classes: list[str] = Field(min_length=1)
    side: Literal["left", "right"] | None = None  # of the line as digitised, first point to last
    deadline: dt.date | None = Field(default=None, alias="from")  # before it, weapons there break nothing


class Rule(PackModel):
    """A clause's machine rule: which acts it prohibits/requires, for whom, or whom it excludes."""

    effect: RuleEffect
    acts: list[str] = Field(default_factory=list)
    binds: list[str] = Field(default_factory=lambda: ["parties"])  # "parties", a side or actor ids
    protects: list[str] = Field(default_factory=lambda: ["covered"])  # "covered", "civilians", ...
    actors: list[str] = Field(default_factory=list)  # for exclude: the actors excluded
    zone: ZoneRule | None = Field(default=None, exclude_if=lambda v: v is None)

    @field_validator("acts")
    @classmethod
    def _known_acts(cls, acts: list[str]) -> list[str]:
        unknown = [a for a in acts if a not in ACTS]
        if unknown:
            raise ValueError(f"names unknown act(s) {unknown}; expected ACLED event or sub-event types or tags")
        return acts

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.effect is RuleEffect.EXCLUDE and not self.actors:
            raise ValueError("an exclude rule must name the excluded actors")
        if self.effect is not RuleEffect.EXCLUDE and not self.acts:
            raise ValueError(f"a {self.effect.value} rule must name the acts it covers")
        return self


class Reading(Sourced):
    """One party's interpretation of a clause."""

    id: str
    held_by: list[str] = Field(min_length=1)
    rule: Rule
    note: str = ""


class Clause(Sourced):
    id: str = Field(pattern=r"^C\d+(\.[a-z0-9]+)*$")
    title: str
    text: str
    rule: Rule | None = None
    readings: list[Reading] = Field(default_factory=list)
    # A clause added by a later instrument binds only from that instrument's date (and ``from``).
    instrument: str | None = Field(default=None, exclude_if=lambda v: v is None)
    valid_from: dt.date | None = Field(default=None, alias="from", exclude_if=lambda v: v is None)

    @model_validator(mode="after")
    def _has_rule(self) -> Clause:
        if self.rule is None and not self.readings:
            raise ValueError("names no rule; give it a 'rule' or 'readings' that each carry one")
        return self


class AgreementText(PackModel):
    title: str
    url: str
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    language: str = "en"

    _url = field_validator("url")(lambda cls, v: check_url(v))


class Party(Sourced):
    actor: str
    signature: SignatureStatus
    date: dt.date | None = None
    note: str = ""


class Guarantor(Sourced, TimeRange):
    actor: str
    role: MonitorRole


class Instrument(Sourced):
    """A document the agreement rests on or is endorsed by (resolution, joint statement)."""

    id: str
    title: str
    date: dt.date


class Scope(PackModel):
    countries: list[str] = Field(min_length=1)
    include_areas: list[str] = Field(default_factory=list)
    exclude_areas: list[str] = Field(default_factory=list)


class Agreement(Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    texts: list[AgreementText] = Field(default_factory=list)
    announced: AwareDatetime
    effective: AwareDatetime
    expiry: AwareDatetime | None = None
    scope: Scope
    parties: list[Party] = Field(min_length=1)
    guarantors: list[Guarantor] = Field(default_factory=list)
    instruments: list[Instrument] = Field(default_factory=list)
    clauses: list[Clause] = Field(min_length=1)

    @field_validator("effective", "expiry")
    @classmethod
    def _after_previous(cls, when: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        previous = "announced" if info.field_name == "effective" else "effective"
        before = info.data.get(previous)
        if when and before and when < before:
            raise ValueError(f"({when.isoformat()}) is before {previous} ({before.isoformat()})")
        return when


class AgreementPack(PackModel):
    """One ceasefire's terms plus the registries it needs."""

    agreement: Agreement
    actors: dict[str, Actor]
    sources: dict[str, Source]
    areas: dict[str, Area]
    geometry: dict[str, PackGeometry] = Field(default_factory=dict, exclude_if=lambda v: not v)
    path: str
    weapons: WeaponTable = Field(default_factory=WeaponTable)  # weapons.yaml, when the pack has one

    def binds_from(self, clause: Clause) -> dt.date | None:
        """The first day a clause binds: its own ``from``, or its instrument's date, whichever is later."""
        days = [i.date for i in self.agreement.instruments if i.id == clause.instrument]
        days += [clause.valid_from] if clause.valid_from else []
        return max(days, default=None)

    def sponsor_chain(self, actor_id: str, day: dt.date | None = None) -> list[str]:
        """Actor ids from ``actor_id`` up through parents and sponsors valid on ``day``."""
        chain, frontier = [], [actor_id]
        while frontier:
            current = frontier.pop(0)
            if current in chain:
                continue
            chain.append(current)
            actor = self.actors[current]
            if actor.parent:
                frontier.append(actor.parent)
            frontier += [s.sponsor for s in actor.sponsors if day is None or s.covers(day)]
        return chain
