"""Real ``ceasefire`` processes killed with SIGKILL in the middle of extraction, clustering,
assessment and publishing, on SQLite and PostgreSQL: the database opens, the ledger verifies,
and re-running each stage ends with exactly what an uninterrupted run stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ceasefire.errors import PublishError
from ceasefire.extract.extractor import Extractor
from ceasefire.ledger.keys import new_key
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, ingest, verify_ledger
from ceasefire.publish.bundle import SIGNATURE, verify_bundle
from ceasefire.store import Store
from tests.reliability.processes import PACK, cli, corpus, count, fingerprint, kill_when, start, tagged, writing
from tests.reliability.tally import Tally

COPIES = 3  # about 140 reports: extraction runs long enough to be killed in the middle


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "archive.jsonl"
    corpus(path, COPIES)
    return path


@pytest.fixture(scope="module")
def reference(archive: Path, extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What an uninterrupted run stores (SQLite, in this process)."""
    store = Store.open(str(tmp_path_factory.mktemp("reference") / "reference.db"))
    ingest(store, [archive])
    extract(store, extractor)
    cluster_claims(store, extractor.pack)
    assess_incidents(store, extractor.pack)
    found = fingerprint(store)
    store.close()
    return found


def ledger_verifies(store: Store) -> None:
    records, _, breaks = verify_ledger(store)
    assert records > 0 and breaks == [], breaks[:3]


def killed(tally: Tally, stage: str, args: list[str], db_url: str, ready: Any) -> bool:
    """Run a stage, SIGKILL it when ``ready(db_url, tag)``, check the database opens and verifies.

    Returns:
        True when the kill landed mid-run, False when the stage finished first.
    """
    url, tag = tagged(db_url)
    landed = kill_when(start(*args, "--db", url), ready(db_url, tag))
    store = Store.open(db_url)
    ledger_verifies(store)
    store.close()
    tally.case(**{f"{stage}: {'killed mid-run' if landed else 'finished before the kill'}": 1})
    return landed


def resumed(args: list[str], db_url: str) -> None:
    done = cli(*args, "--db", db_url)
    assert done.returncode == 0, done.stderr


def at_least(store: Store, sql: str, n: int) -> Any:
    return lambda db_url, tag: lambda: count(store, sql) >= n


def bundle_problems(bundle: Path) -> list[str]:
    try:
        return verify_bundle(bundle).problems
    except PublishError as exc:  # no manifest yet: refused as a whole
        return [str(exc)]


def kill_publish(tally: Tally, store: Store, db_url: str, tmp_path: Path) -> None:
    """Killed once the bundle folder appears: a partial bundle must not verify; a re-run's does."""
    key, _ = new_key("body", tmp_path)
    bundle = tmp_path / "bundle"
    args = ["publish", "--out", str(bundle), "--key", str(key), "--pack", PACK]
    killed(tally, "publish", args, db_url, lambda url, tag: bundle.exists)
    complete = (bundle / SIGNATURE).exists()
    assert bundle_problems(bundle) or complete, "a half-written bundle verified"
    tally.note(**{f"publish: bundle left {'complete' if complete else 'partial, refused'}": 1})
    checkpoints = len(store.checkpoints())
    resumed(args, db_url)
    assert bundle_problems(bundle) == []
    assert len(store.checkpoints()) == checkpoints + 1


def test_killed_stages_resume_to_what_an_uninterrupted_run_stores(
        tally: Tally, db_url: str, archive: Path, reference: dict[str, Any], tmp_path: Path) -> None:
    """kill -9 during extraction, clustering, assessment (ledger appends) and publish; verify; re-run each"""
    store = Store.open(db_url)
    ingest(store, [archive])
    assert killed(tally, "extract", ["extract", "--pack", PACK], db_url,
                  at_least(store, "select count(*) from extractions", 10))
    assert count(store, "select count(*) from extractions") < store.count_reports(), "extraction was not cut"
    resumed(["extract", "--pack", PACK], db_url)
    assert killed(tally, "cluster", ["cluster"], db_url, writing)
    rolled_back = count(store, "select count(*) from incidents") == 0
    resumed(["cluster"], db_url)
    assert killed(tally, "assess", ["assess"], db_url,
                  at_least(store, "select count(distinct incident_id) from assessments", 10))
    resumed(["assess"], db_url)
    # Clustering is not idempotent (a second run over the same claims moves a few): when the kill
    # came just after the commit, the re-run was a second clustering, so compare what must not move.
    same = set(reference) - (set() if rolled_back else {"memberships", "ledger", "verdicts"})
    tally.note(**{f"cluster: {'rolled back' if rolled_back else 'committed just before the kill'}": 1})
    assert {k: v for k, v in fingerprint(store).items() if k in same} == {k: reference[k] for k in same}
    kill_publish(tally, store, db_url, tmp_path)
    verified = cli("verify", "--db", db_url)
    assert verified.returncode == 0 and verified.stdout.startswith("Ledger verifies:"), verified.stderr
    store.close()
