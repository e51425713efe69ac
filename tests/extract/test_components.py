"""One test (or two) per registered sentence component, in spaCy's style: a short sentence
parsed by the real model (or a Doc built by hand), the components it needs run before it, then
what the component under test assigns."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ceasefire.extract.attribution import ORIGIN
from ceasefire.extract.casualties import INJURED, KILLED
from ceasefire.extract.claims import CLAIMS
from ceasefire.extract.components import SENTENCE_COMPONENTS
from ceasefire.extract.control import CONTROLS
from ceasefire.extract.dates import DATE_SPANS, EVENT_DATE
from ceasefire.extract.event_places import EVENT_PLACES
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.gazetteer import Gazetteer
from ceasefire.extract.justification import JUSTIFICATION
from ceasefire.extract.lexicon import build_lexicon
from ceasefire.extract.mentions import ACTORS, HOLDERS
from ceasefire.extract.modality import MODALITY
from ceasefire.extract.observations import OBSERVATIONS
from ceasefire.extract.places import PLACES
from ceasefire.extract.registry import REGISTERED, Component
from ceasefire.extract.roles import PARSED_ROLES, ROLES
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.extract.statements import STATEMENTS
from ceasefire.extract.support import SUPPORTS
from ceasefire.extract.tallies import TALLIES
from ceasefire.extract.triggers import EVENTS, TAGS, EventTrigger
from ceasefire.extract.weapons import WEAPONS
from ceasefire.extract.words import CUE_WORDS, LEMMAS, LOWERS
from ceasefire.model import AgreementPack, ClaimKind, Role, Side

PUBLISHED = dt.date(2017, 1, 10)  # a Tuesday
START = 100  # the sentence starts 100 characters into its report


def sentence(extractor: Extractor, text: str, name: str) -> tuple[Doc, Component]:
    """``text`` parsed, with every component before ``name`` run; and the component ``name``."""
    doc = extractor.nlp(text)
    REPORT.set(doc, ReportSentence("a" * 64, PUBLISHED, START, doc.text))
    by_name = dict(zip(SENTENCE_COMPONENTS, extractor.components, strict=True))
    for earlier in SENTENCE_COMPONENTS[:SENTENCE_COMPONENTS.index(name)]:
        by_name[earlier](doc)
    return doc, by_name[name]


def test_words_reads_lemmas_and_splits_merged_names(extractor: Extractor) -> None:
    doc, words = sentence(extractor, "Government forces shelled Douma.", "ceasefire.words.v1")
    assert LEMMAS.get(doc) is None
    words(doc)
    assert LEMMAS.get(doc) == ["government force", "shell", "douma", "."]
    assert LOWERS.get(doc) == ["government forces", "shelled", "douma", "."]
    assert {"forces", "force", "shell", "shelled"} <= CUE_WORDS.get(doc)


def test_mentions_sets_holders_of_a_place_apart(extractor: Extractor) -> None:
    doc, mentions = sentence(extractor, "Government forces shelled the rebel-held town of Douma.",
                             "ceasefire.mentions.v1")
    mentions(doc)
    assert [(m.evidence.text, m.label) for m in ACTORS.get(doc)] == [
        ("Government forces", "syrian-arab-army|government")]
    assert [(m.evidence.text, m.label) for m in HOLDERS.get(doc)] == [("the rebel", "|opposition")]
    assert ACTORS.get(doc)[0].evidence.start == START  # offsets are into the report, not the sentence


def test_places_resolves_names_and_widens_them_by_the_words_around(extractor: Extractor) -> None:
    doc, places = sentence(extractor, "Air strikes hit villages in rural Idlib and near Douma.", "ceasefire.places.v1")
    places(doc)
    found = {m.evidence.text: m.place for m in PLACES.get(doc)}
    assert found["Idlib"] is not None and found["Idlib"].geo_precision == 3 and found["Idlib"].admin1 == "Idlib"
    assert found["Douma"] is not None and found["Douma"].area_id == "douma" and found["Douma"].geo_precision == 2


def test_casualties_counts_the_dead_and_the_wounded(extractor: Extractor) -> None:
    text = "Shelling killed at least 12 civilians on Monday. Thirty people were wounded."
    doc, casualties = sentence(extractor, text, "ceasefire.casualties.v1")
    casualties(doc)
    killed, injured = KILLED.get(doc), INJURED.get(doc)
    assert killed is not None and (killed.low, killed.high, killed.qualifier, killed.civilians) == (
        12, None, "at least", True)
    assert killed.evidence.text == "at least 12 civilians" and killed.evidence.start == START + 16
    assert injured is not None and injured.best == 30


def test_triggers_group_the_words_of_one_event(extractor: Extractor) -> None:
    doc, triggers = sentence(extractor, "Artillery shells struck a hospital in Harasta.", "ceasefire.triggers.v1")
    triggers(doc)
    (event,) = EVENTS.get(doc)
    assert event.trigger.text == "struck" and event.sub_event == "Shelling/artillery/missile attack"
    assert {t.text for t in event.members} == {"struck", "shells", "Artillery"}
    assert TAGS.get(doc) == ["attack on infrastructure"]


def test_triggers_leave_habitual_acts_out(extractor: Extractor) -> None:
    doc, triggers = sentence(extractor, "Daily air raids continue.", "ceasefire.triggers.v1")
    triggers(doc)
    assert EVENTS.get(doc) == []


def test_modality_on_a_doc_built_by_hand(syria_pack: AgreementPack) -> None:
    from ceasefire.extract.modality import make_modality

    modality = make_modality(build_lexicon(syria_pack), Gazetteer(countries=frozenset()))
    words = ["Hezbollah", "threatened", "to", "storm", "Basimah", "."]
    doc = Doc(Vocab(), words=words, heads=[1, 1, 3, 1, 3, 1], deps=["nsubj", "ROOT", "aux", "xcomp", "dobj", "punct"],
              pos=["PROPN", "VERB", "PART", "VERB", "PROPN", "PUNCT"],
              lemmas=["Hezbollah", "threaten", "to", "storm", "Basimah", "."])
    EVENTS.set(doc, [EventTrigger(doc[3], "Armed clash", (doc[3],))])
    modality(doc)
    assert MODALITY.get(doc[3]) is ClaimKind.THREAT


@pytest.mark.parametrize(("text", "kind"), [
    ("The army shelled Ain al-Fijeh.", ClaimKind.EVENT),
    ("The army denied shelling Ain al-Fijeh.", ClaimKind.DENIAL),
    ("Rebels warned they would attack Harasta.", ClaimKind.THREAT),
])
def test_modality_of_a_parsed_sentence(extractor: Extractor, text: str, kind: ClaimKind) -> None:
    doc, modality = sentence(extractor, text, "ceasefire.modality.v1")
    modality(doc)
    assert [MODALITY.get(event.trigger) for event in EVENTS.get(doc)] == [kind]


def test_control_claims_who_holds_a_place(extractor: Extractor) -> None:
    doc, control = sentence(extractor, "Shelling hit the rebel-held town of Zamalka.", "ceasefire.control.v1")
    control(doc)
    (claim,) = CONTROLS.get(doc)
    assert claim.kind is ClaimKind.CONTROL and claim.place is not None and claim.place.name == "Zamalka"
    assert [(a.role, a.side) for a in claim.actors] == [(Role.HOLDER, Side.OPPOSITION)]
    assert claim.date is not None and claim.date.earliest == PUBLISHED and claim.date.evidence is None


def test_roles_between_two_groups(extractor: Extractor) -> None:
    doc, roles = sentence(extractor, "Clashes broke out between Jabhat Fateh al-Sham and Ahrar al-Sham near Sarmada.",
                          "ceasefire.roles.v1")
    roles(doc)
    (event,) = EVENTS.get(doc)
    assert [(a.role, a.actor_id) for a in ROLES.get(event.trigger)] == [
        (Role.PERPETRATOR, "jabhat-fateh-al-sham"), (Role.TARGET, "ahrar-al-sham")]


def test_roles_make_the_holders_of_the_place_hit_its_target(extractor: Extractor) -> None:
    doc, roles = sentence(extractor, "Shelling hit the rebel-held town of Zamalka.", "ceasefire.roles.v1")
    roles(doc)
    (event,) = EVENTS.get(doc)
    assert PARSED_ROLES.get(event.trigger) == []
    assert [(a.role, a.side) for a in ROLES.get(event.trigger)] == [(Role.TARGET, Side.OPPOSITION)]


def test_event_places_one_per_conjoined_place(extractor: Extractor) -> None:
    doc, event_places = sentence(extractor, "Russian warplanes struck Saraqib and Maarat al-Numan.",
                                 "ceasefire.event_places.v1")
    event_places(doc)
    (event,) = EVENTS.get(doc)
    assert [p.name for p in EVENT_PLACES.get(event.trigger)] == ["Saraqib", "Maarat al-Numan"]


def test_dates_resolve_against_the_publication_day(extractor: Extractor) -> None:
    doc, dates = sentence(extractor, "Warplanes struck Douma on Sunday.", "ceasefire.dates.v1")
    dates(doc)
    (event,) = EVENTS.get(doc)
    date = EVENT_DATE.get(event.trigger)
    assert [s.text for s in DATE_SPANS.get(doc)] == ["Sunday"]
    assert date is not None and (date.earliest, date.time_precision) == (dt.date(2017, 1, 8), 1)


def test_dates_leave_an_undated_event_to_the_report(extractor: Extractor) -> None:
    doc, dates = sentence(extractor, "Warplanes struck Douma.", "ceasefire.dates.v1")
    dates(doc)
    (event,) = EVENTS.get(doc)
    assert EVENT_DATE.get(event.trigger) is None


@pytest.mark.parametrize(("text", "origin", "source_id"), [
    ("Warplanes struck Douma, according to the Syrian Observatory for Human Rights.",
     "Syrian Observatory for Human Rights", "sohr"),
    ("Activists said warplanes struck Douma.", "Activists", None),
    ("Warplanes struck Douma.", None, None),
])
def test_attribution_names_whom_the_sentence_cites(extractor: Extractor, text: str, origin: str | None,
                                                   source_id: str | None) -> None:
    doc, attribution = sentence(extractor, text, "ceasefire.attribution.v1")
    attribution(doc)
    cited = ORIGIN.get(doc)
    assert (cited.origin.text if cited.origin else None, cited.source_id) == (origin, source_id)


def test_support_with_its_amount(extractor: Extractor) -> None:
    doc, support = sentence(extractor, "Iran granted Syria a $2 billion credit line.", "ceasefire.support.v1")
    support(doc)
    (claim,) = SUPPORTS.get(doc)
    assert [(a.role, a.actor_id) for a in claim.actors] == [(Role.SUPPORTER, "iran"), (Role.RECIPIENT, "syria")]
    assert claim.amount is not None and (claim.amount.value, claim.amount.currency) == (2e9, "USD")


def test_statements_about_the_agreement(extractor: Extractor) -> None:
    doc, statements = sentence(extractor, "Russia said the truce was holding.", "ceasefire.statements.v1")
    statements(doc)
    (claim,) = STATEMENTS.get(doc)
    assert claim.kind is ClaimKind.STATEMENT and [(a.role, a.actor_id) for a in claim.actors] == [
        (Role.SPEAKER, "russia")]


def test_justification_names_the_excluded_group(extractor: Extractor) -> None:
    doc, justification = sentence(extractor, "The government said the village was held by Jabhat Fateh al-Sham "
                                             "terrorists.", "ceasefire.justification.v1")
    justification(doc)
    cue = JUSTIFICATION.get(doc)
    assert cue is not None and cue.justification is not None and cue.dispute is None
    assert cue.justification.excluded_actor_id == "jabhat-fateh-al-sham"
    assert cue.justification.claimed_by is not None and cue.justification.claimed_by.side is Side.GOVERNMENT


def test_justification_is_not_read_in_a_sentence_telling_an_event(extractor: Extractor) -> None:
    doc, justification = sentence(extractor, "Warplanes struck Jabhat Fateh al-Sham terrorists in Idlib.",
                                  "ceasefire.justification.v1")
    justification(doc)
    assert JUSTIFICATION.get(doc) is None


def test_claims_gathers_the_sentence_for_the_fold(extractor: Extractor) -> None:
    doc, claims = sentence(extractor, "The strikes killed five civilians in Kafr Batna on Monday.",
                           "ceasefire.claims.v1")
    claims(doc)
    result = CLAIMS.get(doc)
    (event,) = result.events
    assert (result.start, result.end) == (START, START + len(doc.text))
    assert event.claim.place is None and event.claim.date is None  # the fold sets them
    assert [p.name for p in event.places] == ["Kafr Batna"] and event.date is not None
    assert event.claim.fatalities is not None and event.claim.fatalities.best == 5
    assert event.references == ((),)  # "the strikes", naming no place of its own: may be an event already told


def test_weapons_reads_count_calibre_and_kind(extractor: Extractor) -> None:
    doc, weapons = sentence(extractor, "Monitors observed four 122mm howitzers and 12 tanks near Aleppo.",
                            "ceasefire.weapons.v1")
    weapons(doc)
    found = [(w.evidence.text, w.kind, w.calibre_mm, w.count) for w in WEAPONS.get(doc)]
    assert found == [("four 122mm howitzers", "howitzer", 122.0, 4), ("12 tanks", "tank", None, 12)]
    assert WEAPONS.get(doc)[0].evidence.start == START + doc.text.index("four")


def test_tallies_count_attributed_to_the_counter_and_blaming_a_party(extractor: Extractor) -> None:
    doc, tallies = sentence(extractor, "The Turkish General Staff registered 14 ceasefire violations by government "
                                       "forces on Monday.", "ceasefire.tallies.v1")
    tallies(doc)
    (claim,) = TALLIES.get(doc)
    tally = claim.tally
    assert claim.kind is ClaimKind.TALLY and tally is not None
    assert (tally.count, tally.counted, tally.evidence.text) == (14, "violations", "14 ceasefire violations")
    assert tally.counted_by is not None and tally.counted_by.actor_id == "turkish-armed-forces"
    assert tally.blamed is not None and tally.blamed.side is Side.GOVERNMENT
    assert (tally.period_start, tally.period_end) == (dt.date(2017, 1, 9),) * 2  # Monday before publication


def test_observations_tell_a_restriction_of_the_monitors_movement(extractor: Extractor) -> None:
    doc, observations = sentence(extractor, "A monitoring patrol was denied passage at a checkpoint near Aleppo.",
                                 "ceasefire.observations.v1")
    observations(doc)
    (claim,) = OBSERVATIONS.get(doc)
    assert claim.kind is ClaimKind.OBSERVATION and claim.tags == ["restriction of monitors' movement"]
    assert claim.place is not None and claim.place.name == "Aleppo"


def test_claims_makes_no_event_of_what_a_tally_counts(extractor: Extractor) -> None:
    doc, claims = sentence(extractor, "The army said rebels attacked 60 times in Hama.", "ceasefire.claims.v1")
    claims(doc)
    result = CLAIMS.get(doc)
    assert result.events == () and [c.kind for c in result.others] == [ClaimKind.TALLY]


def test_every_registered_component_has_a_test_here() -> None:
    source = open(__file__, encoding="utf-8").read()
    untested = [name for name in REGISTERED if f'"{name}"' not in source]
    assert untested == []
