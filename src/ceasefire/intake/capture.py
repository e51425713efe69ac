"""Evidence capture of a web page, to the Berkeley Protocol's minimum: the raw response bytes,
the HTTP headers, the capture time, the extracted text, and the hash of each. Network access
goes only through the ``httpx.Client`` the caller passes in."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import Any

import httpx

from ceasefire.errors import IntakeError
from ceasefire.intake import html
from ceasefire.intake.metadata import ReportDefaults
from ceasefire.model import Report

MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Capture:
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    raw: bytes
    captured_at: dt.datetime
    report: Report | None  # None when the page holds no article text
    problem: str | None = None

    def row(self) -> dict[str, Any]:
        return {"url": self.url, "final_url": self.final_url, "status": self.status, "headers": self.headers,
                "raw": self.raw, "raw_sha256": hashlib.sha256(self.raw).hexdigest(),
                "text_sha256": hashlib.sha256(self.report.text.encode()).hexdigest() if self.report else None,
                "report_sha256": self.report.sha256 if self.report else None, "captured_at": self.captured_at}


def capture(url: str, client: httpx.Client, defaults: ReportDefaults | None = None) -> Capture:
    """Fetch ``url`` and keep the response as evidence, with a report made from its text.

    Raises:
        IntakeError: the page cannot be fetched, or is not a success or too large.
    """
    try:
        response = client.get(url, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise IntakeError(url, f"cannot be fetched ({exc.__class__.__name__}: {exc}); check the URL and the "
                          "network") from exc
    if response.status_code >= 400:
        raise IntakeError(url, f"answered HTTP {response.status_code}; nothing was captured")
    raw = response.content
    if len(raw) > MAX_BYTES:
        raise IntakeError(url, f"is {len(raw):,} bytes, over the {MAX_BYTES:,}-byte capture limit")
    return page_capture(url, str(response.url), response.status_code, dict(response.headers.items()), raw, defaults)


def page_capture(url: str, final_url: str, status: int, headers: dict[str, str], raw: bytes,
                 defaults: ReportDefaults | None = None) -> Capture:
    """Evidence of a page fetched by the caller (``ceasefire watch`` streams its own, under a size cap)."""
    captured_at = dt.datetime.now(dt.UTC)
    defaults = defaults or ReportDefaults()
    defaults = ReportDefaults(published=defaults.published or captured_at, source=defaults.source,
                              language=defaults.language)
    (item,) = list(html.read(io.BytesIO(raw), final_url, defaults))
    report = item if isinstance(item, Report) else None
    return Capture(url=url, final_url=final_url, status=status, headers={k.lower(): v for k, v in headers.items()},
                   raw=raw, captured_at=captured_at,
                   report=report.model_copy(update={"url": report.url or final_url}) if report else None,
                   problem=None if report else str(item))
