"""What each reliability test tried and what held, collected for docs/reliability.md.

A test asks for the ``tally`` fixture and counts each input it tries with ``tally.case(**outcomes)``;
at the end of the session the counts and each test's result are merged into ``RESULTS``
(gitignored), which ``benchmarks/reliability_table.py`` turns into the table.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[2] / "build" / "reliability" / "results.json"


@dataclass
class Tally:
    """Inputs one test tried, and their outcomes (``report``, ``rejected``, ``pack_error`` ...)."""

    test: str
    area: str
    tried: str
    outcomes: Counter[str] = field(default_factory=Counter)

    cases: int = 0

    def case(self, **outcomes: int) -> None:
        """One input tried, and what came of it: ``tally.case(report=2, rejected=1)``."""
        self.cases += 1
        self.outcomes.update(outcomes)

    def note(self, **outcomes: int) -> None:
        """More outcomes of the input already counted."""
        self.outcomes.update(outcomes)


def area_of(module: str) -> str:
    """``test_fuzz_intake`` -> ``bad input``; the table groups rows by area."""
    name = module.removeprefix("test_")
    for prefix, area in (("fuzz", "bad input"), ("kill", "crash safety"), ("concurrency", "concurrency"),
                         ("web", "web")):
        if name.startswith(prefix):
            return area
    return name


def merge(rows: dict[str, dict[str, Any]], path: Path = RESULTS) -> None:
    """Replace the rows of the tests that ran, keep the others (a partial run updates its own rows)."""
    stored: dict[str, dict[str, Any]] = json.loads(path.read_text()) if path.is_file() else {}
    stored.update(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def row(tally: Tally, passed: bool, seconds: float) -> dict[str, Any]:
    return {"area": tally.area, "tried": tally.tried, "cases": tally.cases, "outcomes": dict(tally.outcomes),
            "held": passed, "seconds": round(seconds, 1), "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
