"""How to cite one incident: the words a journalist or a court filing can paste, pinned to the
ledger record that proves what the finding said at the time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """One incident's citation: what, which verdict, when, where to read it, and what proves it."""

    title: str
    verdict: str
    reviewed: bool
    day: dt.date
    url: str
    record_hash: str | None  # the latest ledger record about the incident (its assessment or review)
    record_seq: int | None
    as_of: dt.datetime
    publisher: str = "ceasefire"

    @property
    def text(self) -> str:
        """The citation as one paragraph."""
        how = "reviewed by an analyst" if self.reviewed else "automatic assessment, not reviewed by an analyst"
        proof = (f" Ledger record #{self.record_seq}, SHA-256 {self.record_hash}." if self.record_hash else "")
        return (f"{self.publisher}, \"{self.title}\" ({self.day.isoformat()}). Verdict: {self.verdict} ({how}). "
                f"{self.url} (as of {self.as_of.strftime('%Y-%m-%d %H:%M UTC')}).{proof}")


def latest_record(records: list[tuple[int, str]]) -> tuple[int | None, str | None]:
    """The (sequence number, hash) of the newest of an incident's ledger records."""
    if not records:
        return None, None
    seq, digest = max(records)
    return seq, digest
