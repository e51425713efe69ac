"""The agreements a database monitors, and the parties' signatures over their packs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ceasefire.model import AgreementPack
from ceasefire.store import tables
from ceasefire.store.engine import Database


@dataclass(frozen=True)
class Agreement:
    """An agreement this database monitors, and the pack it was last run with."""

    id: str
    title: str
    pack_path: str
    registered_at: dt.datetime


@dataclass(frozen=True)
class PackSignature:
    """A party's Ed25519 signature over a pack's text: that it accepts this reading of the agreement."""

    id: int
    agreement_id: str
    pack_sha256: str  # hash of the pack's text (canonical JSON)
    party: str
    public_key: str  # PEM
    signature: str
    signed_at: dt.datetime


class Agreements(Database):
    def register_agreement(self, pack: AgreementPack) -> None:
        """Record that this database monitors the pack's agreement."""
        row = {"id": pack.agreement.id, "title": pack.agreement.title, "pack_path": pack.path,
               "registered_at": dt.datetime.now(dt.UTC)}
        stmt = self._insert(tables.agreements).values(**row)
        stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={"pack_path": pack.path,
                                                                      "title": pack.agreement.title})
        with self._connect("register an agreement") as conn:
            conn.execute(stmt)

    def agreements(self) -> list[Agreement]:
        with self._connect("list agreements") as conn:
            return [Agreement(r.id, r.title, r.pack_path, r.registered_at)
                    for r in conn.execute(select(tables.agreements).order_by(tables.agreements.c.registered_at,
                                                                             tables.agreements.c.id))]

    def add_pack_signature(self, row: dict[str, Any]) -> None:
        """Store a party's signature (agreement_id, pack_sha256, party, public_key, signature)."""
        with self._connect("store a pack signature") as conn:
            conn.execute(tables.pack_signatures.insert().values(**row, signed_at=dt.datetime.now(dt.UTC)))

    def pack_signatures(self, agreement_id: str) -> list[PackSignature]:
        t = tables.pack_signatures
        with self._connect("read pack signatures") as conn:
            rows = conn.execute(select(t).where(t.c.agreement_id == agreement_id).order_by(t.c.id))
            return [PackSignature(r.id, r.agreement_id, r.pack_sha256, r.party, r.public_key, r.signature,
                                  r.signed_at) for r in rows]
