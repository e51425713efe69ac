"""``weapons.yaml``: the agreement's weapon classes and the named systems that fall in them.

Optional: a pack without the file has an empty table (no clause then names a weapon class).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ceasefire.errors import PackError
from ceasefire.model import WeaponTable
from ceasefire.packs.yaml_source import YamlDocument, read_yaml

WEAPONS = "weapons.yaml"


def check_weapons(folder: Path) -> tuple[WeaponTable, list[PackError]]:
    """The pack's weapon table, and every problem found in it (an empty table when it has errors)."""
    if not (folder / WEAPONS).is_file():
        return WeaponTable(), []
    try:
        doc = read_yaml(folder / WEAPONS)
    except PackError as exc:
        return WeaponTable(), [exc]
    try:
        table = WeaponTable.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        return WeaponTable(), [_schema_error(doc, err) for err in exc.errors()]
    errors = list(_reference_errors(doc, table))
    return (WeaponTable(), errors) if errors else (table, [])


def _schema_error(doc: YamlDocument, err: object) -> PackError:
    details = dict(err)  # type: ignore[call-overload]
    loc = tuple(details["loc"])
    if details["type"] == "missing":
        return doc.error(loc, "is required but missing", fix="add it")
    if details["type"] == "extra_forbidden":
        return doc.error(loc, "is not a known field", fix="remove it or check its spelling against docs/packs.md")
    return doc.error(loc, str(details["msg"]).removeprefix("Value error, "))


def _reference_errors(doc: YamlDocument, table: WeaponTable) -> list[PackError]:
    errors, seen = [], set()
    for i, weapon_class in enumerate(table.classes):
        if weapon_class.id in seen:
            errors.append(doc.error(("classes", i, "id"), f"repeats class id '{weapon_class.id}'",
                                    fix="give each class its own id"))
        seen.add(weapon_class.id)
    for i, system in enumerate(table.systems):
        if system.weapon_class not in seen:
            errors.append(doc.error(("systems", i, "class"), f"names unknown weapon class '{system.weapon_class}'",
                                    fix=f"use one of the classes: {', '.join(sorted(seen)) or '(none defined)'}"))
    return errors
