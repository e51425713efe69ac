"""Claims (DESIGN.md §3 Claim): one assertion of one report, each field with the words it rests on."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ceasefire.model.actors import Side

Span = tuple[int, int]
"""Character offsets ``[start, end)`` into a report's text."""


class ClaimKind(StrEnum):
    EVENT = "event"  # an act asserted to have happened
    DENIAL = "denial"  # a party denies an act
    THREAT = "threat"  # an act threatened, planned or hypothetical: never an incident
    SUPPORT = "support"  # a state or group funds, arms or backs an actor
    CONTROL = "control"  # who holds a place
    STATEMENT = "statement"  # something said about the agreement
    OBSERVATION = "observation"  # a monitor saw or heard something itself (weapons, a denied passage)
    TALLY = "tally"  # a count of violations/explosions/attacks for an area and period: never an incident


class Role(StrEnum):
    """What an actor named in a claim did in it (not a web account's role: see ``UserRole``)."""

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
    undated: bool = False  # the report tells no date for the act: earliest..latest only bound it; never in a window


class Casualties(BaseModel):
    """Deaths as UCDP keeps them (low/best/high), with the words that gave them."""

    evidence: Evidence
    low: int
    best: int
    high: int | None = None
    qualifier: str = ""  # "at least", "dozens", "more than", ...
    civilians: bool | None = None


def acled_fatalities(deaths: Casualties | None) -> int:
    """The figure ACLED's codebook writes for an event: the most conservative one reported
    (``low``: "at least 12" 12, "15-21" 15, "dozens" 12), 0 when none is reported
    (docs/extraction.md "Fatalities")."""
    return deaths.low if deaths is not None else 0


class Amount(BaseModel):
    evidence: Evidence
    value: float  # in the currency's unit
    currency: str = "USD"


class WeaponMention(BaseModel):
    """A weapon named in a claim: "four 122mm howitzers", "a Grad multiple rocket launcher"."""

    evidence: Evidence
    kind: str  # generic kind from the language data: "howitzer", "tank", "multiple rocket launcher"
    name: str | None = None  # a named system of the pack ("BM-21 Grad")
    calibre_mm: float | None = None
    count: int | None = None
    weapon_class: str | None = None  # the pack's weapon class id, when the system or calibre decides it


class Tally(BaseModel):
    """A count for an area and period, attributed to whoever counted; never split into events."""

    evidence: Evidence
    count: int
    counted: str  # "violations", "explosions", "attacks", ...
    counted_by: ClaimActor | None = None
    blamed: ClaimActor | None = None
    period_start: dt.date
    period_end: dt.date
    by_monitor: bool = False  # counted by the agreement's monitor itself (its own count), not a party


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
    # A denial's: the trigger of the event of its report it contradicts (kept out of the payload
    # when None, so earlier hashes stand).
    denies: Evidence | None = Field(default=None, exclude_if=lambda v: v is None)
    weapons: list[WeaponMention] = Field(default_factory=list)
    tally: Tally | None = None

    def actors_in(self, role: Role) -> list[ClaimActor]:
        return [a for a in self.actors if a.role is role]
