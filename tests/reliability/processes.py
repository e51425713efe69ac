"""Real ``ceasefire`` processes for the crash and concurrency tests: start, watch the database,
kill with SIGKILL at a moment the database shows, and compare what was stored."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from ceasefire.intake import ReportDefaults, input_files, read_file
from ceasefire.model import Report
from ceasefire.store import WRITER_LOCK, Store

ROOT = Path(__file__).resolve().parents[2]
PACK = "syria-2016-12-30"
ENV = os.environ | {"COLUMNS": "200", "NO_COLOR": "1"}


def corpus(path: Path, copies: int) -> int:
    """The demo corpus's dated free-text reports, ``copies`` times with distinct bytes, as JSON Lines."""
    found = [item for f in input_files([ROOT / "examples" / "corpus"]) if not isinstance(f, Exception)
             for item in read_file(f, io.BytesIO(), ReportDefaults())
             if isinstance(item, Report) and item.structured is None and item.published]
    reports = list({r.text: r for r in found}.values())
    with path.open("w") as out:
        for n in range(copies):
            for r in reports:
                out.write(json.dumps({"title": r.title, "text": f"Update {n}. {r.text}", "source": r.source,
                                      "published": r.published.isoformat() if r.published else None}) + "\n")
    return len(reports) * copies


def tagged(db_url: str) -> tuple[str, str]:
    """(URL, tag): on PostgreSQL the process's sessions carry the tag as application_name."""
    tag = f"rel_{uuid.uuid4().hex[:10]}"
    if db_url.startswith("postgresql://"):
        return f"{db_url}{'&' if '?' in db_url else '?'}application_name={tag}", tag
    return db_url, tag


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "ceasefire", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True, env=ENV,
                          timeout=600)


def kill_when(process: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = 300) -> bool:
    """SIGKILL the process as soon as ``ready()``; False when it finished first (nothing to kill)."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            out, err = process.communicate()
            assert process.returncode == 0, err
            return False
        assert time.monotonic() < deadline, "the moment to kill never came"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    return True


def count(store: Store, sql: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def writing(db_url: str, tag: str) -> Callable[[], bool]:
    """Whether the tagged process is inside a write transaction right now (holds the writer lock)."""
    if db_url.startswith("postgresql://"):
        store = Store.open(db_url, upgrade=False)
        query = ("select count(*) from pg_locks l join pg_stat_activity a on a.pid = l.pid where "
                 f"l.locktype = 'advisory' and l.objid = {WRITER_LOCK} and l.granted and a.application_name = '{tag}'")
        return lambda: count(store, query) > 0

    def sqlite_locked() -> bool:
        probe = sqlite3.connect(db_url, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()

    return sqlite_locked


FINGERPRINT = {
    "reports": "select count(*) from reports", "claims": "select count(*) from claims",
    "extractions": "select count(*) from extractions", "incidents": "select count(*) from incidents",
    "memberships": "select count(*) from incident_claims", "assessments": "select count(*) from assessments",
}


def fingerprint(store: Store) -> dict[str, Any]:
    """What a run stored: row counts, ledger records by kind, incident ids and verdicts."""
    found: dict[str, Any] = {name: count(store, sql) for name, sql in FINGERPRINT.items()}
    with store.engine.connect() as conn:
        found["ledger"] = dict(conn.execute(text("select kind, count(*) from ledger group by kind")).all())
        found["incident ids"] = [r[0] for r in conn.execute(text("select id from incidents order by id"))]
        found["verdicts"] = dict(conn.execute(text("select verdict, count(*) from incidents group by verdict")).all())
    return found
