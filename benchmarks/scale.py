"""Scale-out on Dask: a synthetic archive of N articles (about 1 in 20 about the conflict: the
project's gold and demo texts; the rest from benchmarks/data/neutral.jsonl, as in
extract_throughput.py), extracted

- in one process, with no Dask (the baseline);
- on a LocalCluster of 1 worker, then of 2 workers (extraction into Parquet only);

and then run end to end into PostgreSQL (``run_archive`` + clustering + assessment, a fresh
schema, fresh partitions, 2 workers). Prints articles/s, the 2-worker speed-up over 1 worker
(target >= 1.7x), peak memory per worker (target < 2 GB) and the end-to-end time.

    .venv/bin/python benchmarks/scale.py [--articles 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from distributed import Client, LocalCluster, wait
from extract_throughput import conflict_texts, neutral_texts

from ceasefire.extract.extractor import Extractor
from ceasefire.intake import ReportDefaults
from ceasefire.model import Report
from ceasefire.packs import load_pack
from ceasefire.pipeline import assess_incidents, cluster_claims
from ceasefire.scale import plan_archive, run_archive
from ceasefire.scale.archive import Partition, read_partition
from ceasefire.scale.worker import ExtractionPlugin, PartDone, extract_partition, extractor_version
from ceasefire.store import Store

PACK = "syria-2016-12-30"
PARTITION_SIZE = 1000
PUBLISHED = dt.datetime(2017, 1, 20, 12, tzinfo=dt.UTC)
GB = 1024**3


def write_archive(path: Path, articles: int, days: int = 1, conflict_share: float = 0.05) -> None:
    """JSON Lines, each article with its own title so each has its own SHA-256, as in a real archive,
    published in date order over ``days`` days (relative dates in the texts resolve against it)."""
    rng = random.Random(20170120)
    conflict, neutral = conflict_texts(), neutral_texts()
    with path.open("w") as out:
        for n in range(articles):
            text = rng.choice(conflict) if rng.random() < conflict_share else rng.choice(neutral)
            published = PUBLISHED + dt.timedelta(days=n * days // articles)
            out.write(json.dumps({"title": f"Article {n}", "published": published.isoformat(),
                                  "source": "Wire Agency", "text": text}) + "\n")


def single_process(partitions: list[Partition]) -> tuple[float, int]:
    """(articles/s, peak memory in bytes) of the extractor in this process, no Dask."""
    extractor = Extractor(load_pack(PACK))
    reports = [r for p in partitions for r in read_partition(p, ReportDefaults()) if isinstance(r, Report)]
    start = time.perf_counter()
    for _ in extractor.extract_many(reports):
        pass
    seconds = time.perf_counter() - start
    return len(reports) / seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def on_cluster(partitions: list[Partition], workers: int, parts: Path) -> tuple[float, dict[str, int]]:
    """(articles/s, peak memory per worker) extracting every partition into Parquet on a LocalCluster,
    timed after each worker has built its extractor (built once per worker, not per partition)."""
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        plugin = ExtractionPlugin(load_pack(PACK), [], ReportDefaults(), {})
        client.register_plugin(plugin)
        versions = [client.submit(extractor_version, plugin.name, workers=[w], allow_other_workers=False, pure=False)
                    for w in client.scheduler_info()["workers"]]
        version = {f.result() for f in versions}.pop()
        start = time.perf_counter()
        futures = [client.submit(extract_partition, p, str(parts), version, plugin.name, pure=False)
                   for p in partitions]
        wait(futures)
        seconds = time.perf_counter() - start
        done: list[PartDone] = [f.result() for f in futures]
    peaks: dict[str, int] = {}
    for part in done:
        peaks[part.worker] = max(peaks.get(part.worker, 0), part.peak_memory)
    return sum(p.reports for p in done) / seconds, peaks


def end_to_end(archive: Path, pg: str, parts: Path) -> dict[str, float]:
    """Seconds for each stage of the whole run into a fresh PostgreSQL schema, on 2 workers."""
    schema = f"bench_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        store = Store.open(f"{pg}?options=-csearch_path%3D{schema}")
        pack = load_pack(PACK)
        times: dict[str, float] = {}
        start = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            run = run_archive(store, pack, [archive], client, parts, partition_size=PARTITION_SIZE)
        times["extract + load"] = time.perf_counter() - start
        mark = time.perf_counter()
        clustered = cluster_claims(store, pack)
        times["cluster"] = time.perf_counter() - mark
        mark = time.perf_counter()
        assess_incidents(store, pack)
        times["assess"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
        times["reports"], times["claims"], times["incidents"] = run.new, run.claims, clustered.incidents
        times["peak"] = run.peak_worker_memory
        store.close()
        return times
    finally:
        with psycopg.connect(pg, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=1, help="days the archive's publication dates span")
    parser.add_argument("--only-end-to-end", action="store_true", help="skip the three throughput runs")
    parser.add_argument("--pg", default=os.environ.get("CEASEFIRE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ceasefire-scale-") as tmp:
        folder = Path(tmp)
        archive = folder / "archive.jsonl"
        write_archive(archive, args.articles, args.days)
        partitions = plan_archive([archive], PARTITION_SIZE, folder / "unpacked").partitions
        print(f"archive: {args.articles:,} articles over {args.days} day(s), {archive.stat().st_size / 1e6:,.0f} MB "
              f"JSON Lines, {len(partitions)} partitions of {PARTITION_SIZE}; {os.cpu_count()} cores")
        if not args.only_end_to_end:
            throughput(partitions, folder)
        times = end_to_end(archive, args.pg, folder / "parts-e2e")
        print(f"end to end into PostgreSQL, 2 workers: {times['total']:,.0f} s for {args.articles:,} articles "
              f"({times['reports']:,.0f} reports, {times['claims']:,.0f} claims, {times['incidents']:,.0f} incidents): "
              f"extract + load {times['extract + load']:,.0f} s, cluster {times['cluster']:,.0f} s, "
              f"assess {times['assess']:,.0f} s; peak memory per worker {times['peak'] / GB:.2f} GB")


def throughput(partitions: list[Partition], folder: Path) -> None:
    """Articles/s in one process and on 1 and 2 workers, each with its peak memory."""
    baseline, memory = single_process(partitions)
    print(f"single process (no Dask)   {baseline:>8,.0f} articles/s   peak memory {memory / GB:.2f} GB")
    one, peaks_one = on_cluster(partitions, 1, folder / "parts-1")
    print(f"LocalCluster, 1 worker     {one:>8,.0f} articles/s   {one / baseline:.2f}x single process   "
          f"peak memory per worker {max(peaks_one.values()) / GB:.2f} GB")
    two, peaks_two = on_cluster(partitions, 2, folder / "parts-2")
    print(f"LocalCluster, 2 workers    {two:>8,.0f} articles/s   {two / one:.2f}x 1 worker (target >= 1.7x)   "
          f"peak memory per worker {', '.join(f'{p / GB:.2f}' for p in sorted(peaks_two.values()))} GB "
          "(target < 2 GB)")

if __name__ == "__main__":
    main()
