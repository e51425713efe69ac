"""A report's claims are a pure fold over its sentences: reading a later sentence returns a new
state and leaves the claims of the earlier state as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from ceasefire.extract.assemble import Told, read
from ceasefire.extract.claims import CLAIMS, EventReading, SentenceClaims
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.prefilter import sentences
from ceasefire.extract.registry import run
from ceasefire.extract.sentence import REPORT, ReportSentence
from ceasefire.model import Claim, ClaimDate, ClaimKind, ClaimPlace, Evidence

PUBLISHED = dt.date(2017, 1, 10)
DAY = ClaimDate(earliest=PUBLISHED, latest=PUBLISHED, time_precision=1)


def sentence_claims(extractor: Extractor, text: str) -> list[SentenceClaims]:
    """Each sentence of ``text`` through the model and the components, as the fold takes them."""
    found = []
    for start, end in sentences(text):
        doc = extractor.nlp(text[start:end])
        REPORT.set(doc, ReportSentence("a" * 64, PUBLISHED, start, doc.text))
        found.append(CLAIMS.get(run(extractor.components, doc)))
    return found


def states(extractor: Extractor, text: str) -> list[Told]:
    """The fold's state after each sentence."""
    told = [Told(published=DAY, country=extractor.country)]
    for sentence in sentence_claims(extractor, text):
        told.append(read(told[-1], sentence))
    return told[1:]


def test_a_toll_told_later_fills_the_event_in_a_new_state_only(extractor: Extractor) -> None:
    first, second = states(extractor, "Warplanes struck Kafr Batna on Monday. The strikes killed five civilians, "
                                      "according to the Syrian Observatory for Human Rights.")
    (struck,) = first.claims
    (filled,) = second.claims
    assert struck.fatalities is None and struck.origin_source_id is None  # as the first sentence left it
    assert filled.fatalities is not None and filled.fatalities.best == 5 and filled.origin_source_id == "sohr"
    assert filled.trigger == struck.trigger


def test_a_dispute_told_later_leaves_the_earlier_justification_as_it_was(extractor: Extractor) -> None:
    _, justified, disputed = states(extractor, (
        "Government forces shelled Ain al-Fijeh on Sunday. The government said the village was held by Jabhat Fateh "
        "al-Sham terrorists. Residents disputed this, saying only a few fighters were present."))
    before, after = justified.claims[0].justification, disputed.claims[0].justification
    assert before is not None and before.excluded_actor_id == "jabhat-fateh-al-sham" and before.dispute is None
    assert after is not None and after.dispute is not None and after.dispute.text.startswith("Residents disputed")


def test_the_state_cannot_be_changed_in_place() -> None:
    told = Told(published=DAY, country=None)
    with pytest.raises(ValidationError):
        told.claims = ()  # type: ignore[misc]


def event_sentence(start: int, text: str, places: tuple[ClaimPlace, ...] = ()) -> SentenceClaims:
    """A sentence telling one event, written by hand: the fold needs no parse."""
    claim = Claim(report_sha256="a" * 64, index=0, kind=ClaimKind.EVENT, sub_event_type="Air/drone strike",
                  sentence=Evidence(start=start, end=start + len(text), text=text))
    event = EventReading(claim=claim, places=places, date=None, parsed_roles=(), weak=False, references=())
    return SentenceClaims(start=start, end=start + len(text), events=(event,), others=(), justification=None,
                          named_places=tuple(p.name for p in places), precise_places=places)


def test_an_event_without_a_place_takes_the_place_of_the_sentence_just_before() -> None:
    douma = ClaimPlace(name="Douma", latitude=33.57, longitude=36.40, geo_precision=1)
    country = ClaimPlace(name="Syria", latitude=35.0, longitude=38.5, geo_precision=3)
    first = "Warplanes struck Douma."
    told = read(Told(published=DAY, country=country), event_sentence(0, first, (douma,)))
    next_one = read(told, event_sentence(len(first) + 1, "Helicopters dropped barrel bombs."))
    later = read(told, event_sentence(len(first) + 200, "Helicopters dropped barrel bombs."))
    much_later = read(told, event_sentence(len(first) + 1000, "Helicopters dropped barrel bombs."))
    assert [c.place for c in next_one.claims] == [douma, douma]
    assert [c.place for c in later.claims] == [douma, douma.model_copy(update={"geo_precision": 2})]  # in the area
    assert [c.place for c in much_later.claims] == [douma, country]
    assert [c.date for c in next_one.claims] == [DAY, DAY]
