"""A real ingest process killed with SIGKILL mid-batch leaves a consistent database, and a re-run
finishes the job storing nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from ceasefire.pipeline import BATCH_SIZE
from ceasefire.store import Store

REPORTS = 30_000


def ingest_process(path: Path, db_url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ceasefire", "ingest", str(path), "--db", db_url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ | {"COLUMNS": "200"})


def test_killed_ingest_resumes_without_duplicates(db_url: str, tmp_path: Path) -> None:
    archive = tmp_path / "archive.jsonl"
    with archive.open("w") as out:
        for n in range(REPORTS):
            out.write(json.dumps({"title": f"Report {n}", "text": f"Shelling reported in sector {n}.",
                                  "published": "2017-01-05T10:00:00+02:00"}) + "\n")
    store = Store.open(db_url)
    process = ingest_process(archive, db_url)
    deadline = time.monotonic() + 120
    while store.count_reports() < 2 * BATCH_SIZE and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    survived = store.count_reports()
    assert 0 < survived < REPORTS, "the kill did not land mid-run; make the archive larger"
    assert survived % BATCH_SIZE == 0, "a batch was half written"

    rerun = subprocess.run([sys.executable, "-m", "ceasefire", "ingest", str(archive), "--db", db_url],
                           capture_output=True, text=True, env=os.environ | {"COLUMNS": "200"})
    assert rerun.returncode == 0, rerun.stderr
    assert f"│ new        │ {REPORTS - survived:>5} │" in rerun.stdout
    assert f"│ duplicates │ {survived:>5} │" in rerun.stdout
    with store.engine.connect() as conn:
        rows, distinct = conn.execute(text("select count(*), count(distinct sha256) from reports")).one()
    assert rows == distinct == REPORTS
