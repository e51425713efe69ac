"""Subscriptions, alerts and scheduled reports: subscribe, subscriptions, unsubscribe, alerts send,
schedule add|list|run-due|run."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import httpx
import typer
from pydantic import BaseModel, ConfigDict

from ceasefire.cli.console import err, out
from ceasefire.cli.listing import Column, FormatOption, ListFormat, Listing, write
from ceasefire.cli.options import AreaOption, ClauseOption, DbOption, PackOption, PartyOption, VerdictOption
from ceasefire.cli.root import app, group
from ceasefire.monitor.alerts import Notified, feed_link, notify
from ceasefire.monitor.deliver import Outbox, SmtpSettings, public_base_url
from ceasefire.monitor.schedules import add_schedule, next_due, run_due, run_forever
from ceasefire.monitor.subscriptions import describe, subscribe
from ceasefire.pipeline import registered_pack
from ceasefire.render import escape
from ceasefire.store import Store
from ceasefire.store.subscriptions import Subscription

schedule_app = group("schedule", "Reports made, signed and published on time.")
alerts_app = group("alerts", "Alerts to subscribers: send what is due.")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@app.command("subscribe")
def subscribe_cmd(
    name: Annotated[str, typer.Argument(help="A name for the subscription, shown in alerts and feeds")],
    area: AreaOption = None,
    party: PartyOption = None,
    clause: ClauseOption = None,
    verdict: VerdictOption = None,
    min_confidence: Annotated[float | None, typer.Option(help="Only incidents assessed with at least this "
                                                               "confidence (0 to 1)")] = None,
    unpublished: Annotated[bool, typer.Option("--unpublished", help="Alert on incidents the public cannot see "
                                                                   "yet (for the mission's own staff)")] = False,
    webhook: Annotated[str | None, typer.Option(help="URL to POST signed JSON alerts to")] = None,
    email: Annotated[str | None, typer.Option(help="Address to e-mail alerts to (SMTP settings from "
                                                   "CEASEFIRE_SMTP_*)")] = None,
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Subscribe to the incidents a query asks for: alerts on new incidents and changed verdicts, by webhook,
    e-mail and an Atom feed."""
    store = Store.open(db, create=False)
    made = subscribe(store, registered_pack(store, pack), name, area=area, party=party, clause=clause,
                     verdict=verdict.value if verdict else None, min_confidence=min_confidence,
                     published_only=not unpublished, webhook=webhook, email=email)
    out.print(f"Subscription #{made.id} {escape(made.name)!r}: {escape(describe(made))}.", soft_wrap=True)
    if made.webhook_secret:
        out.print(f"Webhook secret (keep it; it signs X-Ceasefire-Signature): {made.webhook_secret}", soft_wrap=True)
    out.print(f"Atom feed: {feed_link(public_base_url(), made)}", soft_wrap=True)


class SubscriptionRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    owner: str | None
    filters: str
    webhook: str | None
    email: str | None
    alerts: int
    last_delivery: str | None


@app.command("subscriptions")
def subscriptions_cmd(db: DbOption = None, format: FormatOption = ListFormat.TABLE) -> None:
    """List subscriptions with their alerts and how the last delivery went."""
    store = Store.open(db, create=False)
    rows = [_subscription_row(store, s) for s in store.subscriptions()]
    write(out, Listing("Subscriptions", rows, lambda r: r, SubscriptionRow, [
        Column("#", lambda r: r.id, justify="right"), Column("name", lambda r: r.name),
        Column("filters", lambda r: r.filters), Column("webhook", lambda r: r.webhook),
        Column("e-mail", lambda r: r.email), Column("alerts", lambda r: r.alerts, justify="right"),
        Column("last delivery", lambda r: r.last_delivery)]), format)


def _subscription_row(store: Store, found: Subscription) -> SubscriptionRow:
    last = next(iter(store.deliveries(found.id, limit=1)), None)
    said = (f"{last.channel} {last.status} after {last.attempts} attempt(s): {last.detail or ''}".strip()
            if last else None)
    return SubscriptionRow(id=found.id, name=found.name, owner=found.owner, filters=describe(found),
                           webhook=found.webhook_url, email=found.email, alerts=len(store.alerts(found.id)),
                           last_delivery=said)


@app.command("unsubscribe")
def unsubscribe_cmd(subscription: Annotated[int, typer.Argument(help="Subscription number")],
                    db: DbOption = None) -> None:
    """Remove a subscription, its alerts and its deliveries."""
    Store.open(db, create=False).remove_subscription(subscription)
    out.print(f"Subscription #{subscription} removed.")


@alerts_app.command("send")
def alerts_send(db: DbOption = None, pack: PackOption = None) -> None:
    """Find new incidents and changed verdicts, and deliver each alert not yet delivered (at most once)."""
    store = Store.open(db, create=False)
    with httpx.Client() as client:
        done = notify(store, registered_pack(store, pack), Outbox(client, SmtpSettings.from_env()))
    out.print(f"{done.changes} change(s) found, {done.alerts} alert(s) made; {done.delivered} delivery(ies) "
              f"arrived, {done.failed} failed.")


@schedule_app.command("add")
def schedule_add(
    kind: Annotated[str, typer.Argument(help="What to make: daily-report (the previous day's report)")],
    at: Annotated[str, typer.Option(help="Time of day, HH:MM")],
    tz: Annotated[str, typer.Option(help="IANA time zone of --at and of the report's day")] = "UTC",
    format: Annotated[str, typer.Option("--format", help="html, md or pdf")] = "pdf",
    publish: Annotated[bool, typer.Option("--publish", help="Also sign a checkpoint and write the bundle")] = False,
    key: Annotated[Path | None, typer.Option(help="Private key file that signs (with --publish)")] = None,
    signer: Annotated[str, typer.Option(help="Who signs, as readers will see it")] = "monitoring body",
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for reports and bundles")] = Path("reports"),
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Make a report on time every day (and publish it); run the schedules with `schedule run` or
    `schedule run-due` from cron."""
    store = Store.open(db, create=False)
    made = add_schedule(store, kind, at=at, tz=tz, format=format, out_dir=out_dir, publish=publish, key=key,
                        signer=signer, pack=pack, now=_now())
    out.print(f"Schedule #{made.id}: {made.kind} at {made.at} {made.tz} as {made.format}"
              f"{', published and signed' if made.publish else ''}, into {escape(made.out_dir)}; first run "
              f"{next_due(made, _now()):%Y-%m-%d %H:%M} UTC.", soft_wrap=True)


class ScheduleRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    kind: str
    at: str
    tz: str
    format: str
    publish: bool
    out_dir: str
    next_run: dt.datetime
    last_run: str | None


@schedule_app.command("list")
def schedule_list(db: DbOption = None, format: FormatOption = ListFormat.TABLE) -> None:
    """List schedules with their next run and how the last one went."""
    store = Store.open(db, create=False)
    now, rows = _now(), []
    for s in store.schedules():
        last = next(iter(store.schedule_runs(s.id, limit=1)), None)
        rows.append(ScheduleRow(id=s.id, kind=s.kind, at=s.at, tz=s.tz, format=s.format, publish=s.publish,
                                out_dir=s.out_dir, next_run=next_due(s, now),
                                last_run=f"{last.due_at:%Y-%m-%d %H:%M} {last.status}" if last else None))
    write(out, Listing("Schedules", rows, lambda r: r, ScheduleRow, [
        Column("#", lambda r: r.id, justify="right"), Column("kind", lambda r: r.kind),
        Column("at", lambda r: f"{r.at} {r.tz}"), Column("format", lambda r: r.format),
        Column("publish", lambda r: "yes" if r.publish else "no"),
        Column("next run (UTC)", lambda r: f"{r.next_run:%Y-%m-%d %H:%M}"),
        Column("last run (UTC)", lambda r: r.last_run)]), format)


@schedule_app.command("run-due")
def schedule_run_due(db: DbOption = None) -> None:
    """Make every run that is due and not made yet, once (for cron or a systemd timer), then exit."""
    runs = run_due(Store.open(db, create=False), _now())
    for run in runs:
        (out if run.done else err).print(f"Schedule #{run.schedule} due {run.due_at:%Y-%m-%d %H:%M} UTC: "
                                         f"{'done' if run.done else 'FAILED'}: {escape(run.detail)}", soft_wrap=True)
    if not runs:
        out.print("Nothing due.")
    if any(not r.done for r in runs):
        raise typer.Exit(1)


@schedule_app.command("run")
def schedule_run(db: DbOption = None, pack: PackOption = None) -> None:
    """Run schedules as they fall due, and send alerts every minute, until stopped (Ctrl-C, SIGTERM)."""
    store = Store.open(db, create=False)
    agreement = registered_pack(store, pack)
    err.print("Running schedules and alerts; stop with Ctrl-C.")
    with httpx.Client() as client:
        outbox = Outbox(client, SmtpSettings.from_env())
        try:
            run_forever(store, clock=_now, sleep=time.sleep,
                        between=lambda now: _report(notify(store, agreement, outbox, now)))
        except KeyboardInterrupt:
            err.print("Stopped.")


def _report(done: Notified) -> None:
    if done.alerts or done.delivered or done.failed:
        err.print(f"{_now():%H:%M:%S} alerts: {done.changes} change(s), {done.alerts} alert(s), {done.delivered} "
                  f"delivered, {done.failed} failed.")
