"""Observers under load: O observers submit reports through /api/v1/reports for S seconds while
M clients query the map, against `ceasefire serve` on loopback (demo database, SQLite or
PostgreSQL). Prints throughput and p50/p95/p99 per kind of request, errors by status, and
then checks that every accepted submission is stored exactly once and the ledger verifies.

    .venv/bin/python benchmarks/load.py [--observers 200] [--map-clients 20] [--seconds 120] [--db URL]

A 429 (an observer over the per-minute limit) is not an error: the client waits and sends
the same report again, as an observer's app would. A 5xx, or an accepted report that is not
in the database afterwards, is.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
from api_load import serve  # the same `ceasefire serve` start-up as the map benchmark

from ceasefire.model import ReportFormat
from ceasefire.packs import load_pack
from ceasefire.pipeline import assess_incidents, cluster_claims, extract, extractor_for, ingest, verify_ledger
from ceasefire.store import Store
from ceasefire.web.accounts import new_api_token

REPO = Path(__file__).resolve().parents[1]
PLACES = [("Douma", 33.5711, 36.4019), ("Basimah", 33.6167, 36.1667), ("Saqba", 33.5297, 36.3864),
          ("Idlib", 35.9306, 36.6339), ("al-Bab", 36.3706, 37.5157)]


def demo_database(db: str, observers: int) -> list[str]:
    """The demo corpus through the pipeline, and one observer account (with a token) per client."""
    pack = load_pack("syria-2016-12-30")
    store = Store.open(db)
    ingest(store, [REPO / "examples" / "corpus"], pack=pack)
    extract(store, extractor_for(store, pack))
    cluster_claims(store, pack)
    assess_incidents(store, pack)
    tokens = []
    for n in range(observers):
        store.add_user(f"observer-{n}", "observer", "not-used-the-token-is")
        tokens.append(new_api_token(store, f"observer-{n}"))
    store.close()
    return tokens


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()

    def line(self, label: str, elapsed: float) -> str:
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0.0] * 99
        errors = sum(n for s, n in self.statuses.items() if s >= 500 or s == 0)
        return (f"  {label:<22} {len(self.latencies):>7,} requests {len(self.latencies) / elapsed:>6.0f}/s  "
                f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  p99 {q[98] * 1000:7.1f} ms  "
                f"statuses {dict(sorted(self.statuses.items()))}  errors {errors}")


async def observer(base: str, token: str, n: int, deadline: float, tally: Tally, accepted: list[str]) -> None:
    rng = random.Random(n)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as http:
        sent = 0
        while time.perf_counter() < deadline:
            name, lat, lon = rng.choice(PLACES)
            body = {"text": f"Observer {n}, report {sent}: shelling hit the market in {name} this morning; "
                            f"{rng.randint(1, 9)} civilians were injured.",
                    "observed_at": (dt.datetime(2017, 1, 20, 8, tzinfo=dt.UTC)
                                    + dt.timedelta(minutes=sent)).isoformat(),
                    "latitude": lat, "longitude": lon}
            while time.perf_counter() < deadline:
                status, began = 0, time.perf_counter()
                try:
                    response = await http.post("/api/v1/reports", json=body)
                    status = response.status_code
                except httpx.HTTPError:
                    pass
                tally.latencies.append(time.perf_counter() - began)
                tally.statuses[status] += 1
                if status == 201:
                    accepted.append(response.json()["sha256"])
                    break
                await asyncio.sleep(2 if status == 429 else 0.5)
            sent += 1
            await asyncio.sleep(rng.uniform(0, 2))


async def map_client(base: str, n: int, deadline: float, tally: Tally) -> None:
    rng = random.Random(1000 + n)
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while time.perf_counter() < deadline:
            day = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(40))
            status, began = 0, time.perf_counter()
            try:
                status = (await http.get("/api/v1/incidents.geojson", params={
                    "bbox": "35.5,32.5,42.5,37.5", "since": str(day), "until": str(day + dt.timedelta(days=30))
                })).status_code
            except httpx.HTTPError:
                pass
            tally.latencies.append(time.perf_counter() - began)
            tally.statuses[status] += 1


async def run(base: str, tokens: list[str], map_clients: int, seconds: float) -> tuple[Tally, Tally, list[str]]:
    deadline = time.perf_counter() + seconds
    submissions, maps, accepted = Tally(), Tally(), []
    await asyncio.gather(*(observer(base, t, n, deadline, submissions, accepted) for n, t in enumerate(tokens)),
                         *(map_client(base, n, deadline, maps) for n in range(map_clients)))
    return submissions, maps, accepted


def check(db: str, accepted: list[str]) -> str:
    store = Store.open(db)
    stored = {r.sha256 for r in store.reports(limit=10**7) if r.format is ReportFormat.OBSERVER}
    missing = set(accepted) - stored
    records, _, breaks = verify_ledger(store)
    return (f"  accepted {len(accepted):,} submissions, {len(set(accepted)):,} distinct; stored {len(stored):,}; "
            f"lost {len(missing)}; ledger {records:,} records, {'verifies' if not breaks else 'BROKEN'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--observers", type=int, default=200)
    parser.add_argument("--map-clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or str(Path(folder) / "load.db")
        tokens = demo_database(db, args.observers)
        process, base = serve(db)
        began = time.perf_counter()
        try:
            submissions, maps, accepted = asyncio.run(run(base, tokens, args.map_clients,
                                                          args.seconds))
        finally:
            elapsed = time.perf_counter() - began
            process.terminate()
            process.wait(30)
        print(f"{args.observers} observers and {args.map_clients} map clients for {args.seconds:.0f} s, "
              "one server process")
        print(submissions.line("submissions", elapsed))
        print(maps.line("map queries", elapsed))
        print(check(db, accepted))


if __name__ == "__main__":
    main()
