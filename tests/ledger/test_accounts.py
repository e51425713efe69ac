"""Web accounts, observers and reviewers are in the ledger: each change is recorded, an account
added or changed through SQL fails verify, and a database made before they were ledgered
verifies after the upgrade."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from ceasefire.ledger import DELETED
from ceasefire.pipeline import cluster_claims, verify_ledger
from ceasefire.store import Store
from tests.adjudicate.test_review import stored_incident


def kinds(store: Store) -> list[tuple[str, str]]:
    return [(r.kind, r.key) for r in store.ledger() if r.kind in ("user", "observer", "reviewer")]


def test_each_account_change_is_recorded_once(store: Store) -> None:
    store.add_user("ana", "analyst", "$argon2id$one")
    store.add_user("ana", "admin", "$argon2id$one")  # a new role
    store.add_observer("olga", "PEM one")
    store.add_observer("olga", "PEM one")  # the same key again: nothing changed
    store.add_reviewer("dana", None, admin=False)
    assert kinds(store) == [("user", "ana"), ("user", "ana"), ("observer", "olga"), ("reviewer", "dana")]
    assert verify_ledger(store)[2] == []


def test_an_account_added_through_sql_fails_verify(tmp_path: Path) -> None:
    db = tmp_path / "accounts.db"
    Store.open(str(db)).add_user("ana", "analyst", "$argon2id$one")
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO users VALUES ('mallory', 'admin', '$argon2id$forged', '2017-01-01 00:00:00')")
    problems = [str(p) for p in verify_ledger(Store.open(str(db)))[2]]
    assert problems == ["user mallory: is stored in users without any ledger record (added outside ceasefire)"]


def test_a_database_from_before_is_recorded_at_upgrade_and_verifies(tmp_path: Path, syria_pack) -> None:
    db = tmp_path / "old.db"
    config = Config()
    config.set_main_option("script_location", str(resources.files("ceasefire.store") / "migrations"))
    with create_engine(f"sqlite:///{db}").begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0013")
    with sqlite3.connect(db) as conn:  # what the version before wrote: accounts with no record
        conn.execute("INSERT INTO users VALUES ('ana', 'analyst', '$argon2id$one', '2017-01-01 00:00:00')")
        conn.execute("INSERT INTO observers VALUES ('olga', 'PEM', '2017-01-01 00:00:00')")
        conn.execute("INSERT INTO reviewers VALUES ('dana', 'un', 1)")
    store = Store.open(str(db))
    stored_incident(store, syria_pack)
    assert kinds(store) == [("user", "ana"), ("observer", "olga"), ("reviewer", "dana")]
    assert verify_ledger(store)[2] == []


def test_an_incident_dropped_before_the_upgrade_has_its_assessments_recorded_as_deleted(tmp_path: Path,
                                                                                        syria_pack) -> None:
    db = tmp_path / "dropped.db"
    store = Store.open(str(db))
    stored_incident(store, syria_pack)
    for report in store.reports():
        store.save_claims(report.id, "test", [])
    cluster_claims(store, syria_pack)
    store.close()
    with sqlite3.connect(db) as conn:  # as the version before left it: the assessments' going unrecorded
        conn.execute("DELETE FROM ledger WHERE seq = (SELECT max(seq) FROM ledger)")
    before = verify_ledger(Store.open(str(db), upgrade=False))[2]
    assert "is recorded but its rows in assessments are gone" in str(before[0])
    config = Config()  # the schema of the version before: later migrations undone, then 0016 unapplied
    config.set_main_option("script_location", str(resources.files("ceasefire.store") / "migrations"))
    with create_engine(f"sqlite:///{db}").begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0016")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0015'")
    store = Store.open(str(db))
    assert verify_ledger(store)[2] == []
    assert (store.ledger()[-1].kind, store.ledger()[-1].object_hash) == ("assessments", DELETED)
