"""Signed checkpoints of the ledger, as `ceasefire checkpoint` and `publish` make them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ceasefire.errors import LedgerError
from ceasefire.ledger.checkpoints import SignedCheckpoint
from ceasefire.store import tables
from ceasefire.store.engine import Database


class Checkpoints(Database):
    def add_checkpoint(self, row: dict[str, Any]) -> int:
        """Store a signed checkpoint (size, root, at, signer, public_key, signature, previous_size, proof).

        Returns:
            Its id.
        """
        with self._connect("store a checkpoint") as conn:
            return int(conn.execute(tables.checkpoints.insert().values(**row).returning(tables.checkpoints.c.id))
                       .scalar_one())

    def checkpoints(self) -> list[SignedCheckpoint]:
        """Every checkpoint, oldest first.

        Raises:
            LedgerError: a stored checkpoint cannot be read (it was edited outside ceasefire).
        """
        with self._connect("read checkpoints") as conn:
            rows = conn.execute(select(tables.checkpoints).order_by(tables.checkpoints.c.id)).all()
        found = []
        for row in rows:
            try:
                found.append(SignedCheckpoint.from_mapping(dict(row._mapping)))
            except (KeyError, TypeError, ValueError) as exc:
                raise LedgerError(f"Checkpoint {row.id} is not one ceasefire can read ({exc}): it was edited "
                                  "outside ceasefire. Run `ceasefire verify` to see what else changed.") from exc
        return found
