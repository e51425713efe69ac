"""Who acts and who reports: ``actors.yaml`` (:class:`Actor`) and ``sources.yaml`` (:class:`Source`)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from ceasefire.model.sourced import Sourced, TimeRange


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
    feed: str | None = None  # an RSS or Atom feed URL `ceasefire source add --from-pack` follows
