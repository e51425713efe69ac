"""Sources to watch: adding one (URL, kind, interval, pack), or every source of a pack that
carries a feed URL; removing one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from ceasefire.errors import SourceError
from ceasefire.model import AgreementPack
from ceasefire.store import Store
from ceasefire.store.sources import StoredSource

INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd])\s*$")
SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
SHORTEST = 60  # no source is polled more often than once a minute


class SourceKind(StrEnum):
    RSS = "rss"  # an RSS (0.9x, 1.0, 2.0) feed; each item's page is captured
    ATOM = "atom"  # an Atom feed; each entry's page is captured
    PAGE = "page"  # one page, captured again whenever it changes; robots.txt is obeyed
    JSONL = "jsonl"  # JSON Lines of reports (as `ingest` reads them); the file is the evidence


def interval(text: str) -> int:
    """Seconds from "90s", "15m", "2h" or "1d".

    Raises:
        SourceError: not a number with one of those units, or under a minute.
    """
    found = INTERVAL.match(text)
    if not found:
        raise SourceError(f"--every {text!r} is not an interval: write a number and a unit, such as 15m, 2h or 1d.")
    seconds = int(found[1]) * SECONDS[found[2]]
    if seconds < SHORTEST:
        raise SourceError(f"--every {text!r} is under a minute: poll no source more often than every 1m, "
                          "out of courtesy to its server.")
    return seconds


def check_url(url: str) -> str:
    """Raises:
        SourceError: not an absolute http(s) URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{url!r} is not an http(s) URL; give the whole address, such as "
                          "https://example.org/feed.xml.")
    return url.strip()


def add_source(store: Store, url: str, kind: SourceKind, every: str, pack: AgreementPack | None = None,
               pack_source: str | None = None) -> tuple[StoredSource, bool]:
    """Follow a source (or change how an already followed one is followed). Returns it, and whether it is new.

    Raises:
        SourceError: the URL or interval is not acceptable, or ``pack_source`` is not a source of ``pack``.
    """
    if pack_source is not None and (pack is None or pack_source not in pack.sources):
        raise SourceError(f"No source {pack_source!r} in the pack; its sources.yaml lists them.")
    return store.add_source(check_url(url), kind.value, interval(every), pack_id=pack.agreement.id if pack else None,
                            pack_source=pack_source)


@dataclass(frozen=True)
class PackImport:
    added: list[StoredSource]
    updated: list[StoredSource]
    without_feed: list[str]  # pack source ids with no feed URL


def add_pack_sources(store: Store, pack: AgreementPack, every: str) -> PackImport:
    """Follow every source of the pack that carries a feed URL (its ``feed`` in sources.yaml).

    Raises:
        SourceError: a feed URL is not acceptable (named with its source id).
    """
    added: list[StoredSource] = []
    updated: list[StoredSource] = []
    without: list[str] = []
    for source in pack.sources.values():
        if not source.feed:
            without.append(source.id)
            continue
        try:
            found, new = add_source(store, source.feed, SourceKind.RSS, every, pack, source.id)
        except SourceError as exc:
            raise SourceError(f"sources.yaml: {source.id}.feed: {exc}") from exc
        (added if new else updated).append(found)
    return PackImport(added, updated, without)
