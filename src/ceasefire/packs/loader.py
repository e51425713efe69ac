"""Load and validate agreement packs: schema first, then every cross-reference."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ceasefire.errors import PackError, PackNotFound
from ceasefire.model import Actor, Agreement, AgreementPack, Area, PackGeometry, Rule, Side, Source, WeaponTable
from ceasefire.packs.geometry import read_geometry
from ceasefire.packs.weapons import check_weapons
from ceasefire.packs.yaml_source import Loc, YamlDocument, read_yaml

PACK_FILES = ("agreement.yaml", "actors.yaml", "sources.yaml", "areas.yaml")
# Optional: a gazetteer supplement of localities, in the Area format, for places GeoNames lacks.
LOCALITIES = "localities.yaml"
# Optional: the pack's own words for the extractor (nouns for its sides, ...), in the form of the
# sections of ``extract/lang/<code>.yaml`` it extends; read and checked by ``extract.language``.
LANGUAGE = "lang.yaml"
BINDS_KEYWORDS = frozenset({"parties"} | {s.value for s in Side})
PROTECTS_KEYWORDS = frozenset({"covered", "civilians"} | {s.value for s in Side})


def bundled_packs() -> dict[str, Path]:
    """Ids and folders of the packs shipped inside the package."""
    root = Path(str(resources.files("ceasefire.packs")))
    return {p.name: p for p in sorted(root.iterdir())
            if (p / "agreement.yaml").is_file() and not p.name.startswith("_")}  # _template: `pack new`'s


def resolve_pack(ref: str | Path) -> Path:
    """A pack folder from a path or a bundled pack id.

    Raises:
        PackNotFound: ``ref`` is neither.
    """
    path = Path(ref)
    if (path / "agreement.yaml").is_file():
        return path
    bundled = bundled_packs()
    if str(ref) in bundled:
        return bundled[str(ref)]
    raise PackNotFound(str(ref), sorted(bundled))


@dataclass
class PackCheck:
    """The outcome of validating a pack: the pack when valid, and every error found."""

    path: Path
    pack: AgreementPack | None = None
    errors: list[PackError] = field(default_factory=list)


def check_pack(ref: str | Path) -> PackCheck:
    """Validate a pack and collect every error rather than stopping at the first."""
    path = resolve_pack(ref)
    check = PackCheck(path)
    docs: dict[str, YamlDocument] = {}
    optional = tuple(name for name in (LOCALITIES, LANGUAGE) if (path / name).is_file())
    for name in PACK_FILES + optional:
        try:
            docs[name] = read_yaml(path / name)
        except PackError as exc:
            check.errors.append(exc)
    if check.errors:
        return check
    agreement = _validate(docs["agreement.yaml"], (), Agreement, check.errors)
    registries = {
        key: _validate_list(docs[f"{key}.yaml"], key, model, check.errors)
        for key, model in (("actors", Actor), ("sources", Source), ("areas", Area), ("localities", Area))
        if f"{key}.yaml" in docs
    }
    geometry, geometry_errors = read_geometry(path, agreement.scope.countries if agreement else ())
    check.errors += geometry_errors
    check.errors += list(_repeated_area_ids(docs))
    check.errors += list(_reference_errors(docs, agreement, registries))
    weapons, weapon_errors = check_weapons(path)
    check.errors += weapon_errors
    if agreement is not None:
        check.errors += list(_zone_errors(docs["agreement.yaml"], agreement, geometry, weapons, path))
    if not check.errors and agreement is not None:
        registries = {key: [item for _, item in _valid(items)] for key, items in registries.items()}
        check.pack = AgreementPack(
            agreement=agreement,
            actors={a.id: a for a in registries["actors"]},
            sources={s.id: s for s in registries["sources"]},
            areas={a.id: a for a in registries["areas"] + registries.get("localities", [])},
            geometry=geometry,
            path=str(path),
            weapons=weapons,
        )
    return check


def load_pack(ref: str | Path) -> AgreementPack:
    """Load a valid pack.

    Raises:
        PackError: the first problem found; ``check_pack`` lists them all.
    """
    check = check_pack(ref)
    if check.pack is None:
        raise check.errors[0]
    return check.pack


def language_supplement(pack: AgreementPack) -> Path | None:
    """The pack's ``lang.yaml``, when it has one."""
    path = Path(pack.path) / LANGUAGE if pack.path else None
    return path if path is not None and path.is_file() else None


def _validate(doc: YamlDocument, loc: Loc, model: type[BaseModel], errors: list[PackError]) -> Any:
    data = doc.data
    for key in loc:
        data = data[key]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            where = (*loc, *err["loc"])
            problem = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                problem = "is required but missing"
            elif err["type"] == "extra_forbidden":
                problem = "is not a known field"
            errors.append(doc.error(where, problem, fix=_fix_for(err["type"])))
        return None


def _fix_for(error_type: str) -> str:
    return {
        "missing": "add it",
        "extra_forbidden": "remove it or check its spelling against the pack format",
        "enum": "use one of the listed values",
    }.get(error_type, "")


def _validate_list(doc: YamlDocument, key: str, model: type[BaseModel], errors: list[PackError]) -> list[Any]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        errors.append(doc.error((), f"must hold a list under '{key}:'", fix=f"start the file with '{key}:'"))
        return []
    items = [_validate(doc, (key, i), model, errors) for i in range(len(data[key]))]
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item is not None and item.id in seen:
            errors.append(doc.error((key, i, "id"), f"repeats id '{item.id}' of {key}[{seen[item.id]}]",
                                    fix="give each entry its own id"))
        elif item is not None:
            seen[item.id] = i
    return items


def _written_ids(doc: YamlDocument, key: str) -> set[str]:
    """Ids present in a registry file, including entries that failed validation."""
    items = doc.data.get(key) if isinstance(doc.data, dict) else None
    return {str(i["id"]) for i in items if isinstance(i, dict) and "id" in i} if isinstance(items, list) else set()


@dataclass
class _References:
    """Checks that an id written somewhere in the pack names an actor or area that exists."""

    docs: dict[str, YamlDocument]

    def __post_init__(self) -> None:
        self.actor_ids = _written_ids(self.docs["actors.yaml"], "actors")
        self.area_ids = _written_ids(self.docs["areas.yaml"], "areas")
        if LOCALITIES in self.docs:
            self.area_ids |= _written_ids(self.docs[LOCALITIES], "localities")

    def actor(self, file: str, loc: Loc, ref: str, keywords: frozenset[str] = frozenset()) -> Iterator[PackError]:
        if ref not in self.actor_ids and ref not in keywords:
            yield self.docs[file].error(loc, f"names unknown actor '{ref}'", fix="add it to actors.yaml or fix the id")

    def area(self, file: str, loc: Loc, ref: str) -> Iterator[PackError]:
        if ref not in self.area_ids:
            yield self.docs[file].error(loc, f"names unknown area '{ref}'", fix="add it to areas.yaml or fix the id")


def _valid(items: list[Any]) -> Iterator[tuple[int, Any]]:
    """(position in the file, entry) for the entries that passed validation."""
    return ((i, item) for i, item in enumerate(items) if item is not None)


def _repeated_area_ids(docs: dict[str, YamlDocument]) -> Iterator[PackError]:
    if LOCALITIES not in docs:
        return
    area_ids = _written_ids(docs["areas.yaml"], "areas")
    data = docs[LOCALITIES].data
    items = data.get("localities") if isinstance(data, dict) else None
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and item.get("id") in area_ids:
            yield docs[LOCALITIES].error(("localities", i, "id"), f"repeats area id '{item['id']}' of areas.yaml",
                                         fix="give the locality its own id")


def _reference_errors(
    docs: dict[str, YamlDocument], agreement: Agreement | None, registries: dict[str, list[Any]]
) -> Iterator[PackError]:
    refs = _References(docs)
    for i, actor in _valid(registries["actors"]):
        if actor.parent:
            yield from refs.actor("actors.yaml", ("actors", i, "parent"), actor.parent)
        for j, link in enumerate(actor.sponsors):
            yield from refs.actor("actors.yaml", ("actors", i, "sponsors", j, "sponsor"), link.sponsor)
    yield from _loop_errors(docs["actors.yaml"], registries["actors"])
    for i, source in _valid(registries["sources"]):
        if source.affiliation:
            yield from refs.actor("sources.yaml", ("sources", i, "affiliation", "actor"), source.affiliation.actor)
    for file, key in (("areas.yaml", "areas"), (LOCALITIES, "localities")):
        for i, area in _valid(registries.get(key, [])):
            if area.parent:
                yield from refs.area(file, (key, i, "parent"), area.parent)
            for j, control in enumerate(area.control):
                yield from refs.actor(file, (key, i, "control", j, "holder"), control.holder)
    if agreement is not None:
        yield from _agreement_reference_errors(refs, agreement)


def _agreement_reference_errors(refs: _References, agreement: Agreement) -> Iterator[PackError]:
    file = "agreement.yaml"
    for i, party in enumerate(agreement.parties):
        yield from refs.actor(file, ("parties", i, "actor"), party.actor)
    for i, guarantor in enumerate(agreement.guarantors):
        yield from refs.actor(file, ("guarantors", i, "actor"), guarantor.actor)
    for key in ("include_areas", "exclude_areas"):
        for i, area in enumerate(getattr(agreement.scope, key)):
            yield from refs.area(file, ("scope", key, i), area)
    for i, clause in enumerate(agreement.clauses):
        rules: list[tuple[Loc, Rule]] = [(("clauses", i, "rule"), clause.rule)] if clause.rule else []
        for j, reading in enumerate(clause.readings):
            for k, holder in enumerate(reading.held_by):
                yield from refs.actor(file, ("clauses", i, "readings", j, "held_by", k), holder)
            rules.append((("clauses", i, "readings", j, "rule"), reading.rule))
        for loc, rule in rules:
            for key, keywords in (("binds", BINDS_KEYWORDS), ("protects", PROTECTS_KEYWORDS), ("actors", frozenset())):
                for k, ref in enumerate(getattr(rule, key)):
                    yield from refs.actor(file, (*loc, key, k), ref, keywords)


def _loop_errors(doc: YamlDocument, items: list[Actor | None]) -> Iterator[PackError]:
    """A sponsor or parent chain that leads back to where it started."""
    actors = {a.id: a for _, a in _valid(items)}
    reported: set[frozenset[str]] = set()
    for i, actor in _valid(items):
        links: list[tuple[Loc, str]] = [(("actors", i, "parent"), actor.parent)] if actor.parent else []
        links += [(("actors", i, "sponsors", j, "sponsor"), s.sponsor) for j, s in enumerate(actor.sponsors)]
        for loc, target in links:
            path = _path_back(target, actor.id, actors)
            if path is not None and frozenset(path) not in reported:
                reported.add(frozenset(path))
                chain = " -> ".join([actor.id, *path])
                yield doc.error(loc, f"makes a sponsor chain that loops: {chain}",
                                fix="remove one link of the loop")


def _path_back(start: str, goal: str, actors: dict[str, Actor]) -> list[str] | None:
    """Shortest chain of parent/sponsor links from ``start`` to ``goal``, if any."""
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        if path[-1] == goal:
            return path
        actor = actors.get(path[-1])
        if actor is None:
            continue
        for nxt in ([actor.parent] if actor.parent else []) + [s.sponsor for s in actor.sponsors]:
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return None


def _zone_errors(doc: YamlDocument, agreement: Agreement, geometry: dict[str, PackGeometry], weapons: WeaponTable,
                 path: Path) -> Iterator[PackError]:
    """Zone rules name a pack geometry and weapon classes of weapons.yaml; clauses name a known instrument."""
    classes = {c.id for c in weapons.classes}
    instruments = {i.id for i in agreement.instruments}
    for i, clause in enumerate(agreement.clauses):
        if clause.instrument is not None and clause.instrument not in instruments:
            yield doc.error(("clauses", i, "instrument"), f"names unknown instrument '{clause.instrument}'",
                            fix=f"add it under instruments: or use one of {sorted(instruments) or 'none yet'}")
        rules: list[tuple[Loc, Rule | None]] = [(("clauses", i, "rule"), clause.rule)]
        rules += [(("clauses", i, "readings", j, "rule"), r.rule) for j, r in enumerate(clause.readings)]
        for loc, rule in rules:
            if rule is None or rule.zone is None:
                continue
            if rule.zone.line not in geometry:
                yield doc.error((*loc, "zone", "line"), f"names unknown geometry '{rule.zone.line}'",
                                fix=f"add {path / 'geometry' / rule.zone.line}.geojson or use one of "
                                    f"{sorted(geometry) or 'none yet'}")
            for k, name in enumerate(rule.zone.weapon_classes):
                if name not in classes:
                    yield doc.error((*loc, "zone", "weapon_classes", k), f"names unknown weapon class '{name}'",
                                    fix=f"add it to weapons.yaml under classes: or use one of "
                                        f"{sorted(classes) or 'none yet'}")
            if rule.zone.line in geometry and rule.zone.side and geometry[rule.zone.line].kind != "line":
                yield doc.error((*loc, "zone", "side"), f"names a side of '{rule.zone.line}', which is a "
                                f"{geometry[rule.zone.line].kind}, not a line", fix="remove side")
