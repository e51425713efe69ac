"""The error tree drawn in ``ceasefire.errors``' docstring is the real one: every error class
ceasefire defines, wherever it lives, under its real parent and with its HTTP status."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import ceasefire
from ceasefire import errors
from ceasefire.errors import CeasefireError

NOT_IMPORTED = ("ceasefire.__main__", "ceasefire.store.migrations")  # one runs the CLI, one runs under Alembic
BRANCH = re.compile(r"^(?P<indent>(?:│   |    )*)(?:├── |└── )?(?P<name>[A-Z]\w+)\s+(?P<status>\d{3})\b")


def every_error() -> dict[str, type[CeasefireError]]:
    """Each CeasefireError subclass defined in any module of ceasefire, by name."""
    for module in pkgutil.walk_packages(ceasefire.__path__, "ceasefire."):
        if not module.name.startswith(NOT_IMPORTED):
            importlib.import_module(module.name)
    found, frontier = {}, [CeasefireError]
    while frontier:
        error = frontier.pop()
        if error.__module__.startswith("ceasefire."):
            found[error.__name__] = error
        frontier += error.__subclasses__()
    return found


def drawn() -> dict[str, tuple[str | None, int]]:
    """Each error drawn in the docstring's tree: its parent (by indentation) and its status."""
    tree: dict[str, tuple[str | None, int]] = {}
    parents: list[str] = []
    assert errors.__doc__
    for line in errors.__doc__.splitlines():
        found = BRANCH.match(line.removeprefix("    "))
        if found is None:
            continue
        depth = len(found["indent"]) // 4 + (1 if "── " in line else 0)
        parents[depth:] = [found["name"]]
        tree[found["name"]] = (parents[depth - 1] if depth else None, int(found["status"]))
    return tree


def test_every_error_class_is_drawn_in_the_tree() -> None:
    missing = sorted(f"{e.__module__}.{name}" for name, e in every_error().items() if name not in drawn())
    assert missing == [], f"add these to the tree in the docstring of src/ceasefire/errors.py: {missing}"


def test_the_tree_draws_no_error_that_does_not_exist() -> None:
    assert sorted(set(drawn()) - set(every_error())) == []


@pytest.mark.parametrize("name", sorted(every_error()))
def test_each_error_sits_under_its_parent_with_its_status(name: str) -> None:
    error = every_error()[name]
    parent, status = drawn()[name]
    assert (parent, status) == (error.__base__.__name__ if parent else None, error.status), name
