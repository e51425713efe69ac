"""The one verdict palette: readable badges, distinct shapes, and the worst verdict winning a cluster."""

from __future__ import annotations

import pytest

from ceasefire.model import Verdict
from ceasefire.publish.palette import PARTY_COLOURS, VERDICT_STYLES, contrast, stylesheet, verdict_style, worst


@pytest.mark.parametrize("style", VERDICT_STYLES, ids=lambda s: str(s.verdict))
def test_every_verdict_badge_meets_wcag_aa_contrast(style) -> None:  # type: ignore[no-untyped-def]
    assert contrast(style.text, style.colour) >= 4.5


def test_verdicts_differ_in_shape_as_well_as_colour() -> None:
    assert len({s.shape for s in VERDICT_STYLES}) == len({s.colour for s in VERDICT_STYLES}) == len(VERDICT_STYLES)


def test_parties_never_take_a_verdict_colour() -> None:
    assert not {c.upper() for c in PARTY_COLOURS} & {s.colour.upper() for s in VERDICT_STYLES}


def test_a_group_holding_one_violation_is_drawn_as_a_violation() -> None:
    assert worst([Verdict.NOT_A_VIOLATION, None, Verdict.VIOLATION, Verdict.UNVERIFIED]) == Verdict.VIOLATION
    assert worst([Verdict.NOT_A_VIOLATION, Verdict.OUT_OF_SCOPE]) == Verdict.NOT_A_VIOLATION
    assert verdict_style("nonsense").verdict == "NOT_ASSESSED"


def test_the_stylesheet_colours_each_badge_from_the_palette() -> None:
    css = stylesheet()
    assert ".badge.verdict-violation { background: #D55E00; color: #000000; }" in css
    assert ".badge.verdict-not_a_violation { background: #0072B2; color: #FFFFFF; }" in css
