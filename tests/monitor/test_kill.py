"""A real `ceasefire watch` killed (SIGKILL) mid-poll, again and again, then run to the end:
nothing is lost and nothing is stored twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ceasefire.monitor.sources import SourceKind, add_source
from ceasefire.pipeline import verify_ledger
from ceasefire.store import Store
from tests.monitor.feeds import Answer, FeedServer, article, rss

ITEMS = 30


def watch_once(db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "ceasefire", "watch", "--once", "--db", str(db),
                             "--host-delay", "0", "--timeout", "5"], env=os.environ | {"PYTHONPATH": os.pathsep.join(
                                 sys.path)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def done_items(db: Path) -> int:
    with sqlite3.connect(db, timeout=10) as conn:
        return int(conn.execute("SELECT count(*) FROM source_items WHERE state = 'done'").fetchone()[0])


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        assert time.monotonic() < deadline, "the watch made no progress"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(10)


def test_a_killed_watch_resumes_without_losing_or_repeating_anything(tmp_path: Path, feeds: FeedServer) -> None:
    names = [f"town-{n}" for n in range(ITEMS)]
    for name in names:
        feeds.routes[f"/news/{name}.html"] = Answer(article(f"Shelling in {name}", f"Shelling hit {name}."),
                                                    "text/html", delay=0.1)
    feeds.routes["/feed.xml"] = Answer(rss(*[(n, f"{feeds.url}/news/{n}.html") for n in names]), delay=1.0)
    db = tmp_path / "watch.db"
    store = Store.open(str(db))
    add_source(store, feeds.url + "/feed.xml", SourceKind.RSS, "15m")
    store.close()

    kill_when(watch_once(db), lambda: bool(feeds.requested("/feed.xml")))  # while the feed is being read
    progress = [done_items(db)]
    for at_least in (10,):
        kill_when(watch_once(db), lambda n=at_least: done_items(db) >= n)  # type: ignore[misc]
        progress.append(done_items(db))
    last = watch_once(db)
    output = last.communicate(timeout=120)[0].decode()

    assert last.returncode == 0, output
    assert progress[0] == 0 and progress[1:] == sorted(progress[1:]) and progress[-1] < ITEMS
    store = Store.open(str(db))
    urls = [c.url for c in store.captures()]
    assert sorted(urls) == sorted(f"{feeds.url}/news/{n}.html" for n in names)  # each page once, none lost
    assert store.count_reports() == ITEMS
    (source,) = store.sources()
    assert (source.items, source.pending, source.refused) == (ITEMS, 0, 0)
    assert verify_ledger(store)[2] == []
    # A page is fetched again only when a kill came between its fetch and its commit.
    assert all(len(feeds.requested(f"/news/{n}.html")) <= 2 for n in names)
    store.close()
