"""kill -9 during an export: the file the user asked for is never left half-written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ceasefire.packs import load_pack
from ceasefire.store import Store
from tests.reliability.processes import cli, kill_when, start
from tests.reliability.tally import Tally

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from api_load import fill  # noqa: E402  (the benchmark's synthetic incidents)

INCIDENTS = 60_000


def test_a_killed_export_leaves_no_truncated_file(tmp_path: Path, tally: Tally) -> None:
    """kill -9 during `ceasefire export` of 60,000 incidents (GeoJSON), then the same export again."""
    db = str(tmp_path / "many.db")
    store = Store.open(db)
    store.register_agreement(load_pack("syria-2016-12-30"))
    fill(store, INCIDENTS)
    store.close()
    out = tmp_path / "incidents.geojson"
    partial = tmp_path / "incidents.geojson.part"
    args = ["export", "--format", "geojson", "--out", str(out), "--db", db]
    landed = kill_when(start(*args), lambda: partial.exists() and partial.stat().st_size > 100_000)
    assert landed, "the export finished before the kill: give it more incidents"
    assert not out.exists()  # only the .part file, which no tool mistakes for the export
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(out.read_text())["features"]) == INCIDENTS and not partial.exists()
    tally.case(killed_mid_export=1, truncated_files=0, rerun_complete=1)
