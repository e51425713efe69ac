"""The plain summary a reader sees first: who did what where and when, the verdict in words, and
what a dispute turns on; reasons said once per clause, without report offsets."""

from __future__ import annotations

from ceasefire.adjudicate.rules import assess
from ceasefire.adjudicate.summary import summarise
from ceasefire.model import Side, Verdict
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import IDLIB, claim

SECOND = dict(source_id="afp", source_name="AFP")


def summary_of(pack, *claims, verdict=None, override=None):  # type: ignore[no-untyped-def]
    (incident,) = build_incidents(list(claims), pack)
    overall, *clauses = assess(incident, pack)
    return summarise(incident, overall, clauses, pack, verdict, override)


def test_a_dispute_over_readings_is_said_in_words(syria_pack) -> None:  # type: ignore[no-untyped-def]
    summary = summary_of(syria_pack, claim("a", place=IDLIB, target=("jabhat-fateh-al-sham", Side.EXCLUDED)))
    assert summary.dispute and "Jabhat Fateh al-Sham is excluded, so this is not a violation" in summary.dispute
    assert summary.dispute.startswith("Under the reading of Syrian government and Russia (C4.gov)")
    assert summary.dispute.endswith("under the opposition's reading (C4.opp) it is.")
    assert summary.verdict.startswith("Disputed: a violation of C1 (Cessation of hostilities)")


def test_readings_that_agree_are_folded_and_offsets_stay_out(syria_pack) -> None:  # type: ignore[no-untyped-def]
    summary = summary_of(syria_pack, claim("a", text="One wording."), claim("b", **SECOND, text="Another."))
    assert [g.heading for g in summary.groups] == ["C1 Cessation of hostilities under C4.gov and C4.opp"]
    lines = summary.shared + [line for g in summary.groups for line in g.lines]
    assert len(lines) == len(set(lines)) and not any("[" in line and ":" in line.split("[")[-1] for line in lines)
    assert summary.verdict == "Assessed as a violation of C1 (Cessation of hostilities)."


def test_an_analysts_override_replaces_the_automatic_words(syria_pack) -> None:  # type: ignore[no-untyped-def]
    summary = summary_of(syria_pack, claim("a", text="One wording."), claim("b", **SECOND, text="Another."),
                         verdict=Verdict.NOT_A_VIOLATION.value, override=("ana", "The target was an IS position."))
    assert summary.verdict == ("An analyst (ana) decided this is not a violation: The target was an IS position. "
                               "The automatic assessment had said a violation.")
    assert summary.shared[0].startswith("The reasons below are the automatic assessment's, which led to VIOLATION")
