"""Pack geometry: geometry/<id>.geojson files loaded into the pack, and `pack check` refusing
shapes that are broken, open, projected, outside the agreement's countries or unsourced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ceasefire.packs import check_pack, load_pack
from ceasefire.packs.geometry import measure
from tests.packs.test_loader import replace_in

LINE = [[5.0, 52.0], [5.0, 52.5]]  # north-south through the Netherlands (a neutral stand-in)
PROPERTIES = {"title": "Line of the truce", "kind": "line", "tolerance_km": 2,
              "sources": ["https://example.org/truce-map"],
              "method": "approximate: straight segment through two named places"}


def write_feature(pack: Path, name: str, geometry: dict[str, Any], **changes: Any) -> Path:
    (pack / "geometry").mkdir(exist_ok=True)
    properties = {k: v for k, v in ({**PROPERTIES, **changes}).items() if v is not None}
    path = pack / "geometry" / f"{name}.geojson"
    path.write_text(json.dumps({"type": "Feature", "id": name, "properties": properties, "geometry": geometry}))
    return path


@pytest.fixture
def dutch_pack(tiny_pack: Path) -> Path:
    replace_in(tiny_pack / "agreement.yaml", "countries: [XX]", "countries: [NL]")
    return tiny_pack


def errors_of(pack: Path) -> list[str]:
    check = check_pack(pack)
    assert check.pack is None
    return [str(e) for e in check.errors]


def test_a_line_loads_into_the_pack_with_its_tolerance_and_sources(dutch_pack: Path) -> None:
    write_feature(dutch_pack, "truce-line", {"type": "LineString", "coordinates": LINE})
    line = load_pack(dutch_pack).geometry["truce-line"]
    assert (line.kind, line.tolerance_km, line.sources) == ("line", 2, ["https://example.org/truce-map"])
    assert line.method.startswith("approximate")


def test_distance_to_a_line_is_measured_in_km_with_its_side(dutch_pack: Path) -> None:
    write_feature(dutch_pack, "truce-line", {"type": "LineString", "coordinates": LINE})
    line = load_pack(dutch_pack).geometry["truce-line"]
    east = measure(line, 5.0 + 10 / 68.3, 52.25)  # 10 km east at 52.25 N
    assert east.distance_km == pytest.approx(10.0, abs=0.1) and east.side == "right"
    assert measure(line, 5.0 - 10 / 68.3, 52.25).side == "left"


def test_a_point_inside_a_zone_is_at_distance_zero(dutch_pack: Path) -> None:
    ring = [[5.0, 52.0], [5.5, 52.0], [5.5, 52.5], [5.0, 52.5], [5.0, 52.0]]
    write_feature(dutch_pack, "buffer", {"type": "Polygon", "coordinates": [ring]}, kind="zone")
    zone = load_pack(dutch_pack).geometry["buffer"]
    inside = measure(zone, 5.25, 52.25)
    assert inside.inside and inside.distance_km == 0 and inside.boundary_km == pytest.approx(17.0, abs=0.5)


def test_an_open_ring_names_the_file_and_ring(dutch_pack: Path) -> None:
    ring = [[5.0, 52.0], [5.5, 52.0], [5.5, 52.5], [5.0, 52.5]]
    write_feature(dutch_pack, "buffer", {"type": "Polygon", "coordinates": [ring]}, kind="zone")
    (error,) = errors_of(dutch_pack)
    assert "buffer.geojson: geometry.coordinates[0] is not a closed ring" in error
    assert "Repeat the first position at the end." in error


def test_a_self_crossing_polygon_is_refused(dutch_pack: Path) -> None:
    bowtie = [[5.0, 52.0], [5.5, 52.5], [5.5, 52.0], [5.0, 52.5], [5.0, 52.0]]
    write_feature(dutch_pack, "bowtie", {"type": "Polygon", "coordinates": [bowtie]}, kind="zone")
    (error,) = errors_of(dutch_pack)
    assert "bowtie.geojson: geometry is not a valid shape (Self-intersection" in error


def test_a_line_outside_the_agreements_countries_is_refused(dutch_pack: Path) -> None:
    write_feature(dutch_pack, "elsewhere", {"type": "LineString", "coordinates": [[-3.7, 40.4], [-3.6, 40.5]]})
    (error,) = errors_of(dutch_pack)
    assert "elsewhere.geojson: geometry reaches outside the agreement's countries (NL:" in error


def test_projected_coordinates_and_unknown_crs_are_refused(dutch_pack: Path) -> None:
    write_feature(dutch_pack, "metres", {"type": "LineString", "coordinates": [[155000, 463000], [156000, 464000]]})
    path = write_feature(dutch_pack, "rd", {"type": "LineString", "coordinates": LINE})
    path.write_text(path.read_text().replace('"type": "Feature"', '"type": "Feature", "crs": {"type": "name", '
                                             '"properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}'))
    errors = errors_of(dutch_pack)
    assert any("metres.geojson: geometry.coordinates holds [155000.0, 463000.0], not a longitude" in e
               for e in errors)
    assert any("rd.geojson: crs names an unknown coordinate reference system 'urn:ogc:def:crs:EPSG::28992'" in e
               for e in errors)


@pytest.mark.parametrize("missing", ["sources", "tolerance_km", "method"])
def test_every_feature_needs_sources_tolerance_and_method(dutch_pack: Path, missing: str) -> None:
    write_feature(dutch_pack, "truce-line", {"type": "LineString", "coordinates": LINE}, **{missing: None})
    (error,) = errors_of(dutch_pack)
    assert f"truce-line.geojson: properties.{missing} is required but missing" in error


def test_a_zone_rule_naming_unknown_geometry_names_the_line(dutch_pack: Path) -> None:
    replace_in(dutch_pack / "agreement.yaml", "      acts: [Battles, Explosions/Remote violence]\n",
               "      acts: [Battles, Explosions/Remote violence]\n"
               "      zone: {line: no-such-line, within_km: 10, weapon_classes: [artillery]}\n")
    assert any("clauses[0].rule.zone.line names unknown geometry 'no-such-line'" in e for e in errors_of(dutch_pack))
