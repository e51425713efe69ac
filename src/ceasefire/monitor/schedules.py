"""Scheduled reports: ``daily-report`` at a time of day in a time zone makes the previous day's
report (publish/report.py), and with ``publish`` signs a checkpoint and writes the signed bundle.

Every function takes the time (``now``) rather than reading a clock, so a test can drive it with
a fake one. :func:`run_due` makes, for each schedule, the run of the latest due time not yet
made: after downtime the runs missed are caught up once, not once each. :func:`run_forever` is
the long-lived runner: it runs what is due, sends alerts, then waits for the next due time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ceasefire.errors import CeasefireError
from ceasefire.ledger.keys import load_private
from ceasefire.pipeline import publish, registered_pack
from ceasefire.publish.documents import ReportFormat, report_file
from ceasefire.store import Store
from ceasefire.store.schedules import Schedule

KINDS = ("daily-report",)
TICK = dt.timedelta(seconds=60)  # the runner looks again at least this often (alerts go out meanwhile)
log = logging.getLogger(__name__)


class ScheduleError(CeasefireError):
    """A schedule's time, time zone, format or key cannot be used."""

    status = 422


@dataclass(frozen=True)
class Run:
    """One run made (or failed) by :func:`run_due`."""

    schedule: int
    due_at: dt.datetime
    done: bool
    detail: str


def add_schedule(store: Store, kind: str, *, at: str, tz: str, format: str, out_dir: Path, publish: bool = False,
                 key: Path | None = None, signer: str = "monitoring body", pack: str | None = None,
                 now: dt.datetime) -> Schedule:
    """Store a schedule; its first run is its first due time after ``now``.

    Raises:
        ScheduleError: an unknown kind, time, zone or format, or --publish without a readable key.
    """
    if kind not in KINDS:
        raise ScheduleError(f"Unknown schedule {kind!r}: use {', '.join(KINDS)}.")
    _time_of_day(at)
    _zone(tz)
    if format not in {f.value for f in ReportFormat}:
        raise ScheduleError(f"Unknown report format {format!r}: use {', '.join(f.value for f in ReportFormat)}.")
    if publish and (key is None or not key.is_file()):
        raise ScheduleError(f"--publish signs the bundle: give --key with the private key file (not found: {key}). "
                            "Make one with `ceasefire keys new NAME`.")
    return store.add_schedule({"kind": kind, "at": at, "tz": tz, "format": format, "publish": publish,
                               "key_path": str(key.resolve()) if key else None, "signer": signer,
                               "out_dir": str(out_dir.resolve()), "pack": pack}, now)


def latest_due(schedule: Schedule, now: dt.datetime) -> dt.datetime | None:
    """The latest due time at or before ``now`` and after the schedule was made (None: not yet)."""
    zone = _zone(schedule.tz)
    local_day = now.astimezone(zone).date()
    for day in (local_day, local_day - dt.timedelta(days=1)):
        due = _due_on(schedule, day)
        if due <= now:
            return due if due > schedule.created_at else None
    return None


def next_due(schedule: Schedule, now: dt.datetime) -> dt.datetime:
    """The first due time after ``now``."""
    local_day = now.astimezone(_zone(schedule.tz)).date()
    return next(due for day in range(3) if (due := _due_on(schedule, local_day + dt.timedelta(days=day))) > now)


def run_due(store: Store, now: dt.datetime) -> list[Run]:
    """Make each schedule's latest due run not made yet (once, whatever was missed before it)."""
    runs = []
    for schedule in store.schedules():
        due = latest_due(schedule, now)
        if due is None or (run_id := store.claim_run(schedule.id, due, now)) is None:
            continue
        try:
            detail, done = make_report(store, schedule, due), True
        except (CeasefireError, OSError) as exc:
            detail, done = f"{type(exc).__name__}: {exc}", False
            log.warning("schedule %d (%s) due %s failed: %s", schedule.id, schedule.kind, due, detail)
        store.finish_run(run_id, done=done, detail=detail, now=now)
        runs.append(Run(schedule.id, due, done, detail))
    return runs


def make_report(store: Store, schedule: Schedule, due: dt.datetime) -> str:
    """The previous local day's report, and with ``publish`` a signed checkpoint and bundle.

    Returns:
        What was written, in words.
    """
    day = due.astimezone(_zone(schedule.tz)).date() - dt.timedelta(days=1)
    pack = registered_pack(store, schedule.pack)
    folder = Path(schedule.out_dir)
    files = report_file(store, pack, day, day, ReportFormat(schedule.format),
                        folder / f"{schedule.kind}-{day.isoformat()}.{schedule.format}")
    written = [str(f) for f in files]
    if schedule.publish and schedule.key_path:
        key = load_private(Path(schedule.key_path), os.environ.get("CEASEFIRE_KEY_PASSPHRASE"))
        bundle = folder / f"bundle-{day.isoformat()}"
        publish(store, pack, bundle, key, schedule.signer)
        written.append(f"{bundle}/ (signed)")
    return f"report of {day}: {', '.join(written)}"


def run_forever(store: Store, *, clock: Callable[[], dt.datetime], sleep: Callable[[float], None],
                between: Callable[[dt.datetime], None] | None = None,
                keep_going: Callable[[], bool] = lambda: True, tick: dt.timedelta = TICK) -> None:
    """Run what is due, call ``between`` (alerts, say), then sleep until the next due time or one
    ``tick``, whichever comes first; until ``keep_going`` says no."""
    while keep_going():
        now = clock()
        for run in run_due(store, now):
            log.info("schedule %d due %s: %s", run.schedule, run.due_at, run.detail)
        if between is not None:
            between(now)
        upcoming = [next_due(s, now) for s in store.schedules()]
        wake = min([now + tick, *upcoming])
        sleep(max(0.0, (wake - clock()).total_seconds()))


def _due_on(schedule: Schedule, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, _time_of_day(schedule.at), tzinfo=_zone(schedule.tz)).astimezone(dt.UTC)


def _time_of_day(at: str) -> dt.time:
    try:
        found = dt.time.fromisoformat(at)
    except ValueError:
        found = None
    if found is None or len(at) != 5:
        raise ScheduleError(f"--at {at!r} is not a time of day: give HH:MM, such as 06:00.")
    return found


def _zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"Unknown time zone {tz!r}: give an IANA name such as Europe/Berlin or UTC.") from None
