"""A pack's lines, zones and areas (``geometry/<id>.geojson``): each a GeoJSON geometry in WGS84
with the sources it was digitised from, how, and how far off it may be."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ceasefire.model.sourced import PackModel, Sourced, TimeRange

Position = tuple[float, float]  # (longitude, latitude), GeoJSON's order
GeometryKind = Literal["line", "zone", "area"]


class Shape(PackModel):
    """A GeoJSON geometry: its type and coordinates exactly as written ([lon, lat] in WGS84)."""

    type: Literal["LineString", "MultiLineString", "Polygon", "MultiPolygon"]
    coordinates: list[Position] | list[list[Position]] | list[list[list[Position]]]

    @model_validator(mode="after")
    def _depth_fits_type(self) -> Shape:
        depth = 0
        item_: object = self.coordinates
        while isinstance(item_, list):
            depth += 1
            if not item_:
                raise ValueError("coordinates are empty")
            item_ = item_[0]
        expected = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[self.type]
        if depth != expected:
            raise ValueError(f"coordinates are nested {depth} deep, a {self.type} needs {expected} "
                             "(lists of [longitude, latitude])")
        return self

    def positions(self) -> list[Position]:
        """Every position of the shape, in order."""
        found: list[Position] = []
        stack: list[object] = [self.coordinates]
        while stack:
            item = stack.pop()
            if isinstance(item, tuple):
                found.append((float(item[0]), float(item[1])))
            elif isinstance(item, list):
                stack.extend(reversed(item))
        return found


class PackGeometry(Sourced, TimeRange):
    """A line (a line of contact), a zone (a security zone's polygon) or an area's outline."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    kind: GeometryKind
    tolerance_km: float = Field(ge=0)  # the stated positional uncertainty of the digitised shape
    method: str = Field(min_length=1)  # how it was digitised, e.g. "straight segments through A, B, C"
    shape: Shape
