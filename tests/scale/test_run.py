"""Archives on a Dask LocalCluster: every report once, a ledger that verifies, the same claims
with one worker and with two, and a killed run that resumes storing nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from distributed import Client
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ceasefire.packs import load_pack
from ceasefire.pipeline import verify_ledger
from ceasefire.scale import ArchiveRun, ArchiveStart, run_archive
from ceasefire.store import Store
from tests.scale.conftest import ARTICLES, BAD_LINES, GOOD_PAGES

REPORTS = ARTICLES + GOOD_PAGES
PARTITION_SIZE = 10


def run(db: str, archive: Path, client: Client, parts: Path | None) -> ArchiveRun:
    store = Store.open(db)
    try:
        return run_archive(store, load_pack("syria-2016-12-30"), [archive / "news.jsonl.gz", archive / "pages"],
                           client, parts, partition_size=PARTITION_SIZE)
    finally:
        store.close()


def stored_claims(db: str) -> list[tuple[str, int, str]]:
    store = Store.open(db)
    with store.engine.connect() as conn:
        rows = conn.execute(text("select r.sha256, c.idx, c.payload from claims c join reports r on r.id = c.report_id"
                                 " order by r.sha256, c.idx")).all()
    store.close()
    return [(sha, idx, payload if isinstance(payload, str) else str(payload)) for sha, idx, payload in rows]


def test_two_workers_store_each_report_once_with_its_ledger_records(db_url: str, archive: Path,
                                                                     two_workers: Client, tmp_path: Path) -> None:
    first = run(db_url, archive, two_workers, tmp_path / "parts")
    assert (first.new, first.duplicates, first.rejections) == (REPORTS, 0, len(BAD_LINES))
    assert first.refused[0].startswith(f"{archive / 'news.jsonl.gz'}:41: is not valid JSON")
    assert first.claims > ARTICLES // 3 and 0 < first.peak_worker_memory < 2 * 1024**3
    store = Store.open(db_url)
    records, _head, breaks = verify_ledger(store)
    assert breaks == [] and records == REPORTS + REPORTS  # a report record and a claim-set record each
    assert {r.origin for r in store.rejections()} == {f"{archive / 'news.jsonl.gz'}:{n}" for n in BAD_LINES}

    again = run(db_url, archive, two_workers, tmp_path / "parts")
    assert again.start.loaded == again.start.partitions and (again.new, again.claims) == (0, 0)
    assert store.count_reports() == REPORTS and verify_ledger(store)[0] == records
    store.close()


def test_one_and_two_workers_give_the_same_claims(archive: Path, one_worker: Client, two_workers: Client,
                                                  tmp_path: Path) -> None:
    run(str(tmp_path / "one.db"), archive, one_worker, tmp_path / "parts-one")
    run(str(tmp_path / "two.db"), archive, two_workers, tmp_path / "parts-two")
    one, two = stored_claims(str(tmp_path / "one.db")), stored_claims(str(tmp_path / "two.db"))
    assert len(one) > ARTICLES // 3 and one == two


def test_parts_are_kept_beside_the_database_and_removed_once_loaded(db_url: str, archive: Path, one_worker: Client,
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    started: list[tuple[Path, bool]] = []

    def seen(start: ArchiveStart, _futures: list[object]) -> None:
        started.append((start.parts, start.parts.is_dir()))

    store = Store.open(db_url)
    done = run_archive(store, load_pack("syria-2016-12-30"), [archive / "pages"], one_worker,
                       partition_size=PARTITION_SIZE, on_start=seen)
    store.close()
    beside = Path(f"{db_url}-parts") if "://" not in db_url else tmp_path / "cache" / "ceasefire"
    [(parts, existed)] = started
    assert existed and parts.is_relative_to(beside) and done.new == GOOD_PAGES
    assert not parts.exists() and not Path(f"{db_url}-parts").exists()
    assert list((tmp_path / "cache").glob("ceasefire/*")) == []


def test_killed_run_resumes_where_it_stopped(archive: Path, two_workers: Client, tmp_path: Path) -> None:
    db, parts = str(tmp_path / "killed.db"), tmp_path / "killed.db-parts"
    (tmp_path / "cwd").mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "ceasefire", "run", "--archive", str(archive / "news.jsonl.gz"), str(archive / "pages"),
         "--cluster", "local:1", "--db", db, "--pack", "syria-2016-12-30", "--partition-size", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, cwd=tmp_path / "cwd")
    deadline = time.monotonic() + 90
    while _loaded(db) < 3 and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the run and its Dask workers, as a kill -9 of the job would
    process.wait()
    loaded = _loaded(db)
    assert 3 <= loaded < 64, "the kill did not land mid-run; make the archive larger"
    assert parts.is_dir() and list((tmp_path / "cwd").iterdir()) == []  # kept beside the database, to resume

    resumed = Store.open(db)
    store_reports = resumed.count_reports()
    finished = run_archive(resumed, load_pack("syria-2016-12-30"), [archive / "news.jsonl.gz", archive / "pages"],
                           two_workers, partition_size=2)
    assert finished.start.loaded == loaded and finished.start.extracted >= loaded
    assert finished.new == REPORTS - store_reports and finished.duplicates == 0
    assert not parts.exists()
    with resumed.engine.connect() as conn:
        rows, distinct = conn.execute(text("select count(*), count(distinct sha256) from reports")).one()
    assert rows == distinct == REPORTS
    assert verify_ledger(resumed)[2] == []
    reference = tmp_path / "whole.db"
    run(str(reference), archive, two_workers, tmp_path / "parts-whole")
    assert stored_claims(db) == stored_claims(str(reference))


def _loaded(db: str) -> int:
    if not Path(db).exists():
        return 0
    store = Store.open(db, upgrade=False)
    try:
        with store.engine.connect() as conn:
            return int(conn.execute(text("select count(*) from archive_partitions")).scalar_one())
    except OperationalError:  # the run is still creating the schema
        return 0
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
