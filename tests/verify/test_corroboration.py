"""Corroboration at compatible precision, and Admiralty credibility from the origins' grades."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.adjudicate.rules import assess
from ceasefire.model import ClaimDate, Verdict
from ceasefire.verify.corroboration import credibility
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import claim, words

PARTISAN = dict(source_id="orient-news", source_name="Orient News")  # graded D in the bundled pack
WIRE = dict(source_id="reuters", source_name="Reuters")  # graded B
VALLEY = dict(name="Wadi Barada", latitude=33.6242, longitude=36.1056, admin1="Rif Dimashq", country="SY",
              area_id=None)
JANUARY = ClaimDate(evidence=words("January"), earliest=dt.date(2017, 1, 1), latest=dt.date(2017, 1, 31),
                    time_precision=3)


def month_and_valley(report: str, **source: str):
    ref, made, told = claim(report, place=VALLEY, precision=2, text=f"Monthly summary {report}.", **source)
    return ref, made.model_copy(update={"date": JANUARY}), told


def overall(pack, *claims):
    (incident,) = build_incidents(list(claims), pack)
    return incident, assess(incident, pack)[0]


def test_a_month_and_valley_claim_is_consistent_with_a_day_and_village_claim_but_does_not_confirm_it(
        syria_pack) -> None:
    incident, judged = overall(syria_pack, claim("village", text="Day and village.", **PARTISAN),
                               month_and_valley("valley", **WIRE))
    by_label = {o.label: o for o in incident.origins}
    assert incident.corroboration == 2
    assert by_label["Orient News"].confirms and not by_label["Reuters"].confirms
    assert "date only to the month" in by_label["Reuters"].precision
    text = "\n".join(r.text for r in judged.reasons)
    assert "Orient News (D) confirms" in text
    assert "Reuters (B) is consistent with it, not confirming: date only to the month (the incident's: the day)" in text
    assert credibility(incident.origins) == 4
    assert judged.verdict is Verdict.UNVERIFIED and judged.confidence == 0.5


def test_a_claim_one_level_coarser_still_confirms(syria_pack) -> None:
    made = claim("district", precision=2, text="District.", **WIRE)
    incident, judged = overall(syria_pack, claim("village", text="Village.", **PARTISAN), made)
    assert all(o.confirms for o in incident.origins)
    assert judged.verdict is Verdict.VIOLATION


@pytest.mark.parametrize(("sources", "grade", "confidence"), [
    ((WIRE, dict(source_id="afp", source_name="AFP")), 1, 0.9),  # B + B: confirmed
    ((WIRE, dict(source_id="sohr", source_name="SOHR")), 1, 0.9),  # B + C: confirmed
    ((WIRE, PARTISAN), 2, 0.8),  # B + D: probably true, never "confirmed"
    ((PARTISAN, dict(source_id="rt", source_name="RT")), 3, 0.65),  # D + E: possibly true
    ((PARTISAN, dict(source_id="rt", source_name="RT"), dict(source_id="sana", source_name="SANA")), 3, 0.65),
    ((WIRE,), 3, 0.65),  # one reliable origin alone
    ((PARTISAN,), 4, 0.5),  # one D origin alone: doubtful
    ((dict(source_id="rt", source_name="RT"),), 6, 0.3),  # one E origin alone: cannot be judged
])
def test_admiralty_credibility_follows_the_grades_of_the_confirming_origins(
        syria_pack, sources: tuple[dict[str, str], ...], grade: int, confidence: float) -> None:
    claims = [claim(f"report {i}", text=f"Wording {i}.", **source) for i, source in enumerate(sources)]
    incident, judged = overall(syria_pack, *claims)
    assert incident.corroboration == len(sources)
    assert credibility(incident.origins) == grade
    assert judged.confidence == confidence
    assert judged.reasons[-1].text.startswith(f"Confidence {confidence:.2f} = credibility {grade}")


def test_a_grade_d_origin_and_a_reliable_one_still_verify_a_violation_at_lower_confidence(syria_pack) -> None:
    _, judged = overall(syria_pack, claim("a", text="One.", **WIRE), claim("b", text="Two.", **PARTISAN))
    assert judged.verdict is Verdict.VIOLATION and judged.confidence == 0.8
    assert any("Admiralty credibility 2." in r.text for r in judged.reasons)


def test_an_undated_claim_confirms_no_dated_incident_but_an_undated_incident_rests_on_its_own_claim(
        syria_pack) -> None:
    undated = ClaimDate(earliest=dt.date(2016, 1, 8), latest=dt.date(2017, 1, 8), time_precision=3, undated=True)
    ref, made, told = claim("undated", text="No date.", **WIRE)
    later = (ref, made.model_copy(update={"date": undated}), told)
    incident, _ = overall(syria_pack, claim("dated", text="Dated.", **PARTISAN), later)
    assert [o.precision for o in incident.origins if not o.confirms] == ["undated (the incident's date: to the day)"]
    alone, _ = overall(syria_pack, later)
    assert all(o.confirms for o in alone.origins) and credibility(alone.origins) == 3
