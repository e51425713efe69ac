"""Analyst decisions on both databases: they win over the automatic verdict, survive re-runs,
and a reviewer affiliated with the responsible side is refused."""

from __future__ import annotations

import pytest

from ceasefire.adjudicate.review import ReviewRefused, review
from ceasefire.model import Report, ReportFormat, Verdict
from ceasefire.pipeline import assess_incidents, cluster_claims
from ceasefire.store import Store
from tests.verify.claims import claim


def stored_incident(store: Store, pack) -> str:
    for name, source in (("a", "reuters"), ("b", "afp")):
        ref, made, src = claim(name, source_id=source, source_name=source.upper(), text=f"{name} wording")
        (report_id,) = store.add_reports([Report(sha256=ref.report_sha256, format=ReportFormat.TEXT, text=src.text,
                                                 raw=name.encode(), origin=name, source=source)], [source])
        store.save_claims(report_id, "test", [made])
    cluster_claims(store, pack)
    assess_incidents(store, pack)
    (incident,) = store.incidents()
    return incident.incident.id


def test_an_override_wins_and_survives_a_rerun(store: Store, syria_pack) -> None:
    incident_id = stored_incident(store, syria_pack)
    assert store.incident(incident_id).verdict == "VIOLATION"
    store.add_reviewer("dana", None, admin=False)
    record = review(store.overall_assessment(incident_id), syria_pack, store.reviewer("dana"),
                    verdict=Verdict.DISPUTED, reason="Local sources place rebels' artillery in the market.")
    store.add_review(record)
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    after = store.incident(incident_id)
    assert (after.verdict, after.automatic, after.review.reviewer) == ("DISPUTED", "VIOLATION", "dana")


def test_a_reviewer_affiliated_with_the_responsible_side_is_refused(store: Store, syria_pack) -> None:
    incident_id = stored_incident(store, syria_pack)
    store.add_reviewer("omar", "russia", admin=False)
    store.add_reviewer("chief", None, admin=True)
    overall = store.overall_assessment(incident_id)
    with pytest.raises(ReviewRefused, match="affiliated with Russia, which sponsors the responsible party"):
        review(overall, syria_pack, store.reviewer("omar"), verdict=None, reason="Looks right.")
    allowed = review(overall, syria_pack, store.reviewer("omar"), verdict=None, reason="Looks right.",
                     justification="Only Arabic reader on shift; second review follows.", admin=store.reviewer("chief"))
    assert allowed["justified_by"] == "chief" and allowed["action"] == "confirm"
