"""What a monitoring body signs and publishes: verify the ledger, sign checkpoints with its keys,
publish a bundle that verifies offline, write a monitoring report for a period."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer

from ceasefire.cli.console import err, out
from ceasefire.cli.options import DbOption, PackOption
from ceasefire.cli.root import app, group
from ceasefire.ledger.keys import load_private, new_key
from ceasefire.pipeline import checkpoint, publish, registered_pack, verify_ledger
from ceasefire.publish.bundle import read_checkpoint, read_trusted_key, verify_bundle
from ceasefire.publish.documents import ReportFormat, report_file
from ceasefire.render import escape
from ceasefire.store import Store

keys_app = group("keys", "Ed25519 keys for signing checkpoints.")
KeyOption = Annotated[Path, typer.Option(help="Private key file of the monitoring body")]
SignerOption = Annotated[str, typer.Option(help="Who signs, as readers will see it")]


@app.command("verify")
def verify_cmd(db: DbOption = None) -> None:
    """Recompute the ledger's hash chain and check every stored object against it."""
    records, head, problems = verify_ledger(Store.open(db, create=False))
    if problems:
        err.print(f"Ledger does not verify: {len(problems)} problem(s); the first is {escape(problems[0])}.")
        for problem in problems[1:20]:
            err.print(f"  {escape(problem)}")
        raise typer.Exit(1)
    out.print(f"Ledger verifies: {records} records, head {head}.", soft_wrap=True)


@app.command("checkpoint")
def checkpoint_cmd(key: KeyOption, signer: SignerOption = "monitoring body", db: DbOption = None) -> None:
    """Sign the ledger's Merkle root, and prove it extends the previous checkpoint (RFC 6962)."""
    store = Store.open(db, create=False)
    made = checkpoint(store, load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")), signer)
    out.print(f"Checkpoint #{made.id}: {made.size} records, Merkle root {made.root}, signed by {escape(signer)}.",
              soft_wrap=True)
    if made.previous:
        out.print(f"Extends checkpoint #{made.previous.id} ({made.previous.size} records): consistency proof "
                  f"of {made.proof_length} hashes verified.")


@keys_app.command("new")
def keys_new(
    name: Annotated[str, typer.Argument(help="Key name: NAME.key and NAME.pub are written")],
    folder: Annotated[Path, typer.Option("--out", help="Folder for the key files")] = Path("."),
    passphrase: Annotated[bool, typer.Option("--passphrase", help="Encrypt the private key (asks for it)")] = False,
) -> None:
    """Make an Ed25519 key pair; the private key file is readable by its owner only (0600)."""
    secret = typer.prompt("Passphrase", hide_input=True, confirmation_prompt=True) if passphrase else None
    private_path, public_path = new_key(name, folder, secret)
    out.print(f"Wrote {private_path} (mode 0600) and {public_path}.")


@app.command("publish")
def publish_cmd(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the bundle")],
    key: KeyOption,
    signer: SignerOption = "monitoring body",
    db: DbOption = None,
    pack: PackOption = None,
) -> None:
    """Write a signed bundle (GeoJSON, ACLED CSV, assessments, checkpoint) that verifies offline."""
    store = Store.open(db, create=False)
    files = publish(store, registered_pack(store, pack), out_dir,
                    load_private(key, os.environ.get("CEASEFIRE_KEY_PASSPHRASE")), signer)
    out.print(f"Wrote {len(files)} files to {out_dir}: {', '.join(files)}. Check with "
              f"`ceasefire verify-bundle {out_dir}`.", soft_wrap=True)


@app.command("verify-bundle")
def verify_bundle_cmd(
    folder: Annotated[Path, typer.Argument(help="A bundle written by `ceasefire publish`")],
    public_key: Annotated[Path | None, typer.Option(help="The signer's public key, obtained elsewhere")] = None,
    since_checkpoint: Annotated[Path | None, typer.Option(
        help="The checkpoint.json of the latest bundle you verified: refuse a bundle older than it or not "
             "extending it")] = None,
) -> None:
    """Check a published bundle offline, with no database; names any file that was changed."""
    known = read_checkpoint(since_checkpoint) if since_checkpoint else None
    check = verify_bundle(folder, read_trusted_key(public_key) if public_key else None, known)
    if check.problems:
        for problem in check.problems:
            err.print(f"[red]{escape(problem)}[/red]", soft_wrap=True)
        raise typer.Exit(1)
    trust = "the key you gave" if public_key else "the key inside the bundle (pass --public-key to check who signed)"
    out.print(f"Bundle verifies: {check.files} files match the signed manifest; signature checked with {trust}.",
              soft_wrap=True)
    if known:
        out.print(f"It extends the checkpoint you gave ({known.size} records).")


@app.command("report")
def report_cmd(
    start: Annotated[str, typer.Option("--from", help="First day of the period (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="Last day of the period (YYYY-MM-DD), included")],
    out_path: Annotated[Path, typer.Option("--out", help="File to write")],
    format: Annotated[ReportFormat, typer.Option("--format", help="html, md or pdf")] = ReportFormat.HTML,
    agreement: Annotated[str | None, typer.Option(help="Agreement (pack id) the report is about")] = None,
    db: DbOption = None,
) -> None:
    """Write a monitoring report for a period: counts against the previous period, map, daily chart,
    tables per clause, party and area, notable and disputed incidents, coverage, ledger checkpoint."""
    store = Store.open(db, create=False)
    files = report_file(store, registered_pack(store, agreement), _period_day(start, "--from"),
                        _period_day(end, "--to"), format, out_path)
    out.print(f"Wrote {', '.join(str(f) for f in files)}.", soft_wrap=True)


def _period_day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a day such as 2017-01-31, got {value!r}", param_hint=option) from None
