"""A published bundle verifies offline in a separate process with no database, and names any
file changed after publication."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire.intake.acled import COLUMNS
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import load_private, new_key, sign
from ceasefire.model import Report, ReportFormat
from ceasefire.pipeline import assess_incidents, cluster_claims, publish
from ceasefire.store import Store
from tests.adjudicate.test_review import stored_incident
from tests.verify.claims import HARASTA, claim


@pytest.fixture
def bundle(tmp_path: Path, syria_pack) -> Path:
    store = Store.open(str(tmp_path / "monitor.db"))
    stored_incident(store, syria_pack)
    new_key("body", tmp_path / "keys")
    publish(store, syria_pack, tmp_path / "bundle", load_private(tmp_path / "keys" / "body.key"), "Mission")
    store.close()
    (tmp_path / "monitor.db").unlink()  # the reader has no database
    return tmp_path / "bundle"


def test_the_public_bundle_holds_published_incidents_only(tmp_path: Path, syria_pack) -> None:
    store = Store.open(str(tmp_path / "monitor.db"))
    corroborated = stored_incident(store, syria_pack)  # two independent origins: public
    ref, made, src = claim("c", source_id="sana", source_name="SANA", text="c wording", day="2017-01-20",
                           place=HARASTA)
    (report_id,) = store.add_reports([Report(sha256=ref.report_sha256, format=ReportFormat.TEXT, text=src.text,
                                             raw=b"c", origin="c", source="sana")], ["sana"])
    store.save_claims(report_id, "test", [made])
    cluster_claims(store, syria_pack)
    assess_incidents(store, syria_pack)
    lone = next(s for s in store.incidents() if s.incident.id != corroborated)
    assert lone.incident.corroboration == 1 and lone.verdict is not None
    new_key("body", tmp_path / "keys")
    publish(store, syria_pack, tmp_path / "bundle", load_private(tmp_path / "keys" / "body.key"), "Mission")
    features = json.loads((tmp_path / "bundle" / "incidents.geojson").read_text())["features"]
    findings = json.loads((tmp_path / "bundle" / "assessments.json").read_text())
    assert [f["properties"]["id"] for f in features] == [corroborated]
    assert [f["incident"] for f in findings] == [corroborated]


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


def add_review(store: Store) -> None:
    store.add_reviewer("dana", None, admin=False)
    store.add_review({"incident_id": store.incidents()[0].incident.id, "action": "confirm", "verdict": "VIOLATION",
                      "reason": "ok", "reviewer": "dana", "justification": None, "justified_by": None})


@pytest.fixture
def editions(tmp_path: Path, syria_pack) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """Two bundles from one database: the first at 6 records, the second, later, at 8."""
    store = Store.open(str(tmp_path / "monitor.db"))
    stored_incident(store, syria_pack)
    key = load_private(new_key("body", tmp_path / "keys")[0])
    publish(store, syria_pack, tmp_path / "first", key, "Mission")
    add_review(store)
    publish(store, syria_pack, tmp_path / "second", key, "Mission")
    store.close()
    return tmp_path / "first", tmp_path / "second"


def test_a_newer_bundle_extends_the_checkpoint_the_reader_kept(editions: tuple[Path, Path]) -> None:
    first, second = editions
    result = verify(second, "--since-checkpoint", str(first / "checkpoint.json"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("It extends the checkpoint you gave (6 records).\n")


def test_an_older_bundle_replayed_is_refused(editions: tuple[Path, Path]) -> None:
    first, second = editions
    result = verify(first, "--since-checkpoint", str(second / "checkpoint.json"))
    assert result.returncode == 1
    assert result.stderr == ("checkpoint.json: covers 6 records, fewer than the 8 of the checkpoint you know: this "
                             "bundle is older than one you have seen (replayed or rolled back)\n")


def test_a_bundle_from_a_rewritten_ledger_is_refused(editions: tuple[Path, Path], tmp_path: Path,
                                                     syria_pack) -> None:  # type: ignore[no-untyped-def]
    first, _ = editions
    other = Store.open(str(tmp_path / "rewritten.db"))  # the same findings, recorded again: another history
    stored_incident(other, syria_pack)
    key = load_private(tmp_path / "keys" / "body.key")
    publish(other, syria_pack, tmp_path / "rewritten-6", key, "Mission")
    add_review(other)
    publish(other, syria_pack, tmp_path / "rewritten-8", key, "Mission")
    same_size = verify(tmp_path / "rewritten-6", "--since-checkpoint", str(first / "checkpoint.json"))
    assert same_size.returncode == 1 and same_size.stderr.startswith(
        "checkpoint.json: root differs from the checkpoint you know, at the same 6 records")
    later = verify(tmp_path / "rewritten-8", "--since-checkpoint", str(first / "checkpoint.json"))
    assert later.returncode == 1 and later.stderr.startswith(
        "checkpoints.json: root differs from the checkpoint you know, at 6 records: the ledger was rewritten")


def test_a_forged_proof_in_the_history_is_named(editions: tuple[Path, Path]) -> None:
    _, second = editions
    history = json.loads((second / "checkpoints.json").read_text())
    history[-1]["proof"] = ["00" * 32]
    (second / "checkpoints.json").write_text(json.dumps(history))
    result = verify(second)
    assert result.returncode == 1
    assert "checkpoints.json: checkpoint #2 does not extend checkpoint #1 (its consistency proof fails)" \
        in result.stderr


@pytest.mark.parametrize(("damage", "said"), [
    ("truncate manifest.json", "manifest.json: not JSON at line "),
    ("delete manifest.sig", "manifest.sig: missing. Check the path"),
    ("garble public-key.pem", "public-key.pem: not an Ed25519 public key in PEM form"),
    ("since a non-JSON file", "kept.sig: not JSON at line 1, column 1 (Expecting value)"),
    ("since a missing file", "kept.json: missing. Check the path"),
    ("public key missing", "other.pub: missing. Check the path"),
])
def test_a_malformed_bundle_gets_one_line_naming_the_file(bundle: Path, damage: str, said: str) -> None:
    extra: list[str] = []
    if damage == "truncate manifest.json":
        text = (bundle / "manifest.json").read_text()
        (bundle / "manifest.json").write_text(text[:len(text) // 2])
    elif damage == "delete manifest.sig":
        (bundle / "manifest.sig").unlink()
    elif damage == "garble public-key.pem":
        (bundle / "public-key.pem").write_text("-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----\n")
    elif damage == "since a non-JSON file":  # a signature kept by mistake instead of the checkpoint
        (bundle / "kept.sig").write_text("MEUCIQD signature, not JSON\n")
        extra = ["--since-checkpoint", str(bundle / "kept.sig")]
    elif damage == "since a missing file":
        extra = ["--since-checkpoint", str(bundle / "kept.json")]
    else:
        extra = ["--public-key", str(bundle / "other.pub")]
    result = verify(bundle, *extra)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") and said in result.stderr and result.stderr.count("\n") == 1, \
        result.stderr


@pytest.mark.parametrize(("content", "said"), [
    ("{", "checkpoint.json: not JSON at line 1, column 2 (Expecting property name enclosed in double quotes)"),
    ("{}", "checkpoint.json: not a checkpoint (no field 'size')"),
    ('{"size": "many", "root": "ab", "at": "", "signer": "", "public_key": "", "signature": ""}',
     "checkpoint.json: not a checkpoint (size must be a whole number"),
])
def test_a_damaged_checkpoint_file_is_listed_with_the_rest(bundle: Path, content: str, said: str) -> None:
    (bundle / "checkpoint.json").write_text(content)
    result = verify(bundle)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "checkpoint.json: changed since it was published (SHA-256 differs)" in result.stderr
    assert said in result.stderr, result.stderr


def test_a_signed_bundle_whose_verdict_contradicts_its_assessment_fails(bundle: Path) -> None:
    findings = json.loads((bundle / "assessments.json").read_text())  # as a publisher with an edited database wrote it
    findings[0]["assessments"][0]["verdict"] = "UNVERIFIED"
    (bundle / "assessments.json").write_text(json.dumps(findings))
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["files"]["assessments.json"] = hashlib.sha256((bundle / "assessments.json").read_bytes()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    (bundle / "manifest.sig").write_text(sign(load_private(bundle.parent / "keys" / "body.key"), canonical(manifest)))
    result = verify(bundle)
    assert result.returncode == 1
    assert result.stderr == (f"assessments.json: incident {findings[0]['incident']}: automatic verdict VIOLATION "
                             "beside an overall assessment of UNVERIFIED\n")
