"""Undated incidents, and dates that straddle the agreement's start: never a violation on a guess."""

from __future__ import annotations

import datetime as dt

from ceasefire.adjudicate.rules import assess
from ceasefire.model import ClaimDate, Side, Verdict
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import claim, words

SECOND = dict(source_id="afp", source_name="AFP")
EAST = dict(name="Eastern Aleppo", latitude=36.2, longitude=37.18, admin1="Aleppo", country="SY",
            area_id="eastern-aleppo")
BEFORE_PUBLICATION = ClaimDate(earliest=dt.date(2016, 1, 25), latest=dt.date(2017, 1, 25), time_precision=3,
                               undated=True)
DECEMBER = ClaimDate(evidence=words("December"), earliest=dt.date(2016, 12, 1), latest=dt.date(2016, 12, 31),
                     time_precision=3)


def dated(made, date: ClaimDate):
    ref, found, source = made
    return ref, found.model_copy(update={"date": date}), source


def judged(pack, *claims):
    (incident,) = build_incidents(list(claims), pack)
    return assess(incident, pack)[0]


def takeover(report: str, **source: str):
    return dated(claim(report, place=EAST, sub_event="Government regains territory", event_type="Battles",
                       target=None, text=f"Takeover {report}.", **source), BEFORE_PUBLICATION)


def test_an_undated_takeover_the_packs_control_records_date_before_the_agreement_is_out_of_scope(syria_pack) -> None:
    overall = judged(syria_pack, takeover("a"), takeover("b", **SECOND))
    assert overall.verdict is Verdict.OUT_OF_SCOPE
    text = "\n".join(r.text for r in overall.reasons)
    assert "undated: the report gives no date for the act" in text
    assert "control of Eastern Aleppo passing to Syrian government on 2016-12-22" in text


def test_an_undated_attack_on_civilians_is_unverified_as_undated_even_with_two_origins(syria_pack) -> None:
    overall = judged(syria_pack, dated(claim("a", text="One."), BEFORE_PUBLICATION),
                     dated(claim("b", text="Two.", **SECOND), BEFORE_PUBLICATION))
    assert overall.verdict is Verdict.UNVERIFIED
    assert any("it is not judged inside the agreement's window on a guess" in r.text for r in overall.reasons)


def test_a_month_that_straddles_the_agreements_start_is_not_a_violation(syria_pack) -> None:
    overall = judged(syria_pack, dated(claim("a", text="One."), DECEMBER),
                     dated(claim("b", text="Two.", **SECOND), DECEMBER))
    assert overall.verdict is Verdict.UNVERIFIED
    assert any("straddles the agreement's start (2016-12-30)" in r.text for r in overall.reasons)


def test_an_undated_strike_on_an_excluded_group_stays_not_a_violation(syria_pack) -> None:
    strike = dict(perpetrator=("turkish-armed-forces", Side.FOREIGN_STATE), target=("islamic-state", Side.EXCLUDED))
    overall = judged(syria_pack, dated(claim("a", text="One.", **strike), BEFORE_PUBLICATION))
    assert overall.verdict is Verdict.NOT_A_VIOLATION
