"""Nothing about a conflict lives in code: names, places and aliases of a conflict belong in its
pack (src/ceasefire/packs/<pack-id>/), so monitoring another ceasefire means writing a pack."""

from __future__ import annotations

import re
from pathlib import Path

from ceasefire.packs import bundled_packs

SRC = Path(__file__).resolve().parents[1] / "src" / "ceasefire"
PACKS = SRC / "packs"
# Names of the two bundled conflicts and their places, parties and peoples; stems catch their
# adjectives ("Syrian", "Ukrainian", "Russian").
CONFLICT_NAMES = [
    "syria", "damascus", "aleppo", "idlib", "ghouta", "douma", "homs", "hama", "raqqa", "deir ez", "wadi barada",
    "assad", "hezbollah", "nusra", "fateh al-sham", "tahrir al-sham", "ahrar", "astana", "daesh", "isis",
    "ukrain", "donetsk", "luhansk", "lugansk", "donbas", "minsk", "debaltseve", "mariupol", "kramatorsk",
    "kyiv", "kiev", "crimea", "novorossiya", "osce", "russia", "turkey", "turkish", "iran", "moscow", "ankara",
]
PATTERN = re.compile(r"\b(" + "|".join(re.escape(n) for n in CONFLICT_NAMES) + r")", re.IGNORECASE)


def bundled_pack_folders() -> set[Path]:
    return set(bundled_packs().values())  # not the template of `pack new`: it must stay neutral


def test_no_conflict_name_in_code_or_generic_data() -> None:
    packs = bundled_pack_folders()
    assert len(packs) >= 2, "the bundled packs moved: fix PACKS"
    hits = []
    for path in sorted(p for p in SRC.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".png", ".ico")):
        if any(folder in path.parents for folder in packs):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if match := PATTERN.search(line):
                hits.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)!r} in {line.strip()[:100]}")
    assert not hits, "conflict names outside the packs (move them into a pack, or make the example neutral):\n" + (
        "\n".join(hits))


def test_the_check_finds_a_name_where_it_should() -> None:
    assert PATTERN.search("Syrian army shelled the town") and PATTERN.search("near Kiev")
    assert not PATTERN.search("a chamaeleon")  # a name must start a word
