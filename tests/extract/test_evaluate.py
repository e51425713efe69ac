"""The evaluator scores as DESIGN.md §9 says; the CLI prints the table and writes predictions."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from typer.testing import CliRunner

from ceasefire.cli import app
from ceasefire.extract.evaluate import GOLD_COLUMNS, Event, read_gold, score
from ceasefire.extract.evaluate_sets import SetResult, below_floors, gold_sets, overall

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


def event(doc: str, day: str, sub: str = "Air/drone strike", precision: int = 1, lat: float | None = 35.0,
          sides: tuple[str, str] = ("government", "opposition"), fatalities: int | None = None) -> Event:
    return Event(doc_id=doc, date=dt.date.fromisoformat(day), time_precision=precision, sub_event_type=sub,
                 actor1_side=sides[0], actor2_side=sides[1], latitude=lat, longitude=36.0 if lat else None,
                 fatalities=fatalities)


def test_dates_match_within_the_coarser_precision() -> None:
    gold = [event("d", "2017-01-10"), event("d", "2017-01-20", precision=2)]
    predicted = [event("d", "2017-01-12"), event("d", "2017-01-26")]
    scores = score(gold, predicted, ["d"])
    assert scores.matched == 1 and len(scores.misses) == 1 and len(scores.false_alarms) == 1


def test_pairs_prefer_the_same_sub_event_then_the_closest_place() -> None:
    gold = [event("d", "2017-01-10", "Armed clash", lat=35.0), event("d", "2017-01-10", lat=36.0)]
    predicted = [event("d", "2017-01-10", lat=35.0), event("d", "2017-01-10", "Armed clash", lat=36.0)]
    scores = score(gold, predicted, ["d"])
    assert scores.matched == 2 and scores.sub_event_same == 2 and scores.place_within == 0
    near = score([event("d", "2017-01-10", lat=35.0), event("d", "2017-01-10", lat=36.0)],
                 [event("d", "2017-01-10", lat=36.01)], ["d"])
    assert [g.latitude for g in near.misses] == [35.0] and near.place_within == 1


def test_side_pairs_are_unordered_and_fatalities_compare_exactly_and_within_20_percent() -> None:
    gold = [event("d", "2017-01-10", sides=("government", "opposition"), fatalities=10)]
    predicted = [event("d", "2017-01-10", sides=("opposition", "government"), fatalities=11)]
    scores = score(gold, predicted, ["d"])
    assert (scores.side_pair_same, scores.fatalities_exact, scores.fatalities_near) == (1, 0, 1)


def test_events_in_a_document_without_gold_are_false_alarms() -> None:
    scores = score([], [event("quiet", "2017-01-10")], ["quiet"])
    assert (scores.predicted, scores.precision, scores.recall) == (1, 0.0, 0.0)


def test_gold_sets_are_well_formed() -> None:
    for name in ("dev", "test"):
        events = read_gold(GOLD / name / "gold.csv")
        docs = {p.stem for p in (GOLD / name / "docs").iterdir()}
        assert len(events) >= 30 and {e.doc_id for e in events} <= docs


def test_evaluate_command_prints_metrics_and_writes_predictions(tmp_path: Path) -> None:
    predictions = tmp_path / "pred.csv"
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(GOLD / "dev" / "gold.csv"),
                                      "--docs", str(GOLD / "dev" / "docs"), "--pack", "syria-2016-12-30",
                                      "--write-predictions", str(predictions)])
    assert result.exit_code == 0, result.output
    assert "detection F1" in result.output and "place within 25 km" in result.output
    rows = list(csv.DictReader(predictions.open()))
    assert rows and list(rows[0]) == list(GOLD_COLUMNS)
    f1 = float(next(line for line in result.output.splitlines() if "detection F1" in line).split("│")[2])
    assert f1 >= 0.88, "extraction quality fell on the dev gold set"


def test_fatalities_are_also_scored_where_the_text_states_the_number_and_by_acled_convention() -> None:
    gold = [event("d", "2017-01-10", fatalities=3), event("e", "2017-01-10", fatalities=12),
            event("f", "2017-01-10", fatalities=None)]
    gold = [Event(**{**g.__dict__, "notes": n}) for g, n in zip(gold, ["three fighters were killed",
                                                                     "dozens were killed", "shelling"], strict=True)]
    predicted = [event("d", "2017-01-10", fatalities=3), event("e", "2017-01-10", fatalities=12),
                 event("f", "2017-01-10", fatalities=0)]
    scores = score(gold, predicted, ["d", "e", "f"])
    assert (scores.stated_pairs, scores.stated_exact) == (1, 1)  # "dozens" states no number
    assert (scores.fatality_pairs, scores.acled_exact) == (2, 3)  # a blank gold figure is ACLED's 0


def test_sets_are_found_per_style_and_scored_overall(tmp_path: Path) -> None:
    for style in ("events", "narrative"):
        (tmp_path / "syria" / style / "dev" / "docs").mkdir(parents=True)
        (tmp_path / "syria" / style / "dev" / "gold.csv").write_text(",".join(GOLD_COLUMNS) + "\n")
    (tmp_path / "syria" / "events" / "test" / "docs").mkdir(parents=True)
    (tmp_path / "syria" / "events" / "test" / "gold.csv").write_text(",".join(GOLD_COLUMNS) + "\n")
    assert [s.label for s in gold_sets(tmp_path, "dev")] == ["syria/events", "syria/narrative"]
    assert [s.label for s in gold_sets(tmp_path / "syria" / "events", "test")] == ["events"]


def test_figures_under_their_floors_are_named() -> None:
    scores = score([event("d", "2017-01-10")], [event("d", "2017-01-10"), event("d", "2017-02-20")], ["d"])
    results = [SetResult("events", 1, scores), overall([SetResult("events", 1, scores)])]
    floors = {"events": {"detection_f1": 0.5, "detection_precision": 0.6}, "overall": {"side_pair": 1.0},
              "narrative": {"detection_f1": 0.0}}
    assert below_floors(results, floors) == ["events: detection_precision 0.500 < floor 0.600",
                                             "narrative: no such set was evaluated (sets: events, overall)"]
