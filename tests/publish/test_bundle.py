"""A published bundle verifies offline in a separate process with no database, and names any
file changed after publication."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire.intake.acled import COLUMNS
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.pipeline import publish
from ceasefire.store import Store
from tests.adjudicate.test_review import stored_incident


@pytest.fixture
def bundle(tmp_path: Path, syria_pack) -> Path:
    store = Store.open(str(tmp_path / "monitor.db"))
    stored_incident(store, syria_pack)
    new_key("body", tmp_path / "keys")
    publish(store, syria_pack, tmp_path / "bundle", load_private(tmp_path / "keys" / "body.key"), "Mission")
    store.close()
    (tmp_path / "monitor.db").unlink()  # the reader has no database
    return tmp_path / "bundle"


def verify(folder: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ceasefire", "verify-bundle", str(folder), *extra],
                          capture_output=True, text=True, cwd=folder.parent)


def test_bundle_holds_the_findings_in_formats_readers_use(bundle: Path) -> None:
    (feature,) = json.loads((bundle / "incidents.geojson").read_text())["features"]
    assert feature["properties"]["verdict"] == "VIOLATION" and feature["geometry"]["coordinates"] == [36.4022, 33.5722]
    rows = list(csv.DictReader((bundle / "events-acled.csv").open()))
    assert list(rows[0]) == list(COLUMNS) and rows[0]["sub_event_type"] == "Shelling/artillery/missile attack"
    (finding,) = json.loads((bundle / "assessments.json").read_text())
    assert len(finding["reports"]) == 2 and finding["assessments"][0]["reasons"]


def test_untouched_bundle_verifies_offline_with_the_trusted_key(bundle: Path) -> None:
    result = verify(bundle, "--public-key", str(bundle.parent / "keys" / "body.pub"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Bundle verifies: 6 files match the signed manifest")


@pytest.mark.parametrize("name", ["events-acled.csv", "incidents.geojson", "assessments.json"])
def test_a_changed_file_is_named(bundle: Path, name: str) -> None:
    path = bundle / name
    path.write_text(path.read_text().replace("VIOLATION", "NOT_A_VIOLATION").replace("Shelling", "Riot"))
    result = verify(bundle)
    assert result.returncode == 1 and f"{name}: changed since it was published" in result.stderr


def test_a_rewritten_manifest_or_another_key_fails_the_signature(bundle: Path, tmp_path: Path) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["signer"] = "Someone else"
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    assert "manifest.json: the signature does not match" in verify(bundle).stderr
    other = new_key("other", tmp_path / "other")[1]
    assert "manifest.json: the signature does not match" in verify(bundle, "--public-key", str(other)).stderr
