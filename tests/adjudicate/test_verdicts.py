"""Verdicts with reasons, on incidents built from hand-written claims and the bundled Syria pack."""

from __future__ import annotations

import hashlib
import re

from ceasefire.adjudicate.rules import assess
from ceasefire.model import Justification, Side, Verdict
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import IDLIB, claim, words

RELIABLE = dict(source_id="reuters", source_name="Reuters")
SECOND = dict(source_id="afp", source_name="AFP")


def verdict_of(pack, *claims):
    (incident,) = build_incidents(list(claims), pack)
    overall, *detailed = assess(incident, pack)
    return overall, detailed


def test_attack_on_civilians_by_a_bound_party_is_a_violation_with_reasons(syria_pack) -> None:
    overall, detailed = verdict_of(syria_pack, claim("a", text="One wording."), claim("b", **SECOND, text="Another."))
    assert overall.verdict is Verdict.VIOLATION
    assert {a.clause_id for a in detailed} == {"C1"}
    text = "\n".join(r.text for r in overall.reasons)
    assert "Time: 2017-01-08 is inside the agreement's window" in text
    shas = "|".join(hashlib.sha256(name).hexdigest()[:8] for name in (b"a", b"b"))
    assert re.search(rf"C1 under reading C4.gov: perpetrator Syrian Arab Army “Government forces” \[({shas}):0:17\] "
                     "is bound", text)
    assert "protected under every reading" in text
    assert "Corroboration: 2 independent origin(s)" in text and overall.reasons[-1].text.startswith("Confidence 0.90")
    assert overall.responsibility.party == "syrian-government"
    assert overall.responsibility.guarantor == "russia"


def test_attack_on_an_excluded_group_is_not_a_violation(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", place=IDLIB, target=("islamic-state", Side.EXCLUDED)))
    assert overall.verdict is Verdict.NOT_A_VIOLATION
    assert any("target Islamic State" in r.text and "is excluded under C4.opp" in r.text for r in overall.reasons)


def test_the_same_attack_on_jabhat_fateh_al_sham_is_disputed_naming_the_exclusion_clause(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", place=IDLIB, target=("jabhat-fateh-al-sham", Side.EXCLUDED)))
    assert overall.verdict is Verdict.DISPUTED
    assert "C1/C4.gov: NOT_A_VIOLATION" in overall.depends_on and "C1/C4.opp: VIOLATION" in overall.depends_on
    assert any("designated" in r.text for r in overall.reasons)


def test_an_incident_before_the_effective_time_is_out_of_scope(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", day="2016-12-22", text="x"), claim("b", day="2016-12-22", **SECOND))
    assert overall.verdict is Verdict.OUT_OF_SCOPE
    assert "before the agreement took effect (2016-12-30T00:00:00+02:00)" in overall.reasons[0].text


def test_a_lone_partisan_opinion_piece_gives_unverified(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", source_id="american-thinker", source_name="American Thinker"))
    assert overall.verdict is Verdict.UNVERIFIED
    assert any("a violation needs an independent origin" in r.text for r in overall.reasons)


def test_a_justification_contested_by_another_origin_gives_disputed(syria_pack) -> None:
    said = Justification(evidence=words("The army said the town was held by Jabhat Fateh al-Sham."),
                         excluded_actor_id="jabhat-fateh-al-sham")
    contested = Justification(evidence=said.evidence, excluded_actor_id="jabhat-fateh-al-sham",
                              dispute=words("Residents said only a few fighters were there."))
    overall, _ = verdict_of(syria_pack, claim("a", justification=said, text="One."),
                            claim("b", justification=contested, text="Two.", **SECOND))
    assert overall.verdict is Verdict.DISPUTED
    assert "whether the target was Jabhat Fateh al-Sham" in overall.depends_on
    assert "Residents said only a few fighters were there." in overall.depends_on


def test_no_perpetrator_named_gives_unverified(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", perpetrator=None), claim("b", perpetrator=None, **SECOND))
    assert overall.verdict is Verdict.UNVERIFIED


def test_iran_backed_militia_flags_the_guarantor_sponsor(syria_pack) -> None:
    overall, _ = verdict_of(syria_pack, claim("a", day="2017-01-26", perpetrator=("hezbollah", Side.PRO_GOVERNMENT)),
                            claim("b", day="2017-01-26", perpetrator=("hezbollah", Side.PRO_GOVERNMENT), **SECOND))
    assert overall.verdict is Verdict.VIOLATION
    assert overall.responsibility.perpetrator == "hezbollah" and "iran" in overall.responsibility.sponsors
    assert any("Iran is a guarantor (from 2017-01-24)" in c for c in overall.responsibility.conflicts_of_interest)


def test_a_states_own_forces_do_not_list_the_state_as_their_sponsor(syria_pack) -> None:
    for perpetrator, own_state in (("syrian-arab-army", "syria"), ("syrian-government", "syria"),
                                   ("russian-aerospace-forces", "russia")):
        overall, _ = verdict_of(syria_pack, claim("a", perpetrator=(perpetrator, Side.GOVERNMENT)))
        assert own_state not in overall.responsibility.sponsors, perpetrator
    overall, _ = verdict_of(syria_pack, claim("a"))
    assert overall.responsibility.sponsors == ["russia", "iran"]
