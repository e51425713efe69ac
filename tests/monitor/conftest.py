"""Fixtures of the watch tests: a feed server on 127.0.0.1, a store, a watch with a clock the test moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ceasefire.monitor.fetch import Fetcher, Politeness
from ceasefire.monitor.watch import Watch
from ceasefire.store import Store
from tests.monitor.alerting import monitored, outbox, receiver, smtp, waits  # noqa: F401 (the alert tests' fixtures)
from tests.monitor.feeds import FeedServer


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(str(tmp_path / "watch.db"))
    yield opened
    opened.close()


class Clock:
    """The watch's time, moved by the test (polls are due by it; requests still take real time)."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30)  # sources added in the test are due

    def __call__(self) -> dt.datetime:
        return self.now

    def later(self, minutes: int) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


def make_watch(store: Store, clock: Clock, *, timeout: float = 2.0, max_bytes: int = 1024 * 1024) -> Watch:
    client = httpx.Client(timeout=httpx.Timeout(timeout))
    fetcher = Fetcher(client, Politeness(0.0), max_bytes=max_bytes, attempts=2, backoff=0.01)
    return Watch(store, fetcher, clock=clock)
