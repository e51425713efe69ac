"""Weapons, monitors' observations and tallies, end to end through the extractor (made-up
sentences, the bundled Syria pack's actors and places, and a test weapon table)."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.extract.extractor import Extractor
from ceasefire.model import AgreementPack, Claim, ClaimKind, Role, Side
from ceasefire.packs.weapons import check_weapons
from tests.conftest import FIXTURES
from tests.extract.helpers import PUBLISHED, events, report

DAY = PUBLISHED.date()
RESTRICTION = "restriction of monitors' movement"


@pytest.fixture(scope="module")
def armed(syria_pack: AgreementPack) -> Extractor:
    table, errors = check_weapons(FIXTURES / "weapons")
    assert errors == []
    return Extractor(syria_pack.model_copy(update={"weapons": table}))


def of_kind(claims: list[Claim], kind: ClaimKind) -> list[Claim]:
    return [c for c in claims if c.kind is kind]


def test_monitors_observing_howitzers_is_an_observation_with_calibre_count_and_class(armed: Extractor) -> None:
    claims = armed.extract(report("The monitors observed four 122mm howitzers near Aleppo."))
    (seen,) = claims
    assert seen.kind is ClaimKind.OBSERVATION and seen.place is not None and seen.place.name == "Aleppo"
    (weapon,) = seen.weapons
    assert (weapon.evidence.text, weapon.kind, weapon.calibre_mm, weapon.count, weapon.weapon_class) == (
        "four 122mm howitzers", "howitzer", 122.0, 4, "artillery-100mm-plus")
    assert [(a.role, a.side) for a in seen.actors] == [(Role.SPEAKER, Side.OTHER)]


def test_a_calibre_under_the_bound_falls_in_the_other_class(armed: Extractor) -> None:
    (seen,) = armed.extract(report("Observers saw two 85 mm guns near Aleppo."))
    assert [(w.calibre_mm, w.count, w.weapon_class) for w in seen.weapons] == [(85.0, 2, "artillery-under-100mm")]


def test_named_systems_join_their_kind_word_and_take_the_pack_calibre(armed: Extractor) -> None:
    (seen,) = armed.extract(report("Monitors spotted a Grad multiple rocket launcher and 12 T-64 tanks "
                                   "near Palmyra."))
    assert [(w.evidence.text, w.name, w.calibre_mm, w.count, w.weapon_class) for w in seen.weapons] == [
        ("a Grad multiple rocket launcher", "BM-21 Grad", 122.0, 1, "mlrs"),
        ("12 T-64 tanks", "T-64", None, 12, "tanks")]


def test_a_system_named_in_brackets_after_its_kind_gives_name_and_stated_calibre(armed: Extractor) -> None:
    (seen,) = armed.extract(report("The monitors saw three towed multiple rocket launchers (BM-21 Grad, 122mm) "
                                   "near Palmyra."))
    assert [(w.evidence.text, w.name, w.calibre_mm, w.count, w.weapon_class) for w in seen.weapons] == [
        ("three towed multiple rocket launchers (BM-21 Grad, 122mm)", "BM-21 Grad", 122.0, 3, "mlrs")]


def test_weapons_in_an_event_stay_with_the_event_and_ammunition_counts_no_weapon(armed: Extractor) -> None:
    (event,) = events(armed.extract(report("Government forces fired Grads and mortar rounds at Douma.")))
    assert [(w.kind, w.name, w.count) for w in event.weapons] == [
        ("multiple rocket launcher", "BM-21 Grad", None), ("mortar", None, None)]


def test_a_sighting_of_artillery_is_no_shelling(armed: Extractor) -> None:
    claims = armed.extract(report("The monitoring patrol observed artillery pieces near Palmyra."))
    assert events(claims) == [] and [c.kind for c in claims] == [ClaimKind.OBSERVATION]


def test_a_denied_passage_is_a_restriction_of_the_monitors_movement(armed: Extractor) -> None:
    (stopped,) = armed.extract(report("A monitoring patrol was denied passage at a checkpoint near Aleppo "
                                      "by rebels."))
    assert stopped.kind is ClaimKind.OBSERVATION and stopped.tags == [RESTRICTION]
    assert [(a.role, a.side) for a in stopped.actors_in(Role.PERPETRATOR)] == [(Role.PERPETRATOR, Side.OPPOSITION)]
    assert stopped.place is not None and stopped.place.name == "Aleppo"


def test_explosions_heard_are_one_tally_of_the_monitor_never_events(armed: Extractor) -> None:
    claims = armed.extract(report("The monitors heard 40 explosions near Aleppo."))
    (tally_claim,) = claims
    tally = tally_claim.tally
    assert tally_claim.kind is ClaimKind.TALLY and tally is not None
    assert (tally.count, tally.counted, tally.by_monitor) == (40, "explosions", True)
    assert tally.counted_by is not None and tally.counted_by.evidence.text == "The monitors"


def test_a_party_centre_tally_blames_a_side_for_the_past_24_hours(armed: Extractor) -> None:
    (claim,) = armed.extract(report("The Russian Reconciliation Centre recorded 15 violations by the rebels "
                                    "in Idlib province in the past 24 hours."))
    tally = claim.tally
    assert claim.kind is ClaimKind.TALLY and tally is not None and not tally.by_monitor
    assert (tally.count, tally.counted, tally.evidence.text) == (15, "violations", "15 violations")
    assert tally.counted_by is not None and (tally.counted_by.actor_id, tally.counted_by.evidence.text) == (
        "russia", "Russian Reconciliation Centre")
    assert tally.blamed is not None and tally.blamed.side is Side.OPPOSITION
    assert (tally.period_start, tally.period_end) == (DAY - dt.timedelta(days=1), DAY)
    assert claim.date is not None and (claim.date.earliest, claim.date.latest) == (tally.period_start, DAY)


def test_attacked_n_times_is_a_tally_of_attacks_blaming_the_subject(armed: Extractor) -> None:
    claims = armed.extract(report("The Syrian army said rebels attacked 60 times in Hama on Monday."))
    assert events(claims) == []
    (claim,) = claims
    tally = claim.tally
    assert tally is not None and (tally.count, tally.counted) == (60, "attacks")
    assert tally.counted_by is not None and tally.counted_by.side is Side.GOVERNMENT
    assert tally.blamed is not None and tally.blamed.side is Side.OPPOSITION
    assert (tally.period_start, tally.period_end) == (DAY - dt.timedelta(days=1),) * 2  # the Monday before


def test_a_lull_is_a_tally_of_zero(armed: Extractor) -> None:
    (claim,) = armed.extract(report("Monitors recorded no ceasefire violations in Aleppo yesterday."))
    assert claim.tally is not None and (claim.tally.count, claim.tally.by_monitor) == (0, True)


def test_a_tally_beside_an_event_leaves_the_event_alone(armed: Extractor) -> None:
    claims = armed.extract(report("The Syrian army said rebels attacked 60 times in Hama. "
                                  "Government warplanes struck Douma on Monday, killing five civilians."))
    assert [c.kind for c in claims] == [ClaimKind.TALLY, ClaimKind.EVENT]
    assert events(claims)[0].sub_event_type == "Air/drone strike"
