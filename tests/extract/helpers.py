from __future__ import annotations

import datetime as dt
import hashlib

from ceasefire.model import Claim, ClaimKind, Report, ReportFormat

PUBLISHED = dt.datetime(2017, 1, 10, 12, 0, tzinfo=dt.UTC)  # a Tuesday


def report(text: str, published: dt.datetime | None = PUBLISHED) -> Report:
    return Report(sha256=hashlib.sha256(text.encode()).hexdigest(), format=ReportFormat.TEXT, text=text,
                  raw=text.encode(), origin="test", published=published)


def events(claims: list[Claim]) -> list[Claim]:
    return [c for c in claims if c.kind is ClaimKind.EVENT]
