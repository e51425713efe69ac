"""Agreement packs: validate one, record a party's signature on it, list the bundled ones."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ceasefire import render
from ceasefire.cli import rows
from ceasefire.cli.console import err, out
from ceasefire.cli.listing import FormatOption, ListFormat, write
from ceasefire.cli.options import DbOption
from ceasefire.cli.root import group
from ceasefire.ledger.keys import load_private
from ceasefire.packs import bundled_packs, check_pack, load_pack
from ceasefire.packs.scaffold import new_pack
from ceasefire.packs.signatures import pack_hash, sign_pack, signature_status
from ceasefire.render import escape
from ceasefire.store import Store

pack_app = group("pack", "Validate and inspect agreement packs.")
PackArgument = Annotated[str, typer.Argument(help="Pack folder or bundled pack id")]


@pack_app.command("check")
def pack_check(
    ref: PackArgument,
    db: Annotated[str | None, typer.Option("--db", help="Also show parties' signatures stored in this database "
                                           "(SQLite file path or URL)")] = None,
) -> None:
    """Validate a pack and summarise it; every error names its file, line and field."""
    check = check_pack(ref)
    for error in check.errors:
        err.print(f"[red]error[/red] {escape(str(error))}")
    if check.pack is None:
        err.print(f"{len(check.errors)} error(s) in {check.path}")
        raise typer.Exit(1)
    render.pack_summary(out, check.pack)
    out.print(f"Pack text SHA-256 {pack_hash(check.pack)}", soft_wrap=True)
    if db:
        signatures = Store.open(db, create=False).pack_signatures(check.pack.agreement.id)
        render.pack_signatures(out, check.pack, signature_status(check.pack, signatures))


@pack_app.command("new")
def pack_new(
    pack_id: Annotated[str, typer.Argument(help="Id of the new pack: lower-case letters, digits and dashes")],
    dir: Annotated[Path, typer.Option("--dir", help="Folder to create the pack in")] = Path("."),
) -> None:
    """Create a pack folder with every file, commented, valid as it stands: edit it, then `pack check`."""
    folder = new_pack(pack_id, dir)
    out.print(f"Created {escape(str(folder))}: agreement.yaml, actors.yaml, sources.yaml, areas.yaml, "
              f"localities.yaml, weapons.yaml, lang.yaml, geometry/, README.md. Edit them, then run "
              f"`ceasefire pack check {escape(str(folder))}`.", soft_wrap=True)


@pack_app.command("sign")
def pack_sign(
    ref: PackArgument,
    party: Annotated[str, typer.Option(help="Actor id of the signing party")],
    key: Annotated[Path, typer.Option(help="The party's private key")],
    db: DbOption = None,
) -> None:
    """Record a party's Ed25519 signature on the hash of the pack's text."""
    pack = load_pack(ref)
    row = sign_pack(pack, party, load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")))
    Store.open(db).add_pack_signature(row)
    out.print(f"{escape(pack.actors[party].name)} signed {pack.agreement.id} (text SHA-256 {row['pack_sha256']}).",
              soft_wrap=True)


@pack_app.command("list")
def pack_list(format: FormatOption = ListFormat.TABLE) -> None:
    """List the packs bundled with ceasefire."""
    write(out, rows.packs(bundled_packs()), format)
