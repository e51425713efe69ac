"""Curated places: ``areas.yaml`` (:class:`Area`), with who held each place when."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ceasefire.model.sourced import Sourced, TimeRange


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
