"""Scheduled jobs (a daily report at a time of day in a time zone) and the runs made of them.

A run is claimed by inserting it, unique per (schedule, due time), before any work starts: two
runners never make the same run, and a run that finished is never made again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ceasefire.errors import NotFound
from ceasefire.store import tables
from ceasefire.store.engine import Database

STALE_RUN = dt.timedelta(hours=2)  # a run still "running" after this was cut short (the process died)


@dataclass(frozen=True)
class Schedule:
    id: int
    kind: str
    at: str  # HH:MM
    tz: str
    format: str
    publish: bool
    key_path: str | None
    signer: str
    out_dir: str
    pack: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class ScheduleRun:
    id: int
    schedule_id: int
    due_at: dt.datetime
    status: str  # running, done, failed
    detail: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None


class Schedules(Database):
    def add_schedule(self, values: dict[str, Any], now: dt.datetime) -> Schedule:
        """Store a schedule (the columns of ``schedules`` but id and created_at); its first run is
        the first due time after ``now``."""
        with self._connect("add a schedule") as conn:
            new_id = conn.execute(tables.schedules.insert().values(**values, created_at=now)
                                  .returning(tables.schedules.c.id)).scalar_one()
        return self.schedule(int(new_id))

    def schedule(self, schedule_id: int) -> Schedule:
        s = tables.schedules
        with self._connect("read a schedule") as conn:
            row = conn.execute(select(s).where(s.c.id == schedule_id)).first()
        if row is None:
            raise NotFound(f"No schedule {schedule_id}. List them with `ceasefire schedule list`.")
        return Schedule(**row._mapping)

    def schedules(self) -> list[Schedule]:
        s = tables.schedules
        with self._connect("read schedules") as conn:
            return [Schedule(**row._mapping) for row in conn.execute(select(s).order_by(s.c.id))]

    def remove_schedule(self, schedule_id: int) -> None:
        self.schedule(schedule_id)
        with self._connect("remove a schedule") as conn:
            conn.execute(tables.schedule_runs.delete().where(tables.schedule_runs.c.schedule_id == schedule_id))
            conn.execute(tables.schedules.delete().where(tables.schedules.c.id == schedule_id))

    def schedule_runs(self, schedule_id: int | None = None, limit: int = 100) -> list[ScheduleRun]:
        """Runs, newest due time first (of one schedule when given)."""
        r = tables.schedule_runs
        stmt = select(r).order_by(r.c.due_at.desc(), r.c.id.desc()).limit(limit)
        if schedule_id is not None:
            stmt = stmt.where(r.c.schedule_id == schedule_id)
        with self._connect("read schedule runs") as conn:
            return [ScheduleRun(**row._mapping) for row in conn.execute(stmt)]

    def claim_run(self, schedule_id: int, due_at: dt.datetime, now: dt.datetime) -> int | None:
        """Claim the run due at ``due_at``: its id, or None when it is done or another runner
        holds it. A failed run, or one left running longer than ``STALE_RUN``, is claimed again."""
        r = tables.schedule_runs
        with self._connect("claim a scheduled run", lock=True) as conn:
            row = conn.execute(select(r).where(r.c.schedule_id == schedule_id, r.c.due_at == due_at)).first()
            if row is None:
                try:
                    return int(conn.execute(r.insert().values(schedule_id=schedule_id, due_at=due_at,
                                                              status="running", started_at=now)
                                            .returning(r.c.id)).scalar_one())
                except IntegrityError:
                    return None
            if row.status == "done" or (row.status == "running" and now - row.started_at < STALE_RUN):
                return None
            conn.execute(r.update().where(r.c.id == row.id).values(status="running", started_at=now,
                                                                    finished_at=None))
            return int(row.id)

    def finish_run(self, run_id: int, *, done: bool, detail: str, now: dt.datetime) -> None:
        r = tables.schedule_runs
        with self._connect("record a scheduled run") as conn:
            conn.execute(r.update().where(r.c.id == run_id).values(status="done" if done else "failed",
                                                                    detail=detail[:2000], finished_at=now))
