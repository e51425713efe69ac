"""RSS 2.0, RSS 1.0 and Atom feed files: one report per item, hashed on the item's own XML."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import lxml.html
from lxml import etree

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import MAX_FILE_BYTES, MAX_REPORT_BYTES, ReportDefaults, make_report, read_limited
from ceasefire.model import Report, ReportFormat

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
# No network and no entity expansion: feed files are untrusted.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True)


def read(stream: BinaryIO, origin: str, defaults: ReportDefaults) -> Iterator[Report | IntakeError]:
    try:
        root = etree.fromstring(read_limited(stream, origin, MAX_FILE_BYTES), PARSER)
    except etree.XMLSyntaxError as exc:
        yield IntakeError(origin, f"is not well-formed XML: {exc.msg}", line=exc.lineno)
        return
    except IntakeError as exc:
        yield exc
        return
    items = list(root.iter("item", f"{RSS1}item", f"{ATOM}entry"))
    if not items:
        yield IntakeError(origin, f"is not an RSS or Atom feed (root <{etree.QName(root).localname}>, no items)")
        return
    feed_title = _text(root.find("channel/title")) or _text(root.find(f"{ATOM}title"))
    for item in items:
        try:
            yield _report(item, origin, defaults, feed_title)
        except IntakeError as exc:
            yield exc


def _report(item: Any, origin: str, defaults: ReportDefaults, feed_title: str | None) -> Report:
    atom = item.tag == f"{ATOM}entry"
    fields = _atom_fields(item) if atom else _rss_fields(item)
    body = fields.pop("body")
    text = _html_to_text(body) if body else ""
    if not text and not fields.get("title"):
        raise IntakeError(origin, "item has neither a title nor any text", line=item.sourceline)
    fields["source"] = fields.get("source") or feed_title
    raw = etree.tostring(item, encoding="utf-8", with_tail=False)
    if len(raw) > MAX_REPORT_BYTES:
        raise IntakeError(origin, f"item is {len(raw):,} bytes, over the limit of {MAX_REPORT_BYTES:,} for one "
                          "report", line=item.sourceline)
    return make_report(ReportFormat.FEED, raw=raw, text=text or fields["title"], meta=fields,
                       origin=origin, defaults=defaults, line=item.sourceline)


def _rss_fields(item: Any) -> dict[str, Any]:
    def first(*tags: str) -> str | None:
        return next((t for t in (_text(item.find(tag)) for tag in tags) if t), None)

    return {
        "title": first("title", f"{RSS1}title"),
        "url": first("link", f"{RSS1}link", "guid"),
        "published": first("pubDate", f"{DC}date"),
        "author": first(f"{DC}creator", "author"),
        "source": first("source"),
        "body": first(f"{CONTENT}encoded", "description", f"{RSS1}description"),
    }


def _atom_fields(item: Any) -> dict[str, Any]:
    link = next((el.get("href") for el in item.findall(f"{ATOM}link") if el.get("rel") in (None, "alternate")), None)
    return {
        "title": _text(item.find(f"{ATOM}title")),
        "url": link,
        "published": _text(item.find(f"{ATOM}published")) or _text(item.find(f"{ATOM}updated")),
        "author": _text(item.find(f"{ATOM}author/{ATOM}name")),
        "body": _text(item.find(f"{ATOM}content")) or _text(item.find(f"{ATOM}summary")),
    }


def _text(element: Any) -> str | None:
    if element is None:
        return None
    return "".join(element.itertext()).strip() or None


def _html_to_text(body: str) -> str:
    if "<" not in body:
        return body.strip()
    try:
        return str(lxml.html.fragment_fromstring(body, create_parent="div").text_content()).strip()
    except (etree.ParserError, ValueError):
        return body.strip()
