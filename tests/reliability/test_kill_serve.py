"""`ceasefire serve` killed with SIGKILL after storing an observer's report and before processing
it: the report must not wait for another submission to be extracted, clustered and assessed."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx

from ceasefire.store import Store
from ceasefire.web.accounts import new_api_token
from tests.reliability.tally import Tally
from tests.web.conftest import bearer, start_server

REPORT = {"text": "Government forces shelled Basimah on Monday, killing three civilians, according to our observer.",
          "observed_at": "2017-01-17T10:00:00+02:00", "latitude": 33.62, "longitude": 36.16}


def incident_of(db: Path, sha256: str) -> str | None:
    store = Store.open(str(db))
    try:
        found = (s for s in store.incidents() if any(c.report_sha256 == sha256 for c in s.incident.claims))
        stored = next(found, None)
        return stored.incident.id if stored and store.assessments(stored.incident.id) else None
    finally:
        store.close()


def test_reports_stored_before_a_kill_are_processed_at_start(demo_db: Path, tmp_path: Path, tally: Tally) -> None:
    """Crash: `ceasefire serve` killed (SIGKILL) just after storing an observer's report, then started again."""
    db = tmp_path / "killed.db"
    shutil.copy(demo_db, db)
    store = Store.open(str(db))
    token = new_api_token(store, "obs")
    store.close()
    process, url = start_server(str(db))
    stored = httpx.post(url + "/api/v1/reports", json=REPORT, headers=bearer(token), timeout=60)
    process.kill()  # loading the extractor takes seconds: the report is stored, not yet extracted
    process.wait(30)
    assert stored.status_code == 201, stored.text
    sha256 = stored.json()["sha256"]
    assert incident_of(db, sha256) is None
    process, url = start_server(str(db))
    try:
        deadline = time.monotonic() + 120
        while (incident := incident_of(db, sha256)) is None and time.monotonic() < deadline:
            time.sleep(1)
    finally:
        process.terminate()
        process.wait(30)
    assert incident is not None, "the stored report was never processed after the restart"
    tally.case(stored=1, processed_after_restart=1)
