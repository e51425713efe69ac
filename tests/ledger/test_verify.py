"""Every change is recorded in the ledger; `ceasefire verify` catches each kind of tampering done
to a real database through SQL, and names the first record that fails."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ceasefire.ledger import DELETED
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.pipeline import assess_incidents, checkpoint, cluster_claims, verify_ledger
from ceasefire.store import Store
from tests.adjudicate.test_review import stored_incident
from tests.reliability.test_web_security import form_token, sign_in


@pytest.fixture
def filled(tmp_path: Path, syria_pack) -> Path:
    """A SQLite file with reports, claims, an incident, its assessments and a review."""
    db = tmp_path / "ledger.db"
    store = Store.open(str(db))
    incident_id = stored_incident(store, syria_pack)
    store.add_reviewer("dana", None, admin=False)
    store.add_review({"incident_id": incident_id, "action": "confirm", "verdict": "VIOLATION", "reason": "ok",
                      "reviewer": "dana", "justification": None, "justified_by": None})
    store.close()
    return db


def verify(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ceasefire", "verify", "--db", str(db)], capture_output=True,
                          text=True)


def tamper(db: Path, *statements: str) -> None:
    with sqlite3.connect(db) as conn:
        for statement in statements:
            conn.execute(statement)


def test_every_stage_records_its_changes_and_the_untouched_database_verifies(filled: Path) -> None:
    kinds = [r.kind for r in Store.open(str(filled)).ledger()]
    assert {"report", "claims", "incident", "assessments", "review"} <= set(kinds)
    result = verify(filled)
    assert result.returncode == 0 and result.stdout.startswith(f"Ledger verifies: {len(kinds)} records, head ")


def test_clean_run_verifies_on_both_databases(store: Store, syria_pack) -> None:
    stored_incident(store, syria_pack)
    cluster_claims(store, syria_pack)  # a re-run with no change records nothing new
    assess_incidents(store, syria_pack)
    records, _, breaks = verify_ledger(store)
    assert breaks == [] and records == 6  # 2 reports, 2 claim sets, 1 incident, 1 set of assessments


@pytest.mark.parametrize(("statement", "first"), [
    ("UPDATE reports SET text = text || ' (edited)' WHERE id = 2", "record #3 (report"),
    ("UPDATE claims SET payload = replace(payload, 'Shelling', 'Riot') WHERE id = 1", "(claims"),
    ("UPDATE incidents SET payload = replace(payload, '\"Douma\"', '\"Harasta\"')", "(incident"),
    ("UPDATE reviews SET verdict = 'NOT_A_VIOLATION'", "(review 1)"),
])
def test_an_edited_row_is_caught(filled: Path, statement: str, first: str) -> None:
    tamper(filled, statement)
    result = verify(filled)
    assert result.returncode == 1 and first in result.stderr and "from what was recorded (edited)" in result.stderr


def test_a_deleted_row_is_caught(filled: Path) -> None:
    tamper(filled, "DELETE FROM reviews")
    result = verify(filled)
    assert result.returncode == 1 and "(review 1): is recorded but its row in reviews is gone" in result.stderr


def test_a_row_added_outside_ceasefire_is_caught(filled: Path) -> None:
    tamper(filled, "INSERT INTO reviews (incident_id, action, verdict, reason, reviewer, created_at) "
                   "VALUES ('I-x', 'override', 'NOT_A_VIOLATION', 'forged', 'nobody', '2017-01-01 00:00:00')")
    result = verify(filled)
    assert result.returncode == 1 and "review 2: is stored in reviews without any ledger record" in result.stderr


def test_a_removed_record_is_caught(filled: Path) -> None:
    tamper(filled, "DELETE FROM ledger WHERE seq = 3")
    result = verify(filled)
    assert result.returncode == 1 and "record #4" in result.stderr and "removed or reordered" in result.stderr


def test_reordered_records_are_caught(filled: Path) -> None:
    tamper(filled, "UPDATE ledger SET seq = -1 WHERE seq = 2", "UPDATE ledger SET seq = 2 WHERE seq = 3",
           "UPDATE ledger SET seq = 3 WHERE seq = -1")
    result = verify(filled)
    assert result.returncode == 1 and "record #2" in result.stderr and "does not link" in result.stderr


def test_an_edited_record_is_caught(filled: Path) -> None:
    tamper(filled, "UPDATE ledger SET object_hash = '" + "0" * 64 + "' WHERE seq = 1")
    result = verify(filled)
    assert result.returncode == 1 and "record #1" in result.stderr and "own hash does not match" in result.stderr


def test_an_observers_file_sent_on_the_submit_page_verifies_and_can_be_checkpointed(
        client: TestClient, web_store: Store, tmp_path: Path) -> None:
    sign_in(client, "obs")
    response = client.post("/submit", files=[("attachments", ("photo.jpg", b"\xff\xd8 a photo", "image/jpeg"))],
                           data={"text": "Shelling near the bakery.", "observed_at": "2017-01-17T10:00",
                                 "tz": "+02:00", "csrf_token": form_token(client, "/submit")})
    assert response.status_code == 201, response.text
    assert client.app.state.processor.wait_idle(120)  # type: ignore[attr-defined]  # its claims are ledgered too
    assert verify_ledger(web_store)[2] == []
    made = checkpoint(web_store, load_private(new_key("body", tmp_path)[0]), "monitoring body")
    assert made.size == len(web_store.ledger())


def test_clustering_that_drops_an_incident_records_its_assessments_going(store: Store, syria_pack) -> None:
    stored_incident(store, syria_pack)
    for report in store.reports():
        store.save_claims(report.id, "test", [])  # re-extraction found nothing: the incident goes
    cluster_claims(store, syria_pack)
    assert store.incidents() == []
    assert verify_ledger(store)[2] == []
    assert [(r.kind, r.object_hash) for r in store.ledger()[-2:]] == [("incident", DELETED), ("assessments", DELETED)]
