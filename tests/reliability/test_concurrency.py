"""Two ``ceasefire`` processes writing to the same database at once, on SQLite and PostgreSQL:
both finish, each report is stored exactly once, and the ledger is one unbroken chain."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sqlalchemy import text

from ceasefire.store import Store
from tests.reliability.processes import cli, count, start
from tests.reliability.tally import Tally

REPORTS = 1500  # per process; the two files share half of them


def archive(path: Path, first: int, backwards: bool = False) -> Path:
    numbers = range(first, first + REPORTS)
    with path.open("w") as out:
        for n in reversed(numbers) if backwards else numbers:
            out.write(json.dumps({"title": f"Report {n}", "text": f"Shelling reported in sector {n}.",
                                  "published": "2017-01-05T10:00:00+02:00"}) + "\n")
    return path


def outcome(stdout: str, row: str) -> int:
    found = re.search(rf"│ {row}\s+│\s+(\d+) │", stdout)
    assert found, stdout
    return int(found.group(1))


def interleaved(store: Store, first: set[str], second: set[str]) -> bool:
    """Whether the ledger shows the two processes' own reports alternating (they really overlapped)."""
    with store.engine.connect() as conn:
        keys = [r[0] for r in conn.execute(text("select key from ledger where kind = 'report' order by seq"))]
    owners = [1 if k in first else 2 for k in keys if k in first or k in second]
    return sum(a != b for a, b in zip(owners, owners[1:], strict=False)) >= 2


def shas(path: Path) -> set[str]:
    return {hashlib.sha256(line.rstrip(b"\n")).hexdigest() for line in path.read_bytes().splitlines(keepends=True)}


def test_two_overlapping_ingests_store_each_report_once(tally: Tally, db_url: str, tmp_path: Path) -> None:
    """Two ingests at once into one new database (both migrate it), sharing half their reports in opposite order"""
    # Opposite order makes the two meet on the same new rows: the deadlock of a late ledger lock.
    a, b = archive(tmp_path / "a.jsonl", 0), archive(tmp_path / "b.jsonl", REPORTS // 2, backwards=True)
    processes = [start("ingest", str(path), "--db", db_url, "--no-extract") for path in (a, b)]
    outputs = [p.communicate(timeout=600) for p in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    total = REPORTS + REPORTS // 2
    assert sum(outcome(out, "new") for out, _ in outputs) == total
    assert sum(outcome(out, "duplicates") for out, _ in outputs) == REPORTS // 2
    store = Store.open(db_url)
    assert count(store, "select count(distinct sha256) from reports") == count(store, "select count(*) from reports")
    assert store.count_reports() == total
    assert count(store, "select count(*) from ledger") == count(store, "select max(seq) from ledger") == total
    overlapped = interleaved(store, shas(a) - shas(b), shas(b) - shas(a))
    tally.case(**{"ingests overlapped" if overlapped else "ingests ran one after the other": 1})
    verified = cli("verify", "--db", db_url)
    assert verified.returncode == 0 and verified.stdout.startswith(f"Ledger verifies: {total} records"), \
        verified.stderr
    store.close()


def test_two_processes_creating_the_same_database_both_succeed(tally: Tally, db_url: str) -> None:
    """Two `ceasefire db upgrade` at once on a database that does not exist yet (the migration race)"""
    processes = [start("db", "upgrade", "--db", db_url) for _ in range(2)]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    store = Store.open(db_url)
    assert count(store, "select count(*) from alembic_version") == 1
    store.close()
    tally.case(both_migrated=1)
