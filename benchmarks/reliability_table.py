"""Print the reliability table (what was tried, how many cases, what held) from the last test runs.

The reliability tests (tests/reliability/) record each test's cases and result in
build/reliability/results.json. This prints them as Markdown, or with --write rewrites every
block of docs/reliability.md between

    <!-- BEGIN reliability table: AREA, AREA -->
    <!-- END reliability table -->

with the rows of those areas, so the document's numbers come from real runs:

    .venv/bin/python -m pytest tests/reliability
    .venv/bin/python benchmarks/reliability_table.py --write docs/reliability.md
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "build" / "reliability" / "results.json"
BLOCK = re.compile(r"(<!-- BEGIN reliability table: (?P<areas>[^>]*?) -->\n)(?P<body>.*?)"
                   r"(<!-- END reliability table -->)", re.DOTALL)
SHOWN_OUTCOMES = 6


def outcomes(found: dict[str, int]) -> str:
    ranked = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"{name.replace('_', ' ')} {n:,}" for name, n in ranked[:SHOWN_OUTCOMES])
    return text + (f", … ({len(ranked) - SHOWN_OUTCOMES} more)" if len(ranked) > SHOWN_OUTCOMES else "")


def table(rows: dict[str, dict[str, Any]], areas: list[str] | None = None) -> str:
    """Markdown rows for the tests of these areas (all when None), with a totals line."""
    chosen = {k: v for k, v in rows.items() if areas is None or v["area"] in areas}
    if not chosen:
        return f"No recorded runs for {', '.join(areas or ['any area'])} yet: run `pytest tests/reliability`.\n"
    lines = ["| area | what was tried | test | cases | outcomes | held |", "| --- | --- | --- | ---: | --- | --- |"]
    for nodeid, row in sorted(chosen.items(), key=lambda kv: (kv[1]["area"], kv[0])):
        test = nodeid.split("/")[-1].replace("|", "\\|")
        lines.append(f"| {row['area']} | {row['tried']} | `{test}` | {row['cases']:,} | {outcomes(row['outcomes'])} | "
                     f"{'yes' if row['held'] else '**NO**'} |")
    failed = sum(not r["held"] for r in chosen.values())
    dates = sorted(r["at"][:10] for r in chosen.values())
    lines += ["", f"{len(chosen)} tests, {sum(r['cases'] for r in chosen.values()):,} cases, "
                  f"{'all held' if not failed else f'{failed} did NOT hold'}; runs of {dates[0]}"
                  f"{'' if dates[0] == dates[-1] else ' to ' + dates[-1]}, "
                  f"{sum(r['seconds'] for r in chosen.values()):.0f} s of test time."]
    return "\n".join(lines) + "\n"


def rewrite(document: Path, rows: dict[str, dict[str, Any]]) -> int:
    """Replace every marked block of ``document``; returns how many were replaced."""
    text = document.read_text()
    blocks = 0

    def fill(match: re.Match[str]) -> str:
        nonlocal blocks
        blocks += 1
        areas = [a.strip() for a in match["areas"].split(",")]
        return match.group(1) + table(rows, areas) + match.group(4)

    document.write_text(BLOCK.sub(fill, text))
    return blocks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--write", type=Path, help="rewrite the marked blocks of this Markdown file")
    args = parser.parse_args()
    if not args.results.is_file():
        print(f"No results at {args.results}: run `.venv/bin/python -m pytest tests/reliability` first.",
              file=sys.stderr)
        return 1
    rows = json.loads(args.results.read_text())
    if args.write:
        print(f"Rewrote {rewrite(args.write, rows)} table(s) in {args.write}.")
    else:
        print(table(rows), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
