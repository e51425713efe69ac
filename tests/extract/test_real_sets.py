"""The extractor on real text (the held-out test split of ``tests/fixtures/real``) scores at
least the floors of ``tests/fixtures/real/thresholds.yaml``, per style and overall."""

from __future__ import annotations

from pathlib import Path

from ceasefire.extract.evaluate_sets import below_floors, evaluate_sets, gold_sets, read_floors
from ceasefire.extract.extractor import Extractor
from ceasefire.packs import load_pack

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def test_real_text_figures_stay_at_or_above_their_floors() -> None:
    split, floors = read_floors(REAL / "thresholds.yaml")
    results = evaluate_sets(Extractor(load_pack("syria-2016-12-30")), gold_sets(REAL, split))
    assert below_floors(results, floors) == []
