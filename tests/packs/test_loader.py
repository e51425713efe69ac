from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.errors import PackError, PackNotFound
from ceasefire.packs import bundled_packs, check_pack, load_pack


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def only_error(pack: Path) -> PackError:
    check = check_pack(pack)
    assert check.pack is None
    assert len(check.errors) == 1, [str(e) for e in check.errors]
    return check.errors[0]


def test_tiny_pack_loads_with_registries(tiny_pack: Path) -> None:
    pack = load_pack(tiny_pack)
    assert pack.agreement.id == "tiny-truce"
    assert set(pack.actors) == {"red-army", "blue-militia", "green-state", "black-band", "grey-band"}
    assert pack.sources["red-tv"].affiliation.actor == "red-army"
    assert pack.areas["north-valley"].control[0].holder == "blue-militia"


def test_unknown_actor_names_file_line_field_and_fix(tiny_pack: Path) -> None:
    agreement = tiny_pack / "agreement.yaml"
    replace_in(agreement, "- actor: blue-militia", "- actor: blue-milita")
    error = only_error(tiny_pack)
    line = line_of(agreement, "blue-milita")
    assert str(error) == (f"agreement.yaml:{line}: parties[1].actor names unknown actor 'blue-milita'. "
                          "Add it to actors.yaml or fix the id.")


def test_unknown_actor_inside_a_reading(tiny_pack: Path) -> None:
    agreement = tiny_pack / "agreement.yaml"
    replace_in(agreement, "actors: [black-band]}", "actors: [black-bnd]}")
    error = only_error(tiny_pack)
    assert error.line == line_of(agreement, "black-bnd")
    assert error.field == "clauses[1].readings[1].rule.actors[0]"


def test_sponsor_chain_that_loops_is_named(tiny_pack: Path) -> None:
    actors = tiny_pack / "actors.yaml"
    replace_in(actors, "    side: foreign_state\n",
               "    side: foreign_state\n    sponsors:\n      - sponsor: red-army\n"
               "        sources: [https://example.org/x]\n")
    error = only_error(tiny_pack)
    assert "makes a sponsor chain that loops: red-army -> green-state -> red-army" in str(error)
    assert error.path == "actors.yaml" and error.line == line_of(actors, "sponsor: green-state")


def test_time_range_that_ends_before_it_starts(tiny_pack: Path) -> None:
    areas = tiny_pack / "areas.yaml"
    replace_in(areas, "to: 2020-02-01", "to: 2019-02-01")
    error = only_error(tiny_pack)
    assert error.line == line_of(areas, "to: 2019-02-01")
    assert error.field == "areas[0].control[0].to"
    assert "ends (2019-02-01) before the range starts (2019-06-01)" in str(error)


def test_clause_that_names_no_rule(tiny_pack: Path) -> None:
    agreement = tiny_pack / "agreement.yaml"
    text = agreement.read_text()
    start = text.index("    rule:\n      effect: prohibit")
    end = text.index("    sources:", start)
    agreement.write_text(text[:start] + text[end:])
    error = only_error(tiny_pack)
    assert error.field == "clauses[0]"
    assert error.line == line_of(agreement, "- id: C1")
    assert "names no rule" in str(error)


def test_effective_before_announced(tiny_pack: Path) -> None:
    replace_in(tiny_pack / "agreement.yaml", 'effective: "2020-01-02', 'effective: "2019-12-02')
    error = only_error(tiny_pack)
    assert error.field == "effective" and error.line == 4
    assert "is before announced" in str(error)


def test_naive_effective_time_is_refused(tiny_pack: Path) -> None:
    replace_in(tiny_pack / "agreement.yaml", '"2020-01-02T00:00:00+00:00"', '"2020-01-02T00:00:00"')
    error = only_error(tiny_pack)
    assert error.field == "effective" and "timezone" in str(error)


def test_yaml_syntax_error_names_its_line(tiny_pack: Path) -> None:
    replace_in(tiny_pack / "sources.yaml", "    kind: state_media", "    kind: [state_media")
    error = only_error(tiny_pack)
    assert error.path == "sources.yaml"
    assert error.line == 12
    assert "is not valid YAML: while parsing a flow sequence (from line 11)" in str(error)


def test_unknown_field_and_bad_enum_each_reported(tiny_pack: Path) -> None:
    replace_in(tiny_pack / "actors.yaml", "    kind: rebel_group", "    kind: rebels\n    colour: blue")
    errors = check_pack(tiny_pack).errors
    messages = [str(e) for e in errors]
    assert len(messages) == 2
    assert any("actors.yaml:16: actors[1].colour is not a known field" in m for m in messages)
    assert any("actors.yaml:15: actors[1].kind Input should be 'state'" in m for m in messages)


def test_missing_source_url_is_an_error(tiny_pack: Path) -> None:
    areas = tiny_pack / "areas.yaml"
    areas.write_text(areas.read_text().rstrip("\n").removesuffix("[https://example.org/valley]") + "[]\n")
    error = only_error(tiny_pack)
    assert error.field == "areas[0].sources"


def test_missing_pack_file(tiny_pack: Path) -> None:
    (tiny_pack / "areas.yaml").unlink()
    error = only_error(tiny_pack)
    assert str(error).startswith("areas.yaml: is missing.")


def test_unknown_pack_reference_lists_bundled_ids() -> None:
    with pytest.raises(PackNotFound, match="syria-2016-12-30"):
        load_pack("no-such-pack")


def test_every_bundled_pack_is_valid() -> None:
    packs = bundled_packs()
    assert "syria-2016-12-30" in packs
    for path in packs.values():
        check = check_pack(path)
        assert check.errors == [], [str(e) for e in check.errors]


def test_localities_supplement_joins_the_areas(tiny_pack: Path) -> None:
    (tiny_pack / "localities.yaml").write_text(
        "localities:\n  - id: red-village\n    name: Red Village\n    aliases: [Qaryat al-Ahmar]\n"
        "    kind: locality\n    country: XX\n    parent: north-valley\n    latitude: 10.6\n    longitude: 20.3\n"
        "    sources: [https://example.org/v]\n")
    pack = load_pack(tiny_pack)
    assert pack.areas["red-village"].parent == "north-valley"


def test_locality_repeating_an_area_id_is_an_error(tiny_pack: Path) -> None:
    (tiny_pack / "localities.yaml").write_text(
        "localities:\n  - id: north-valley\n    name: X\n    kind: locality\n    country: XX\n"
        "    latitude: 10.6\n    longitude: 20.3\n    parent: nowhere\n    sources: [https://example.org/v]\n")
    messages = [str(e) for e in check_pack(tiny_pack).errors]
    assert "localities.yaml:2: localities[0].id repeats area id 'north-valley' of areas.yaml. " \
           "Give the locality its own id." in messages
    assert any("localities.yaml:8: localities[0].parent names unknown area 'nowhere'" in m for m in messages)


def test_line_numbers_stay_right_after_an_invalid_entry(tiny_pack: Path) -> None:
    actors = tiny_pack / "actors.yaml"
    replace_in(actors, "    kind: rebel_group", "    kind: rebels")
    replace_in(actors, "    name: Grey Band\n", "    name: Grey Band\n    parent: nope\n")
    errors = {e.field: e.line for e in check_pack(tiny_pack).errors}
    assert errors["actors[4].parent"] == line_of(actors, "parent: nope")


def test_parties_sign_the_pack_text_and_an_edit_voids_it(tiny_pack: Path, tmp_path: Path) -> None:
    from ceasefire.errors import PackError as Refused
    from ceasefire.ledger.keys import load_private, new_key
    from ceasefire.packs.signatures import sign_pack, signature_status
    from ceasefire.store import Store

    key = load_private(new_key("red", tmp_path / "keys")[0])
    store = Store.memory()
    store.add_pack_signature(sign_pack(load_pack(tiny_pack), "red-army", key))
    stored = store.pack_signatures(load_pack(tiny_pack).agreement.id)
    ((status),) = signature_status(load_pack(tiny_pack), stored)
    assert status.valid and status.current
    replace_in(tiny_pack / "agreement.yaml", "The parties stop attacking each other.", "The parties may attack.")
    ((later),) = signature_status(load_pack(tiny_pack), stored)
    assert later.valid and not later.current
    with pytest.raises(Refused, match="does not list 'green-state'"):
        sign_pack(load_pack(tiny_pack), "green-state", key)
