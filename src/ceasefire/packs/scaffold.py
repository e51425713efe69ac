"""``ceasefire pack new``: a new pack folder from the commented template, valid as it stands, so
a monitor starts from something `pack check` accepts and edits it fact by fact."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ceasefire.errors import PackError

TEMPLATE = "_template"
PLACEHOLDER = "PACK_ID"
PACK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def new_pack(pack_id: str, parent: Path) -> Path:
    """Write a pack named ``pack_id`` into ``parent/pack_id`` and return that folder.

    Raises:
        PackError: the id is not lower-case letters, digits and dashes, or the folder exists.
    """
    if not PACK_ID.match(pack_id):
        raise PackError(pack_id, problem="is not a pack id",
                        fix="use lower-case letters, digits and dashes, e.g. region-truce-2020-01-02")
    folder = parent / pack_id
    if folder.exists():
        raise PackError(folder, problem="already exists", fix="choose another id or --dir, or remove the folder")
    template = Path(str(resources.files("ceasefire.packs").joinpath(TEMPLATE)))
    for source in sorted(p for p in template.rglob("*") if p.is_file()):
        target = folder / source.relative_to(template)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source.read_text(encoding="utf-8").replace(PLACEHOLDER, pack_id), encoding="utf-8")
    return folder
