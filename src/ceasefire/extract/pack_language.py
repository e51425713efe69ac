"""A pack's ``lang.yaml``: language additions of one conflict ("separatists" as a side noun,
the phrases of its parties' tallies), merged into the bundled language data.

The file uses the keys of ``lang/en.yaml``; a mapping adds (or replaces) entries, a list adds
its words after the bundled ones, a nested section (``counts``, ``weapons``) merges key by key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ceasefire.errors import ExtractError
from ceasefire.extract.language import LanguageData, _language_error

PACK_LANGUAGE = "lang.yaml"


def with_pack_language(data: LanguageData, pack_folder: Path) -> LanguageData:
    """The language data with the pack's additions, when the pack has a ``lang.yaml``.

    Raises:
        ExtractError: the file is not YAML, or the merged data is invalid (naming the key and line).
    """
    path = pack_folder / PACK_LANGUAGE
    if not path.is_file():
        return data
    text = path.read_text(encoding="utf-8")
    try:
        additions = YAML(typ="safe").load(text) or {}
    except YAMLError as exc:
        raise ExtractError(f"{path}: is not valid YAML: {exc}. Fix the syntax.") from exc
    if not isinstance(additions, dict):
        raise ExtractError(f"{path}: holds no mapping of keys. Use the keys of the bundled lang/en.yaml.")
    merged = _merge(data.model_dump(by_alias=True), additions)
    try:
        return LanguageData.model_validate(merged)
    except ValidationError as exc:
        raise _language_error(path, text, exc) from exc


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        return {**base, **{k: _merge(base[k], v) if k in base else v for k, v in extra.items()}}
    if isinstance(base, list | tuple) and isinstance(extra, list):
        return [*base, *(w for w in extra if w not in base)]
    return extra
