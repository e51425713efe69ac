"""Zone clauses: weapons of a class within D km of a pack line after a deadline. Verdicts near
the zone's edge are never confident, and every reason names the line, the distance, the
tolerance and the deadline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire.adjudicate.rules import assess
from ceasefire.model import ClaimKind, Evidence, Side, Verdict, WeaponMention
from ceasefire.packs import load_pack
from ceasefire.verify.incidents import build_incidents
from tests.packs.test_geometry import LINE, write_feature
from tests.packs.test_loader import replace_in
from tests.verify.claims import claim

KM_PER_DEGREE_LON = 68.3  # at 52.25 N
ZONE = ("  - id: C3\n    title: Withdrawal of heavy weapons\n    text: Heavy weapons withdraw 25 km from the line.\n"
        "    rule:\n      effect: prohibit\n      acts: [heavy weapons in security zone]\n      binds: [red-army]\n"
        "      zone: {line: truce-line, within_km: 25, weapon_classes: [artillery-100mm-plus], from: '2020-02-01'}\n"
        "    sources: [https://example.org/truce]\n"
        "  - id: C4\n    title: Withdrawal of mortars\n    text: Mortars withdraw 15 km from the line.\n"
        "    instrument: addendum\n"
        "    rule:\n      effect: prohibit\n      acts: [heavy weapons in security zone]\n      binds: [parties]\n"
        "      zone: {line: truce-line, within_km: 15, weapon_classes: [mortar]}\n"
        "    sources: [https://example.org/truce]\n")
WEAPONS = """classes:
  - id: artillery-100mm-plus
    title: Artillery of 100 mm and more
    kinds: [howitzer, gun]
    min_calibre_mm: 100
    sources: [https://example.org/truce]
  - id: mortar
    title: Mortars
    kinds: [mortar]
    sources: [https://example.org/truce]
"""


@pytest.fixture
def zone_pack(tiny_pack: Path):
    agreement = tiny_pack / "agreement.yaml"
    replace_in(agreement, "countries: [XX]", "countries: [NL]")
    replace_in(agreement, "clauses:\n", "instruments:\n  - id: addendum\n    title: Addendum on mortars\n"
                                        "    date: 2020-03-01\n    sources: [https://example.org/addendum]\n"
                                        "clauses:\n" + ZONE)
    write_feature(tiny_pack, "truce-line", {"type": "LineString", "coordinates": LINE})
    (tiny_pack / "weapons.yaml").write_text(WEAPONS)
    return load_pack(tiny_pack)


def observed(pack, km_east: float, *, day: str = "2020-02-10", kind: str = "howitzer", calibre: float | None = 122,
             holder: str | None = "red-army", precision: int = 1):
    place = dict(name="Testdorp", latitude=52.25, longitude=5.0 + km_east / KM_PER_DEGREE_LON, country="NL")
    weapon = WeaponMention(evidence=Evidence(start=0, end=20, text=f"four {calibre}mm {kind}s"), kind=kind,
                           calibre_mm=calibre, count=4)
    claims = []
    for report, source in (("a", "wire"), ("b", "second")):
        ref, made, src = claim(report, day=day, place=place, precision=precision, kind=ClaimKind.OBSERVATION,
                               event_type="Strategic developments", sub_event="Other",
                               perpetrator=(holder, Side.GOVERNMENT) if holder else None, target=None,
                               source_id=source, source_name=source, sentence=f"The monitors saw {kind}s.",
                               text=f"Report {report} of {source}: the monitors saw {kind}s.")
        claims.append((ref, made.model_copy(update={"weapons": [weapon],
                                                    "tags": ["heavy weapons in security zone"]}), src))
    (incident,) = build_incidents(claims, pack)
    return assess(incident, pack)


def zone_reasons(assessments, clause: str = "C3") -> str:
    return "\n".join(r.text for a in assessments[1:] if a.clause_id == clause for r in a.reasons
                     if r.clause_id == clause)


def test_howitzers_well_inside_the_zone_after_the_deadline_are_a_violation(zone_pack) -> None:
    found = observed(zone_pack, 10)
    (c3,) = [a for a in found if a.clause_id == "C3"]
    assert c3.verdict is Verdict.VIOLATION and found[0].verdict is Verdict.VIOLATION
    text = zone_reasons(found)
    assert "10.0 km from Line of the truce (truce-line), on its right side" in text
    assert "25 km from 2020-02-01" in text and "line tolerance ±2 km" in text and "6.0..14.0 km away" in text
    assert "held by Red Army “Government forces”" in text


def test_near_the_zones_edge_within_the_tolerance_is_unverified_not_a_violation(zone_pack) -> None:
    found = observed(zone_pack, 24)
    (c3,) = [a for a in found if a.clause_id == "C3"]
    assert c3.verdict is Verdict.UNVERIFIED and found[0].verdict is Verdict.UNVERIFIED
    text = zone_reasons(found)
    assert "24.0 km from Line of the truce (truce-line)" in text and "within the tolerance of the zone's edge" in text


def test_a_vague_place_widens_the_margin(zone_pack) -> None:
    assert observed(zone_pack, 10)[0].verdict is Verdict.VIOLATION
    vague = observed(zone_pack, 10, precision=2)  # ±15 km: 0..27 km from the line
    assert vague[0].verdict is Verdict.UNVERIFIED and "place precision ±15 km" in zone_reasons(vague)


def test_beyond_the_zone_is_not_a_violation_with_the_distance(zone_pack) -> None:
    found = observed(zone_pack, 40)
    assert found[0].verdict is Verdict.NOT_A_VIOLATION
    assert "40.0 km from Line of the truce (truce-line)" in zone_reasons(found)
    assert "beyond 25 km, outside the zone" in zone_reasons(found)


def test_before_the_withdrawal_deadline_is_not_a_violation_and_says_so(zone_pack) -> None:
    found = observed(zone_pack, 10, day="2020-01-20")
    assert found[0].verdict is Verdict.NOT_A_VIOLATION
    text = zone_reasons(found)
    assert "seen 2020-01-20, before the withdrawal deadline 2020-02-01" in text
    assert "within 25 km of Line of the truce (truce-line)" in text and "tolerance ±2 km" in text


def test_weapons_of_a_party_the_clause_does_not_bind_are_not_judged_by_it(zone_pack) -> None:
    found = observed(zone_pack, 10, holder="blue-militia")
    assert not [a for a in found if a.clause_id == "C3"]


def test_weapons_nobody_is_said_to_hold_are_unverified(zone_pack) -> None:
    found = observed(zone_pack, 10, holder=None)
    (c3,) = [a for a in found if a.clause_id == "C3"]
    assert c3.verdict is Verdict.UNVERIFIED and "do not say whose weapons" in zone_reasons(found)


def test_a_gun_without_calibre_may_be_of_the_class_but_is_not_a_confident_violation(zone_pack) -> None:
    found = observed(zone_pack, 10, kind="gun", calibre=None)
    (c3,) = [a for a in found if a.clause_id == "C3"]
    assert c3.verdict is Verdict.UNVERIFIED and "give no calibre" in zone_reasons(found)


def test_small_guns_are_not_of_the_heavy_class(zone_pack) -> None:
    assert not [a for a in observed(zone_pack, 10, calibre=82) if a.clause_id == "C3"]


def test_a_clause_of_a_later_instrument_binds_only_acts_from_its_date(zone_pack) -> None:
    assert zone_pack.binds_from(next(c for c in zone_pack.agreement.clauses if c.id == "C4")) == dt.date(2020, 3, 1)
    before = observed(zone_pack, 5, kind="mortar", calibre=120, day="2020-02-20")
    (c4,) = [a for a in before if a.clause_id == "C4"]
    assert c4.verdict is Verdict.NOT_A_VIOLATION
    assert "added by Addendum on mortars (addendum, 2020-03-01); it binds acts on or after 2020-03-01" in (
        zone_reasons(before, "C4"))
    after = observed(zone_pack, 5, kind="mortar", calibre=120, day="2020-03-05")
    assert [a.verdict for a in after if a.clause_id == "C4"] == [Verdict.VIOLATION]


def test_an_instrument_clause_naming_an_unknown_instrument_is_refused(tiny_pack: Path) -> None:
    from ceasefire.packs import check_pack

    replace_in(tiny_pack / "agreement.yaml", "  - id: C2\n", "  - id: C2\n    instrument: later\n")
    check = check_pack(tiny_pack)
    assert [e.problem for e in check.errors] == ["names unknown instrument 'later'"]


def test_a_zone_naming_an_unknown_weapon_class_is_refused(tiny_pack: Path) -> None:
    from ceasefire.packs import check_pack

    replace_in(tiny_pack / "agreement.yaml", "      acts: [Battles, Explosions/Remote violence]\n",
               "      acts: [Battles, Explosions/Remote violence]\n"
               "      zone: {line: truce-line, within_km: 10, weapon_classes: [rockets]}\n")
    write_feature(tiny_pack, "truce-line", {"type": "LineString", "coordinates": LINE})
    (tiny_pack / "weapons.yaml").write_text(WEAPONS)
    assert [str(e).split(": ", 1)[1] for e in check_pack(tiny_pack).errors] == [
        "clauses[0].rule.zone.weapon_classes[0] names unknown weapon class 'rockets'. Add it to weapons.yaml under "
        "classes: or use one of ['artillery-100mm-plus', 'mortar']."]
