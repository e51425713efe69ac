"""Score extracted events against hand-coded gold events (DESIGN.md §9).

A predicted event matches a gold event of the same document when their dates agree within
the coarser time precision of the two (±1 day at 1, ±7 at 2, ±31 at 3). Within a document,
pairs are taken greedily: same sub-event type first, then the closest place.

Predicted fatalities follow ACLED's codebook (docs/extraction.md "Fatalities"): 0 when the
text reports none, the most conservative figure otherwise, 12 for "dozens". Three fatality
figures are kept: exact where the gold row has a figure; exact where the text states the gold
figure as a number; and exact over every pair with ACLED's convention (a blank gold figure
counts as 0).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

from ceasefire.csv_cells import safe_row
from ceasefire.errors import CeasefireError
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.language import language_data
from ceasefire.intake import ReportDefaults, input_files, read_file
from ceasefire.model import Claim, ClaimKind, Report, Role
from ceasefire.model.claims import acled_fatalities

GOLD_COLUMNS = ("doc_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor1_side",
                "actor2", "actor2_side", "location", "latitude", "longitude", "geo_precision", "fatalities", "notes")
TOLERANCE_DAYS = {1: 1, 2: 7, 3: 31}
PLACE_KM = 25.0


@dataclass(frozen=True)
class Event:
    """One event in the gold format."""

    doc_id: str
    date: dt.date
    time_precision: int
    sub_event_type: str
    event_type: str = ""
    actor1: str = ""
    actor1_side: str = "unknown"
    actor2: str = ""
    actor2_side: str = "unknown"
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int | None = None
    notes: str = ""

    def row(self) -> dict[str, str]:
        values = {name: getattr(self, name) for name in GOLD_COLUMNS if name not in ("event_date",)}
        values["event_date"] = self.date.isoformat()
        return {k: "" if v is None else str(v) for k, v in values.items()}


@dataclass
class Scores:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    place_pairs: int = 0
    place_within: int = 0
    sub_event_same: int = 0
    side_pair_same: int = 0
    fatality_pairs: int = 0
    fatalities_exact: int = 0
    fatalities_near: int = 0
    stated_pairs: int = 0  # pairs whose text states the gold figure as a number
    stated_exact: int = 0
    acled_exact: int = 0  # over all pairs, a blank figure read as 0 (ACLED's convention)
    misses: list[Event] = field(default_factory=list)
    false_alarms: list[Event] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def plus(self, other: Scores) -> Scores:
        """The counts of two scorings added (another set of documents)."""
        return Scores(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def figures(self) -> dict[str, float]:
        """Each figure by its key in ``thresholds.yaml`` (0.0 where it is over no pair)."""
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {"detection_precision": self.precision, "detection_recall": self.recall, "detection_f1": self.f1,
                "place_25km": ratio(self.place_within, self.place_pairs),
                "sub_event": ratio(self.sub_event_same, self.matched),
                "side_pair": ratio(self.side_pair_same, self.matched),
                "fatalities_exact": ratio(self.fatalities_exact, self.fatality_pairs),
                "fatalities_stated_exact": ratio(self.stated_exact, self.stated_pairs),
                "fatalities_acled_exact": ratio(self.acled_exact, self.matched)}

    def table(self) -> list[tuple[str, str, int]]:
        """(metric, value, pairs it is over)."""
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "n/a"

        return [
            ("detection precision", f"{self.precision:.3f}", self.predicted),
            ("detection recall", f"{self.recall:.3f}", self.gold),
            ("detection F1", f"{self.f1:.3f}", self.gold + self.predicted),
            ("place within 25 km", ratio(self.place_within, self.place_pairs), self.place_pairs),
            ("sub-event type", ratio(self.sub_event_same, self.matched), self.matched),
            ("side pair", ratio(self.side_pair_same, self.matched), self.matched),
            ("fatalities exact", ratio(self.fatalities_exact, self.fatality_pairs), self.fatality_pairs),
            ("fatalities within 20%", ratio(self.fatalities_near, self.fatality_pairs), self.fatality_pairs),
            ("fatalities exact, number in text", ratio(self.stated_exact, self.stated_pairs), self.stated_pairs),
            ("fatalities exact, ACLED convention", ratio(self.acled_exact, self.matched), self.matched),
        ]


def read_gold(path: Path) -> list[Event]:
    """Gold events from a CSV in the §9 format; a bad row names its line."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise CeasefireError(f"{path}:1: gold CSV lacks columns {', '.join(missing)}.")
            return [_gold_event(row, path, reader.line_num) for row in reader]
    except OSError as exc:
        raise CeasefireError(f"Cannot read gold file {path}: {exc.strerror}.") from exc


def _gold_event(row: dict[str, str], path: Path, line: int) -> Event:
    try:
        return Event(
            doc_id=row["doc_id"].strip(), date=dt.date.fromisoformat(row["event_date"].strip()),
            time_precision=int(row["time_precision"] or 1), event_type=row["event_type"].strip(),
            sub_event_type=row["sub_event_type"].strip(), actor1=row["actor1"],
            actor1_side=row["actor1_side"] or "unknown",
            actor2=row["actor2"], actor2_side=row["actor2_side"] or "unknown", location=row["location"],
            latitude=float(row["latitude"]) if row["latitude"].strip() else None,
            longitude=float(row["longitude"]) if row["longitude"].strip() else None,
            geo_precision=int(row["geo_precision"]) if row["geo_precision"].strip() else None,
            fatalities=int(row["fatalities"]) if row["fatalities"].strip() else None, notes=row["notes"])
    except (ValueError, KeyError) as exc:
        raise CeasefireError(f"{path}:{line}: gold row cannot be read ({exc}). Check its date and numbers.") from exc


def predict(extractor: Extractor, docs: Path) -> tuple[list[str], list[Event]]:
    """Run intake and extraction on every document of ``docs``; (doc ids, predicted events)."""
    doc_ids: list[str] = []
    reports: list[tuple[str, Report]] = []
    for item in input_files([docs]):
        if isinstance(item, CeasefireError):
            raise item
        for read in read_file(item, None, ReportDefaults()):  # type: ignore[arg-type]
            if isinstance(read, CeasefireError):
                raise CeasefireError(f"Document cannot be read: {read}")
            doc_id = Path(item.origin).stem
            doc_ids.append(doc_id)
            reports.append((doc_id, read))
    events: list[Event] = []  # an act the text gives no date for is no event of a dated set: left out
    for (doc_id, _), (_, claims) in zip(reports, extractor.extract_many(r for _, r in reports), strict=True):
        events += [as_event(doc_id, c) for c in claims if c.kind is ClaimKind.EVENT and c.sub_event_type
                   and not (c.date and c.date.undated)]
    return doc_ids, events


def as_event(doc_id: str, claim: Claim) -> Event:
    assert claim.date is not None and claim.sub_event_type is not None
    actor1 = next(iter(claim.actors_in(Role.PERPETRATOR)), None)
    actor2 = next(iter(claim.actors_in(Role.TARGET)), None)
    middle = claim.date.earliest + (claim.date.latest - claim.date.earliest) / 2
    place = claim.place
    return Event(
        doc_id=doc_id, date=middle, time_precision=claim.date.time_precision, event_type=claim.event_type or "",
        sub_event_type=claim.sub_event_type,
        actor1=actor1.evidence.text if actor1 else "", actor1_side=actor1.side.value if actor1 else "unknown",
        actor2=actor2.evidence.text if actor2 else "", actor2_side=actor2.side.value if actor2 else "unknown",
        location=place.name if place else "", latitude=place.latitude if place else None,
        longitude=place.longitude if place else None, geo_precision=place.geo_precision if place else None,
        fatalities=acled_fatalities(claim.fatalities), notes=claim.sentence.text[:200])


def score(gold: list[Event], predicted: list[Event], doc_ids: Iterable[str]) -> Scores:
    """Detection and field scores over the documents of ``doc_ids``."""
    scores = Scores()
    for doc_id in sorted(set(doc_ids)):
        gold_here = [g for g in gold if g.doc_id == doc_id]
        predicted_here = [p for p in predicted if p.doc_id == doc_id]
        scores.gold += len(gold_here)
        scores.predicted += len(predicted_here)
        pairs = _greedy_pairs(gold_here, predicted_here)
        for g, p in pairs:
            _score_pair(scores, g, p)
        paired_gold = {id(g) for g, _ in pairs}
        paired_predicted = {id(p) for _, p in pairs}
        scores.misses += [g for g in gold_here if id(g) not in paired_gold]
        scores.false_alarms += [p for p in predicted_here if id(p) not in paired_predicted]
    return scores


def _greedy_pairs(gold: list[Event], predicted: list[Event]) -> list[tuple[Event, Event]]:
    candidates = []
    for g in gold:
        for p in predicted:
            tolerance = TOLERANCE_DAYS[max(g.time_precision, p.time_precision)]
            if abs((g.date - p.date).days) <= tolerance:
                candidates.append((g.sub_event_type != p.sub_event_type, _distance(g, p), id(g), id(p), g, p))
    candidates.sort(key=lambda c: c[:2])
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs = []
    for _, _, gid, pid, g, p in candidates:
        if gid not in used_gold and pid not in used_predicted:
            used_gold.add(gid)
            used_predicted.add(pid)
            pairs.append((g, p))
    return pairs


def _distance(a: Event, b: Event) -> float:
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))  # type: ignore[arg-type]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _score_pair(scores: Scores, g: Event, p: Event) -> None:
    scores.matched += 1
    if g.latitude is not None and g.longitude is not None:
        scores.place_pairs += 1
        scores.place_within += _distance(g, p) <= PLACE_KM
    scores.sub_event_same += g.sub_event_type == p.sub_event_type
    scores.side_pair_same += sorted((g.actor1_side, g.actor2_side)) == sorted((p.actor1_side, p.actor2_side))
    scores.acled_exact += (p.fatalities or 0) == (g.fatalities or 0)
    if g.fatalities is not None and _states(g.fatalities, f"{g.notes} {p.notes}"):
        scores.stated_pairs += 1
        scores.stated_exact += p.fatalities == g.fatalities
    if g.fatalities is not None:
        scores.fatality_pairs += 1
        scores.fatalities_exact += p.fatalities == g.fatalities
        scores.fatalities_near += p.fatalities is not None and abs(p.fatalities - g.fatalities) <= 0.2 * max(
            g.fatalities, 1)


def _states(figure: int, text: str) -> bool:
    """The text writes this figure as a number ("12", "twelve"; not "a", "dozens" or "no")."""
    if figure <= 0:
        return False
    words = [w for w, n in _number_words().items() if n == figure]
    pattern = r"\b(?:" + "|".join([str(figure), *map(re.escape, words)]) + r")\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    language = language_data()
    return {w: n for w, n in language.numbers.items() if w not in language.uncounted_numbers}


def write_predictions(path: Path, events: list[Event]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=GOLD_COLUMNS)
        writer.writeheader()
        for event in events:
            writer.writerow(safe_row(event.row()))
