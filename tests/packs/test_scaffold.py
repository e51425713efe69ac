"""`ceasefire pack new` makes a pack that `pack check` accepts out of the box, whose every file
explains its fields, and whose zone clause judges weapons on its example line."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.extract.language import extend_language, language_data
from ceasefire.packs import load_pack

runner = CliRunner()
FILES = {"agreement.yaml", "actors.yaml", "sources.yaml", "areas.yaml", "localities.yaml", "weapons.yaml",
         "lang.yaml", "README.md", "geometry/line-of-contact.geojson"}


def test_pack_new_then_pack_check_passes(tmp_path: Path) -> None:
    made = runner.invoke(app, ["pack", "new", "river-truce-2020", "--dir", str(tmp_path)])
    assert made.exit_code == 0, made.output
    folder = tmp_path / "river-truce-2020"
    assert f"Created {folder}" in made.output
    assert {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} == FILES
    checked = runner.invoke(app, ["pack", "check", str(folder)])
    assert checked.exit_code == 0, checked.output
    assert "(river-truce-2020)" in checked.output


def test_the_new_pack_has_its_geometry_weapons_and_language(tmp_path: Path) -> None:
    runner.invoke(app, ["pack", "new", "river-truce-2020", "--dir", str(tmp_path)])
    pack = load_pack(tmp_path / "river-truce-2020")
    assert pack.agreement.id == "river-truce-2020"
    assert pack.geometry["line-of-contact"].tolerance_km == 3
    assert {c.id for c in pack.weapons.classes} == {"artillery-100mm-plus", "mortars"}
    assert pack.binds_from(next(c for c in pack.agreement.clauses if c.id == "C3")).isoformat() == "2020-03-01"
    language = extend_language(language_data(), tmp_path / "river-truce-2020" / "lang.yaml")
    assert language.generic_actors["southern fighters"] == "opposition"


def test_every_yaml_file_explains_its_fields_in_comments(tmp_path: Path) -> None:
    runner.invoke(app, ["pack", "new", "river-truce-2020", "--dir", str(tmp_path)])
    for path in (tmp_path / "river-truce-2020").glob("*.yaml"):
        text = path.read_text()
        assert text.startswith("# "), path.name
        assert sum(line.strip().startswith("#") or " # " in line for line in text.splitlines()) >= 2, path.name


def test_pack_new_refuses_an_existing_folder_and_a_bad_id(tmp_path: Path) -> None:
    runner.invoke(app, ["pack", "new", "river-truce-2020", "--dir", str(tmp_path)])
    again = runner.invoke(app, ["pack", "new", "river-truce-2020", "--dir", str(tmp_path)])
    assert "river-truce-2020: already exists. Choose another id or --dir" in str(again.exception)
    bad = runner.invoke(app, ["pack", "new", "River Truce", "--dir", str(tmp_path)])
    assert str(bad.exception).startswith("River Truce: is not a pack id. Use lower-case letters")
