"""Domain types of ceasefire (DESIGN.md §3). Pydantic models only: no I/O here.

An agreement pack is a folder of YAML files that these models validate:
``agreement.yaml`` (:class:`Agreement`), ``actors.yaml`` (:class:`Actor` list),
``sources.yaml`` (:class:`Source` list) and ``areas.yaml`` (:class:`Area` list).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

Span = tuple[int, int]
"""Character offsets ``[start, end)`` into a report's text."""

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
CEASEFIRE_TAGS = frozenset({"siege", "denial of humanitarian access", "attack on infrastructure", "water supply"})
ACTS = frozenset(ACLED_EVENT_TYPES) | ACLED_SUB_EVENT_TYPES | CEASEFIRE_TAGS


class Side(StrEnum):
    """Which side of the conflict an actor is on (DESIGN.md §9)."""

    GOVERNMENT = "government"
    PRO_GOVERNMENT = "pro_government"
    OPPOSITION = "opposition"
    EXCLUDED = "excluded"
    FOREIGN_STATE = "foreign_state"
    CIVILIANS = "civilians"
    OTHER = "other"
    UNKNOWN = "unknown"


class ActorKind(StrEnum):
    STATE = "state"
    STATE_FORCE = "state_force"
    MILITIA = "militia"
    REBEL_GROUP = "rebel_group"
    JIHADIST_GROUP = "jihadist_group"
    COALITION = "coalition"
    CIVILIANS = "civilians"
    POLITICAL_BODY = "political_body"
    INTERNATIONAL_BODY = "international_body"


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


class SourceKind(StrEnum):
    WIRE_AGENCY = "wire_agency"
    MONITORING_NGO = "monitoring_ngo"
    STATE_MEDIA = "state_media"
    PARTISAN_OUTLET = "partisan_outlet"
    INDEPENDENT_MEDIA = "independent_media"
    OPINION = "opinion"
    OFFICIAL_BODY = "official_body"
    INTERNATIONAL_BODY = "international_body"
    OBSERVER = "observer"


class Reliability(StrEnum):
    """Admiralty source reliability, A (completely reliable) to F (cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class RuleEffect(StrEnum):
    PROHIBIT = "prohibit"  # the acts are violations when done by bound actors to protected ones
    REQUIRE = "require"  # bound actors must allow the acts (e.g. humanitarian access)
    EXCLUDE = "exclude"  # the actors are outside the agreement's protection and obligations


class PackModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or " " in url:
        raise ValueError(f"expected an http(s) URL, got {url!r}")
    return url


class Sourced(PackModel):
    """A fact with the public sources (URLs) it comes from."""

    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        return [_check_url(u) for u in urls]


class TimeRange(PackModel):
    valid_from: dt.date | None = Field(default=None, alias="from")
    valid_to: dt.date | None = Field(default=None, alias="to")

    @field_validator("valid_to")
    @classmethod
    def _ends_after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if start and end and end < start:
            raise ValueError(f"ends ({end}) before the range starts ({start})")
        return end

    def covers(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Sponsorship(Sourced, TimeRange):
    sponsor: str
    support: list[str] = Field(default_factory=list)  # e.g. arms, funding, air support, command
    note: str = ""


class Designation(Sourced, TimeRange):
    designation: str  # e.g. "terrorist organisation"
    by: str  # who designated it: UN Security Council, a state, a party
    basis: str  # the legal or stated basis


class Actor(Sourced):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: ActorKind
    side: Side
    parent: str | None = None
    active: TimeRange | None = None
    sponsors: list[Sponsorship] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)
    note: str = ""


class Affiliation(Sourced):
    actor: str
    note: str = ""


class Source(Sourced):
    """An outlet, organisation or observer that reports."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: SourceKind
    affiliation: Affiliation | None = None
    reliability: Reliability
    reasoning: str = Field(min_length=10)
    homepage: str | None = None


class Control(Sourced, TimeRange):
    holder: str  # actor id


class Area(Sourced):
    """A curated place: a region the gazetteer lacks, or names differently."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    kind: Literal["country", "governorate", "district", "region", "locality", "neighbourhood"]
    country: str = Field(pattern=r"^[A-Z]{2}$")
    admin1: str | None = None
    parent: str | None = None
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    radius_km: float = Field(default=2.0, gt=0)
    geometry: str | None = None  # a GeoJSON file in the pack folder
    control: list[Control] = Field(default_factory=list)


class Rule(PackModel):
    """A clause's machine rule: which acts it prohibits/requires, for whom, or whom it excludes."""

    effect: RuleEffect
    acts: list[str] = Field(default_factory=list)
    binds: list[str] = Field(default_factory=lambda: ["parties"])  # "parties", a side or actor ids
    protects: list[str] = Field(default_factory=lambda: ["covered"])  # "covered", "civilians", ...
    actors: list[str] = Field(default_factory=list)  # for exclude: the actors excluded

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

    _url = field_validator("url")(lambda cls, v: _check_url(v))


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
    path: str

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


class ReportFormat(StrEnum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"
    FEED = "feed"
    ACLED = "acled"
    UCDP = "ucdp"
    OBSERVER = "observer"


class Report(BaseModel):
    """One piece of source material as received. Never changed after intake."""

    model_config = ConfigDict(frozen=True)

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    format: ReportFormat
    text: str
    title: str | None = None
    url: str | None = None
    published: AwareDatetime | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None
    origin: str  # where it came from: "path:line", a feed URL, "observer:NAME"
    structured: dict[str, Any] | None = None  # an already-coded event (ACLED row)
    raw: bytes = Field(repr=False)


class StoredReport(Report):
    """A report as kept in the database."""

    id: int
    received_at: AwareDatetime
    source_id: str | None = None


# -- claims (DESIGN.md §3 Claim) ----------------------------------------------------


class ClaimKind(StrEnum):
    EVENT = "event"  # an act asserted to have happened
    DENIAL = "denial"  # a party denies an act
    THREAT = "threat"  # an act threatened, planned or hypothetical: never an incident
    SUPPORT = "support"  # a state or group funds, arms or backs an actor
    CONTROL = "control"  # who holds a place
    STATEMENT = "statement"  # something said about the agreement


class Role(StrEnum):
    PERPETRATOR = "perpetrator"
    TARGET = "target"
    SPONSOR = "sponsor"  # "X, backed by Y": Y
    MEMBER = "member"  # "X, including Y": Y acted as part of X
    HOLDER = "holder"  # holds a place
    SUPPORTER = "supporter"
    RECIPIENT = "recipient"
    SPEAKER = "speaker"


class Evidence(BaseModel):
    """Words of the report a field rests on: ``text == report.text[start:end]``."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int
    text: str
    report_sha256: str | None = None  # set when the words travel beyond their report (incidents)


class ClaimActor(BaseModel):
    role: Role
    evidence: Evidence
    actor_id: str | None = None  # pack actor, when the words resolve to one
    side: Side = Side.UNKNOWN
    name: str | None = None  # the name coded data gives (ACLED actor1) when the words are a whole row's notes


class ClaimPlace(BaseModel):
    evidence: Evidence | None = None  # None: the text names no place; the agreement's country is used
    name: str
    area_id: str | None = None  # pack area or locality
    geonames_id: int | None = None
    latitude: float
    longitude: float
    admin1: str | None = None
    country: str | None = None
    geo_precision: int = Field(ge=1, le=3)


class ClaimDate(BaseModel):
    evidence: Evidence | None = None  # None: taken from the publication time
    earliest: dt.date
    latest: dt.date
    time_precision: int = Field(ge=1, le=3)


class Casualties(BaseModel):
    """Deaths as UCDP keeps them (low/best/high), with the words that gave them."""

    evidence: Evidence
    low: int
    best: int
    high: int | None = None
    qualifier: str = ""  # "at least", "dozens", "more than", ...
    civilians: bool | None = None


class Amount(BaseModel):
    evidence: Evidence
    value: float  # in the currency's unit
    currency: str = "USD"


class Justification(BaseModel):
    """A party's claim that the target was an excluded group, and whether the text disputes it."""

    evidence: Evidence
    excluded_actor_id: str | None = None
    claimed_by: ClaimActor | None = None
    dispute: Evidence | None = None


class Claim(BaseModel):
    """One assertion extracted from one report; every field keeps the words it came from."""

    report_sha256: str
    index: int
    kind: ClaimKind
    sentence: Evidence
    trigger: Evidence | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    tags: list[str] = Field(default_factory=list)
    date: ClaimDate | None = None
    place: ClaimPlace | None = None
    actors: list[ClaimActor] = Field(default_factory=list)
    fatalities: Casualties | None = None
    injured: Casualties | None = None
    origin: Evidence | None = None  # the organisation the text cites
    origin_source_id: str | None = None
    justification: Justification | None = None
    amount: Amount | None = None
    coded_id: str | None = None  # the event's id in the coded data it came from (ACLED event_id_cnty)

    def actors_in(self, role: Role) -> list[ClaimActor]:
        return [a for a in self.actors if a.role is role]


# -- incidents and assessments (DESIGN.md §3) --------------------------------------------


class ClaimRef(BaseModel):
    """A claim by its report and position, stable across databases and re-runs."""

    model_config = ConfigDict(frozen=True)

    report_sha256: str
    index: int


class ClaimSource(BaseModel):
    """What intake knows about the report a claim came from (for independence)."""

    model_config = ConfigDict(frozen=True)

    report_sha256: str
    text: str
    source_id: str | None = None
    source_name: str | None = None
    format: ReportFormat
    published: str = ""  # ISO time, to name the first outlet of a story


class Origin(BaseModel):
    """One independent origin of information: an organisation cited, a wire story, an outlet."""

    model_config = ConfigDict(frozen=True)

    key: str  # "source:sohr", "story:<sha>", "outlet:reuters", "observer:name"
    label: str
    source_id: str | None = None
    reliability: Reliability = Reliability.F


class Incident(BaseModel):
    """Claims from one or more reports judged to describe the same real event."""

    id: str
    event_type: str | None = None
    sub_event_type: str | None = None
    tags: list[str] = Field(default_factory=list)
    date: ClaimDate
    place: ClaimPlace | None = None
    actors: list[ClaimActor] = Field(default_factory=list)
    fatalities: Casualties | None = None
    claims: list[ClaimRef] = Field(default_factory=list)
    origins: list[Origin] = Field(default_factory=list)
    justification: Justification | None = None
    denied: bool = False  # another origin denies it happened

    @property
    def corroboration(self) -> int:
        """Number of independent origins."""
        return len({o.key for o in self.origins})

    def actors_in(self, role: Role) -> list[ClaimActor]:
        return [a for a in self.actors if a.role is role]


class Verdict(StrEnum):
    VIOLATION = "VIOLATION"
    NOT_A_VIOLATION = "NOT_A_VIOLATION"
    DISPUTED = "DISPUTED"
    UNVERIFIED = "UNVERIFIED"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"


class Responsibility(BaseModel):
    """Perpetrator -> the party bound by the clause -> sponsors -> the guarantor accountable."""

    perpetrator: str | None = None
    party: str | None = None
    sponsors: list[str] = Field(default_factory=list)
    guarantor: str | None = None
    conflicts_of_interest: list[str] = Field(default_factory=list)


class Assessment(BaseModel):
    """The verdict for one incident under one clause and reading, with the reasons for it."""

    incident_id: str
    agreement_id: str
    clause_id: str | None = None  # None: the incident's overall verdict
    reading_id: str | None = None
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)
    reasons: list[str] = Field(default_factory=list)
    depends_on: str | None = None  # for DISPUTED: the reading or contested fact it turns on
    responsibility: Responsibility = Field(default_factory=Responsibility)
