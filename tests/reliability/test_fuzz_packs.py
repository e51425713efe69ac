"""Broken agreement packs: the loader answers with a valid pack or with PackErrors that name
the file (and line), never with another exception; unknown actors and sponsor loops are named."""

from __future__ import annotations

import copy
import io
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ceasefire.errors import PackError
from ceasefire.packs import check_pack
from ceasefire.packs.loader import PACK_FILES
from tests.conftest import FIXTURES
from tests.reliability.fuzzing import HUGE_NUMBERS, TRICKY_DATES, damaged, fuzz
from tests.reliability.tally import Tally

TINY = FIXTURES / "tiny-pack"
PLAIN = {name: YAML(typ="safe").load((TINY / name).read_text()) for name in PACK_FILES}
ACTOR_IDS = [a["id"] for a in PLAIN["actors.yaml"]["actors"]]
WRONG_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.sampled_from(TRICKY_DATES + HUGE_NUMBERS),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=20), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["id", "x"]), st.integers(), max_size=2))


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a YAML document where a value sits."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield (*prefix, key)
        yield from paths(child, (*prefix, key))


def put(data: Any, where: tuple[Any, ...], value: Any) -> None:
    for key in where[:-1]:
        data = data[key]
    data[where[-1]] = value


@st.composite
def wrong_types(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """One to three values anywhere in the pack replaced by a value of another type."""
    docs = copy.deepcopy(PLAIN)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(PACK_FILES))
        where = draw(st.sampled_from([()] + list(paths(docs[name]))))
        if where:
            put(docs[name], where, draw(WRONG_VALUES))
        else:
            docs[name] = draw(WRONG_VALUES)
    return docs, "wrong type"


@st.composite
def sponsor_graph(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """Random parent and sponsor links between the pack's actors, loops allowed, unknown ids mixed in."""
    docs = copy.deepcopy(PLAIN)
    targets = st.sampled_from([*ACTOR_IDS, "ghost-army", "Red-Army"])
    for actor in docs["actors.yaml"]["actors"]:
        actor.pop("parent", None)
        actor["sponsors"] = [{"sponsor": s, "sources": ["https://example.org/s"]}
                             for s in draw(st.lists(targets, max_size=2, unique=True))]
        if draw(st.booleans()):
            actor["parent"] = draw(targets)
    return docs, "sponsor graph"


def write(docs: dict[str, Any], folder: Path) -> None:
    for name, data in docs.items():
        stream = io.StringIO()
        YAML(typ="safe").dump(data, stream)
        (folder / name).write_text(stream.getvalue())


def loops(actors: list[dict[str, Any]]) -> bool:
    """Whether parent/sponsor links among known actors make a cycle."""
    links = {a["id"]: {s["sponsor"] for s in a["sponsors"]} | ({a["parent"]} if a.get("parent") else set())
             for a in actors}
    state: dict[str, int] = {}

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2 or node not in links:
            return False
        state[node] = 1
        found = any(visit(n) for n in links[node])
        state[node] = 2
        return found

    return any(visit(a) for a in links)


def checked(folder: Path) -> list[PackError]:
    """The pack's errors; asserts each is a PackError naming one of the pack's files."""
    check = check_pack(folder)
    assert (check.pack is None) == bool(check.errors)
    for error in check.errors:
        assert isinstance(error, PackError)
        assert str(error).split(":", 1)[0].split(" ")[0] in {*PACK_FILES, str(folder)}, str(error)
    return check.errors


@fuzz(100)
@given(case=st.one_of(wrong_types(), sponsor_graph()))
def test_broken_packs_give_named_pack_errors(tally: Tally, case: tuple[dict[str, Any], str]) -> None:
    """Packs with values of the wrong type anywhere, unknown actors, and random (looping) sponsor chains"""
    docs, kind = case
    with tempfile.TemporaryDirectory() as tmp:
        write(docs, Path(tmp))
        errors = checked(Path(tmp))
    messages = " ".join(map(str, errors))
    if kind == "sponsor graph":
        assert loops(docs["actors.yaml"]["actors"]) == ("makes a sponsor chain that loops" in messages)
        unknown = {link["sponsor"] for a in docs["actors.yaml"]["actors"] for link in a["sponsors"]} - set(ACTOR_IDS)
        for ref in unknown:
            assert f"names unknown actor '{ref}'" in messages
    tally.case(**{f"{kind}: {'pack_errors' if errors else 'valid'}": 1})


@fuzz(100)
@given(name=st.sampled_from(PACK_FILES), data=st.data())
def test_damaged_pack_files_give_named_pack_errors(tally: Tally, name: str, data: st.DataObject) -> None:
    """Pack YAML files truncated, compressed, spliced with junk, re-encoded (Windows-1256), nested deep"""
    how, raw = data.draw(damaged((TINY / name).read_bytes()))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(TINY, Path(tmp) / "pack"))
        (folder / name).write_bytes(raw)
        errors = checked(folder)
    tally.case(**{f"{how}: {'pack_errors' if errors else 'valid'}": 1})
