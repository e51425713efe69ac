"""A pack's weapons.yaml: weapon classes and named systems, checked like the other pack files."""

from __future__ import annotations

import shutil
from pathlib import Path

from ceasefire.packs import check_pack, load_pack
from tests.conftest import FIXTURES
from tests.packs.test_loader import line_of, only_error, replace_in


def with_weapons(pack: Path) -> Path:
    shutil.copy(FIXTURES / "weapons" / "weapons.yaml", pack / "weapons.yaml")
    return pack / "weapons.yaml"


def test_a_pack_without_weapons_has_an_empty_table(tiny_pack: Path) -> None:
    table = load_pack(tiny_pack).weapons
    assert table.classes == [] and table.systems == []
    assert table.classify("howitzer", 152) is None


def test_weapons_load_and_classify_by_system_kind_and_calibre(tiny_pack: Path) -> None:
    with_weapons(tiny_pack)
    table = load_pack(tiny_pack).weapons
    assert [c.id for c in table.classes] == ["artillery-100mm-plus", "artillery-under-100mm", "mlrs", "tanks"]
    assert table.system_named("grads") is not None and table.classify("tank", None, "Grad") == "mlrs"
    assert table.classify("howitzer", 152) == "artillery-100mm-plus"
    assert table.classify("howitzer", 85) == "artillery-under-100mm"
    assert table.classify("howitzer", None) is None  # the calibre decides, and it is not known
    assert table.classify("tank", None) == "tanks"
    assert table.classify("armoured personnel carrier", None) is None


def test_a_system_in_an_unknown_class_names_line_and_classes(tiny_pack: Path) -> None:
    weapons = with_weapons(tiny_pack)
    replace_in(weapons, "class: tanks", "class: tank")
    error = only_error(tiny_pack)
    assert error.path == "weapons.yaml" and error.line == line_of(weapons, "class: tank")
    assert error.field == "systems[1].class"
    assert "names unknown weapon class 'tank'" in str(error) and "mlrs" in str(error)


def test_an_unknown_field_in_a_class_is_refused(tiny_pack: Path) -> None:
    weapons = with_weapons(tiny_pack)
    replace_in(weapons, "min_calibre_mm: 100", "min_calibre: 100")
    check = check_pack(tiny_pack)
    assert check.pack is None
    assert {(e.field, e.problem) for e in check.errors} == {("classes[0].min_calibre", "is not a known field")}
