"""What the ledger records of each kind of row: the object whose canonical JSON is hashed when the
row is written, and hashed again from the stored row when `verify` checks it. Changing one of
these changes every hash recorded before, so each is fixed once written."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any


def report_object(row: Any) -> dict[str, Any]:
    """What the ledger records of a report: every field, and the hash of its raw bytes."""
    published = row["published"]
    return {
        "sha256": row["sha256"], "format": row["format"], "title": row["title"], "url": row["url"],
        "published": published.astimezone(dt.UTC).isoformat() if published else None, "source": row["source"],
        "source_id": row["source_id"], "author": row["author"], "language": row["language"], "text": row["text"],
        "origin": row["origin"], "structured": row["structured"], "raw_sha256": hashlib.sha256(row["raw"]).hexdigest(),
    }


def capture_object(row: Any) -> dict[str, Any]:
    """What the ledger records of a capture: everything but the body, which its hash stands for."""
    fields = ("url", "final_url", "status", "headers", "raw_sha256", "text_sha256", "report_sha256")
    return {name: row[name] for name in fields} | {
        "captured_at": row["captured_at"].astimezone(dt.UTC).isoformat(),
        "body_sha256": hashlib.sha256(row["raw"]).hexdigest()}


def review_object(row: Any) -> dict[str, Any]:
    fields = ("incident_id", "action", "verdict", "reason", "reviewer", "justification", "justified_by")
    return {name: row[name] for name in fields} | {"created_at": row["created_at"].astimezone(dt.UTC).isoformat()}


def attachment_object(row: Any) -> dict[str, Any]:
    """What the ledger records of an observer's file: its name, type, size and SHA-256 (which
    stands for the bytes; `verify` hashes the stored bytes against it)."""
    return {name: row[name] for name in ("report_sha256", "filename", "sha256", "size", "content_type")}


def user_object(row: Any) -> dict[str, Any]:
    """A web account: its name, role and password hash (a changed hash is a changed password)."""
    return {name: row[name] for name in ("name", "role", "password_hash")}


def observer_object(row: Any) -> dict[str, Any]:
    """An observer and the public key their submissions must be signed with."""
    return {name: row[name] for name in ("name", "public_key")}


def reviewer_object(row: Any) -> dict[str, Any]:
    """A reviewer, the party they are affiliated with (which decides what they may review) and
    whether they are an admin (who may let a conflicted reviewer decide)."""
    return {"name": row["name"], "affiliation": row["affiliation"], "admin": bool(row["admin"])}
