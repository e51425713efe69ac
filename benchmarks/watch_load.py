"""One `ceasefire watch` following N feeds (default 500) every 15 minutes, against a feed server
on 127.0.0.1 in this process. The sources' first polls are spread over the interval, as a watch
that has run for a while has them; a few feeds publish a new item during the run (its page is
captured). Prints the watch's CPU use (share of one core) and memory over a window of S seconds,
beside two baselines measured at the same time: an idle Python process, and an idle Python
process that imported ceasefire's CLI (the floor of any `ceasefire` command).

    .venv/bin/python benchmarks/watch_load.py [--feeds 500] [--every 15m] [--seconds 120]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ceasefire.monitor.sources import interval  # noqa: E402
from ceasefire.store import Store  # noqa: E402
from tests.monitor.feeds import Answer, FeedServer, article, rss  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
IDLE = "import time; time.sleep(100000)"
IMPORTED = "import ceasefire.cli, time; time.sleep(100000)"


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def memory_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def feeds_on(server: FeedServer, count: int) -> None:
    for n in range(count):
        server.routes[f"/feed/{n}.xml"] = Answer(rss(title=f"Outlet {n}"))


def publish(server: FeedServer, n: int) -> None:
    page = f"/news/{n}-{time.time_ns()}.html"
    server.routes[page] = Answer(article(f"Shelling reported by outlet {n}", f"Outlet {n} reports shelling."),
                                 "text/html")
    server.routes[f"/feed/{n}.xml"] = Answer(rss((f"Shelling reported by outlet {n}", server.url + page),
                                                 title=f"Outlet {n}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--every", default="15m")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--publishing", type=int, default=10, help="feeds that publish one item during the run")
    args = parser.parse_args()
    every = interval(args.every)
    server = FeedServer().start()
    feeds_on(server, args.feeds)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "watch.db"
        store = Store.open(str(db))
        start = dt.datetime.now(dt.UTC)
        for n in range(args.feeds):  # first polls spread over the interval
            store.add_source(f"{server.url}/feed/{n}.xml", "rss", every,
                             due_at=start + dt.timedelta(seconds=every * n / args.feeds))
        store.close()
        env = os.environ | {"PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path])}
        python = sys.executable
        watch = subprocess.Popen([python, "-m", "ceasefire", "watch", "--db", str(db)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        baselines = {name: subprocess.Popen([python, "-c", code], env=env)
                     for name, code in (("idle Python", IDLE), ("idle Python, ceasefire imported", IMPORTED))}
        while not server.requests:  # the watch has started and polls
            assert watch.poll() is None, "the watch exited"
            time.sleep(0.1)
        time.sleep(2)  # the imports of a starting baseline are not idle time
        began, before = time.monotonic(), {p.pid: cpu_seconds(p.pid) for p in [watch, *baselines.values()]}
        polls_before = len(server.requests)
        published = 0
        while (elapsed := time.monotonic() - began) < args.seconds:
            if published < args.publishing and elapsed >= args.seconds * published / args.publishing:
                # a feed due a few seconds from now, so its new item is polled within the window
                due_soon = int((dt.datetime.now(dt.UTC) - start).total_seconds() * args.feeds / every) + 5
                publish(server, min(due_soon, args.feeds - 1))
                published += 1
            time.sleep(0.2)
        window = time.monotonic() - began
        rows = [("watch", watch), *baselines.items()]
        print(f"watch_load: {args.feeds} feeds every {args.every}, window {window:.0f} s, "
              f"{len(server.requests) - polls_before} requests answered in the window "
              f"({args.feeds / every * window:.0f} polls due), machine load {os.getloadavg()[0]:.1f}")
        print(f"{'process':34} {'CPU % of one core':>18} {'RSS MB':>8} {'peak RSS MB':>12}")
        for name, process in rows:
            share = 100 * (cpu_seconds(process.pid) - before[process.pid]) / window
            print(f"{name:34} {share:18.2f} {memory_mb(process.pid, 'VmRSS'):8.1f} "
                  f"{memory_mb(process.pid, 'VmHWM'):12.1f}")
        for _, process in rows:
            process.terminate()
            process.wait(30)
        store = Store.open(str(db))
        sources = store.sources()
        print(f"after the run: {sum(s.last_fetch_at is not None for s in sources)} feeds polled, "
              f"{sum(s.items for s in sources)} items captured, {len(store.source_failures())} failures, "
              f"{sum(not s.healthy for s in sources)} unhealthy")
        store.close()
    server.stop()


if __name__ == "__main__":
    main()
