"""Where, when and how many on real-text failure classes of issue 15 (docs/extraction.md), with the
real spaCy model and the bundled Syria pack. Sentences are written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.extract.evaluate import as_event
from ceasefire.extract.extractor import Extractor
from ceasefire.model import Claim
from tests.extract.helpers import events, report


def only_event(extractor: Extractor, text: str) -> Claim:
    (event,) = events(extractor.extract(report(text)))
    return event


def test_an_unknown_village_is_coded_at_the_region_the_text_gives_not_at_a_look_alike(extractor: Extractor) -> None:
    event = only_event(extractor, "Clashes erupted between rebels and government forces in Tal al-Nhilah, in the "
                                  "northern Hama countryside.")
    assert event.place is not None and event.place.geo_precision >= 2
    assert "Hama" in event.place.name and event.place.latitude > 35.0  # not a "Tal" near the capital


def test_an_unknown_village_with_no_region_given_is_not_placed_at_a_town_of_a_similar_name(
        extractor: Extractor) -> None:
    event = only_event(extractor, "Clashes erupted between rebels and government forces in Tal al-Nhilah.")
    assert event.place is None or event.place.geo_precision == 3


@pytest.mark.parametrize(("text", "deaths"), [
    ("A militant was killed in clashes with government forces near Saraqib.", 1),
    ("One rebel fighter was killed by a sniper in Daraa.", 1),
    ("2 opposition fighters was killed in shelling on Tafas.", 2),
    ("Regime forces shelled Kafr Zita, killing a number of fighters.", 10),
    ("Dozens of fighters were killed in clashes near Palmyra.", 12),
])
def test_tolls_of_real_notes_are_read(extractor: Extractor, text: str, deaths: int) -> None:
    event = only_event(extractor, text)
    assert event.fatalities is not None and event.fatalities.low == deaths


def test_an_event_with_no_toll_is_written_with_acled_zero(extractor: Extractor) -> None:
    event = only_event(extractor, "Government helicopters dropped barrel bombs on Wadi Barada. No fatalities "
                                  "reported.")
    assert event.fatalities is None  # none reported: unknown inside, 0 where ACLED's convention is written
    assert as_event("d", event).fatalities == 0


def test_relative_dates_chain_from_the_event_before_not_from_publication(extractor: Extractor) -> None:
    text = ("On 2 January, IS attacked the town of Palmyra. Three days later, the army recaptured the town. "
            "The next day, the army shelled the town.")
    attack, recapture, shelling = events(extractor.extract(report(text)))
    assert [e.date.earliest for e in (attack, recapture, shelling) if e.date] == [
        dt.date(2017, 1, 2), dt.date(2017, 1, 5), dt.date(2017, 1, 6)]


def test_the_town_of_a_narrative_is_the_last_place_named(extractor: Extractor) -> None:
    text = ("On 2 January, IS attacked the town of Palmyra. Three days later, the army recaptured the town. "
            "The next day, the army shelled the town.")
    assert {e.place.name for e in events(extractor.extract(report(text))) if e.place} == {"Palmyra"}


def test_a_background_act_in_a_present_tense_comparison_is_undated(extractor: Extractor) -> None:
    text = ("This is strikingly similar to the measures adopted by foreign-backed militias with air support in "
            "taking control over Eastern Aleppo.")
    for event in events(extractor.extract(report(text))):
        assert event.date is not None and event.date.undated and event.date.time_precision == 3
        assert event.date.latest == dt.date(2017, 1, 10)


def test_a_dated_act_stays_dated(extractor: Extractor) -> None:
    event = only_event(extractor, "Government forces shelled Douma on Sunday.")
    assert event.date is not None and not event.date.undated and event.date.earliest == dt.date(2017, 1, 8)


def test_a_day_without_a_year_is_in_the_year_the_narrative_is_in(extractor: Extractor) -> None:
    text = "On 21 January 2015, IS attacked the town of Palmyra. On 26 January, the army shelled the town."
    attack, shelling = events(extractor.extract(report(text)))
    assert attack.date is not None and shelling.date is not None
    assert (attack.date.earliest, shelling.date.earliest) == (dt.date(2015, 1, 21), dt.date(2015, 1, 26))


def test_the_modal_may_names_no_month_for_the_events_after_it(extractor: Extractor) -> None:
    text = ("Iran is tasked to monitor the ceasefire. Russia may be considered the main broker of the talks, "
            "especially since the U.S. took part only as an observer. Turkish armed forces and the Free Syrian "
            "Army advanced in the north to liberate key areas.")
    (advance,) = events(extractor.extract(report(text)))
    assert advance.date is not None and advance.date.earliest == advance.date.latest == dt.date(2017, 1, 10)
