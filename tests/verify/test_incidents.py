"""Clustering and independence, on claims written for the tests."""

from __future__ import annotations

from ceasefire.model import Reliability, Side
from ceasefire.verify.corroboration import credibility
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import HARASTA, IDLIB, claim

WIRE = ("Syrian government forces shelled the rebel-held town of Douma in the Eastern Ghouta on Sunday, killing "
        "five civilians including two children, a war monitor said, as fighting continued on several fronts "
        "around the capital despite the nationwide truce.")


def test_reports_of_the_same_event_become_one_incident_others_stay_apart(syria_pack) -> None:
    claims = [claim("a"), claim("b", source_id="afp", source_name="AFP"),
              claim("c", day="2017-01-20"),  # another day
              claim("d", place=IDLIB),  # another place
              claim("e", sub_event="Air/drone strike")]  # another kind of act
    incidents = build_incidents(claims, syria_pack)
    assert sorted(len(i.claims) for i in incidents) == [1, 1, 1, 2]


def test_nearby_place_and_next_day_still_match(syria_pack) -> None:
    incidents = build_incidents([claim("a"), claim("b", day="2017-01-09", place=HARASTA)], syria_pack)
    assert len(incidents) == 1


def test_different_perpetrator_sides_stay_apart(syria_pack) -> None:
    incidents = build_incidents([claim("a"), claim("b", perpetrator=("jaysh-al-islam", Side.OPPOSITION))],
                                syria_pack)
    assert len(incidents) == 2


def test_a_republished_wire_story_is_one_origin(syria_pack) -> None:
    claims = [claim("afp", source_id="afp", source_name="AFP", text=WIRE, hour=9),
              claim("f24", source_id="france-24", source_name="France 24", text=WIRE + " France 24 adds this."),
              claim("ara", source_id="al-arabiya", source_name="Al Arabiya", text="Headline. " + WIRE, hour=14)]
    (incident,) = build_incidents(claims, syria_pack)
    assert incident.corroboration == 1
    assert incident.origins[0].label == "story first told by AFP"


def test_outlets_citing_the_same_organisation_are_one_origin(syria_pack) -> None:
    claims = [claim("a", cited="sohr", text="Reuters wording of the shelling."),
              claim("b", source_id="afp", source_name="AFP", cited="sohr", text="AFP has its own account."),
              claim("c", source_id="sohr", source_name="SOHR", text="The Observatory documented it.")]
    (incident,) = build_incidents(claims, syria_pack)
    assert [o.key for o in incident.origins] == ["source:sohr"]


def test_independent_origins_are_counted_and_graded(syria_pack) -> None:
    claims = [claim("a", text="Reuters wording."), claim("b", source_id="afp", source_name="AFP",
                                                         text="Another wording entirely."),
              claim("c", cited="sohr", text="A third report.")]
    (incident,) = build_incidents(claims, syria_pack)
    assert incident.corroboration == 3 and credibility(incident.origins) == 1
    assert {o.reliability for o in incident.origins} >= {Reliability.B}


def test_conflicting_tolls_become_low_best_high(syria_pack) -> None:
    low, high = claim("a"), claim("b", source_id="afp", source_name="AFP")
    from ceasefire.model import Casualties
    from tests.verify.claims import words

    low[1].fatalities = Casualties(evidence=words("five"), low=5, best=5, high=5)
    high[1].fatalities = Casualties(evidence=words("nine"), low=9, best=9, high=12)
    (incident,) = build_incidents([low, high], syria_pack)
    assert (incident.fatalities.low, incident.fatalities.best, incident.fatalities.high) == (5, 5, 12)


def test_rerun_with_new_reports_keeps_incident_ids(syria_pack) -> None:
    first = build_incidents([claim("a"), claim("z", place=IDLIB)], syria_pack)
    placed = {ref: i.id for i in first for ref in i.claims}
    second = build_incidents([claim("new", source_id="afp", source_name="AFP"), claim("a"), claim("z", place=IDLIB)],
                             syria_pack, placed)
    assert {i.id for i in second} == {i.id for i in first}
    assert max(len(i.claims) for i in second) == 2
