"""Clustering at scale: synthetic claims (each event told by one to four reports, jittered in
place and date, all over Syria) clustered at 10k, 100k and 1M claims. The archive's time span
grows with its size (about 500 claims a day, several times the busiest months of the war as
ACLED coded them), so the figures show how cost grows with the archive at a fixed density. Prints time, peak
memory and the growth exponent fitted over the sizes, beside an all-pairs baseline measured in
the same run on the smallest size.

    .venv/bin/python benchmarks/cluster_scale.py [--sizes 10000 100000 1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import subprocess
import sys
import time

from ceasefire.model import ClaimRef
from ceasefire.verify.cluster import Group, Point, _compatible, cluster

SUB_EVENTS = ["Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack",
              "Remote explosive/landmine/IED", "Suicide bomb", "Government regains territory",
              "Non-state actor overtakes territory", "Abduction/forced disappearance", "Looting/property destruction"]
SIDES = ["government", "pro_government", "opposition", "excluded", "foreign_state"]
START = dt.date(2017, 1, 1)


CLAIMS_PER_DAY = 500


def synthetic(claims: int, seed: int = 1) -> list[Point]:
    rng = random.Random(seed)
    days = max(1, claims // CLAIMS_PER_DAY)
    points: list[Point] = []
    event = 0
    while len(points) < claims:
        event += 1
        lat, lon = rng.uniform(32.5, 37.0), rng.uniform(35.8, 41.5)
        day = START + dt.timedelta(days=rng.randrange(days))
        sub, side = rng.choice(SUB_EVENTS), rng.choice(SIDES)
        for copy in range(rng.choice((1, 2, 3, 3, 4))):
            coarse = rng.random() < 0.1
            points.append(Point(
                ref=ClaimRef(report_sha256=f"{event:012x}{copy:04x}", index=0), sub_event_type=sub,
                earliest=day + dt.timedelta(days=rng.choice((0, 0, 0, 1))), latest=day + dt.timedelta(days=1),
                time_precision=1, latitude=None if coarse else lat + rng.gauss(0, 0.02),
                longitude=None if coarse else lon + rng.gauss(0, 0.02), geo_precision=3 if coarse else 1,
                region=f"gov{int(lat * 2)}", perpetrator_sides=frozenset({side})))
    return points[:claims]


def all_pairs(points: list[Point]) -> int:
    """The baseline: compare every claim with every incident found so far."""
    groups: list[Group] = []
    for point in points:
        match = next((g for g in groups if _compatible(g, point)), None)
        if match is None:
            groups.append(Group(point.ref.report_sha256, point))
        else:
            match.refs.append(point.ref)
            match.reports.add(point.ref.report_sha256)
    return len(groups)


def measure(claims: int) -> None:
    points = synthetic(claims)
    start = time.perf_counter()
    groups = cluster(points)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{claims} {seconds:.3f} {peak_mb:.0f} {len(groups)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    baseline_size = min(args.sizes)
    points = synthetic(baseline_size)
    start = time.perf_counter()
    all_pairs(points)
    baseline = time.perf_counter() - start
    print(f"baseline all-pairs     {baseline_size:>9,} claims {baseline:8.2f} s")
    blocked_small = time.perf_counter()
    cluster(points)
    print(f"ceasefire (blocked)    {baseline_size:>9,} claims {time.perf_counter() - blocked_small:8.2f} s")
    rows = []
    for size in args.sizes:  # each size in its own process, so peak memory is its own
        out = subprocess.run([sys.executable, __file__, "--measure", str(size)], capture_output=True, text=True,
                             check=True).stdout.split()
        claims, seconds, peak, incidents = int(out[0]), float(out[1]), float(out[2]), int(out[3])
        rows.append((claims, seconds))
        print(f"ceasefire (blocked)    {claims:>9,} claims {seconds:8.2f} s  peak {peak:6.0f} MB  "
              f"{incidents:,} incidents  {claims / seconds:,.0f} claims/s")
    if len(rows) >= 2:
        xs, ys = [math.log(c) for c, _ in rows], [math.log(s) for _, s in rows]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
        slope = covariance / sum((x - mean_x) ** 2 for x in xs)
        print(f"fitted growth exponent {slope:.2f} (time ~ claims^{slope:.2f}; target <= 1.2)")


if __name__ == "__main__":
    main()
