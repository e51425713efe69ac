"""Language data for extraction (``lang/<code>.yaml``), validated when it is loaded.

The file holds how a language describes violence, numbers, dates and attribution; nothing in
it is about one conflict (names of actors, places and outlets come from the agreement pack).
Lists keep the order they are written in: where several entries could match, the first wins.
A malformed file fails at load time, naming the line, the key and the fix, instead of failing
later inside a component with a ``KeyError``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ceasefire.errors import ExtractError
from ceasefire.model import ACLED_SUB_EVENT_TYPES, CEASEFIRE_TAGS, Side
from ceasefire.packs.yaml_source import YamlDocument, describe_yaml_error, field_name

Words = tuple[str, ...]


def _acled_sub_event(name: str) -> str:
    if name not in ACLED_SUB_EVENT_TYPES:
        raise ValueError(f"names {name!r}, which is not an ACLED sub-event type")
    return name


def _ceasefire_tag(name: str) -> str:
    if name not in CEASEFIRE_TAGS:
        raise ValueError(f"names {name!r}, which is not a ceasefire tag")
    return name


SubEvent = Annotated[str, AfterValidator(_acled_sub_event)]
Tag = Annotated[str, AfterValidator(_ceasefire_tag)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Trigger(_Section):
    """A word naming an act, and context words that turn it into another sub-event."""

    sub_event: SubEvent
    with_: dict[str, SubEvent] = Field(default_factory=dict, alias="with")


class FallbackSubEvent(_Section):
    civilians: SubEvent
    other: SubEvent


class Modality(_Section):
    denial: Words
    threat: Words
    future: Words
    hypothetical: Words
    threat_nouns: Words
    negative_determiners: Words
    denied_reports: Words = ()  # what a denial may name instead of the act ("denied the report")


class RoleWords(_Section):
    agent_prepositions: Words
    target_prepositions: Words
    pair_prepositions: Words
    targeting_verbs: Words
    member_words: Words
    sponsor_verbs: Words
    sponsor_prefixes: Words
    recipient_prepositions: Words
    reciprocal_triggers: Words = ()  # "X and Y clashed": Y is the other party, not X's ally


class RelativeSpan(_Section):
    days: int = Field(ge=0)
    precision: int = Field(ge=1, le=3)


class DateWords(_Section):
    """The words explicit dates are written with (hashable: the date patterns are cached by it)."""

    months: Words = Field(min_length=12, max_length=12)
    ordinal_suffixes: Words
    day_of: str
    month_prepositions: Words
    month_parts: Words
    mid: str
    last: str
    last_year: str
    times_of_day: Words


class WeaponWords(_Section):
    """How weapons are named: generic kinds, calibre units, ammunition words (issue 16)."""

    kinds: dict[str, str] = Field(min_length=1)
    calibre_units: dict[str, float]
    ammunition_words: Words
    max_count: int = Field(ge=1)


class CountWords(_Section):
    """Monitors' observations and tallies: who observes, what is counted, over which period."""

    monitor_words: Words
    observation_verbs: Words
    restriction_verbs: Words
    restriction_nouns: Words
    counted: dict[str, str] = Field(min_length=1)
    counting_verbs: Words
    times_words: Words
    since_words: Words
    periods: dict[str, int]


class LanguageData(_Section):
    """Everything in ``lang/<code>.yaml``; the file's comments say what each key is for."""

    triggers: dict[str, Trigger]
    generic_triggers: Words
    territory_sub_events: tuple[SubEvent, ...]
    weak_triggers: Words
    fallback_sub_event: FallbackSubEvent
    means: dict[str, SubEvent]
    hypothetical_modifiers: Words
    habitual_modifiers: Words
    support_heads: Words
    anaphoric_determiners: Words
    roles: RoleWords
    tags: dict[Tag, Words]
    modality: Modality
    according_words: Words
    origin_verbs: Words
    origin_generic: dict[str, str]
    numbers: dict[str, int]
    vague_numbers: dict[str, int]
    qualifiers: Words
    death_words: Words
    injury_words: Words
    no_casualty_phrases: Words
    civilian_words: Words
    fighter_words: Words
    multipliers: Words
    uncounted_numbers: Words
    uncounted_neighbours: Words
    part_markers: Words
    partitive: str
    open_qualifiers: Words
    generic_actors: dict[str, Side]
    # "the group", "they": the last actor named on one of these sides (none listed: any side)
    actor_anaphors: dict[str, tuple[Side, ...]] = Field(default_factory=dict)
    control_words: Words
    support_verbs: Words
    support_nouns: Words
    currency_words: dict[str, str]
    scale_words: dict[str, int]
    default_currency: str
    justification_words: Words
    dispute_words: Words
    agreement_words: Words
    speech_verbs: Words
    region_words: Words
    governorate_words: Words
    place_prepositions: Words
    name_followers: Words
    glued_articles: Words
    name_final_words: Words
    name_heads: Words = ()
    weekdays: Words = Field(min_length=7, max_length=7)
    relative_days: dict[str, int]
    relative_spans: dict[str, RelativeSpan]
    chain_days: dict[str, int] = Field(default_factory=dict)
    chain_units: dict[str, int] = Field(default_factory=dict)
    chain_later: Words = ()
    date_words: DateWords
    prefilter_extra: Words
    prefilter_support: Words
    weapons: WeaponWords
    counts: CountWords


def language_path(language: str = "en") -> Path:
    return Path(str(resources.files("ceasefire.extract") / "lang" / f"{language}.yaml"))


def language_data(language: str = "en") -> LanguageData:
    """The bundled language data for a language code ("en")."""
    return load_language(language_path(language))


def load_language(path: Path) -> LanguageData:
    """Read and validate one language file.

    Raises:
        ExtractError: the file is missing, is not YAML, or a key is missing, unknown or has a
            value of the wrong form; the message names the line, the key and the fix.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        bundled = sorted(p.stem for p in language_path().parent.glob("*.yaml"))
        raise ExtractError(f"No language data at {path}. Bundled languages: {', '.join(bundled)}.") from None
    try:
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        line, problem = describe_yaml_error(exc)
        raise ExtractError(f"{path.name}:{line}: is not valid YAML: {problem}. Fix the syntax on that line.") from exc
    except YAMLError as exc:
        raise ExtractError(f"{path.name}: is not valid YAML: {exc}. Fix the syntax.") from exc
    if not isinstance(data, dict):
        raise ExtractError(f"{path.name}: holds no mapping of keys. Start from the bundled {language_path()}.")
    try:
        return LanguageData.model_validate(data)
    except ValidationError as exc:
        raise _language_error(path, text, exc) from exc


def extend_language(base: LanguageData, path: Path) -> LanguageData:
    """The language data with an agreement pack's additions (its ``lang.yaml``): the same keys
    as the sections they extend; a mapping adds or replaces entries, a list adds words after
    the bundled ones.

    Raises:
        ExtractError: the file is not YAML, names a key the language data lacks, or gives a
            value of the wrong form; the message names the line, the key and the fix.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise ExtractError(f"{path}: is not valid YAML: {exc}. Fix the syntax.") from exc
    if not isinstance(data, dict):
        raise ExtractError(f"{path}: holds no mapping of keys. Give sections of {language_path().name}, "
                           f"e.g. `generic_actors:`.")
    try:
        return LanguageData.model_validate(_merged(base.model_dump(by_alias=True), data))
    except ValidationError as exc:
        raise _language_error(path, text, exc) from exc


def _merged(base: object, extra: object) -> object:
    if isinstance(base, dict) and isinstance(extra, dict):
        return {**base, **{key: _merged(base.get(key), value) if key in base else value
                           for key, value in extra.items()}}
    if isinstance(base, tuple | list) and isinstance(extra, list):
        return [*base, *(word for word in extra if word not in base)]
    return extra


def _language_error(path: Path, text: str, exc: ValidationError) -> ExtractError:
    """One line per problem: ``en.yaml:8: triggers.airstrike.sub_event is required but missing. Add it ...``"""
    document = YamlDocument(path, YAML(typ="rt").load(text))
    lines = []
    for error in exc.errors():
        loc = ["with" if key == "with_" else key for key in error["loc"] if key != "[key]"]
        problem, fix = _problem(error)
        # a missing top-level key has no line of its own (its parent is the whole file)
        where = path.name if error["type"] == "missing" and len(loc) == 1 else f"{path.name}:{document.line(loc)}"
        lines.append(f"{where}: {field_name(loc)} {problem}. {fix}.")
    return ExtractError("\n".join(lines))


def _problem(error: ErrorDetails) -> tuple[str, str]:
    kind, message = error["type"], error["msg"].removeprefix("Value error, ")
    if kind == "missing":
        return "is required but missing", "Add it (the bundled lang/en.yaml shows its form)"
    if kind == "extra_forbidden":
        return "is not a known key", "Remove it or check its spelling against the bundled lang/en.yaml"
    if "ACLED sub-event" in message:
        return message, "Use one of: " + ", ".join(sorted(ACLED_SUB_EVENT_TYPES))
    if "ceasefire tag" in message:
        return message, "Use one of: " + ", ".join(sorted(CEASEFIRE_TAGS))
    return f"is {error['input']!r}: {message[:1].lower()}{message[1:]}", "Correct the value"
