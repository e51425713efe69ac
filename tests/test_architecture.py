"""The rooms of src/ceasefire and which may import which (docs/architecture.md draws them).

A stage imports `model` and the stages before it, never one after; the pure stages (extract,
verify, adjudicate) touch no database and no web framework; only the skins (cli, web, scale,
render, demo) and `pipeline` compose stages with the store."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ceasefire"
FOUNDATION = {"errors", "model", "csv_cells"}
# room -> the rooms it may import (besides itself and the foundation)
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "model": set(),
    "csv_cells": set(),
    "ledger": set(),
    "packs": {"ledger"},
    "intake": {"ledger", "packs"},
    "extract": {"ledger", "packs", "intake"},
    "verify": {"ledger", "packs", "intake", "extract"},
    "adjudicate": {"ledger", "packs", "intake", "extract", "verify"},
    "store": {"ledger"},
    "publish": {"ledger", "intake", "store"},
    "pipeline": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish"},
    "monitor": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish", "pipeline"},
    "render": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish", "pipeline"},
    "scale": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "pipeline"},
    "web": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish", "pipeline",
            "render", "monitor"},
    "demo": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish", "pipeline",
             "render", "web", "monitor"},
    "cli": {"ledger", "packs", "intake", "extract", "verify", "adjudicate", "store", "publish", "pipeline",
            "render", "scale", "web", "demo", "monitor"},
    "__init__": {"ledger", "packs", "intake", "store", "pipeline"},
    "__main__": {"cli"},
}
# Libraries that belong to one room: the pure stages never open a database or serve a page.
OUTSIDE_ONLY = {"sqlalchemy": {"store"}, "alembic": {"store"}, "fastapi": {"web"}, "starlette": {"web"},
                "uvicorn": {"web", "cli"}, "dask": {"scale"}, "distributed": {"scale", "cli"}, "typer": {"cli"}}


def room_of(path: Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".py")


def imports(path: Path) -> set[str]:
    """The top-level names this file imports (`ceasefire.x...` as `ceasefire.x`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
        for name in names:
            parts = name.split(".")
            found.add(".".join(parts[:2]) if parts[0] == "ceasefire" and len(parts) > 1 else parts[0])
    return found


SOURCES = sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_every_room_is_drawn() -> None:
    assert {room_of(p) for p in SOURCES} <= set(MAY_IMPORT), "add the new room to MAY_IMPORT and the drawing"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_a_module_imports_only_what_its_room_may(path: Path) -> None:
    room = room_of(path)
    allowed = MAY_IMPORT[room] | FOUNDATION | {room}
    for name in imports(path):
        if name.startswith("ceasefire."):
            assert name.removeprefix("ceasefire.") in allowed, f"{room} may not import {name}"
        elif name in OUTSIDE_ONLY:
            assert room in OUTSIDE_ONLY[name], f"{room} may not import {name}: it belongs to {OUTSIDE_ONLY[name]}"


def test_the_rooms_form_no_cycle() -> None:
    seen: dict[str, int] = {}

    def depth(room: str, path: tuple[str, ...] = ()) -> int:
        assert room not in path, f"import cycle: {' -> '.join((*path, room))}"
        if room not in seen:
            seen[room] = 1 + max((depth(r, (*path, room)) for r in MAY_IMPORT[room]), default=0)
        return seen[room]

    for room in MAY_IMPORT:
        depth(room)
