"""Every real-text evaluation set is well formed, so `ceasefire evaluate` scores what its coders meant."""

import csv
import datetime
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
GOLD_COLUMNS = ("doc_id,event_date,time_precision,event_type,sub_event_type,actor1,actor1_side,actor2,"
                "actor2_side,location,latitude,longitude,geo_precision,fatalities,notes").split(",")
SOURCE_COLUMNS = "doc_id,style,title,url,repository,path,licence,retrieved".split(",")
SIDES = {"government", "pro_government", "opposition", "excluded", "foreign_state", "civilians", "other", "unknown"}
# Generous bounding boxes (lat_min, lat_max, lon_min, lon_max) of each conflict's country.
COUNTRY_BOX = {"syria": (32.3, 37.4, 35.6, 42.4), "ukraine": (44.3, 52.4, 22.1, 40.3)}
SPLITS = sorted(p for p in REAL.glob("*/*/*") if (p / "gold.csv").exists())


def _front_matter(doc: Path) -> dict[str, object]:
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{doc}: front matter must open the file"
    return dict(YAML(typ="safe").load(text.split("---\n", 2)[1]))


def _published(doc: Path) -> datetime.date:
    published = _front_matter(doc)["published"]
    if isinstance(published, datetime.date):
        return published
    return datetime.date.fromisoformat(str(published))


@pytest.mark.parametrize("split", SPLITS, ids=lambda p: str(p.relative_to(REAL)))
def test_gold_rows_are_valid_and_point_at_documents(split: Path) -> None:
    docs = {p.stem: p for p in (split / "docs").glob("*.md")}
    with (split / "gold.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == GOLD_COLUMNS
        rows = list(reader)
    lat_min, lat_max, lon_min, lon_max = COUNTRY_BOX[split.parts[-3]]
    for line, row in enumerate(rows, start=2):
        where = f"{split / 'gold.csv'}:{line}"
        assert row["doc_id"] in docs, f"{where}: no document {row['doc_id']}.md"
        event_date = datetime.date.fromisoformat(row["event_date"])
        assert event_date <= _published(docs[row["doc_id"]]), f"{where}: event after the document's publication"
        assert row["time_precision"] in {"1", "2", "3"} and row["geo_precision"] in {"1", "2", "3"}, where
        assert row["actor1_side"] in SIDES, where
        assert row["actor2_side"] in SIDES or row["actor2"] == row["actor2_side"] == "", where
        assert row["fatalities"] == "" or int(row["fatalities"]) >= 0, where
        if row["latitude"] or row["longitude"]:
            lat, lon = float(row["latitude"]), float(row["longitude"])
            assert lat_min <= lat <= lat_max and lon_min <= lon <= lon_max, f"{where}: coordinates outside the country"


@pytest.mark.parametrize("split", SPLITS, ids=lambda p: str(p.relative_to(REAL)))
def test_every_document_has_front_matter_and_a_source(split: Path) -> None:
    with (split / "sources.csv").open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == SOURCE_COLUMNS
        sources = {row["doc_id"]: row for row in reader}
    for doc in sorted((split / "docs").glob("*.md")):
        front = _front_matter(doc)
        assert {"title", "published", "source", "url", "language"} <= set(front), doc
        _published(doc)
        assert doc.stem in sources, f"{split / 'sources.csv'}: no row for {doc.stem}"
        assert sources[doc.stem]["licence"], f"{split / 'sources.csv'}: {doc.stem} has no licence"
