"""Exports at scale: N synthetic incidents in a SQLite file (default 1M), exported in every format
through ``Store.iter_incidents`` (streaming), each format in its own process so its peak RSS is
its own. Baselines measured in the same run: the RSS of an idle process (imports done, nothing
read) and the list approach (``Store.incidents()``, every incident in memory) on a smaller N.

    .venv/bin/python benchmarks/export.py [--incidents 1000000] [--baseline-incidents 100000] [--db FILE]

Target: peak RSS under 500 MB for 1M incidents in every format.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ceasefire.packs import load_pack
from ceasefire.publish.exports import ExportFormat, export
from ceasefire.store import Store, tables
from ceasefire.store.incident_query import IncidentQuery

START = dt.date(2017, 1, 1)
PER_DAY = 500  # incidents a day, a busy month of the war several times over
SUB_EVENTS = [("Explosions/Remote violence", "Shelling/artillery/missile attack"),
              ("Explosions/Remote violence", "Air/drone strike"), ("Battles", "Armed clash"),
              ("Violence against civilians", "Attack")]
ACTORS = [("syrian-arab-army", "government"), ("hezbollah", "pro_government"), ("ahrar-al-sham", "opposition"),
          ("jabhat-fateh-al-sham", "excluded"), ("civilians", "civilians")]
VERDICTS = ["VIOLATION", "NOT_A_VIOLATION", "DISPUTED", "UNVERIFIED", "OUT_OF_SCOPE"]


def build(db: Path, incidents: int, chunk: int = 20_000) -> float:
    """Write ``incidents`` synthetic incidents straight into the incidents table; returns seconds."""
    started = time.perf_counter()
    store = Store.open(str(db))
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with store.engine.begin() as conn:
        for first in range(0, incidents, chunk):
            conn.execute(tables.incidents.insert(), [_row(n, rng, now) for n in range(first, min(first + chunk,
                                                                                                   incidents))])
    store.close()
    return time.perf_counter() - started


def _row(number: int, rng: random.Random, now: dt.datetime) -> dict[str, object]:
    day = START + dt.timedelta(days=number // PER_DAY)
    event_type, sub_event = rng.choice(SUB_EVENTS)
    (perpetrator, p_side), (target, t_side) = rng.sample(ACTORS, 2)
    lat, lon = round(rng.uniform(32.5, 37.0), 4), round(rng.uniform(35.8, 41.5), 4)
    words = {"start": 0, "end": 20, "text": "Government forces shelled", "report_sha256": f"{number:064x}"}
    deaths = rng.choice([None, 0, 1, 3, 12])
    payload = {
        "id": f"I-{number:010x}", "event_type": event_type, "sub_event_type": sub_event, "tags": [],
        "date": {"evidence": words, "earliest": day.isoformat(), "latest": day.isoformat(), "time_precision": 1},
        "place": {"evidence": words, "name": f"Place {number % 997}", "area_id": None, "geonames_id": None,
                  "latitude": lat, "longitude": lon, "admin1": "Rif Dimashq", "country": "SY", "geo_precision": 1},
        "actors": [{"role": "perpetrator", "evidence": words, "actor_id": perpetrator, "side": p_side},
                   {"role": "target", "evidence": words, "actor_id": target, "side": t_side}],
        "fatalities": None if deaths is None else {"evidence": words, "low": deaths, "best": deaths + 1,
                                                   "high": deaths + 2, "qualifier": "", "civilians": None},
        "claims": [{"report_sha256": f"{number:064x}", "index": 0}],
        "origins": [{"key": "source:sohr", "label": "Syrian Observatory for Human Rights", "source_id": "sohr",
                     "reliability": "C"}],
        "justification": None, "denied": False,
    }
    return {"id": payload["id"], "event_type": event_type, "sub_event_type": sub_event, "earliest": day,
            "latest": day, "latitude": lat, "longitude": lon, "admin1": "Rif Dimashq", "area_id": None,
            "corroboration": 1, "verdict": rng.choice(VERDICTS), "confidence": 0.5, "payload": payload,
            "updated_at": now}


def child(db: Path, format: ExportFormat, how: str, until: str | None) -> None:
    """Run one export in this process and print rows, seconds and peak RSS as JSON."""
    store = Store.open(str(db), upgrade=False)
    pack = load_pack("syria-2016-12-30")
    idle = _peak_mb()
    query = IncidentQuery(until=dt.date.fromisoformat(until) if until else None)
    incidents = store.iter_incidents(query) if how == "stream" else store.incidents(query)
    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        rows = export(incidents, pack, format, sink)
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
                      "idle_mb": idle}))


def _peak_mb() -> float:
    # VmHWM, not getrusage's ru_maxrss: Linux keeps the parent's peak in ru_maxrss across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(db: Path, format: ExportFormat, how: str, until: dt.date | None = None) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", format.value, "--how", how, "--db", str(db)]
    if until:
        command += ["--until", until.isoformat()]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    measured: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--baseline-incidents", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="SQLite file to build (default: a temporary file, removed after)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--how", default="stream", help=argparse.SUPPRESS)
    parser.add_argument("--until", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.db, ExportFormat(args.child), args.how, args.until)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or Path(folder) / "export-bench.db"
        if db.exists():
            db.unlink()
        seconds = build(db, args.incidents)
        print(f"built {args.incidents:,} incidents in {seconds:.1f} s ({db.stat().st_size / 1e6:,.0f} MB of SQLite)")
        small = min(args.baseline_incidents, args.incidents)
        until = START + dt.timedelta(days=small // PER_DAY - 1)
        listed = measure(db, ExportFormat.ACLED_CSV, "list", until)
        print(f"baseline idle process (imports, store open)          peak {listed['idle_mb']:7.0f} MB")
        print(f"baseline list approach  acled-csv {listed['rows']:>10,} rows  {listed['seconds']:6.1f} s  "
              f"peak {listed['peak_mb']:7.0f} MB  {listed['rows'] / listed['seconds']:9,.0f} rows/s")
        for format in ExportFormat:
            streamed = measure(db, format, "stream")
            verdict = "ok" if streamed["peak_mb"] < 500 else "OVER 500 MB"
            print(f"streamed  {format.value:>10}            {streamed['rows']:>10,} rows  "
                  f"{streamed['seconds']:6.1f} s  peak {streamed['peak_mb']:7.0f} MB  "
                  f"{streamed['rows'] / streamed['seconds']:9,.0f} rows/s  {verdict}")


if __name__ == "__main__":
    main()
