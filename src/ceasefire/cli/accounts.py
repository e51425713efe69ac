"""People: web accounts and their API tokens, reviewers and their affiliations, observers and
their keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.console import out
from ceasefire.cli.options import DbOption
from ceasefire.cli.root import group
from ceasefire.render import escape
from ceasefire.store import Store

user_app = group("user", "Web accounts: observers, analysts and admins.")
reviewer_app = group("reviewer", "Analysts who review verdicts, and their affiliations.")
observer_app = group("observer", "Observers whose signed submissions are accepted.")
UserArgument = Annotated[str, typer.Argument(help="User name")]


@user_app.command("add")
def user_add(
    name: UserArgument,
    role: Annotated[str, typer.Option(help="observer, analyst or admin")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True,
                                          envvar="CEASEFIRE_PASSWORD", help="At least 10 characters")],
    db: DbOption = None,
) -> None:
    """Create a web account, or change its role and password (which signs it out everywhere and revokes
    its API tokens); the password is stored as argon2id."""
    from ceasefire.web.accounts import add_user

    ended = add_user(Store.open(db), name, role, password)
    ending = f"; their {_ended(ended.tokens, ended.sessions)} were ended" if ended else ""
    out.print(f"User {escape(name)} saved as {role}{ending}.")


@user_app.command("remove")
def user_remove(name: UserArgument, db: DbOption = None) -> None:
    """Delete a web account; its sessions and API tokens end with it."""
    from ceasefire.web.accounts import remove_user

    ended = remove_user(Store.open(db, create=False), name)
    out.print(f"Removed user {escape(name)}" + (f"; their {_ended(ended.tokens, ended.sessions)} were ended."
                                                  if ended.tokens or ended.sessions else "."))


@user_app.command("token")
def user_token(
    name: UserArgument,
    revoke: Annotated[bool, typer.Option("--revoke", help="End every API token of the user instead")] = False,
    db: DbOption = None,
) -> None:
    """A new API token with the user's role (shown once: only its hash is kept), or --revoke them all."""
    from ceasefire.web.accounts import new_api_token, revoke_api_tokens

    store = Store.open(db, create=False)
    if revoke:
        count = revoke_api_tokens(store, name)
        out.print(f"Revoked {count} API token{'s' * (count != 1)} of {escape(name)}.")
    else:
        out.print(new_api_token(store, name))


def _ended(tokens: int, sessions: int) -> str:
    return f"{tokens} API token{'s' * (tokens != 1)} and {sessions} session{'s' * (sessions != 1)}"


@reviewer_app.command("add")
def reviewer_add(
    name: Annotated[str, typer.Argument(help="Reviewer name")],
    affiliation: Annotated[str | None, typer.Option(help="Actor id the reviewer is affiliated with")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="May record justifications")] = False,
    db: DbOption = None,
) -> None:
    """Register a reviewer and the actor they are affiliated with, if any."""
    Store.open(db).add_reviewer(name, affiliation, admin)
    out.print(f"Reviewer {escape(name)} registered" + (f", affiliated with {affiliation}" if affiliation else "")
              + (", admin" if admin else "") + ".")


@observer_app.command("add")
def observer_add(
    name: Annotated[str, typer.Argument(help="Observer name, as their submissions give it")],
    public_key: Annotated[Path, typer.Option(help="The observer's Ed25519 public key (PEM)")],
    db: DbOption = None,
) -> None:
    """Register an observer's public key; their submissions must be signed with the matching key."""
    Store.open(db).add_observer(name, public_key.read_text())
    out.print(f"Observer {escape(name)} registered; unsigned or badly signed submissions in their name are refused.")
