"""`ceasefire watch`: poll the sources that are due, capture each new item's page as evidence,
store its report, and run the new reports through the pipeline.

Every step is one transaction in the store (see store/sources.py), so a watch killed at any
moment resumes where it stopped: a poll not recorded is repeated (and finds nothing new twice),
an item not finished is fetched again and stored once.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from ceasefire.errors import FetchRefused, IntakeError
from ceasefire.extract.extractor import Extractor
from ceasefire.intake import feed, jsonl
from ceasefire.intake.capture import Capture, page_capture
from ceasefire.intake.metadata import ReportDefaults, decode
from ceasefire.model import AgreementPack, Report
from ceasefire.monitor.fetch import Fetched, Fetcher
from ceasefire.monitor.sources import SourceKind
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, extractor_for
from ceasefire.store import Store
from ceasefire.store.sources import ItemEvidence, NewItem, PendingItem, Poll, StoredSource

ITEM_ATTEMPTS = 3  # polls an item's page may fail on (timeouts, 5xx) before it is refused
IDLE_WAIT = 60.0  # seconds a long-lived watch sleeps at most between looks at the schedule
log = logging.getLogger(__name__)


@dataclass
class WatchResult:
    """What one pass did."""

    polled: int = 0
    not_modified: int = 0
    failed: int = 0  # polls refused (each listed by `ceasefire source failures`)
    new_items: int = 0
    captured: int = 0  # item pages captured as evidence
    refused: int = 0  # items refused for good
    reports: int = 0  # new reports stored
    extracted: int = 0  # reports the pipeline read in this pass
    new_incidents: int = 0


@dataclass
class Watch:
    """One watch over a store: poll what is due, capture what is pending, run the pipeline.

    Args:
        pack: the agreement whose pipeline new reports go through; None stores them only.
        failure_limit: polls failed in a row that mark a source unhealthy.
    """

    store: Store
    fetcher: Fetcher
    pack: AgreementPack | None = None
    failure_limit: int = 3
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    extractor: Extractor | None = field(default=None, repr=False)

    def once(self) -> WatchResult:
        """Poll every source due now and capture every pending item, then run the pipeline."""
        result = WatchResult()
        for source in self.store.due_sources(self.clock()):
            if self.fetcher.stopping.is_set():
                return result
            self._poll(source, result)
        self._capture_pending(result)
        if result.reports and self.pack is not None and not self.fetcher.stopping.is_set():
            self._run_pipeline(result)
        return result

    def forever(self, on_pass: Callable[[WatchResult], None] | None = None) -> None:
        """Pass after pass until ``fetcher.stopping`` is set, sleeping until the next source is due."""
        while not self.fetcher.stopping.is_set():
            result = self.once()
            if on_pass:
                on_pass(result)
            due = self.store.next_due()
            wait = IDLE_WAIT if due is None else (due - self.clock()).total_seconds()
            self.fetcher.stopping.wait(min(max(wait, 0.0), IDLE_WAIT))

    def _poll(self, source: StoredSource, result: WatchResult) -> None:
        result.polled += 1
        try:
            fetched = self.fetcher.get(source.url, etag=source.etag, last_modified=source.last_modified,
                                       obey_robots=source.kind == SourceKind.PAGE)
        except FetchRefused as refused:
            log.warning("%s", refused)
            result.failed += 1
            self._record(source, Poll(self.clock(), f"refused: {refused.reason}", failure=refused.reason))
            return
        validators = {"etag": fetched.headers.get("etag"), "last_modified": fetched.headers.get("last-modified")}
        if fetched.not_modified:
            result.not_modified += 1
            self._record(source, Poll(self.clock(), "304: not modified", **validators))
            return
        try:
            new = self._store_answer(source, fetched, validators)
        except IntakeError as refused:
            log.warning("%s", refused)
            result.failed += 1
            self._record(source, Poll(self.clock(), f"refused: {refused.reason}", failure=str(refused)))
            return
        result.new_items += new
        if source.kind in (SourceKind.PAGE, SourceKind.JSONL):
            result.reports += new

    def _record(self, source: StoredSource, poll: Poll, items: list[NewItem] | None = None) -> int:
        return self.store.record_poll(source, poll, items or [], failure_limit=self.failure_limit)

    def _store_answer(self, source: StoredSource, fetched: Fetched, validators: dict[str, str | None]) -> int:
        """Store what a full answer holds and record the poll; how many items were new.

        Raises:
            IntakeError: the answer is not what the source's kind promises (malformed XML, say).
        """
        if source.kind in (SourceKind.RSS, SourceKind.ATOM):
            items, refusals = feed_items(fetched)
            self._refuse_parts(source, refusals)
            return self._record(source, Poll(self.clock(), f"{fetched.status}: {len(items)} item(s) in the "
                                             "feed", **validators), items)
        if source.kind == SourceKind.PAGE:
            captured = page_capture(fetched.url, fetched.final_url, fetched.status, fetched.headers, fetched.raw)
            item = NewItem(hashlib.sha256(fetched.raw).hexdigest(), fetched.final_url,
                           captured.report.title if captured.report else None)
            new = self.store.store_items(source, [item], _evidence(captured))
        else:
            new = self._store_lines(source, fetched)
        self._record(source, Poll(self.clock(), f"{fetched.status}: {new} new item(s)", **validators))
        return new

    def _refuse_parts(self, source: StoredSource, refusals: list[IntakeError]) -> None:
        """List the items of an answer that were refused; they do not make the source fail."""
        for refused in refusals:
            log.warning("%s", refused)
            self.store.add_source_failure(source.id, refused.origin, refused.reason)

    def _store_lines(self, source: StoredSource, fetched: Fetched) -> int:
        lines = list(jsonl.read(io.BytesIO(fetched.raw), fetched.url, ReportDefaults(published=fetched.fetched_at)))
        reports = [r for r in lines if isinstance(r, Report)]
        self._refuse_parts(source, [r for r in lines if isinstance(r, IntakeError)])
        capture = Capture(fetched.url, fetched.final_url, fetched.status, fetched.headers, fetched.raw,
                          fetched.fetched_at, None, "a JSON Lines file: its reports are stored one by one")
        items = [NewItem(r.sha256, r.url, r.title, r.published) for r in reports]
        return self.store.store_items(source, items, ItemEvidence(capture.row(), reports))

    def _capture_pending(self, result: WatchResult) -> None:
        sources = {s.id: s for s in self.store.sources()}
        for item in self.store.pending_items():
            if self.fetcher.stopping.is_set():
                return
            if item.source_id in sources:
                self._capture(sources[item.source_id], item, result)

    def _capture(self, source: StoredSource, item: PendingItem, result: WatchResult) -> None:
        own = _item_report(item)
        if not item.url:
            self.store.finish_item(item.id, ItemEvidence(None, [own] if own else [], "the item has no link; "
                                                         "its own text is the report"), source.pack_source)
            result.reports += own is not None
            return
        same = self.store.captured(item.url)
        if same is not None:  # the same article, seen in another source: stored once
            self.store.finish_item(item.id, ItemEvidence(None, [], "the same page as an item captured before"),
                                   capture_id=same[0], report_sha256=same[1])
            return
        try:
            fetched = self.fetcher.get(item.url)
        except FetchRefused as refused:
            final = not refused.transient or item.attempts + 1 >= ITEM_ATTEMPTS
            log.warning("%s%s", refused, "" if final else "; tried again on the next pass")
            self.store.refuse_item(item, refused.reason, final=final)
            result.refused += final
            return
        captured = page_capture(item.url, fetched.final_url, fetched.status, fetched.headers, fetched.raw,
                                ReportDefaults(published=item.published, source=own.source if own else None))
        evidence = _evidence(captured, own)
        self.store.finish_item(item.id, evidence, source.pack_source)
        result.captured += 1
        result.reports += bool(evidence.reports)

    def _run_pipeline(self, result: WatchResult) -> None:
        assert self.pack is not None
        if self.extractor is None:
            self.extractor = extractor_for(self.store, self.pack)
        result.extracted = extract(self.store, self.extractor).reports
        result.new_incidents = cluster_claims(self.store, self.pack).new
        assess_incidents(self.store, self.pack)


def feed_items(fetched: Fetched) -> tuple[list[NewItem], list[IntakeError]]:
    """The items of an RSS or Atom answer, each keyed by its link (by its own bytes without one),
    and the items refused.

    Raises:
        IntakeError: the answer is not a feed (malformed XML, no items, no item readable).
    """
    raw = readable_xml(fetched.raw, fetched.headers.get("content-type", ""), fetched.url)
    found: list[NewItem] = []
    refused: list[IntakeError] = []
    for item in feed.read(io.BytesIO(raw), fetched.url, ReportDefaults()):
        if isinstance(item, IntakeError):
            refused.append(item)
            continue
        key = hashlib.sha256((item.url or item.sha256).encode()).hexdigest()
        found.append(NewItem(key, item.url, item.title, item.published, item.raw))
    if refused and not found:
        if _empty_feed(raw):
            return [], []
        raise refused[0]
    return found, refused


def _empty_feed(raw: bytes) -> bool:
    """An RSS or Atom feed with no items yet: nothing to read, and nothing wrong."""
    try:
        root = etree.fromstring(raw, feed.PARSER)
    except etree.XMLSyntaxError:
        return False
    return (etree.QName(root).localname in ("rss", "feed", "RDF")
            and next(root.iter("item", f"{feed.RSS1}item", f"{feed.ATOM}entry"), None) is None)


DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
DECLARED = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def readable_xml(raw: bytes, content_type: str, origin: str) -> bytes:
    """The feed as UTF-8 XML without its declaration, whatever encoding it came in or claimed: a
    feed that declares UTF-8 and sends Windows-1252 is decoded by what its bytes are."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = _decoded(raw, content_type, origin)
    body = text.encode("utf-8")
    found = DECLARATION.match(body)
    return body[found.end():] if found else body


def _decoded(raw: bytes, content_type: str, origin: str) -> str:
    """Not UTF-8: the encoding the XML or the server names, then Windows-1252 (the usual mislabelled
    one, as feedparser falls back to), then the encoding detected; a byte order mark first of all."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    declared = DECLARED.search(raw[:200])
    named = [declared[1].decode("ascii")] if declared else []
    if "charset=" in content_type:
        named.append(content_type.partition("charset=")[2].split(";")[0].strip().strip('"'))
    for charset in [*named, "windows-1252"]:
        try:
            return raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return decode(raw, origin)
    except IntakeError:
        return raw.decode("utf-8", errors="replace")


def _item_report(item: PendingItem) -> Report | None:
    """The feed item's own report (title and summary), from the XML the feed gave."""
    if not item.payload:
        return None
    found = next(feed.read(io.BytesIO(item.payload), item.url or f"item {item.id}",
                           ReportDefaults(published=item.published)), None)
    return found if isinstance(found, Report) else None


def _evidence(captured: Capture, fallback: Report | None = None) -> ItemEvidence:
    """The capture, with the page's report; the feed item's own when the page has no article text."""
    if captured.report is not None:
        return ItemEvidence(captured.row(), [captured.report])
    reason = f"no article text on the page ({captured.problem})"
    return ItemEvidence(captured.row(), [fallback] if fallback else [], reason)
