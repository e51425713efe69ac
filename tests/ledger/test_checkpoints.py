"""Keys and signed checkpoints: a later checkpoint proves it extends the earlier one, and a
rewritten history is refused."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ceasefire.errors import LedgerError
from ceasefire.ledger import GENESIS, Record, canonical, record_hash
from ceasefire.ledger.keys import load_private, new_key, verify_signature
from ceasefire.pipeline import checkpoint, verify_ledger
from ceasefire.store import Store
from tests.adjudicate.test_review import stored_incident


def test_a_new_key_is_private_to_its_owner_and_can_carry_a_passphrase(tmp_path: Path) -> None:
    private, public = new_key("body", tmp_path, passphrase="correct horse")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and public.read_bytes().startswith(b"-----BEGIN PUBLIC")
    with pytest.raises(LedgerError, match="CEASEFIRE_KEY_PASSPHRASE"):
        load_private(private)
    load_private(private, "correct horse")
    with pytest.raises(LedgerError, match="already exists"):
        new_key("body", tmp_path)


def test_checkpoints_are_signed_and_extend_each_other(tmp_path: Path, syria_pack) -> None:
    store = Store.open(str(tmp_path / "c.db"))
    key = load_private(new_key("body", tmp_path)[0])
    stored_incident(store, syria_pack)
    first = checkpoint(store, key, "monitoring body")
    store.add_reviewer("dana", None, admin=False)
    store.add_review({"incident_id": store.incidents()[0].incident.id, "action": "confirm", "verdict": "VIOLATION",
                      "reason": "ok", "reviewer": "dana", "justification": None, "justified_by": None})
    second = checkpoint(store, key, "monitoring body")
    assert (first.size, second.size, second.previous.id) == (6, 8, first.id)  # + the reviewer and the review
    last = store.checkpoints()[-1]
    statement = canonical({"size": last.size, "root": last.root, "at": last.at, "signer": last.signer})
    assert verify_signature(last.public_key.encode(), statement, last.signature)
    assert not verify_signature(last.public_key.encode(), statement.replace(b'"size":8', b'"size":9'),
                                last.signature)


def test_a_rewritten_history_is_refused(tmp_path: Path, syria_pack) -> None:
    db = tmp_path / "c.db"
    store = Store.open(str(db))
    key = load_private(new_key("body", tmp_path)[0])
    stored_incident(store, syria_pack)
    checkpoint(store, key, "monitoring body")
    with sqlite3.connect(db) as conn:  # rewrite the whole chain consistently: verify alone cannot tell
        conn.execute("DELETE FROM ledger WHERE seq > 1")
    store.add_reports([])  # nothing new
    with pytest.raises(LedgerError, match="does not verify|no longer extends"):
        checkpoint(store, key, "monitoring body")


@pytest.fixture
def checkpointed(tmp_path: Path, syria_pack) -> Path:  # type: ignore[no-untyped-def]
    """A SQLite file whose 8 records (the last a review) are signed by checkpoint #1."""
    db = tmp_path / "c.db"
    store = Store.open(str(db))
    stored_incident(store, syria_pack)
    store.add_reviewer("dana", None, admin=False)
    store.add_review({"incident_id": store.incidents()[0].incident.id, "action": "confirm", "verdict": "VIOLATION",
                      "reason": "ok", "reviewer": "dana", "justification": None, "justified_by": None})
    new_key("body", tmp_path)
    assert checkpoint(store, load_private(tmp_path / "body.key"), "monitoring body").size == 8
    store.close()
    return db


def ceasefire(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ceasefire", *args], capture_output=True, text=True)


def test_a_ledger_cut_below_a_signed_checkpoint_fails_verify_and_checkpoint_says_why(checkpointed: Path) -> None:
    with sqlite3.connect(checkpointed) as conn:  # the last record and its object: the rest still chains
        conn.execute("DELETE FROM reviews")
        conn.execute("DELETE FROM ledger WHERE seq = 8")
    verify = ceasefire("verify", "--db", str(checkpointed))
    assert verify.returncode == 1
    assert verify.stderr == ("Ledger does not verify: 1 problem(s); the first is ledger shorter than signed "
                             "checkpoint #1: it signed 8 records, the ledger holds 7 (records were removed).\n")
    signed = ceasefire("checkpoint", "--key", str(checkpointed.parent / "body.key"), "--db", str(checkpointed))
    assert signed.returncode == 1 and "Traceback" not in signed.stderr
    assert signed.stderr.startswith("Error: Refusing to sign: the ledger does not verify (ledger shorter than signed "
                                    "checkpoint #1") and signed.stderr.count("\n") == 1


def test_a_consistently_rewritten_chain_differs_from_its_checkpoint(checkpointed: Path) -> None:
    with sqlite3.connect(checkpointed) as conn:
        conn.execute("UPDATE reports SET text = 'Rebels shelled Douma.' WHERE id = 1")
    rechain(checkpointed)
    problems = [str(p) for p in verify_ledger(Store.open(str(checkpointed)))[2]]
    assert problems == ["root differs from checkpoint #1: the first 8 records are not the ones it signed (the "
                        "ledger was rewritten)"]


def test_an_edited_checkpoint_fails_its_signature(checkpointed: Path) -> None:
    with sqlite3.connect(checkpointed) as conn:
        conn.execute("UPDATE checkpoints SET size = 7")
    problems = [str(p) for p in verify_ledger(Store.open(str(checkpointed)))[2]]
    assert problems[0] == "checkpoint #1: its signature does not match its size and root (the checkpoint was edited)"


def rechain(db: Path) -> None:
    """Rewrite every record so the chain holds again over the objects as they now are (what someone
    with write access and the code could do)."""
    store = Store.open(str(db))
    hashes, records = store.audit().hashes, store.ledger()
    store.close()
    latest = {(r.kind, r.key): r.seq for r in records}
    previous = GENESIS
    with sqlite3.connect(db) as conn:
        for r in records:
            object_hash = hashes[(r.kind, r.key)] if latest[(r.kind, r.key)] == r.seq else r.object_hash
            new = Record(r.seq, r.kind, r.key, object_hash, previous,
                         record_hash(r.seq, r.kind, r.key, object_hash, previous, r.at), r.at)
            conn.execute("UPDATE ledger SET object_hash = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                         (new.object_hash, new.prev_hash, new.hash, r.seq))
            previous = new.hash
