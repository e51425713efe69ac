"""Signed checkpoints: the monitoring body's Ed25519 signature over the size and Merkle root of
the ledger at a moment. Once a checkpoint is signed (and published), the ledger may only grow
past it: ``verify_checkpoints`` says when the ledger is shorter than a checkpoint, or when its
first records are no longer the ones a checkpoint signed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ceasefire.ledger import CheckpointBreak, Record, canonical, merkle
from ceasefire.ledger.keys import verify_signature

FIELDS = ("size", "root", "at", "signer", "public_key", "signature")  # what checkpoint.json holds


@dataclass(frozen=True)
class SignedCheckpoint:
    """One checkpoint as stored and as published (``checkpoint.json``); ``proof`` shows it extends
    the checkpoint of ``previous_size`` records before it."""

    size: int
    root: str  # hex
    at: str
    signer: str
    public_key: str  # PEM
    signature: str
    id: int | None = None  # its number in the database that made it
    previous_size: int | None = None
    proof: list[str] = field(default_factory=list)  # hex hashes

    @staticmethod
    def from_mapping(value: Mapping[str, Any]) -> SignedCheckpoint:
        """Raises:
            KeyError, TypeError, ValueError: a field is missing or of the wrong type.
        """
        size, previous = value["size"], value.get("previous_size")
        root, at, signer, public_key, signature = (value[name] for name in FIELDS[1:])
        proof = value.get("proof") or []
        if (not isinstance(size, int) or isinstance(size, bool) or size < 0
                or not all(isinstance(t, str) for t in (root, at, signer, public_key, signature))
                or not (previous is None or isinstance(previous, int))
                or not (isinstance(proof, list) and all(isinstance(p, str) for p in proof))):
            raise TypeError("size must be a whole number and root, at, signer, public_key, signature text")
        bytes.fromhex(root)
        return SignedCheckpoint(size, root, at, signer, public_key, signature, id=value.get("id"),
                                previous_size=previous, proof=list(proof))

    def public(self) -> dict[str, Any]:
        """What a bundle's checkpoint.json holds: the signed statement, the signature and the key."""
        return {name: getattr(self, name) for name in FIELDS} | ({"id": self.id} if self.id is not None else {})

    def with_proof(self) -> dict[str, Any]:
        """What a bundle's checkpoints.json holds of each checkpoint: the above, and its proof."""
        return self.public() | {"previous_size": self.previous_size, "proof": self.proof}

    def statement(self) -> bytes:
        """The bytes the signature covers."""
        return canonical({"size": self.size, "root": self.root, "at": self.at, "signer": self.signer})

    def signed(self) -> bool:
        try:
            return verify_signature(self.public_key.encode(), self.statement(), self.signature)
        except ValueError:  # not a PEM public key
            return False

    def extends(self, earlier: SignedCheckpoint) -> bool:
        """True when this checkpoint's proof shows its tree extends ``earlier``'s."""
        if earlier.size == 0:  # the empty tree is the start of every tree
            return not self.proof
        try:
            proof = [bytes.fromhex(p) for p in self.proof]
            return merkle.verify_consistency(earlier.size, self.size, bytes.fromhex(earlier.root),
                                             bytes.fromhex(self.root), proof)
        except ValueError:
            return False

    @property
    def name(self) -> str:
        return f"checkpoint #{self.id}" if self.id is not None else f"the checkpoint of {self.size} records"


def verify_checkpoints(records: Sequence[Record], checkpoints: Sequence[SignedCheckpoint]) -> list[CheckpointBreak]:
    """Where the ledger ``records`` and the stored checkpoints disagree, oldest checkpoint first."""
    leaves = [bytes.fromhex(r.hash) for r in records]
    roots = merkle.roots_at(leaves, [c.size for c in checkpoints])
    breaks, previous = [], None
    for checkpoint in checkpoints:
        number = checkpoint.id or 0
        if not checkpoint.signed():
            breaks.append(CheckpointBreak(number, f"{checkpoint.name}: its signature does not match its size and "
                                                  "root (the checkpoint was edited)"))
        if checkpoint.size > len(leaves):
            breaks.append(CheckpointBreak(number, f"ledger shorter than signed {checkpoint.name}: it signed "
                                                  f"{checkpoint.size} records, the ledger holds {len(leaves)} "
                                                  "(records were removed)"))
        elif roots[checkpoint.size].hex() != checkpoint.root:
            breaks.append(CheckpointBreak(number, f"root differs from {checkpoint.name}: the first {checkpoint.size} "
                                                  "records are not the ones it signed (the ledger was rewritten)"))
        if previous is not None and not checkpoint.extends(previous):
            breaks.append(CheckpointBreak(number, f"{checkpoint.name}: its consistency proof does not show it "
                                                  f"extends {previous.name}"))
        previous = checkpoint
    return breaks
