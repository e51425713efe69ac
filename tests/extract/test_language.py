"""The language file is validated when it is loaded: a malformed one fails with the line, the
key and the fix, not later with a KeyError inside a component."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import ExtractError
from ceasefire.extract.language import language_data, language_path, load_language


def line_of(text: str) -> int:
    """The line of the bundled en.yaml that starts with ``text``."""
    lines = language_path("en").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if line.startswith(text))


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the bundled en.yaml with one line changed."""
    text = language_path("en").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "en.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_bundled_language_loads() -> None:
    english = language_data("en")
    assert english.triggers["airstrike"].sub_event == "Air/drone strike"
    assert english.date_words.months[0] == "january"


def test_an_unknown_sub_event_names_the_line_the_key_and_the_values_to_use(tmp_path: Path) -> None:
    path = broken(tmp_path, "  airstrike: {sub_event: Air/drone strike}", "  airstrike: {sub_event: Air strike}")
    with pytest.raises(ExtractError) as raised:
        load_language(path)
    assert str(raised.value).startswith(
        f"en.yaml:{line_of('  airstrike:')}: triggers.airstrike.sub_event names 'Air strike', which is not an ACLED "
        "sub-event type. Use one of: Abduction/forced disappearance, Agreement, Air/drone strike, ")


def test_a_missing_key_is_named_with_the_fix(tmp_path: Path) -> None:
    path = broken(tmp_path, "weekdays: [monday,", "week_days: [monday,")
    with pytest.raises(ExtractError) as raised:
        load_language(path)
    assert str(raised.value).splitlines() == [
        "en.yaml: weekdays is required but missing. Add it (the bundled lang/en.yaml shows its form).",
        f"en.yaml:{line_of('weekdays:')}: week_days is not a known key. Remove it or check its spelling against the "
        "bundled lang/en.yaml.",
    ]


def test_a_value_of_the_wrong_kind_names_the_value(tmp_path: Path) -> None:
    path = broken(tmp_path, "  rebels: opposition\n", "  rebels: rebel\n")
    with pytest.raises(ExtractError, match=r"^en.yaml:\d+: generic_actors.rebels is 'rebel': input should be "
                                           r"'government', .* Correct the value.$"):
        load_language(path)


def test_a_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "  airstrike: {sub_event: Air/drone strike}", "  airstrike: {sub_event: Air/drone strike")
    with pytest.raises(ExtractError, match=r"^en.yaml:\d+: is not valid YAML: .* Fix the syntax on that line.$"):
        load_language(path)


def test_a_missing_file_names_the_bundled_languages(tmp_path: Path) -> None:
    with pytest.raises(ExtractError, match=r"^No language data at .*xx.yaml. Bundled languages: en.$"):
        load_language(tmp_path / "xx.yaml")
