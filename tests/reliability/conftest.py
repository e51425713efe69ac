"""Reliability suite fixtures: the ``tally`` of cases each test tried, written out at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.reliability.tally import Tally, area_of, merge, row

_TALLIES: dict[str, Tally] = {}
_RESULTS: dict[str, tuple[bool, float]] = {}


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    """Count the cases this test tries; its docstring's first line says what it tried."""
    doc = (request.function.__doc__ or request.node.name).strip().splitlines()[0]
    found = Tally(request.node.nodeid, area_of(request.module.__name__.rsplit(".", 1)[-1]), doc)
    _TALLIES[request.node.nodeid] = found
    yield found


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        return  # nothing was tried: the last real run's row stays
    if report.when == "call" or (report.when == "setup" and report.failed):
        _RESULTS[report.nodeid] = (report.passed, report.duration)


def pytest_sessionfinish(session: pytest.Session, exitstatus: Any) -> None:
    rows = {nodeid: row(t, *_RESULTS[nodeid]) for nodeid, t in _TALLIES.items() if nodeid in _RESULTS}
    if rows:
        merge(rows)
