"""Tallies through the pipeline: stored as claims, never made incidents, and compared per period
and area with the incidents the system verified (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib

from ceasefire.extract.extractor import Extractor
from ceasefire.model import AgreementPack, ClaimKind, Report, ReportFormat
from ceasefire.pipeline import assess_incidents, cluster_claims, extract
from ceasefire.store import Store

PUBLISHED = dt.datetime(2017, 2, 10, 9, tzinfo=dt.UTC)
DAY = dt.date(2017, 2, 9)
REPORTS = [
    ("russian-mod", "The Russian Reconciliation Centre registered 10 ceasefire violations in Aleppo province "
                    "on 9 February."),
    ("turkish-general-staff", "The Turkish General Staff recorded 14 ceasefire violations in Aleppo province "
                              "on 9 February."),
    ("reuters", "Monitors recorded three ceasefire violations in Aleppo province on 9 February."),
    ("reuters", "Government warplanes struck the town of Atarib in Aleppo province on 9 February, killing three "
                "civilians, the Syrian Observatory for Human Rights said."),
    ("afp", "Syrian government jets bombed Atarib in western Aleppo province on 9 February, killing three "
            "civilians, according to the Syrian Network for Human Rights."),
]


def stored(store: Store, extractor: Extractor, pack: AgreementPack) -> None:
    reports = [Report(sha256=hashlib.sha256(text.encode()).hexdigest(), format=ReportFormat.TEXT, text=text,
                      raw=text.encode(), origin="test", published=PUBLISHED, source=source) for source, text in REPORTS]
    store.add_reports(reports, [source for source, _ in REPORTS])
    extract(store, extractor)
    cluster_claims(store, pack)
    assess_incidents(store, pack)


def test_tallies_are_claims_and_never_incidents(store: Store, extractor: Extractor,
                                                syria_pack: AgreementPack) -> None:
    stored(store, extractor, syria_pack)
    tallies = store.claims(kind=ClaimKind.TALLY.value)
    assert sorted(t.claim.tally.count for t in tallies if t.claim.tally) == [3, 10, 14]
    (incident,) = store.incidents()
    tally_reports = {t.claim.report_sha256 for t in tallies}
    assert not tally_reports & {ref.report_sha256 for ref in incident.incident.claims}


def test_comparison_puts_each_counter_beside_verified_incidents_and_the_monitor(
        store: Store, extractor: Extractor, syria_pack: AgreementPack) -> None:
    stored(store, extractor, syria_pack)
    (row,) = store.tally_comparison()
    assert (row.period_start, row.period_end, row.area) == (DAY, DAY, "Aleppo")
    assert sorted((f.counter, f.count) for f in row.party_figures) == [("russia", 10), ("turkish-armed-forces", 14)]
    assert row.monitor_count == 3
    assert (row.incidents, row.verified) == (1, 1)
    assert store.tally_comparison(since=DAY + dt.timedelta(days=1)) == []
    assert store.tally_comparison(since=DAY, until=DAY) == [row]


def test_a_nationwide_party_count_stands_beside_the_monitors_regional_counts_of_its_day(
        store: Store, extractor: Extractor, syria_pack: AgreementPack) -> None:
    texts = [("russian-mod", "The Russian Reconciliation Centre registered 20 ceasefire violations across Syria "
                             "in the past 24 hours."),
             ("reuters", "Monitors recorded three ceasefire violations in Aleppo province on 10 February.")]
    store.add_reports([Report(sha256=hashlib.sha256(t.encode()).hexdigest(), format=ReportFormat.TEXT, text=t,
                              raw=t.encode(), origin="test", published=PUBLISHED, source=s) for s, t in texts],
                      [s for s, _ in texts])
    extract(store, extractor)
    whole, aleppo = sorted(store.tally_comparison(), key=lambda row: row.area)
    assert (whole.area, whole.period_start, whole.period_end) == ("", DAY, PUBLISHED.date())  # the past 24 hours
    assert [(f.counter, f.count) for f in whole.party_figures] == [("russia", 20)]
    assert whole.monitor_count == 3 and [f.area for f in whole.figures if f.by_monitor] == ["Aleppo"]
    assert (aleppo.area, aleppo.period_end, aleppo.monitor_count, aleppo.party_figures) == (
        "Aleppo", PUBLISHED.date(), 3, [])
    day = PUBLISHED.date()  # the 24 hours up to the day belong to it
    assert sorted(store.tally_comparison(since=day, until=day), key=lambda row: row.area) == [whole, aleppo]
