"""One poison item (legacy data no intake check stopped) never stops a stage: extraction,
clustering and assessment each quarantine it with its reason, listed by `ceasefire reports
rejected`, and go on with the rest."""

from __future__ import annotations

import datetime as dt
import hashlib

from ceasefire.model import Claim, ClaimRef, ClaimSource, Report, ReportFormat, Side
from ceasefire.pipeline import extract
from ceasefire.store import Store
from tests.test_cli import run
from tests.verify.claims import IDLIB, claim


def _legacy(store: Store, pack, claims: list[tuple[ClaimRef, Claim, ClaimSource]]) -> None:  # type: ignore[no-untyped-def]
    """Reports and claims written straight into the database, as an older version may have left them."""
    store.register_agreement(pack)
    for ref, made, source in claims:
        name = next(n for n in ("a", "b", "c", "poison") if ref.report_sha256 == claim(n)[0].report_sha256)
        report = Report(sha256=ref.report_sha256, format=ReportFormat.TEXT, text=source.text, raw=name.encode(),
                        published=dt.datetime.fromisoformat(source.published), source=source.source_name,
                        origin=f"{name}.md")
        (report_id,) = store.add_reports([report])
        store.save_claims(report_id, "legacy", [made])


def test_a_poison_claim_is_quarantined_while_clustering_and_assessment_go_on(store: Store, db_url: str,
                                                                             syria_pack) -> None:
    poison = claim("poison", day="0001-01-01")
    _legacy(store, syria_pack, [claim("a"), claim("b", place=IDLIB), poison])
    code, output = run("cluster", "--db", db_url)
    assert code == 0, output
    assert "Clustered 2 claims into 2 incidents (2 new)." in output
    (quarantined,) = store.rejections()
    assert quarantined.origin == f"report {poison[0].report_sha256[:12]} claim 0"
    assert quarantined.reason.startswith("quarantined by clustering: ValueError: its dates 0001-01-01..0001-01-01 "
                                            "are too near the ends of the calendar to compare with others;")
    code, output = run("assess", "--db", db_url)
    assert code == 0 and "Assessed 2 incidents" in output, output
    code, output = run("reports", "rejected", "--db", db_url)
    assert code == 0 and poison[0].report_sha256[:12] in output
    run("cluster", "--db", db_url)
    assert len(store.rejections()) == 1  # retried on each run, listed once


def test_an_incident_that_cannot_be_assessed_is_quarantined_and_the_others_are(store: Store, db_url: str,
                                                                              syria_pack) -> None:
    # the pack no longer knows the group a legacy claim named as the target
    _legacy(store, syria_pack, [claim("a"), claim("b", place=IDLIB, target=("dissolved-brigade", Side.OPPOSITION))])
    assert run("cluster", "--db", db_url)[0] == 0
    poisoned = next(s.incident.id for s in store.incidents() if s.incident.place and s.incident.place.name == "Idlib")
    code, output = run("assess", "--db", db_url)
    assert code == 0 and "Assessed 1 incidents" in output, output
    (quarantined,) = store.rejections()
    assert quarantined.origin == f"incident {poisoned}"
    assert quarantined.reason.startswith("quarantined by assessment: KeyError: 'dissolved-brigade';")
    assert {s.incident.id: s.verdict is not None for s in store.incidents()}[poisoned] is False


def test_a_report_that_cannot_be_extracted_is_quarantined_and_the_others_are(store: Store, syria_pack,
                                                                            extractor) -> None:
    store.register_agreement(syria_pack)
    text = "Government forces shelled Douma yesterday, killing three civilians."
    shas = [hashlib.sha256(name.encode()).hexdigest() for name in ("first", "year 1", "third")]
    years = (2017, 1, 2017)  # "yesterday" from 1 January of the year 1 is before the calendar
    reports = [Report(sha256=sha, format=ReportFormat.TEXT, text=text, raw=b"", origin=f"{sha[:6]}.md",
                      published=dt.datetime(year, 1, 1, tzinfo=dt.UTC)) for sha, year in zip(shas, years, strict=True)]
    store.add_reports(reports)
    result = extract(store, extractor)
    assert (result.reports, result.quarantined) == (2, 1)
    assert [c.claim.report_sha256 for c in store.claims(kind="event")] == [shas[0], shas[2]]
    (quarantined,) = store.rejections()
    assert quarantined.origin == f"report {shas[1][:12]}"
    assert quarantined.reason.startswith("quarantined by extraction: OverflowError: date value out of range;")
