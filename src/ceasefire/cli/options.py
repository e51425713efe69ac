"""Options several commands share, with one meaning each, and the parsing of their values."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from ceasefire.intake import parse_timestamp
from ceasefire.model import AgreementPack, Verdict
from ceasefire.store.incident_query import IncidentQuery, ask

DbOption = Annotated[str | None, typer.Option(
    "--db", envvar="CEASEFIRE_DB", show_default="ceasefire.db",
    help="SQLite file path, sqlite:/// URL or postgresql:// URL")]
PackOption = Annotated[str | None, typer.Option("--pack", help="Agreement pack id or folder")]
# The incident filters `incidents list` and `export` share.
SinceOption = Annotated[str | None, typer.Option(help="Only incidents lasting into or beyond this date")]
UntilOption = Annotated[str | None, typer.Option(help="Only incidents begun on or before this date")]
AreaOption = Annotated[str | None, typer.Option(help="Pack area (id or name): the area and every area inside it")]
ActorOption = Annotated[str | None, typer.Option(help="Actor taking part (id or any of its names)")]
PartyOption = Annotated[str | None, typer.Option(help="Party (id or name), with its forces and proxies")]
VerdictOption = Annotated[Verdict | None, typer.Option(help="Verdict, after analyst reviews")]
ClauseOption = Annotated[str | None, typer.Option(help="Clause found violated or disputed (e.g. C1)")]


def timestamp(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time from an option, or a usage error naming what was expected."""
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def day(value: str | None) -> dt.date | None:
    found = timestamp(value)
    return found.date() if found else None


def incident_query(pack: AgreementPack, since: str | None, until: str | None, area: str | None,
                   actor: str | None, party: str | None, verdict: Verdict | None, clause: str | None) -> IncidentQuery:
    """The incident filters as the one ``IncidentQuery`` the store, the web and exports answer."""
    return ask(pack, since=day(since), until=day(until), area=area, actor=actor, party=party,
               verdict=verdict.value if verdict else None, clause=clause)
