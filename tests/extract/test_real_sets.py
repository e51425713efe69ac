"""The extractor on real text (the held-out test split of ``tests/fixtures/real/<conflict>``, run
with that conflict's pack) scores at least the floors of ``<conflict>/thresholds.yaml``, per style
and overall: a regression fails CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.extract.evaluate_sets import below_floors, evaluate_sets, gold_sets, read_floors
from ceasefire.extract.extractor import Extractor
from ceasefire.packs import load_pack

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PACKS = {"syria": "syria-2016-12-30", "ukraine": "ukraine-minsk-2015-02-12"}


@pytest.mark.parametrize("conflict", sorted(PACKS))
def test_real_text_figures_stay_at_or_above_their_floors(conflict: str) -> None:
    split, floors = read_floors(REAL / conflict / "thresholds.yaml")
    results = evaluate_sets(Extractor(load_pack(PACKS[conflict])), gold_sets(REAL / conflict, split))
    assert below_floors(results, floors) == []
