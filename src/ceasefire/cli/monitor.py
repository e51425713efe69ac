"""Live monitoring: source add|list|remove|failures, and watch (long-lived, or --once for cron)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
from types import FrameType
from typing import Annotated

import httpx
import typer
from pydantic import BaseModel, ConfigDict

from ceasefire.cli.console import err, out
from ceasefire.cli.listing import Column, FormatOption, ListFormat, Listing, write
from ceasefire.cli.options import DbOption, PackOption
from ceasefire.cli.root import app, group
from ceasefire.errors import SourceError
from ceasefire.monitor.fetch import MAX_BYTES, USER_AGENT, Fetcher, Politeness
from ceasefire.monitor.sources import SourceKind, add_pack_sources, add_source
from ceasefire.monitor.watch import Watch, WatchResult
from ceasefire.packs import load_pack
from ceasefire.pipeline import registered_pack
from ceasefire.render import escape
from ceasefire.store import Store
from ceasefire.store.sources import SourceFailure, StoredSource

source_app = group("source", "Sources `ceasefire watch` follows: feeds, pages and JSON Lines files.")


@source_app.command("add")
def source_add(
    url: Annotated[str | None, typer.Argument(help="Feed, page or JSON Lines URL (http or https)")] = None,
    kind: Annotated[SourceKind, typer.Option(help="What the URL serves")] = SourceKind.RSS,
    every: Annotated[str, typer.Option(help="How often to poll it: 15m, 2h, 1d (1m at least)")] = "15m",
    pack: PackOption = None,
    from_pack: Annotated[str | None, typer.Option(
        "--from-pack", help="Follow every source of this pack with a feed URL (`feed` in sources.yaml)")] = None,
    db: DbOption = None,
) -> None:
    """Follow a source (or change how one already followed is polled)."""
    store = Store.open(db)
    if from_pack:
        found = add_pack_sources(store, load_pack(from_pack), every)
        out.print(f"Pack {escape(from_pack)}: {len(found.added)} source(s) added, {len(found.updated)} updated; "
                  f"{len(found.without_feed)} without a feed URL.")
        return
    if url is None:
        raise SourceError("Give a URL to follow, or --from-pack ID.")
    source, new = add_source(store, url, kind, every, load_pack(pack) if pack else None)
    out.print(f"{'Added' if new else 'Updated'} source {source.id}: {escape(source.url)} ({source.kind}, every "
              f"{_every(source.every_seconds)}).")


@source_app.command("list")
def source_list(db: DbOption = None, format: FormatOption = ListFormat.TABLE) -> None:
    """List the sources followed: health, last fetch, items captured, failures in a row."""
    write(out, _sources(Store.open(db, create=False).sources()), format)


@source_app.command("remove")
def source_remove(ref: Annotated[str, typer.Argument(help="Source id or URL")], db: DbOption = None) -> None:
    """Stop following a source; what it brought (captures, reports) is kept."""
    found = Store.open(db, create=False).remove_source(ref)
    out.print(f"Removed source {found.id}: {escape(found.url)}; its {found.items} captured item(s) are kept.")


@source_app.command("failures")
def source_failures(
    ref: Annotated[str | None, typer.Argument(help="Only this source (id or URL)")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first")] = 200,
    db: DbOption = None,
    format: FormatOption = ListFormat.TABLE,
) -> None:
    """List what polls refused (feeds, pages, items), with the reason."""
    write(out, _failures(Store.open(db, create=False).source_failures(ref, limit=limit)), format)


@app.command("watch")
def watch(
    once: Annotated[bool, typer.Option("--once", help="Poll what is due, capture what is pending, then exit")] = False,
    pack: Annotated[str | None, typer.Option(
        "--pack", help="Run new reports through this pack's pipeline (default: the one the database monitors)")] = None,
    failures: Annotated[int, typer.Option(min=1, help="Polls failed in a row that mark a source unhealthy")] = 3,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait to connect, and for each read")] = 20.0,
    host_delay: Annotated[float, typer.Option(min=0.0, help="Seconds between two requests to one host")] = 1.0,
    max_bytes: Annotated[int, typer.Option(min=1, help="Largest answer read; a larger one is refused")] = MAX_BYTES,
    db: DbOption = None,
) -> None:
    """Poll the sources on their schedules, capture each new item's page as evidence, and run new
    reports through the pipeline. Stop with Ctrl-C or SIGTERM; a kill loses nothing and repeats nothing."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("ceasefire").setLevel(logging.INFO)
    store = Store.open(db)
    agreement = registered_pack(store, pack) if pack or len(store.agreements()) == 1 else None
    with httpx.Client(timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT}) as client:
        fetcher = Fetcher(client, Politeness(host_delay), max_bytes=max_bytes)
        watcher = Watch(store, fetcher, agreement, failure_limit=failures)
        if once:
            _print_pass(watcher.once())
            return

        def stop(signum: int, frame: FrameType | None) -> None:
            err.print("Stopping after the item in hand.")
            fetcher.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        watcher.forever(_print_pass)


def _print_pass(result: WatchResult) -> None:
    out.print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S}Z polled {result.polled} source(s): {result.not_modified} "
              f"not modified, {result.failed} failed; {result.new_items} new item(s), {result.captured} page(s) "
              f"captured, {result.refused} refused, {result.reports} new report(s)"
              + (f"; {result.extracted} extracted, {result.new_incidents} new incident(s)" if result.extracted else "")
              + ".")


def _every(seconds: int) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class SourceRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    url: str
    kind: str
    every: str
    pack: str | None
    healthy: bool
    last_fetch: dt.datetime | None
    last_outcome: str | None
    items: int
    pending: int
    refused: int
    failures_in_a_row: int
    next_poll: dt.datetime


def _sources(found: list[StoredSource]) -> Listing[SourceRow, SourceRow]:
    rows = [SourceRow(id=s.id, url=s.url, kind=s.kind, every=_every(s.every_seconds), pack=s.pack_id,
                      healthy=s.healthy, last_fetch=s.last_fetch_at, last_outcome=s.last_outcome, items=s.items,
                      pending=s.pending, refused=s.refused, failures_in_a_row=s.consecutive_failures,
                      next_poll=s.due_at) for s in found]
    return Listing(f"Sources ({len(rows)})", rows, lambda r: r, SourceRow, [
        Column("id", lambda r: r.id, justify="right"),
        Column("url", lambda r: r.url),
        Column("kind", lambda r: r.kind),
        Column("every", lambda r: r.every),
        Column("status", lambda r: "healthy" if r.healthy else "UNHEALTHY"),
        Column("last fetch", lambda r: f"{r.last_fetch:%Y-%m-%d %H:%M}" if r.last_fetch else "never", no_wrap=True),
        Column("last outcome", lambda r: r.last_outcome),
        Column("items", lambda r: r.items, justify="right"),
        Column("pending", lambda r: r.pending, justify="right"),
        Column("refused", lambda r: r.refused, justify="right"),
        Column("failures in a row", lambda r: r.failures_in_a_row, justify="right"),
    ])


class FailureRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_id: int
    source_url: str | None
    url: str
    reason: str
    at: dt.datetime


def _failures(found: list[SourceFailure]) -> Listing[FailureRow, FailureRow]:
    rows = [FailureRow(source_id=f.source_id, source_url=f.source_url, url=f.url, reason=f.reason, at=f.at)
            for f in found]
    return Listing(f"Refused by polls ({len(rows)})", rows, lambda r: r, FailureRow, [
        Column("when", lambda r: f"{r.at:%Y-%m-%d %H:%M:%S}", no_wrap=True),
        Column("source", lambda r: r.source_id, justify="right"),
        Column("url", lambda r: r.url),
        Column("reason", lambda r: r.reason),
    ])
