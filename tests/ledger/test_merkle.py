"""Merkle roots and consistency proofs as RFC 6962 / 9162 define them."""

from __future__ import annotations

import hashlib

import pytest

from ceasefire.ledger.merkle import consistency_proof, leaf_hash, node_hash, root, roots_at, verify_consistency

LEAVES = [hashlib.sha256(str(i).encode()).digest() for i in range(40)]


def test_root_of_three_leaves_follows_the_rfc_split() -> None:
    a, b, c = (leaf_hash(x) for x in LEAVES[:3])
    assert root(LEAVES[:3]) == node_hash(node_hash(a, b), c)


@pytest.mark.parametrize("second", [1, 2, 3, 5, 8, 13, 32, 40])
def test_every_earlier_tree_is_proved_consistent_with_a_later_one(second: int) -> None:
    for first in range(1, second + 1):
        proof = consistency_proof(LEAVES[:second], first)
        assert verify_consistency(first, second, root(LEAVES[:first]), root(LEAVES[:second]), proof), (first, second)


def test_a_rewritten_history_fails_the_proof() -> None:
    rewritten = LEAVES[:10] + [b"forged"] + LEAVES[11:30]
    proof = consistency_proof(rewritten, 20)
    assert not verify_consistency(20, 30, root(LEAVES[:20]), root(rewritten), proof)
    assert not verify_consistency(7, 30, root(LEAVES[:7]), root(LEAVES[:30]), consistency_proof(LEAVES[:30], 8))


def test_every_prefix_root_in_one_pass_matches_the_tree_of_that_prefix() -> None:
    found = roots_at(LEAVES, [*range(41), 41, 99])
    assert found == {n: root(LEAVES[:n]) for n in range(41)}
