"""Who is on which side of an event, as real reports write it (issue 15, actor and side classes).
The sentences are made up to show each class; the real ones are in the real-text dev sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import ExtractError
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.lexicon import build_lexicon
from ceasefire.model import AgreementPack, Claim, Role, Side
from tests.extract.helpers import events, report


def sides(claim: Claim) -> tuple[set[Side], set[Side]]:
    return {a.side for a in claim.actors_in(Role.PERPETRATOR)}, {a.side for a in claim.actors_in(Role.TARGET)}


def pair(claim: Claim) -> list[Side]:
    """The side pair a coder compares: first perpetrator and first target, in either order."""
    first = [next(iter(claim.actors_in(role)), None) for role in (Role.PERPETRATOR, Role.TARGET)]
    return sorted(a.side if a else Side.UNKNOWN for a in first)


def one_event(extractor: Extractor, text: str) -> Claim:
    (event,) = events(extractor.extract(report(text)))
    return event


# 1. Coordinated subjects of an act with two sides.

def test_two_subjects_that_clash_are_the_two_sides(extractor: Extractor) -> None:
    event = one_event(extractor, "IS and government forces clashed near Palmyra on Monday.")
    assert sides(event) == ({Side.EXCLUDED}, {Side.GOVERNMENT})


def test_two_subjects_that_advance_together_are_allies(extractor: Extractor) -> None:
    text = "Turkish armed forces and the Free Syrian Army, under Russian air support, advanced in northern Syria."
    event = one_event(extractor, text)
    assert {a.actor_id for a in event.actors_in(Role.PERPETRATOR)} == {"turkish-armed-forces", "free-syrian-army"}


# 2. The opponent in a prepositional phrase.

def test_between_attached_to_the_place_still_names_both_sides(extractor: Extractor) -> None:
    event = one_event(extractor, "Clashes erupted near Saraqib between the Syrian army and Islamic factions.")
    assert pair(event) == sorted([Side.GOVERNMENT, Side.OPPOSITION])


def test_a_fighter_killed_in_clashes_with_the_army_is_the_other_side(extractor: Extractor) -> None:
    event = one_event(extractor, "A militant was killed in clashes with the Syrian army near Saraqib.")
    assert event.actors_in(Role.PERPETRATOR) and event.actors_in(Role.TARGET)
    assert Side.GOVERNMENT in sides(event)[0] | sides(event)[1]


def test_during_clashes_with_a_named_coalition(extractor: Extractor) -> None:
    text = "Government forces shelled positions near Saraqib during clashes with the Euphrates Shield factions."
    event = one_event(extractor, text)
    assert "euphrates-shield-fsa" in {a.actor_id for a in event.actors_in(Role.TARGET)}


# 3. Generic nouns for sides: English ones in lang/en.yaml, this war's in the pack's lang.yaml.

@pytest.mark.parametrize(("text", "side"), [
    ("Pro-regime militias of Syrian and foreign origin attacked rebel positions near Saraqib.", Side.PRO_GOVERNMENT),
    ("Islamic factions shelled government positions near Saraqib.", Side.OPPOSITION),
    ("Israeli warplanes struck Syrian army positions near Quneitra.", Side.FOREIGN_STATE),
])
def test_generic_nouns_name_a_side(extractor: Extractor, text: str, side: Side) -> None:
    assert sides(one_event(extractor, text))[0] == {side}


def test_the_packs_lang_file_extends_the_language_data(syria_pack: AgreementPack, tmp_path: Path) -> None:
    (tmp_path / "lang.yaml").write_text("generic_actors:\n  border guards: government\n", encoding="utf-8")
    lexicon = build_lexicon(syria_pack.model_copy(update={"path": str(tmp_path)}))
    assert lexicon.actor("border guards") is not None and lexicon.actor("rebels") is not None
    assert lexicon.actor("Islamic factions") is None  # that noun is the bundled pack's, not English
    assert build_lexicon(syria_pack).actor("Islamic factions") is not None


def test_a_wrong_key_in_the_packs_lang_file_names_its_line(syria_pack: AgreementPack, tmp_path: Path) -> None:
    (tmp_path / "lang.yaml").write_text("generic_actors:\n  guards: government\ngeneric_actor:\n  x: y\n",
                                        encoding="utf-8")
    with pytest.raises(ExtractError, match=r"lang.yaml:3: generic_actor is not a known key"):
        build_lexicon(syria_pack.model_copy(update={"path": str(tmp_path)}))


def test_who_reports_is_not_a_party(extractor: Extractor) -> None:
    text = "Syrian opposition sources reported that Israeli aircraft conducted five strikes against Hezbollah targets."
    event = one_event(extractor, text)
    assert sides(event) == ({Side.FOREIGN_STATE}, {Side.PRO_GOVERNMENT})


# 4. Who gains territory.

def test_rebels_regaining_a_hill_after_clashes_with_the_army_overtake_it(extractor: Extractor) -> None:
    text = "Islamic factions regained control of a hill near Saraqib after clashes with the army."
    event = one_event(extractor, text)
    assert event.sub_event_type == "Non-state actor overtakes territory"
    assert sides(event) == ({Side.OPPOSITION}, {Side.GOVERNMENT})


# 7. Garbled and common words are not names.

def test_common_words_that_fold_like_a_name_are_not_actors(extractor: Extractor) -> None:
    text = ("On 26 July, ISIL took control of Division 17 near Raqqa as the Syrian Army withdrew after two days "
            "of fighting.")
    claims = extractor.extract(report(text))
    words = {a.evidence.text for c in claims for a in c.actors}
    assert "days" not in words and not any(w.startswith("as ") for w in words)


# 8. Anaphora in long narratives.

def test_the_group_is_the_last_group_named(extractor: Extractor) -> None:
    text = "IS seized several positions near Palmyra on Monday. The group later shelled the airbase near Palmyra."
    second = events(extractor.extract(report(text)))[-1]
    assert [a.actor_id for a in second.actors_in(Role.PERPETRATOR)] == ["islamic-state"]


def test_a_capture_without_a_loser_takes_the_reports_opponent(extractor: Extractor) -> None:
    text = ("On 3 January, government forces clashed with IS near Palmyra. On 5 January, IS shelled army positions "
            "near Palmyra. On 8 January, the army captured the village of Al-Dawah.")
    capture = events(extractor.extract(report(text)))[-1]
    assert capture.sub_event_type == "Government regains territory"
    assert sides(capture) == ({Side.GOVERNMENT}, {Side.EXCLUDED})


# 9. An advance right after strikes on IS is against IS.

def test_an_advance_takes_the_target_of_the_strikes_just_told(extractor: Extractor) -> None:
    text = ("Reports indicate the two countries coordinated airstrikes targeting Daesh in Syria. Such a turn of events "
            "surprised many.\n\nTurkish armed forces and the Free Syrian Army, under Russian air support, advanced "
            "in northern Syria to liberate key areas.")
    advance = next(c for c in events(extractor.extract(report(text))) if c.trigger.text == "advanced")
    assert [a.actor_id for a in advance.actors_in(Role.TARGET)] == ["islamic-state"]
