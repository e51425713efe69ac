"""Merkle trees over ledger records, as Certificate Transparency builds them (RFC 6962 §2.1,
RFC 9162 §2.1): a checkpoint signs the root of the first n records, and a consistency proof
shows that a later checkpoint's tree extends an earlier one without rewriting it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]); the empty tree's root is the hash of nothing."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [leaf_hash(leaf) for leaf in leaves]
    return _root_of_hashes(level)


def _root_of_hashes(hashes: Sequence[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(_root_of_hashes(hashes[:k]), _root_of_hashes(hashes[k:]))


def consistency_proof(leaves: Sequence[bytes], first: int) -> list[bytes]:
    """PROOF(first, D[n]) for the tree of all ``leaves``."""
    if not 0 < first <= len(leaves):
        raise ValueError(f"a consistency proof needs 0 < first ({first}) <= size ({len(leaves)})")
    hashes = [leaf_hash(leaf) for leaf in leaves]
    return _subproof(first, hashes, True)


def _subproof(m: int, hashes: Sequence[bytes], complete: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if complete else [_root_of_hashes(hashes)]
    k = _split(n)
    if m <= k:
        return _subproof(m, hashes[:k], complete) + [_root_of_hashes(hashes[k:])]
    return _subproof(m - k, hashes[k:], False) + [_root_of_hashes(hashes[:k])]


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """True when ``proof`` shows the tree of size ``second`` extends the one of size ``first``."""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the first root is the path's start
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def roots_at(leaves: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH(D[n]) for each n in ``sizes`` that is at most ``len(leaves)``, in one pass over the leaves.

    The tree of the first n leaves is its perfect subtrees (one per bit of n, largest first)
    joined from the right, so a stack of those subtrees gives every prefix's root on the way.
    """
    wanted = set(sizes)
    found = {0: root([])} if 0 in wanted else {}
    stack: list[tuple[int, bytes]] = []  # (height, hash) of the perfect subtrees, left to right
    for n, leaf in enumerate(leaves, 1):
        height, node = 0, leaf_hash(leaf)
        while stack and stack[-1][0] == height:
            node, height = node_hash(stack.pop()[1], node), height + 1
        stack.append((height, node))
        if n in wanted:
            joined = stack[-1][1]
            for _, left in reversed(stack[:-1]):
                joined = node_hash(left, joined)
            found[n] = joined
    return found
