"""Ledger costs: appending records (in memory, and through the store with the report inserts
they guard, beside the same inserts without a ledger) and verifying a chain of 1M records.

    .venv/bin/python benchmarks/ledger.py [--records 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sqlite3
import tempfile
import time
from pathlib import Path

from ceasefire.ledger import GENESIS, Record, verify_chain
from ceasefire.model import Report, ReportFormat
from ceasefire.store import Store

NOW = dt.datetime(2017, 1, 1, tzinfo=dt.UTC)


def chain(count: int) -> list[Record]:
    records, previous = [], GENESIS
    for seq in range(1, count + 1):
        record = Record.chained(seq, "report", f"{seq:064x}", hashlib.sha256(str(seq).encode()).hexdigest(),
                                previous, NOW)
        records.append(record)
        previous = record.hash
    return records


def reports(count: int) -> list[Report]:
    texts = [f"Shelling reported in sector {n} on Monday." for n in range(count)]
    return [Report(sha256=hashlib.sha256(t.encode()).hexdigest(), format=ReportFormat.TEXT, text=t, raw=t.encode(),
                   origin=f"bench:{n}", published=NOW) for n, t in enumerate(texts)]


def store_append(count: int) -> tuple[float, float]:
    """Seconds per report stored through the Store (with its ledger record), and per plain INSERT."""
    batch = reports(count)
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(str(Path(folder) / "with.db"))
        start = time.perf_counter()
        for i in range(0, count, 200):
            store.add_reports(batch[i:i + 200])
        with_ledger = (time.perf_counter() - start) / count
        plain = sqlite3.connect(Path(folder) / "plain.db")
        plain.execute("PRAGMA journal_mode=WAL")
        plain.execute("PRAGMA synchronous=NORMAL")
        plain.execute("CREATE TABLE reports (sha256 TEXT UNIQUE, text TEXT, raw BLOB, origin TEXT)")
        start = time.perf_counter()
        for i in range(0, count, 200):
            with plain:
                plain.executemany("INSERT INTO reports VALUES (?, ?, ?, ?)",
                                  [(r.sha256, r.text, r.raw, r.origin) for r in batch[i:i + 200]])
        without = (time.perf_counter() - start) / count
    return with_ledger, without


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--stored", type=int, default=5_000, help="reports stored through the Store")
    args = parser.parse_args()
    start = time.perf_counter()
    records = chain(args.records)
    hashing = time.perf_counter() - start
    print(f"hash-chain {args.records:,} records in memory: {hashing:.2f} s "
          f"({args.records / hashing:,.0f} records/s, {hashing / args.records * 1e6:.1f} µs each)")
    start = time.perf_counter()
    breaks = verify_chain(records)
    verifying = time.perf_counter() - start
    print(f"verify {args.records:,} records: {verifying:.2f} s = {args.records / verifying:,.0f} records/s "
          f"on one core ({len(breaks)} breaks; target >= 100,000 records/s)")
    with_ledger, without = store_append(args.stored)
    print(f"store a report with its ledger record: {with_ledger * 1e3:.2f} ms; baseline plain SQLite INSERT "
          f"{without * 1e3:.3f} ms ({args.stored:,} reports, batches of 200)")


if __name__ == "__main__":
    main()
