"""Assessments (DESIGN.md §3): an incident's verdict under each clause and reading, with the
reasons for it, one per step of adjudication, and who is responsible."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ceasefire.model.claims import Evidence


class Verdict(StrEnum):
    VIOLATION = "VIOLATION"
    NOT_A_VIOLATION = "NOT_A_VIOLATION"
    DISPUTED = "DISPUTED"
    UNVERIFIED = "UNVERIFIED"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"


class Step(StrEnum):
    """The step of adjudication a reason belongs to, in the order the steps are taken."""

    TIME = "time"  # inside the agreement's time window?
    SCOPE = "scope"  # inside its territorial scope?
    ACT = "act"  # does a clause prohibit the act?
    ZONE = "zone"  # where the weapons were: the distance to the clause's line, its tolerance, the deadline
    BOUND = "bound"  # is the perpetrator bound: a party, fighting beside one, a guarantor's forces?
    TARGET = "target"  # is the target covered, or excluded under the reading?
    CORROBORATION = "corroboration"  # independent origins, and whether they are enough
    DISPUTE = "dispute"  # the reading or contested fact the verdict turns on
    CONFIDENCE = "confidence"  # how the confidence figure was reached
    OTHER = "other"  # a reason stored before reasons named their step


class Reason(BaseModel):
    """One line of an assessment's reasoning: the step it settles, the words it says, the clause
    and reading it applies (None: the incident as a whole) and the report spans it cites."""

    model_config = ConfigDict(frozen=True)

    step: Step
    text: str
    clause_id: str | None = None
    reading_id: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_plain_text(cls, value: Any) -> Any:
        """Assessments stored before reasons were typed kept each as a line of text."""
        return {"step": Step.OTHER, "text": value} if isinstance(value, str) else value


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
    reasons: list[Reason] = Field(default_factory=list)
    depends_on: str | None = None  # for DISPUTED: the reading or contested fact it turns on
    responsibility: Responsibility = Field(default_factory=Responsibility)
