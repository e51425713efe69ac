"""Exports: ACLED's columns and codes, UCDP's precisions and deaths, GeoJSON and JSON, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tracemalloc

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.intake.acled import COLUMNS
from ceasefire.model import ClaimDate
from ceasefire.publish.exports import ExportFormat, acled_row, export, ucdp_row, write_acled_csv
from ceasefire.store import Store
from tests.publish.conftest import incident, words


def test_acled_columns_are_acleds_31_in_acleds_order(monitored: Store, syria_pack) -> None:
    out = io.StringIO()
    count = write_acled_csv(monitored.iter_incidents(), syria_pack, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == list(COLUMNS) and len(rows[0]) == 31
    assert rows[0][0] == "event_id_cnty" and rows[0][-1] == "timestamp"
    assert count == len(rows) - 1 == len(monitored.incidents())


def test_acled_row_codes_actors_place_and_the_most_conservative_toll(syria_pack) -> None:
    row = acled_row(incident(1, deaths=(3, 5, 8)), syria_pack, timestamp=1700000000)
    assert (row["actor1"], row["inter1"], row["actor2"], row["inter2"], row["interaction"]) == (
        "Syrian Arab Army", 1, "Civilians", 7, 17)
    assert row["civilian_targeting"] == "Civilian targeting" and row["disorder_type"] == "Political violence"
    assert (row["iso"], row["country"], row["admin1"], row["location"]) == (760, "Syria", "Rif Dimashq", "Douma")
    assert (row["event_date"], row["year"], row["time_precision"], row["geo_precision"]) == ("2017-01-08", 2017, 1, 1)
    assert row["fatalities"] == 3  # low, not best (5) or high (8)
    assert row["source"] == "Agence France-Presse; Reuters"
    assert row["notes"] == ("On 2017-01-08, Shelling/artillery/missile attack at Douma by Syrian Arab Army "
                            "against Civilians.")


def test_acled_event_date_is_the_middle_of_a_ranged_date(syria_pack) -> None:
    ranged = incident(2).model_copy(update={"date": ClaimDate(evidence=words("last week"), earliest=dt.date(2017, 1, 2),
                                                               latest=dt.date(2017, 1, 8), time_precision=2)})
    row = acled_row(ranged, syria_pack, timestamp=0)
    assert (row["event_date"], row["time_precision"]) == ("2017-01-05", 2)


def test_ucdp_row_keeps_low_best_high_and_precisions(syria_pack) -> None:
    row = ucdp_row(incident(3, deaths=(3, 5, 8)), syria_pack)
    assert (row["low"], row["best"], row["high"], row["deaths_civilians"]) == (3, 5, 8, 5)
    assert (row["where_prec"], row["date_prec"], row["type_of_violence"]) == (1, 1, 3)
    assert (row["side_a"], row["side_b"], row["date_start"], row["date_end"]) == (
        "Syrian Arab Army", "Civilians", "2017-01-08", "2017-01-08")
    # PRIO-GRID: half-degree cells numbered row by row from (-90, -180): row 247, column 432
    assert row["priogrid_gid"] == 247 * 720 + 432 + 1 and row["geom_wkt"] == "POINT (36.4022 33.5722)"


def test_geojson_and_json_hold_every_incident(monitored: Store, syria_pack) -> None:
    stored = monitored.incidents()
    geo, whole = io.StringIO(), io.StringIO()
    export(monitored.iter_incidents(), syria_pack, ExportFormat.GEOJSON, geo)
    export(monitored.iter_incidents(), syria_pack, ExportFormat.JSON, whole)
    features = json.loads(geo.getvalue())["features"]
    assert len(features) == sum(1 for s in stored if s.incident.place)
    assert {f["properties"]["verdict"] for f in features} >= {"VIOLATION", "DISPUTED", "UNVERIFIED"}
    elements = json.loads(whole.getvalue())
    assert [e["id"] for e in elements] == [s.incident.id for s in stored]
    assert all(e["verdict"] == s.verdict and e["actors"] == s.incident.model_dump(mode="json")["actors"]
               for e, s in zip(elements, stored, strict=True))


def test_export_command_filters_and_writes_to_stdout(monitored: Store) -> None:
    db = str(monitored.engine.url.database)
    result = CliRunner().invoke(app, ["export", "--format", "json", "--out", "-", "--db", db,
                                      "--verdict", "VIOLATION", "--since", "2017-01-01"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    expected = [s.incident.id for s in monitored.incidents(verdict="VIOLATION", since=dt.date(2017, 1, 1))]
    assert [e["id"] for e in exported] == expected and expected


def test_streamed_incidents_equal_the_listed_ones_across_batches(store: Store) -> None:
    store.save_incidents([incident(n, day=dt.date(2017, 1, 1 + n % 20)) for n in range(30)])
    assert [s.incident.id for s in store.iter_incidents(batch=7)] == [s.incident.id for s in store.incidents()]
    since = dt.date(2017, 1, 10)
    assert [s.incident for s in store.iter_incidents(batch=4, since=since, actor="syrian-arab-army")] == [
        s.incident for s in store.incidents(since=since, actor="syrian-arab-army")]


@pytest.mark.parametrize("format", list(ExportFormat))
def test_streamed_export_memory_does_not_grow_with_the_incidents(tmp_path, syria_pack, format: ExportFormat) -> None:
    store = Store.open(str(tmp_path / "many.db"))
    store.save_incidents([incident(n) for n in range(1500)])

    def peak(incidents) -> int:
        tracemalloc.start()
        export(incidents(), syria_pack, format, _Discard())
        size = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return size

    listed, streamed = peak(store.incidents), peak(lambda: store.iter_incidents(batch=100))
    assert streamed < listed / 3, f"streamed export peaked at {streamed:,} bytes, the list at {listed:,}"


class _Discard(io.StringIO):
    """A sink that keeps nothing, so only the export's own memory is measured."""

    def write(self, text: str) -> int:
        return len(text)
