"""Coded data in and out: UCDP GED rows import (a bad row is listed, the rest kept), and an ACLED
CSV export imported into a fresh database exports again as the same rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ceasefire.model import ReportFormat
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest
from ceasefire.publish.exports import UCDP_COLUMNS, write_acled_csv
from ceasefire.store import Store

GED_ROW = {"id": "244657", "type_of_violence": "3", "side_a": "Government of Syria", "side_b": "Civilians",
           "where_prec": "1", "where_coordinates": "Douma town", "adm_1": "Rif Dimashq governorate",
           "latitude": "33.5722", "longitude": "36.4022", "country": "Syria", "date_prec": "2",
           "date_start": "2017-01-07 00:00:00.000", "date_end": "2017-01-09 00:00:00.000",
           "best": "5", "low": "4", "high": "9", "source_office": "Reuters;SOHR",
           "source_headline": "Shelling kills five in Douma"}


def ged_csv(path: Path, *rows: dict[str, str]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=UCDP_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(GED_ROW | row)
    return path


def test_ucdp_rows_import_and_a_bad_row_is_listed_with_its_line(store: Store, syria_pack, extractor,
                                                                 tmp_path: Path) -> None:
    path = ged_csv(tmp_path / "ged.csv", {}, {"id": "244658", "date_end": "2017-01-02"},
                   {"id": "244659", "best": "many"}, {"id": "244660", "latitude": "33.51"})
    result = ingest(store, [path], pack=syria_pack)
    assert [str(e) for e in result.rejected] == [
        f"{path}:3: field 'date_end' (2017-01-02) is before 'date_start' (2017-01-07)",
        f"{path}:4: field 'best' is 'many', expected a number"]
    assert len(result.new) == 2
    extract(store, extractor)
    (first, _) = sorted((c.claim for c in store.claims(kind="event")), key=lambda c: c.coded_id or "")
    assert first.coded_id == "244657" and first.place and first.place.country == "SY"
    assert (first.date.earliest.isoformat(), first.date.latest.isoformat()) == ("2017-01-07", "2017-01-09")
    assert first.fatalities and (first.fatalities.low, first.fatalities.best, first.fatalities.high) == (4, 5, 9)
    assert [(a.role.value, a.actor_id, a.side.value) for a in first.actors] == [
        ("perpetrator", "syrian-government", "government"), ("target", "civilians", "civilians")]
    assert store.report(store.claims()[0].report_id).format is ReportFormat.UCDP


def test_ucdp_header_is_told_apart_from_acled(store: Store, syria_pack, tmp_path: Path) -> None:
    result = ingest(store, [ged_csv(tmp_path / "events.csv", {})], pack=syria_pack)
    assert not result.rejected and store.reports()[0].format is ReportFormat.UCDP


def test_acled_export_imported_into_a_fresh_database_exports_the_same_rows(monitored: Store, syria_pack, extractor,
                                                                          tmp_path: Path) -> None:
    first = _acled_rows(monitored, syria_pack)
    path = tmp_path / "events-acled.csv"
    path.write_text(_acled_text(monitored, syria_pack))
    fresh = Store.open(str(tmp_path / "fresh.db"))
    result = ingest(fresh, [path], pack=syria_pack)
    assert not result.rejected and len(result.new) == len(first)
    extract(fresh, extractor)
    cluster_claims(fresh, syria_pack)
    assess_incidents(fresh, syria_pack)
    again = _acled_rows(fresh, syria_pack)
    assert len(again) == len(first) > 50
    assert [row for row in again if row not in first] == []
    assert again == first


def _acled_text(store: Store, pack) -> str:
    out = io.StringIO()
    write_acled_csv(store.iter_incidents(), pack, out)
    return out.getvalue()


def _acled_rows(store: Store, pack) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(_acled_text(store, pack))))
    for row in rows:
        del row["timestamp"]  # the time of the export
    return rows
