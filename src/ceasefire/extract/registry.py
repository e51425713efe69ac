"""Registered sentence components: each reads and writes declared attributes of a parsed Doc.

The shape is spaCy's: a component is built by a factory registered under a name, is a
callable from Doc to Doc, and declares what it reads (``requires``) and writes (``assigns``)
as attribute paths such as ``"doc._.events"`` or ``"token._.roles"``; the pipeline is checked
before any text runs, so a component placed before the one that assigns what it reads fails
at build time with the names of both (spaCy's ``pipe_analysis`` only warns).

Why a registry of our own rather than ``Language.factory``: spaCy refuses "." in factory names
(error E853), while ours are versioned as STYLE.md asks (``"ceasefire.roles.v1"``); and these
components run after ``nlp.pipe`` on each sentence of a report, once the Extractor has set the
report's facts on the Doc (``doc._.report``), so they need no place in the model's pipeline.
The two components that must run inside it (``ceasefire_names`` before the parser and
``ceasefire_tag_attributes``) stay spaCy factories. Values live in spaCy extension attributes
(``Doc.set_extension``), declared here with their types by :class:`DocAttr` and
:class:`TokenAttr`, so components read and write them typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

from spacy.tokens import Doc, Token

from ceasefire.errors import ExtractError

if TYPE_CHECKING:
    from ceasefire.extract.gazetteer import Gazetteer
    from ceasefire.extract.lexicon import Lexicon

T = TypeVar("T")
Component = Callable[[Doc], Doc]
Factory = Callable[["Lexicon", "Gazetteer"], Component]


class Declared(Protocol):
    """An attribute a component reads or writes, by its path."""

    @property
    def path(self) -> str: ...


# Values are read and written in ``Doc.user_data`` under the key spaCy's ``Underscore`` uses for
# ``doc._.name`` and ``token._.name``, so ``doc._.events`` shows them too; going through ``doc._``
# builds an ``Underscore`` object on every access, a tenth of the components' time.


class DocAttr(Generic[T]):
    """``doc._.<name>``: a value one component assigns to the whole sentence."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = f"doc._.{name}"
        self._key = ("._.", name, None, None)
        Doc.set_extension(name, default=None, force=True)

    def get(self, doc: Doc) -> T:
        return cast(T, _values(doc).get(self._key))

    def set(self, doc: Doc, value: T) -> None:
        _values(doc)[self._key] = value


class TokenAttr(Generic[T]):
    """``token._.<name>``: a value one component assigns to a token (an event's trigger)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = f"token._.{name}"
        Token.set_extension(name, default=None, force=True)

    def get(self, token: Token) -> T:
        return cast(T, _values(token.doc).get(("._.", self.name, token.idx, None)))

    def set(self, token: Token, value: T) -> None:
        _values(token.doc)[("._.", self.name, token.idx, None)] = value


def _values(doc: Doc) -> dict[tuple[str, str, int | None, None], Any]:
    return cast(dict[tuple[str, str, int | None, None], Any], doc.user_data)


@dataclass(frozen=True)
class Registration:
    name: str
    factory: Factory
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


REGISTERED: dict[str, Registration] = {}


def component(name: str, *, requires: Iterable[Declared | str],
              assigns: Iterable[Declared]) -> Callable[[Factory], Factory]:
    """Register a component factory under a versioned name ("ceasefire.roles.v1").

    Args:
        name: the registered name; a change of behaviour gets a new version.
        requires: attributes the component reads: declared ones, or spaCy's (``"token.dep"``).
        assigns: attributes the component writes.
    """

    def register(factory: Factory) -> Factory:
        REGISTERED[name] = Registration(name, factory, tuple(_path(r) for r in requires),
                                        tuple(a.path for a in assigns))
        return factory

    return register


def _path(attr: Declared | str) -> str:
    return attr if isinstance(attr, str) else attr.path


def check_order(names: Sequence[str], given: Iterable[str]) -> None:
    """Each component's requirements are assigned by an earlier component or ``given``.

    Raises:
        ExtractError: a name is not registered, or a component reads what nothing before it writes.
    """
    assigned = set(given)
    for position, name in enumerate(names):
        if name not in REGISTERED:
            raise ExtractError(f"No sentence component is registered as {name!r}. "
                               f"Registered: {', '.join(sorted(REGISTERED))}.")
        registration = REGISTERED[name]
        for needed in registration.requires:
            if needed not in assigned:
                raise ExtractError(_misordered(names, position, needed))
        assigned |= set(registration.assigns)


def _misordered(names: Sequence[str], position: int, needed: str) -> str:
    name = names[position]
    later = [n for n in names[position + 1:] if needed in REGISTERED[n].assigns]
    writers = [n for n, r in REGISTERED.items() if needed in r.assigns]
    if later:
        fix = f"Put {later[0]} before {name}."
    elif writers:
        fix = f"Add {writers[0]} before {name}."
    else:
        fix = "It comes from the spaCy pipeline or the Extractor; check the model and the parsed Doc."
    return (f"The sentence component {name} (position {position + 1}) reads {needed}, which no earlier "
            f"component assigns. {fix}")


def build(names: Sequence[str], lexicon: Lexicon, gazetteer: Gazetteer, given: Iterable[str]) -> list[Component]:
    """The components, in order, after checking the order (see :func:`check_order`)."""
    check_order(names, given)
    return [REGISTERED[name].factory(lexicon, gazetteer) for name in names]


def run(components: Sequence[Component], doc: Doc) -> Doc:
    for step in components:
        doc = step(doc)
    return doc
