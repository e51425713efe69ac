"""Evaluation over a tree of real-text sets, per style and overall.

A tree holds ``<style>/<split>/gold.csv`` and ``<style>/<split>/docs/`` (or one level deeper,
``<conflict>/<style>/<split>/``); each set is scored on its own with :func:`score`, and the
overall figures add up the counts of all of them. The floors a test holds the figures to are
read from a small YAML file (``tests/fixtures/real/<conflict>/thresholds.yaml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from ceasefire.errors import CeasefireError
from ceasefire.extract.evaluate import Event, Scores, predict, read_gold, score, write_predictions
from ceasefire.extract.extractor import Extractor

OVERALL = "overall"


@dataclass(frozen=True)
class GoldSet:
    """One style's split: its label ("narrative"; "<conflict>/events" in a tree), gold CSV and documents."""

    label: str
    gold: Path
    docs: Path


@dataclass(frozen=True)
class SetResult:
    label: str
    documents: int
    scores: Scores
    predicted: tuple[Event, ...] = ()


def gold_sets(root: Path, split: str) -> list[GoldSet]:
    """The sets of ``split`` under ``root``, sorted by label.

    Raises:
        CeasefireError: when ``root`` holds no ``<style>/<split>/gold.csv``.
    """
    found = sorted(p.parent for p in root.rglob("gold.csv") if p.parent.name == split and (p.parent / "docs").is_dir())
    if not found:
        raise CeasefireError(f"No '{split}' set under {root}: expected <style>/{split}/gold.csv beside a docs/ "
                             "folder. Check --set and --split.")
    return [GoldSet(label=_label(root, folder), gold=folder / "gold.csv", docs=folder / "docs") for folder in found]


def _label(root: Path, folder: Path) -> str:
    style = folder.parent
    return style.relative_to(root).as_posix() if style != root and style.is_relative_to(root) else root.name


def evaluate_sets(extractor: Extractor, sets: list[GoldSet]) -> list[SetResult]:
    """Each set scored on its own, then the overall result (last)."""
    results = []
    for gold_set in sets:
        doc_ids, predicted = predict(extractor, gold_set.docs)
        scores = score(read_gold(gold_set.gold), predicted, doc_ids)
        results.append(SetResult(gold_set.label, len(set(doc_ids)), scores, tuple(predicted)))
    return [*results, overall(results)]


def overall(results: list[SetResult]) -> SetResult:
    total = Scores()
    for result in results:
        total = total.plus(result.scores)
    return SetResult(OVERALL, sum(r.documents for r in results), total)


def write_set_predictions(folder: Path, results: list[SetResult]) -> list[Path]:
    """Each set's predicted events in the gold format, as ``folder/<label>.csv`` ("/" read as "-")."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for result in results:
        if result.label == OVERALL:
            continue
        path = folder / f"{result.label.replace('/', '-')}.csv"
        write_predictions(path, list(result.predicted))
        written.append(path)
    return written


def read_floors(path: Path) -> tuple[str, dict[str, dict[str, float]]]:
    """(split, floors per set label and figure) from a thresholds file.

    Raises:
        CeasefireError: when the file cannot be read or is not shaped as ``split:`` and ``floors:``.
    """
    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        floors = {str(label): {str(k): float(v) for k, v in figures.items()}
                  for label, figures in data["floors"].items()}
        return str(data["split"]), floors
    except (OSError, YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CeasefireError(f"{path}: thresholds cannot be read ({exc}). Give 'split:' and 'floors:' with one "
                             "mapping of figure -> floor per set label.") from exc


def below_floors(results: list[SetResult], floors: dict[str, dict[str, float]]) -> list[str]:
    """Each figure under its floor, or floor for a set not evaluated, as one line."""
    by_label = {r.label: r.scores.figures() for r in results}
    failures = []
    for label, figures in floors.items():
        if label not in by_label:
            failures.append(f"{label}: no such set was evaluated (sets: {', '.join(by_label)})")
            continue
        for name, floor in figures.items():
            value = by_label[label].get(name)
            if value is None:
                failures.append(f"{label}: unknown figure '{name}' (known: {', '.join(by_label[label])})")
            elif value < floor:
                failures.append(f"{label}: {name} {value:.3f} < floor {floor:.3f}")
    return failures
