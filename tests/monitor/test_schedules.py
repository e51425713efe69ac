"""Scheduled reports driven by a fake clock: made on time in the schedule's zone, published and
signed, missed runs caught up once after downtime, a failed run tried again. Nothing sleeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasefire.ledger.keys import new_key
from ceasefire.monitor.schedules import ScheduleError, add_schedule, run_due, run_forever
from ceasefire.publish.bundle import verify_bundle
from tests.monitor.alerting import Monitored

UTC = dt.UTC
# Europe/Kyiv is UTC+2 in January: 06:00 there is 04:00 UTC.
MADE = dt.datetime(2017, 1, 8, 12, 0, tzinfo=UTC)
FIRST_DUE = dt.datetime(2017, 1, 9, 4, 0, tzinfo=UTC)


def daily(monitored: Monitored, tmp_path: Path, **extra: object):  # type: ignore[no-untyped-def]
    options = {"at": "06:00", "tz": "Europe/Kyiv", "format": "html", "out_dir": tmp_path / "out", "now": MADE}
    return add_schedule(monitored.store, "daily-report", **(options | extra))  # type: ignore[arg-type]


def test_the_report_is_made_at_the_local_time_for_the_previous_day(monitored: Monitored, tmp_path: Path) -> None:
    monitored.report("a", "reuters", day="2017-01-08")
    daily(monitored, tmp_path)
    assert run_due(monitored.store, FIRST_DUE - dt.timedelta(seconds=1)) == []
    (run,) = run_due(monitored.store, FIRST_DUE)
    assert run.done and run.due_at == FIRST_DUE
    report = tmp_path / "out" / "daily-report-2017-01-08.html"
    assert "Ceasefire monitoring report, 2017-01-08 to 2017-01-08" in report.read_text()


def test_a_published_run_signs_a_checkpoint_and_writes_a_bundle_that_verifies(monitored: Monitored,
                                                                               tmp_path: Path) -> None:
    monitored.report("a", "reuters")
    monitored.report("b", "afp")
    key, public = new_key("body", tmp_path)
    daily(monitored, tmp_path, publish=True, key=key, signer="the mission")
    (run,) = run_due(monitored.store, FIRST_DUE + dt.timedelta(minutes=5))
    assert run.done, run.detail
    check = verify_bundle(tmp_path / "out" / "bundle-2017-01-08", None, None)
    assert check.problems == [] and check.files > 0
    assert len(monitored.store.checkpoints()) == 1


def test_after_downtime_the_missed_runs_are_caught_up_once(monitored: Monitored, tmp_path: Path) -> None:
    made = daily(monitored, tmp_path)
    back = FIRST_DUE + dt.timedelta(days=3, hours=5)  # down over four due times
    (run,) = run_due(monitored.store, back)
    assert run.due_at == FIRST_DUE + dt.timedelta(days=3)
    assert run_due(monitored.store, back + dt.timedelta(hours=1)) == []
    (after,) = run_due(monitored.store, FIRST_DUE + dt.timedelta(days=4))
    assert after.due_at == FIRST_DUE + dt.timedelta(days=4)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["daily-report-2017-01-11.html",
                                                                    "daily-report-2017-01-12.html"]
    assert [r.status for r in monitored.store.schedule_runs(made.id)] == ["done", "done"]


def test_a_failed_run_is_recorded_and_made_on_the_next_look(monitored: Monitored, tmp_path: Path) -> None:
    key, _ = new_key("body", tmp_path)
    made = daily(monitored, tmp_path, publish=True, key=key)
    moved = key.rename(tmp_path / "elsewhere.key")
    (failed,) = run_due(monitored.store, FIRST_DUE)
    assert not failed.done and "No key at" in failed.detail
    moved.rename(key)
    (retried,) = run_due(monitored.store, FIRST_DUE + dt.timedelta(minutes=1))
    assert retried.done and retried.due_at == FIRST_DUE
    assert [r.status for r in monitored.store.schedule_runs(made.id)] == ["done"]


def test_the_runner_wakes_at_each_due_time_and_between_runs_sends_alerts(monitored: Monitored,
                                                                        tmp_path: Path) -> None:
    made = daily(monitored, tmp_path)
    clock = [MADE]
    looks: list[dt.datetime] = []

    def sleep(seconds: float) -> None:
        clock[0] += dt.timedelta(seconds=seconds)

    run_forever(monitored.store, clock=lambda: clock[0], sleep=sleep, between=looks.append,
                keep_going=lambda: clock[0] < MADE + dt.timedelta(days=2), tick=dt.timedelta(hours=1))
    runs = monitored.store.schedule_runs(made.id)
    assert sorted(r.due_at for r in runs) == [FIRST_DUE, FIRST_DUE + dt.timedelta(days=1)]
    assert all(r.status == "done" for r in runs)
    gaps = {b - a for a, b in zip(looks, looks[1:], strict=False)}
    assert max(gaps) <= dt.timedelta(hours=1) and FIRST_DUE in looks


@pytest.mark.parametrize(("options", "said"), [
    ({"at": "6am"}, "--at '6am' is not a time of day"),
    ({"tz": "Mars/Olympus"}, "Unknown time zone 'Mars/Olympus'"),
    ({"format": "docx"}, "Unknown report format 'docx'"),
    ({"publish": True}, "--publish signs the bundle: give --key"),
])
def test_a_schedule_that_cannot_run_is_refused(monitored: Monitored, tmp_path: Path, options: dict,
                                               said: str) -> None:
    with pytest.raises(ScheduleError, match=None) as refused:
        daily(monitored, tmp_path, **options)
    assert said in str(refused.value)
