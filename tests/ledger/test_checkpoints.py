"""Keys and signed checkpoints: a later checkpoint proves it extends the earlier one, and a
rewritten history is refused."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from ceasefire.errors import LedgerError
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import load_private, new_key, verify_signature
from ceasefire.pipeline import checkpoint
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
    row = store.checkpoints()[-1]
    statement = canonical({"size": row["size"], "root": row["root"], "at": row["at"], "signer": row["signer"]})
    assert verify_signature(row["public_key"].encode(), statement, row["signature"])
    assert not verify_signature(row["public_key"].encode(), statement.replace(b'"size":8', b'"size":9'),
                                row["signature"])


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
