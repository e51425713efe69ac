"""Change detection, alerts and scheduled runs on both databases (SQLite file and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ceasefire.monitor.alerts import find_alerts
from ceasefire.monitor.subscriptions import subscribe
from ceasefire.store import Store
from tests.monitor.alerting import Monitored
from tests.verify.claims import HARASTA


def test_each_change_is_found_once_and_alerted_once_per_subscriber(store: Store, syria_pack: Any) -> None:
    store.register_agreement(syria_pack)
    monitored = Monitored(store, syria_pack, Path())
    everything = subscribe(store, syria_pack, "all", published_only=False)
    public = subscribe(store, syria_pack, "public violations", verdict="VIOLATION")
    monitored.report("a", "reuters")
    monitored.report("c", "sana", day="2017-01-20", place=HARASTA)
    assert find_alerts(store, syria_pack) == (2, 2)
    monitored.report("b", "afp")  # corroborates the first: now public
    assert find_alerts(store, syria_pack) == (1, 2)
    assert find_alerts(store, syria_pack) == (0, 0)
    assert sorted((a.change.kind, a.change.after) for a in store.alerts(everything.id)) == [
        ("new", "UNVERIFIED"), ("new", "VIOLATION"), ("published", "VIOLATION")]
    assert [(a.change.kind, a.change.public) for a in store.alerts(public.id)] == [("published", True)]


def test_a_claimed_run_is_not_claimed_again(store: Store) -> None:
    due = dt.datetime(2017, 1, 9, 4, tzinfo=dt.UTC)
    made = store.add_schedule({"kind": "daily-report", "at": "06:00", "tz": "Europe/Kyiv", "format": "html",
                               "publish": False, "key_path": None, "signer": "x", "out_dir": "/tmp", "pack": None},
                              due - dt.timedelta(days=1))
    first = store.claim_run(made.id, due, due)
    assert first is not None and store.claim_run(made.id, due, due + dt.timedelta(minutes=1)) is None
    store.finish_run(first, done=False, detail="failed", now=due)
    assert store.claim_run(made.id, due, due + dt.timedelta(minutes=2)) == first  # a failed run is tried again
    store.finish_run(first, done=True, detail="ok", now=due)
    assert store.claim_run(made.id, due, due + dt.timedelta(minutes=3)) is None
