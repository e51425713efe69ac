"""A GeoNames dump imported into the database lets extraction place villages cities500 lacks."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ceasefire.extract.extractor import Extractor
from ceasefire.pipeline import import_gazetteer
from ceasefire.store import Store
from tests.extract.helpers import events, report


def geonames_line(gid: int, name: str, alternates: str, lat: float, lon: float, fclass: str = "P",
                  code: str = "PPL", admin1: str = "12", population: int = 0) -> str:
    return "\t".join([str(gid), name, name, alternates, str(lat), str(lon), fclass, code, "SY", "", admin1, "",
                      "", "", str(population), "", "400", "Asia/Damascus", "2017-01-01"])


def write_dump(path: Path) -> Path:
    lines = [geonames_line(9_900_001, "Tall Tajribah", "Tal Tajriba,Tell Tajrbeh,تل تجربة", 35.81, 36.71),
             "not\ta\tgeonames\tline",
             geonames_line(9_900_002, "Wadi Tajribah", "", 35.8, 36.7, fclass="T", code="VAL"),
             geonames_line(9_900_003, "Some Road", "", 35.8, 36.7, fclass="R", code="RD")]
    text = path.with_suffix(".txt")
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(text, "SY.txt")
        archive.writestr("readme.txt", "GeoNames readme")
    return path


def test_import_keeps_good_lines_and_names_the_bad_one(store: Store, tmp_path: Path) -> None:
    result = import_gazetteer(store, write_dump(tmp_path / "SY.zip"))
    assert result.places == 2 and store.count_gazetteer() == 2
    (bad,) = result.rejected
    assert bad.line == 2 and "has 4 columns" in bad.reason
    again = import_gazetteer(store, tmp_path / "SY.txt")
    assert again.places == 2 and store.count_gazetteer() == 2  # replaced, not doubled


def test_imported_village_is_found_under_its_variants(store: Store, tmp_path: Path, syria_pack) -> None:
    text = "Warplanes struck Tell Tajrbeh in Idlib province on Monday, killing three people."
    before = events(Extractor(syria_pack).extract(report(text)))[0]
    assert before.place.geo_precision == 3  # unknown village: only its governorate
    import_gazetteer(store, write_dump(tmp_path / "SY.zip"))
    extractor = Extractor(syria_pack, imported_places=store.gazetteer_places(["SY"]))
    after = events(extractor.extract(report(text)))[0]
    assert (after.place.geonames_id, after.place.geo_precision) == (9_900_001, 1)
    assert after.place.admin1 == "Idlib" or after.place.admin1 is None
