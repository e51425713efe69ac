"""The map query under load: N synthetic incidents in SQLite and in PostgreSQL, `ceasefire serve`
on loopback, and C concurrent clients asking for a random bounding box and date range for S
seconds. Prints p50/p95/p99 latency, throughput and errors per database, beside a baseline
measured in the same run: the same clients on an endpoint that touches no database (the HTTP
floor of this server on this machine).

    .venv/bin/python benchmarks/api_load.py [--incidents 1000000] [--clients 50] [--seconds 60]

Incidents are written straight into the incidents table (no ledger records): this measures
reading, which is what the map does.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import insert, text

from ceasefire.packs import load_pack
from ceasefire.store import Store, tables

PG = os.environ.get("CEASEFIRE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
START = dt.date(2017, 1, 1)
DAYS = 4 * 365
SUB_EVENTS = [("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
              ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
              ("Violence against civilians", "Attack")]
VERDICTS = ["VIOLATION", "DISPUTED", "NOT_A_VIOLATION", "UNVERIFIED", "OUT_OF_SCOPE"]


def fill(store: Store, count: int, seed: int = 7) -> float:
    """Write ``count`` incidents spread over Syria and four years; returns seconds taken."""
    rng = random.Random(seed)
    began = time.perf_counter()
    now = dt.datetime.now(dt.UTC)
    for start in range(0, count, 20_000):
        rows = [_incident(rng, n, now) for n in range(start, min(count, start + 20_000))]
        with store.engine.begin() as conn:
            conn.execute(insert(tables.incidents), rows)
        print(f"\r  wrote {start + len(rows):,} incidents", end="", file=sys.stderr)
    with store.engine.begin() as conn:
        conn.execute(text("ANALYZE incidents"))  # as `ceasefire cluster` does after a large write
    print(file=sys.stderr)
    return time.perf_counter() - began


def _incident(rng: random.Random, n: int, now: dt.datetime) -> dict[str, object]:
    lat, lon = rng.uniform(32.5, 37.0), rng.uniform(35.8, 41.5)
    day = START + dt.timedelta(days=rng.randrange(DAYS))
    event_type, sub = rng.choice(SUB_EVENTS)
    incident_id = f"I-{n:010x}"
    payload = {"id": incident_id, "event_type": event_type, "sub_event_type": sub,
               "date": {"earliest": day.isoformat(), "latest": day.isoformat(), "time_precision": 1},
               "place": {"name": f"Place {n % 5000}", "latitude": lat, "longitude": lon, "geo_precision": 1},
               "actors": [{"role": "perpetrator", "actor_id": "syrian-arab-army", "side": "government",
                           "evidence": {"start": 0, "end": 10, "text": "the army"}}]}
    return {"id": incident_id, "event_type": event_type, "sub_event_type": sub, "earliest": day, "latest": day,
            "latitude": lat, "longitude": lon, "admin1": None, "area_id": None, "corroboration": rng.randint(1, 3),
            "verdict": rng.choice(VERDICTS), "confidence": 0.5, "payload": payload, "updated_at": now,
            "place_name": payload["place"]["name"], "perpetrator": "syrian-arab-army"}


def map_query(rng: random.Random) -> str:
    """What the map asks when a user pans to a region and picks a month."""
    west, south = rng.uniform(35.8, 40.5), rng.uniform(32.5, 36.0)
    since = START + dt.timedelta(days=rng.randrange(DAYS - 30))
    return (f"/api/v1/incidents.geojson?bbox={west:.3f},{south:.3f},{west + 1:.3f},{south + 1:.3f}"
            f"&since={since}&until={since + dt.timedelta(days=30)}&limit=1000")


async def load(base: str, path_of: object, clients: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
            while time.perf_counter() < deadline:
                began = time.perf_counter()
                try:
                    response = await http.get(path_of(rng))  # type: ignore[operator]
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - began)
                errors += not ok

    began = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    elapsed = time.perf_counter() - began
    quantiles = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": quantiles[49] * 1000,
            "p95": quantiles[94] * 1000, "p99": quantiles[98] * 1000, "errors": errors}


def serve(db: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(Path(sys.executable).parent / "ceasefire"), "serve", "--db", db, "--port", str(port), "--tiles", ""]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(base + "/api/v1/agreements", timeout=1)
            return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def measure(name: str, db: str, count: int, clients: int, seconds: float) -> None:
    store = Store.open(db)
    store.register_agreement(load_pack("syria-2016-12-30"))
    took = fill(store, count)
    store.close()
    process, base = serve(db)
    try:
        floor = asyncio.run(load(base, lambda rng: "/api/v1/agreements", clients, min(seconds, 15)))
        mapped = asyncio.run(load(base, map_query, clients, seconds))
    finally:
        process.terminate()
        process.wait(10)
    print(f"{name}: {count:,} incidents written in {took:.0f} s")
    for label, result in (("baseline, no database", floor), ("map query (bbox + 30 days)", mapped)):
        print(f"  {label:<28} {result['requests']:>7,.0f} requests  {result['rps']:>6.0f}/s  "
              f"p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
              f"errors {result['errors']:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; {args.clients} clients for {args.seconds:.0f} s; one server process")
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as folder:
            measure("SQLite", str(Path(folder) / "load.db"), args.incidents, args.clients, args.seconds)
    if args.only != "sqlite":
        schema = f"load_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            measure("PostgreSQL", f"{PG}?options=-csearch_path%3D{schema}", args.incidents, args.clients, args.seconds)
        finally:
            with psycopg.connect(PG, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")


if __name__ == "__main__":
    main()
