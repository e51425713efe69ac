"""Claims from text, with the real spaCy model and the bundled Syria pack. Sentences are
written for these tests."""

from __future__ import annotations

import datetime as dt

from ceasefire.extract.extractor import Extractor
from ceasefire.model import ClaimKind, Report, ReportFormat, Role, Side
from tests.extract.helpers import PUBLISHED, events, report


def test_every_field_points_at_the_words_it_came_from(extractor: Extractor) -> None:
    text = ("Government forces shelled the rebel-held town of Douma on Sunday, killing at least 12 civilians, "
            "according to the Syrian Observatory for Human Rights. Hezbollah threatened to storm the valley.")
    claims = extractor.extract(report(text))
    assert claims
    for claim in claims:
        spans = [claim.sentence, claim.trigger, claim.origin, claim.date.evidence if claim.date else None,
                 claim.place.evidence if claim.place else None, claim.fatalities.evidence if claim.fatalities else None,
                 *(a.evidence for a in claim.actors)]
        for evidence in filter(None, spans):
            assert text[evidence.start:evidence.end] == evidence.text


def test_active_voice_event_with_source_toll_and_rebel_held_target(extractor: Extractor) -> None:
    text = ("Government forces shelled the rebel-held town of Douma on Sunday, killing at least 12 civilians, "
            "according to the Syrian Observatory for Human Rights.")
    (event,) = events(extractor.extract(report(text)))
    assert event.sub_event_type == "Shelling/artillery/missile attack"
    assert event.event_type == "Explosions/Remote violence"
    assert [a.actor_id for a in event.actors_in(Role.PERPETRATOR)] == ["syrian-arab-army"]
    assert Side.OPPOSITION in {a.side for a in event.actors_in(Role.TARGET)}
    assert event.place.area_id == "douma" and event.place.geo_precision == 1
    assert (event.date.earliest, event.date.time_precision) == (dt.date(2017, 1, 8), 1)
    assert (event.fatalities.low, event.fatalities.best, event.fatalities.high) == (12, 12, None)
    assert event.fatalities.qualifier == "at least" and event.fatalities.civilians is True
    assert event.origin_source_id == "sohr"


def test_passive_voice_and_two_places_give_two_events(extractor: Extractor) -> None:
    text = "Seven people were killed yesterday in air strikes by Russian warplanes on Saraqib and Maarat al-Numan."
    claims = events(extractor.extract(report(text)))
    assert [c.place.name for c in claims] == ["Saraqib", "Maarat al-Numan"]
    for claim in claims:
        assert claim.sub_event_type == "Air/drone strike"
        assert claim.actors_in(Role.PERPETRATOR)[0].actor_id == "russian-aerospace-forces"
        assert claim.date.earliest == dt.date(2017, 1, 9)


def test_threats_and_denials_are_not_events(extractor: Extractor) -> None:
    text = ("Hezbollah threatened to storm Basimah. The army denied shelling Ain al-Fijeh. "
            "Rebels warned they would attack Harasta.")
    kinds = [c.kind for c in extractor.extract(report(text)) if c.sub_event_type]
    assert kinds == [ClaimKind.THREAT, ClaimKind.DENIAL, ClaimKind.THREAT]


def test_clashes_between_two_groups(extractor: Extractor) -> None:
    text = "Clashes broke out on Monday between Jabhat Fateh al-Sham and Ahrar al-Sham near Sarmada."
    (event,) = events(extractor.extract(report(text)))
    assert event.sub_event_type == "Armed clash"
    assert {a.actor_id for a in event.actors} == {"jabhat-fateh-al-sham", "ahrar-al-sham"}
    assert {a.side for a in event.actors} == {Side.EXCLUDED, Side.OPPOSITION}


def test_backed_by_and_including_name_sponsor_and_member(extractor: Extractor) -> None:
    text = ("Pro-government forces backed by Iran, including Hezbollah, attacked rebel positions "
            "in Deir Qanun on Thursday.")
    (event,) = events(extractor.extract(report(text)))
    roles = {(a.role, a.actor_id) for a in event.actors}
    assert (Role.SPONSOR, "iran") in roles and (Role.MEMBER, "hezbollah") in roles
    assert event.place.area_id == "deir-qanun"


def test_vague_and_zero_casualties(extractor: Extractor) -> None:
    dozens, = events(extractor.extract(report("Dozens of people were killed in shelling on Harasta on Monday.")))
    none, = events(extractor.extract(report("Rockets hit Jobar on Monday; there were no casualties.")))
    assert (dozens.fatalities.best, dozens.fatalities.qualifier) == (12, "dozens")
    assert (none.fatalities.best, none.fatalities.qualifier) == (0, "none")


def test_spelling_variants_reach_the_same_village(extractor: Extractor) -> None:
    text = "Warplanes struck Ein Elfijeh on Monday."
    (event,) = events(extractor.extract(report(text)))
    assert event.place.area_id == "ain-al-fijeh"


def test_place_known_only_by_its_governorate_is_coded_at_precision_3(extractor: Extractor) -> None:
    (event,) = events(extractor.extract(report("Air strikes hit villages in rural Idlib on Monday.")))
    assert event.place.geo_precision == 3 and event.place.admin1 == "Idlib"


def test_no_place_named_falls_back_to_the_country(extractor: Extractor) -> None:
    (event,) = events(extractor.extract(report("Regime warplanes carried out air strikes on Monday, "
                                                "the Syrian Observatory for Human Rights said.")))
    assert event.place.evidence is None and event.place.area_id == "sy" and event.place.geo_precision == 3


def test_definite_reference_adds_details_to_the_same_event(extractor: Extractor) -> None:
    text = ("Warplanes struck Kafr Batna on Monday. The strikes killed five civilians, "
            "according to the Syrian Observatory for Human Rights.")
    (event,) = events(extractor.extract(report(text)))
    assert event.fatalities.best == 5 and event.origin_source_id == "sohr"


def test_justification_and_its_dispute_are_attached(extractor: Extractor) -> None:
    text = ("Government forces shelled Ain al-Fijeh on Sunday. The government said the village was held by "
            "Jabhat Fateh al-Sham terrorists. Residents disputed this, saying only a few fighters were present.")
    (event,) = events(extractor.extract(report(text)))
    assert event.justification is not None
    assert event.justification.excluded_actor_id == "jabhat-fateh-al-sham"
    assert event.justification.dispute is not None and "disputed" in event.justification.dispute.text


def test_support_claim_with_amount_and_cited_origin(extractor: Extractor) -> None:
    text = "In March 2015, Iran granted Syria a $2 billion credit line, according to Reuters."
    (claim,) = [c for c in extractor.extract(report(text)) if c.kind is ClaimKind.SUPPORT]
    assert [(a.role, a.actor_id) for a in claim.actors] == [(Role.SUPPORTER, "iran"), (Role.RECIPIENT, "syria")]
    assert claim.amount.value == 2e9 and claim.origin_source_id == "reuters"
    assert claim.date.earliest == dt.date(2015, 3, 1)


def test_control_claim(extractor: Extractor) -> None:
    claims = extractor.extract(report("Shelling hit the rebel-held town of Zamalka on Monday."))
    (control,) = [c for c in claims if c.kind is ClaimKind.CONTROL]
    assert control.place.name == "Zamalka" and control.actors[0].side is Side.OPPOSITION


def test_text_without_events_or_names_gives_no_claims(extractor: Extractor) -> None:
    assert extractor.extract(report("The central bank kept interest rates unchanged on Monday.")) == []
    talks = extractor.extract(report("Delegations met in Astana on Monday to discuss the truce."))
    assert events(talks) == []


def test_report_without_publication_time_gives_no_claims(extractor: Extractor) -> None:
    assert extractor.extract(report("Warplanes struck Douma yesterday.", published=None)) == []


def test_acled_row_becomes_one_structured_claim(extractor: Extractor) -> None:
    row = {"event_date": "2017-01-05", "time_precision": 1, "event_type": "Battles", "sub_event_type": "Armed clash",
           "actor1": "Military Forces of Syria (2000-)", "actor2": "Hezbollah", "location": "Basimah",
           "latitude": 33.62, "longitude": 36.18, "geo_precision": 1, "admin1": "Rif Dimashq", "fatalities": 3,
           "tags": ""}
    acled = Report(sha256="a" * 64, format=ReportFormat.ACLED, text="Clashes in Basimah.", raw=b"x",
                   origin="e.csv:2", published=PUBLISHED, structured=row)
    (claim,) = extractor.extract(acled)
    assert claim.sub_event_type == "Armed clash" and claim.fatalities.best == 3
    assert [a.actor_id for a in claim.actors] == ["syrian-arab-army", "hezbollah"]


def test_place_evidence_keeps_the_article(extractor: Extractor) -> None:
    (event,) = events(extractor.extract(report("Turkish warplanes struck al-Bab on Monday.")))
    assert event.place.evidence.text == "al-Bab" and event.place.name.lower().endswith("bab")


def test_a_misspelt_place_after_a_preposition_is_matched_by_similarity(extractor: Extractor) -> None:
    (event,) = events(extractor.extract(report("Warplanes struck a market in Sarmadda in Idlib province on Monday.")))
    assert event.place.name == "Sarmada" and event.place.evidence.text == "Sarmadda"
