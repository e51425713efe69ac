"""``ceasefire.model`` is one namespace over its modules: every public name defined in one of
them can be imported from ``ceasefire.model`` itself, so no caller needs to know which module."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import ceasefire.model

INTERNAL = {"annotations", "check_url"}  # `from __future__`; a validator the pack models share


def defined_in(module: ModuleType) -> dict[str, object]:
    """The public names a module defines itself (classes, functions, constants), not those it imports."""
    return {name: value for name, value in vars(module).items()
            if not name.startswith("_") and name not in INTERNAL and not isinstance(value, ModuleType)
            and getattr(value, "__module__", module.__name__) == module.__name__}


def test_every_public_name_of_the_model_modules_is_exported_from_the_package() -> None:
    missing = [f"{module.name}.{name}"
               for module in pkgutil.iter_modules(ceasefire.model.__path__, "ceasefire.model.")
               for name, value in defined_in(importlib.import_module(module.name)).items()
               if name not in ceasefire.model.__all__ or getattr(ceasefire.model, name) is not value]
    assert missing == []
