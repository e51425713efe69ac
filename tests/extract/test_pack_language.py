"""A pack's lang.yaml: its words join the bundled language data while that pack is in use."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import ExtractError
from ceasefire.extract.lexicon import build_lexicon
from ceasefire.model import Side
from ceasefire.packs import load_pack


def test_the_packs_side_nouns_and_counters_are_added(tiny_pack: Path) -> None:
    assert build_lexicon(load_pack(tiny_pack)).actor("separatists") is None
    (tiny_pack / "lang.yaml").write_text("generic_actors:\n  separatists: opposition\n"
                                         "counts:\n  monitor_words: [the SMM]\n")
    lexicon = build_lexicon(load_pack(tiny_pack))
    found = lexicon.actor("separatists")
    assert found is not None and found.side is Side.OPPOSITION
    assert lexicon.actor("rebels") is not None  # the bundled words stay
    monitor_words = lexicon.language.counts.monitor_words
    assert monitor_words[-1] == "the SMM" and "monitors" in monitor_words


def test_a_wrong_value_names_the_packs_file_and_line(tiny_pack: Path) -> None:
    (tiny_pack / "lang.yaml").write_text("# additions\ngeneric_actors:\n  separatists: rebels\n")
    with pytest.raises(ExtractError, match=r"lang.yaml:3: generic_actors.separatists is 'rebels'"):
        build_lexicon(load_pack(tiny_pack))
