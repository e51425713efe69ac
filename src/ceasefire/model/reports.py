"""Source material as received: a :class:`Report` never changes after intake."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


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
