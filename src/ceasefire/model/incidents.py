"""Incidents (DESIGN.md §3): claims from several reports judged to describe one real event,
with the independent origins they come from."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ceasefire.model.actors import Reliability
from ceasefire.model.claims import Casualties, ClaimActor, ClaimDate, ClaimPlace, Justification, Role, WeaponMention
from ceasefire.model.reports import ReportFormat


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
    # The weapons the claims name (kept out of the payload when none, so earlier hashes stand).
    weapons: list[WeaponMention] = Field(default_factory=list, exclude_if=lambda v: not v)

    @property
    def corroboration(self) -> int:
        """Number of independent origins."""
        return len({o.key for o in self.origins})

    def actors_in(self, role: Role) -> list[ClaimActor]:
        return [a for a in self.actors if a.role is role]
