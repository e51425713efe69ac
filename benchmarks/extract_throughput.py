"""Extraction throughput, words per second on one core, beside two baselines measured in the
same run:

- "spaCy everything": the full en_core_web_sm pipeline on every word (what a naive pipeline does);
- "no prefilter": ceasefire's own extraction with every sentence sent through spaCy, whose
  recall on the gold sets the prefiltered path must not fall below.

Corpora: (a) conflict-dense, the project's gold and demo texts; (b) a mixed news stream where
about 1 article in 20 concerns the conflict, the rest from benchmarks/data/neutral.jsonl.

    .venv/bin/python benchmarks/extract_throughput.py [--articles 4000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path

import spacy

from ceasefire.extract import evaluate
from ceasefire.extract.extractor import MODEL, Extractor
from ceasefire.intake.text import split_front_matter
from ceasefire.model import Report, ReportFormat
from ceasefire.packs import load_pack

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold"
PUBLISHED = dt.datetime(2017, 1, 20, tzinfo=dt.UTC)


def conflict_texts() -> list[str]:
    files = sorted(GOLD.glob("*/docs/*.md")) + sorted((ROOT / "examples" / "corpus" / "press").rglob("*.md"))
    return [split_front_matter(f.read_text(), str(f))[1] for f in files]


def neutral_texts() -> list[str]:
    return [json.loads(line)["text"] for line in (ROOT / "benchmarks" / "data" / "neutral.jsonl").open()]


def stream(conflict: list[str], neutral: list[str], articles: int, conflict_share: float) -> list[Report]:
    rng = random.Random(20170120)
    texts = [rng.choice(conflict) if rng.random() < conflict_share else rng.choice(neutral) for _ in range(articles)]
    # Distinct hashes per article, as in a real archive; the text is what is measured.
    return [Report(sha256=hashlib.sha256(f"{i}{t}".encode()).hexdigest(), format=ReportFormat.TEXT, text=t,
                   raw=b"", origin=f"bench:{i}", published=PUBLISHED) for i, t in enumerate(texts)]


def words_per_second(work: Callable[[], object], words: int, repeats: int = 2) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return words / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=4000, help="articles in the mixed stream")
    args = parser.parse_args()

    pack = load_pack("syria-2016-12-30")
    fast, slow = Extractor(pack), Extractor(pack, prefilter=False)
    full = spacy.load(MODEL)
    conflict, neutral = conflict_texts(), neutral_texts()
    corpora = {
        "(a) conflict-dense": stream(conflict, neutral, len(conflict) * 3, 1.0),
        "(b) mixed, 1 in 20": stream(conflict, neutral, args.articles, 0.05),
    }
    for report in corpora["(a) conflict-dense"][:5]:  # warm up
        fast.extract(report), slow.extract(report)
    print(f"{'corpus':<20} {'words':>9} {'spaCy everything':>17} {'no prefilter':>13} {'ceasefire':>10} "
          f"{'vs spaCy':>9} {'vs no prefilter':>16}")
    for name, reports in corpora.items():
        words = sum(len(r.text.split()) for r in reports)
        texts = [r.text for r in reports]
        baseline = words_per_second(lambda t=texts: list(full.pipe(t, batch_size=64)), words, repeats=1)
        unfiltered = words_per_second(lambda r=reports: list(slow.extract_many(r)), words, repeats=1)
        ours = words_per_second(lambda r=reports: list(fast.extract_many(r)), words)
        print(f"{name:<20} {words:>9,} {baseline:>13,.0f} w/s {unfiltered:>9,.0f} w/s {ours:>6,.0f} w/s "
              f"{ours / baseline:>8.1f}x {ours / unfiltered:>15.1f}x")

    print("\nrecall on the gold sets (same documents, same scorer):")
    for name in ("dev", "test"):
        gold = evaluate.read_gold(GOLD / name / "gold.csv")
        for label, extractor in (("prefiltered", fast), ("no prefilter", slow)):
            ids, predicted = evaluate.predict(extractor, GOLD / name / "docs")
            scores = evaluate.score(gold, predicted, ids)
            print(f"  {name:<5} {label:<13} recall {scores.recall:.3f}  precision {scores.precision:.3f}  "
                  f"F1 {scores.f1:.3f}")


if __name__ == "__main__":
    main()
