"""Denials and counter-claims: read from the text, attached to the event they deny, quoted in a
DISPUTED verdict."""

from __future__ import annotations

import datetime as dt
import hashlib

from ceasefire.adjudicate.rules import assess
from ceasefire.extract.extractor import Extractor
from ceasefire.model import ClaimKind, ClaimRef, ClaimSource, Report, ReportFormat, Verdict
from ceasefire.verify.incidents import build_incidents
from tests.verify.claims import claim, words

# Written for these tests: a partisan outlet's day-and-village report whose own sentence carries
# the other side's denial, and a wire agency's month-and-valley summary of the same offensive.
FIELD = ("Government forces shelled Kafr al-Awamid in Wadi Barada on Wednesday, activists said. "
         "State media said the army had seized hills overlooking Deir Qanun, but rebel factions denied losing any "
         "positions and said they had repelled the attack.")
WIRE = ("Government forces took control of the Wadi Barada valley in January after rebels agreed to leave for "
        "Idlib province.")
FIELD_SOURCE = dict(source_id="orient-news", source_name="Orient News")  # graded D
WIRE_SOURCE = dict(source_id="reuters", source_name="Reuters")  # graded B


def report(text: str, day: int) -> Report:
    return Report(sha256=hashlib.sha256(text.encode()).hexdigest(), format=ReportFormat.TEXT, text=text,
                  raw=text.encode(), origin="test", published=dt.datetime(2017, 1, day, 12, tzinfo=dt.UTC))


def extracted(extractor: Extractor, text: str, day: int, source: dict[str, str]):
    read = report(text, day)
    told = ClaimSource(report_sha256=read.sha256, text=text, format=ReportFormat.TEXT,
                       published=read.published.isoformat(), **source)
    return [(ClaimRef(report_sha256=read.sha256, index=c.index), c, told) for c in extractor.extract(read)]


def test_a_denial_in_the_sentence_of_the_event_is_a_denial_claim_linked_to_it(extractor: Extractor) -> None:
    claims = [c for _, c, _ in extracted(extractor, FIELD, 19, FIELD_SOURCE)]
    (denial,) = [c for c in claims if c.kind is ClaimKind.DENIAL]
    assert denial.trigger.text == "rebel factions denied losing any positions"
    assert denial.denies.text == "seized" and denial.sub_event_type == "Government regains territory"
    assert denial.place.name == "Deir Qanun"
    # what the deniers go on to say ("had repelled the attack") is not itself denied
    assert not [c for c in claims if c.kind is ClaimKind.DENIAL and c.trigger.text == "attack"]


def test_a_denial_of_the_report_in_a_later_sentence_denies_the_event_just_told(extractor: Extractor) -> None:
    text = "The army said it shelled Harasta on Monday. Rebel groups denied the report."
    event, denial = [(c.kind, c.trigger.text, c.denies.text if c.denies else None)
                     for _, c, _ in extracted(extractor, text, 10, WIRE_SOURCE)]
    assert event == (ClaimKind.EVENT, "shelled", None)
    assert denial == (ClaimKind.DENIAL, "Rebel groups denied the report", "shelled")


def test_rejecting_a_plan_is_no_denial(extractor: Extractor) -> None:
    text = "Government forces shelled Douma on Monday. The opposition rejected the plan to evacuate the town."
    assert [c.kind for _, c, _ in extracted(extractor, text, 10, WIRE_SOURCE)] == [ClaimKind.EVENT]


def test_the_partisan_day_claim_with_its_own_denial_and_a_wire_month_claim_is_disputed(
        extractor: Extractor, syria_pack) -> None:
    claims = extracted(extractor, FIELD, 19, FIELD_SOURCE) + extracted(extractor, WIRE, 30, WIRE_SOURCE)
    (incident,) = [i for i in build_incidents(claims, syria_pack) if i.sub_event_type == "Government regains territory"]
    assert incident.denied and [e.text for e in incident.denials] == ["rebel factions denied losing any positions"]
    overall = assess(incident, syria_pack)[0]
    assert overall.verdict is Verdict.DISPUTED
    assert "denied in “rebel factions denied losing any positions”" in overall.depends_on
    text = "\n".join(r.text for r in overall.reasons)
    assert "Orient News (D) confirms" in text and "Reuters (B) is consistent with it, not confirming" in text
    assert "Admiralty credibility 1" not in text and overall.confidence < 0.9


def test_a_denial_from_the_same_report_joins_the_event_it_denies(syria_pack) -> None:
    ref, event, source = claim("field", text="Field report.", sentence="The army shelled Douma.")
    denial = event.model_copy(update={"index": 1, "kind": ClaimKind.DENIAL, "trigger": words("rebels denied it"),
                                      "denies": event.trigger})
    second = claim("wire", source_id="afp", source_name="AFP", text="Wire report.")
    (incident,) = build_incidents([(ref, event, source), (ref.model_copy(update={"index": 1}), denial, source),
                                   second], syria_pack)
    assert len(incident.claims) == 3 and incident.corroboration == 2  # the denial confirms nothing
    overall = assess(incident, syria_pack)[0]
    assert overall.verdict is Verdict.DISPUTED and "denied in “rebels denied it”" in overall.depends_on
    assert any(e.text == "rebels denied it" for r in overall.reasons for e in r.evidence)
