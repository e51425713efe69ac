"""What every pack record shares: frozen, no unknown keys, and the public sources it rests on."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class PackModel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


def check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or " " in url:
        raise ValueError(f"expected an http(s) URL, got {url!r}")
    return url


class Sourced(PackModel):
    """A fact with the public sources (URLs) it comes from."""

    sources: list[str] = Field(min_length=1)

    @field_validator("sources")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        return [check_url(u) for u in urls]


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
