"""The demo corpus's 2017-01-18 Deir Qanun takeover: a grade-D outlet's day-and-village claim
whose own sentence carries the other side's denial, and a wire agency's month-and-valley claim."""

from __future__ import annotations

from pathlib import Path

from ceasefire.store import Store


def test_the_demo_deir_qanun_takeover_is_disputed_quoting_the_denial_not_a_confirmed_violation(
        demo_db: Path) -> None:
    store = Store.open(str(demo_db))
    try:
        (found,) = [s for s in store.incidents() if s.incident.place and s.incident.place.name == "Deir Qanun"
                    and s.incident.sub_event_type == "Government regains territory"]
        overall = store.overall_assessment(found.incident.id)
    finally:
        store.close()
    assert overall.verdict.value == "DISPUTED" and overall.confidence < 0.9
    assert "denied in “rebel factions denied losing any positions”" in (overall.depends_on or "")
    text = "\n".join(r.text for r in overall.reasons)
    assert "Orient News (D) confirms" in text
    assert "Reuters (B) is consistent with it, not confirming: date only to the month" in text
    assert "Admiralty credibility 1" not in text
    assert "syria" not in overall.responsibility.sponsors
