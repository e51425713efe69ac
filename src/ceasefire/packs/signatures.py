"""Parties' signatures on an agreement pack: each party may sign the SHA-256 of the pack's
text (its canonical JSON), so anyone can see which party agreed to exactly this encoding."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ceasefire.errors import PackError
from ceasefire.ledger import canonical
from ceasefire.ledger.keys import public_pem, sign, verify_signature
from ceasefire.model import AgreementPack


class StoredSignature(Protocol):
    """A party's signature as stored (``Store.pack_signatures`` returns them)."""

    @property
    def agreement_id(self) -> str: ...
    @property
    def pack_sha256(self) -> str: ...
    @property
    def party(self) -> str: ...
    @property
    def public_key(self) -> str: ...  # PEM
    @property
    def signature(self) -> str: ...


def pack_hash(pack: AgreementPack) -> str:
    """SHA-256 of the pack's text: its agreement and registries in RFC 8785 canonical JSON."""
    return hashlib.sha256(canonical(pack.model_dump(mode="json", exclude={"path"}))).hexdigest()


def statement(agreement_id: str, digest: str, party: str) -> bytes:
    return canonical({"agreement": agreement_id, "pack_sha256": digest, "party": party})


def sign_pack(pack: AgreementPack, party: str, key: Ed25519PrivateKey) -> dict[str, Any]:
    """A signature row for ``party``; only a party of the agreement may sign.

    Raises:
        PackError: ``party`` is not one of the agreement's parties.
    """
    parties = {p.actor for p in pack.agreement.parties}
    if party not in parties:
        raise PackError("agreement.yaml", field="parties", problem=f"does not list {party!r}",
                        fix=f"sign as one of: {', '.join(sorted(parties))}")
    digest = pack_hash(pack)
    return {"agreement_id": pack.agreement.id, "pack_sha256": digest, "party": party,
            "public_key": public_pem(key).decode(), "signature": sign(key, statement(pack.agreement.id, digest, party))}


@dataclass(frozen=True)
class SignatureStatus:
    party: str
    valid: bool  # the signature verifies over the statement it names
    current: bool  # and that statement is about this very text of the pack


def signature_status(pack: AgreementPack, rows: Sequence[StoredSignature]) -> list[SignatureStatus]:
    digest = pack_hash(pack)
    return [SignatureStatus(row.party, verify_signature(row.public_key.encode(), statement(
        row.agreement_id, row.pack_sha256, row.party), row.signature), row.pack_sha256 == digest)
        for row in rows]
