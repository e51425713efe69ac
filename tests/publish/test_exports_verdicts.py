"""Exports carry what a reader needs beside the facts: the verdict, who did it, which clauses,
whether an analyst reviewed it, and where to read it; ACLED's own columns stay exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.intake.acled import COLUMNS
from ceasefire.publish.exports import VERDICT_COLUMNS, ExportFormat, export
from ceasefire.store import Store


def _violation(monitored: Store):  # type: ignore[no-untyped-def]
    return next(s for s in monitored.incidents() if s.verdict == "VIOLATION" and s.incident.actors)


def test_geojson_and_json_carry_verdict_perpetrator_clauses_review_and_url(monitored: Store, syria_pack) -> None:
    stored = _violation(monitored)
    for format in (ExportFormat.GEOJSON, ExportFormat.JSON):
        out = io.StringIO()
        export([stored], syria_pack, format, out, base_url="https://monitor.example.org/")
        parsed = json.loads(out.getvalue())
        fields = parsed["features"][0]["properties"] if format is ExportFormat.GEOJSON else parsed[0]
        assert fields["verdict"] == "VIOLATION" and fields["reviewed"] is False
        assert fields["clauses"] == sorted(stored.clauses) and fields["clauses"]
        assert fields["perpetrator"] and fields["url"] == f"https://monitor.example.org/incidents/{stored.incident.id}"


def test_acled_csv_stays_exact_and_with_verdicts_appends_named_columns(monitored: Store, tmp_path: Path) -> None:
    plain, extended = tmp_path / "plain.csv", tmp_path / "verdicts.csv"
    db = str(monitored.engine.url.database)
    for path, extra in ((plain, []), (extended, ["--with-verdicts"])):
        result = CliRunner().invoke(app, ["export", "--format", "acled-csv", "--out", str(path), "--db", db, *extra])
        assert result.exit_code == 0, result.output
    plain_rows = list(csv.DictReader(plain.open()))
    rows = list(csv.DictReader(extended.open()))
    assert list(plain_rows[0]) == list(COLUMNS)
    assert list(rows[0]) == [*COLUMNS, *VERDICT_COLUMNS]
    for before, after in zip(plain_rows, rows, strict=True):
        assert {c: after[c] for c in COLUMNS if c != "timestamp"} == {c: before[c] for c in COLUMNS if c != "timestamp"}
    verdicts = {s.incident.id: s.verdict for s in monitored.incidents()}
    assert all(r["ceasefire_verdict"] == (verdicts[r["event_id_cnty"]] or "") for r in rows)
    assert {r["ceasefire_reviewed"] for r in rows} == {"no"}
    assert all(r["ceasefire_url"] == f"/incidents/{r['event_id_cnty']}" for r in rows)
