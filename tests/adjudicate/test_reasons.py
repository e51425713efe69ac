"""Reasons as typed records: each names its step of adjudication, the clause and reading it
applies and the words it cites; reasons stored as plain lines before then still load."""

from __future__ import annotations

from ceasefire.adjudicate.rules import assess
from ceasefire.model import Assessment, Justification, Reason, Side, Step, Verdict
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import IDLIB, claim, words

SECOND = dict(source_id="afp", source_name="AFP")


def overall_of(pack, *claims) -> Assessment:  # type: ignore[no-untyped-def]
    (incident,) = build_incidents(list(claims), pack)
    return assess(incident, pack)[0]


def test_reasons_follow_the_steps_of_adjudication_in_order(syria_pack) -> None:  # type: ignore[no-untyped-def]
    overall = overall_of(syria_pack, claim("a", text="One wording."), claim("b", **SECOND, text="Another."))
    steps = list(dict.fromkeys(r.step for r in overall.reasons))
    assert steps == [Step.TIME, Step.SCOPE, Step.CORROBORATION, Step.ACT, Step.BOUND, Step.TARGET, Step.CONFIDENCE]


def test_a_clause_reason_names_its_clause_reading_and_the_words_it_rests_on(syria_pack) -> None:  # type: ignore[no-untyped-def]
    overall = overall_of(syria_pack, claim("a", text="One wording."), claim("b", **SECOND, text="Another."))
    bound = [r for r in overall.reasons if r.step is Step.BOUND]
    assert {(r.clause_id, r.reading_id) for r in bound} == {("C1", "C4.gov"), ("C1", "C4.opp")}
    assert all([e.text for e in r.evidence] == ["Government forces"] and r.evidence[0].report_sha256 for r in bound)
    time, scope = overall.reasons[:2]
    assert (time.clause_id, time.evidence[0].text) == (None, "Sunday")
    assert (scope.step, scope.evidence[0].text) == (Step.SCOPE, "Douma")


def test_excluded_targets_are_told_apart_by_step_not_by_wording(syria_pack) -> None:  # type: ignore[no-untyped-def]
    overall = overall_of(syria_pack, claim("a", place=IDLIB, target=("jabhat-fateh-al-sham", Side.EXCLUDED)))
    targets = {r.reading_id: r for r in overall.reasons if r.step is Step.TARGET}
    assert overall.verdict is Verdict.DISPUTED
    assert "is excluded" in targets["C4.gov"].text and "is covered" in targets["C4.opp"].text
    disputes = [r.text for r in overall.reasons if r.step is Step.DISPUTE]
    assert disputes == [f"Disputed: depends on {overall.depends_on}."]


def test_a_contested_justification_cites_the_claim_and_its_dispute(syria_pack) -> None:  # type: ignore[no-untyped-def]
    said = words("The army said the town was held by Jabhat Fateh al-Sham.")
    disputed = Justification(evidence=said, excluded_actor_id="jabhat-fateh-al-sham",
                             dispute=words("Residents said only a few fighters were there."))
    overall = overall_of(syria_pack, claim("a", justification=disputed, text="One."),
                         claim("b", justification=disputed, text="Two.", **SECOND))
    (dispute,) = [r for r in overall.reasons if r.step is Step.DISPUTE]
    assert [e.text for e in dispute.evidence] == [said.text, "Residents said only a few fighters were there."]


def test_reasons_stored_as_lines_of_text_still_load() -> None:
    stored = {"incident_id": "I-1", "agreement_id": "syria-2016-12-30", "verdict": "VIOLATION", "confidence": 0.9,
              "reasons": ["Time: 2017-01-08 is inside the agreement's window.", "Confidence 0.90 = ..."]}
    loaded = Assessment.model_validate(stored)
    assert loaded.reasons[0] == Reason(step=Step.OTHER, text="Time: 2017-01-08 is inside the agreement's window.")
    assert [r.text for r in loaded.reasons] == stored["reasons"]


def test_a_reason_round_trips_through_json() -> None:
    reason = Reason(step=Step.BOUND, text="C1: perpetrator ... is bound.", clause_id="C1", reading_id="C4.gov",
                    evidence=[words("Government forces")])
    assert Reason.model_validate_json(reason.model_dump_json()) == reason
