"""HTML article pages: main text by trafilatura, metadata from the page's own tags."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import lxml.html
import trafilatura
from lxml.etree import ParserError

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import ReportDefaults, decode, make_report, read_limited
from ceasefire.model import Report, ReportFormat

# Meta tags in the order they are trusted, per field.
META_TAGS = {
    "title": ("og:title", "twitter:title"),
    "url": ("og:url",),
    "published": ("article:published_time", "datePublished", "date", "pubdate", "dc.date"),
    "source": ("og:site_name", "application-name"),
    "author": ("author", "article:author", "dc.creator"),
}


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    try:
        yield _report(read_limited(stream, origin), origin, defaults)
    except IntakeError as exc:
        yield exc


def _report(raw: bytes, origin: str, defaults: ReportDefaults) -> Report:
    html = decode(raw, origin)
    try:
        page = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise IntakeError(origin, f"is not a readable HTML page ({exc})") from None
    document = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=False)
    extracted: dict[str, Any] = document.as_dict() if isinstance(document, trafilatura.settings.Document) else {}
    text = extracted.get("text") or ""
    if not text.strip():
        raise IntakeError(origin, "holds no article text that could be extracted")
    fallback = {"title": extracted.get("title"), "author": extracted.get("author"),
                "published": extracted.get("date"), "url": extracted.get("url"), "source": extracted.get("sitename")}
    meta = {field: value or fallback.get(field) for field, value in _page_meta(page).items()}
    return make_report(ReportFormat.HTML, raw=raw, text=text, meta=meta, origin=origin, defaults=defaults)


def _page_meta(page: Any) -> dict[str, Any]:
    tags = {}
    for tag in page.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key and tag.get("content") and key not in tags:
            tags[key] = tag.get("content").strip()
    meta = {field: next((tags[t.lower()] for t in names if t.lower() in tags), None)
            for field, names in META_TAGS.items()}
    meta["language"] = (page.get("lang") or "").split("-")[0] or None
    return meta

