"""A GeoNames dump imported into the database lets extraction place villages cities500 lacks."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from ceasefire.errors import IntakeError
from ceasefire.extract.extractor import Extractor
from ceasefire.extract.geonames import MAX_LINE_BYTES
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


def _zip_with_a_long_line(path: Path, length: int) -> Path:
    """A small zip holding a good line, one line of ``length`` bytes (it compresses to almost nothing), a good line."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("SY.txt", "w") as inner:
        inner.write((geonames_line(9_900_001, "Tall Tajribah", "", 35.81, 36.71) + "\n").encode())
        for _ in range(length // 2**20):
            inner.write(b"x" * 2**20)
        inner.write(("\n" + geonames_line(9_900_002, "Wadi Tajribah", "", 35.8, 36.7, fclass="T") + "\n").encode())
    return path


def test_one_endless_line_is_refused_without_reading_it_into_memory(store: Store, tmp_path: Path) -> None:
    path = _zip_with_a_long_line(tmp_path / "SY.zip", 64 * 2**20)
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    result = import_gazetteer(store, path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.places == 2 and store.count_gazetteer() == 2
    (refused,) = result.rejected
    assert refused.origin == f"{path}:2" and "longer than the limit of 65,536 bytes" in refused.reason
    assert peak < 16 * 2**20, f"the import peaked at {peak:,} bytes"


def test_a_line_just_within_the_limit_is_kept_with_the_line_after_it(store: Store, tmp_path: Path) -> None:
    line = geonames_line(9_900_001, "Tall Tajribah", "Tal Tajriba,", 35.81, 36.71)
    padded = line.replace("Tal Tajriba,", "Tal Tajriba," + "x" * (MAX_LINE_BYTES - len(line.encode())))
    assert len(padded.encode()) == MAX_LINE_BYTES
    path = tmp_path / "SY.txt"
    path.write_text(padded + "\n" + geonames_line(9_900_002, "Wadi Tajribah", "", 35.8, 36.7, fclass="T") + "\n")
    result = import_gazetteer(store, path)
    assert (result.places, result.rejected) == (2, [])


def _damaged(path: Path, damage: str) -> Path:
    write_dump(path)
    raw = bytearray(path.read_bytes())
    central = raw.index(b"PK\x01\x02")  # the first member's central directory record
    end = raw.index(b"PK\x05\x06")
    if damage == "encryption flag set":
        raw[central + 8] |= 1
    elif damage == "unknown compression method":
        raw[central + 10:central + 12] = (99).to_bytes(2, "little")
    else:  # the directory's offset moved, so the member's header lies before the file's start
        raw[end + 16:end + 20] = (int.from_bytes(raw[end + 16:end + 20], "little") + 10).to_bytes(4, "little")
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("damage", ["encryption flag set", "unknown compression method", "header before the start"])
def test_a_damaged_zip_is_an_intake_error_naming_the_file(store: Store, tmp_path: Path, damage: str) -> None:
    path = _damaged(tmp_path / "SY.zip", damage)
    with pytest.raises(IntakeError) as refused:
        import_gazetteer(store, path)
    assert str(refused.value).startswith(f"{path}: ") and "download it again" in str(refused.value)
