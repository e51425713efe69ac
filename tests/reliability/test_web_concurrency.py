"""Observers submit through the web app while a batch ingest runs into the same database."""

from __future__ import annotations

import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from ceasefire.model import ReportFormat
from ceasefire.pipeline import verify_ledger
from ceasefire.store import Store
from ceasefire.web.accounts import new_api_token
from tests.reliability.tally import Tally
from tests.web.conftest import bearer, start_server

BATCH = 400
SUBMISSIONS = 60


def batch_folder(folder: Path) -> Path:
    folder.mkdir()
    for n in range(BATCH):
        (folder / f"wire-{n:03d}.md").write_text(
            f"---\ntitle: Wire {n}\npublished: 2017-02-{n % 27 + 1:02d}T09:00:00+02:00\nsource: Reuters\n---\n"
            f"Government forces shelled Douma on Sunday, killing {n % 9 + 1} civilians (item {n}).\n")
    return folder


def test_observer_submissions_during_a_batch_ingest(demo_db: Path, tmp_path: Path, tally: Tally) -> None:
    """Concurrency: 60 observer submissions over the API while `ceasefire ingest` stores 400 reports."""
    db = tmp_path / "busy.db"
    shutil.copy(demo_db, db)
    store = Store.open(str(db))
    tokens = []
    for n in range(6):  # each observer stays under the per-minute limit
        store.add_user(f"field-{n}", "observer", "unused: the token signs in")
        tokens.append(new_api_token(store, f"field-{n}"))
    store.close()
    process, url = start_server(str(db))
    try:
        batch = subprocess.Popen([str(Path(sys.executable).parent / "ceasefire"), "ingest",
                                  str(batch_folder(tmp_path / "batch")), "--db", str(db), "--no-extract"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        def submit(n: int) -> tuple[int, str]:
            body = {"text": f"Shelling near the bakery in Douma, report {n}.",
                    "observed_at": "2017-02-05T10:00:00+02:00", "latitude": 33.57, "longitude": 36.40}
            response = httpx.post(url + "/api/v1/reports", json=body, headers=bearer(tokens[n % 6]), timeout=120)
            return response.status_code, response.json().get("sha256", "")

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(submit, range(SUBMISSIONS)))
        output = batch.communicate(timeout=300)[0].decode()
    finally:
        process.terminate()
        process.wait(30)
    assert batch.returncode == 0, output
    assert [status for status, _ in answers].count(201) == SUBMISSIONS, answers
    store = Store.open(str(db))
    stored = store.reports(limit=10**6)
    observed = {r.sha256 for r in stored if r.format is ReportFormat.OBSERVER}
    assert {sha for _, sha in answers} <= observed
    assert sum(1 for r in stored if (r.title or "").startswith("Wire ")) == BATCH
    records, _, breaks = verify_ledger(store)
    assert not breaks, breaks
    tally.case(submitted=SUBMISSIONS, stored=len(observed), batch_reports=BATCH, ledger_breaks=len(breaks))
