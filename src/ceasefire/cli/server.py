"""The web app: serve a database, or build the demo database and serve it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ceasefire import render
from ceasefire.cli.console import err, out
from ceasefire.cli.options import DbOption, PackOption
from ceasefire.cli.root import app
from ceasefire.demo import DEMO_DB, Demo, build_demo, choose_demo
from ceasefire.errors import CeasefireError
from ceasefire.model import AgreementPack
from ceasefire.pipeline import registered_pack
from ceasefire.store import Store
from ceasefire.web import OSM_TILES

if TYPE_CHECKING:
    from ceasefire.web.app import Settings

PortOption = Annotated[int, typer.Option(help="Port for the web app")]


@app.command("demo")
def demo(
    db: Annotated[str, typer.Option(help="Demo database: SQLite file path or URL, as --db everywhere; never "
                                    "$CEASEFIRE_DB, since a SQLite file is rebuilt on each run")] = DEMO_DB,
    corpus: Annotated[Path | None, typer.Option(help="Demo corpus folder", show_default="the pack's, from "
                                                "examples/demos.yaml")] = None,
    pack: Annotated[str | None, typer.Option(help="Agreement pack id or folder", show_default="the first of "
                                             "examples/demos.yaml")] = None,
    serve: Annotated[bool, typer.Option(help="Serve the web app at the end (--no-serve for scripts)")] = True,
    port: PortOption = 8000,
) -> None:
    """Build the demo database from a bundled pack and its demo corpus, show it, and serve it."""
    chosen = choose_demo(pack, corpus)
    with Progress(SpinnerColumn(), TextColumn("demo: {task.description} {task.completed}"), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("", total=None)
        built = build_demo(db, chosen.corpus, chosen.pack, progress=lambda stage, done, _total: bar.update(
            task, description=stage, completed=done))
    _show_demo(built)
    if serve:
        from ceasefire.web.app import Settings

        _serve(built.store, built.pack, "127.0.0.1", port, Settings())


def _show_demo(built: Demo) -> None:
    db = built.db
    render.pack_summary(out, built.pack, brief=True)
    render.ingest_result(out, built.ingested)
    render.extract_result(out, built.extracted)
    render.verify_result(out, built.clustered)
    render.verdict_counts(out, built.verdicts)
    render.store_overview(out, built.store, db)
    out.print(f"Ledger: {built.ledger_records} records, head {built.ledger_head[:16]}…, "
              f"{'verifies' if not built.ledger_problems else 'BROKEN'} (`ceasefire verify --db {db}`).",
              soft_wrap=True)
    out.print(f"Checkpoint #{built.checkpoint.id} signed with {built.key}: Merkle root {built.checkpoint.root[:16]}… "
              f"over {built.checkpoint.size} records.", soft_wrap=True)
    check, public = built.bundle_check, built.key.with_suffix(".pub")
    out.print(f"Published {built.bundle} ({check.files} signed files) and checked it offline: "
              f"{'verifies' if not check.problems else 'FAILS: ' + '; '.join(check.problems)} "
              f"(`ceasefire verify-bundle {built.bundle} --public-key {public}`).", soft_wrap=True)
    start, end = built.report_period
    out.print(f"Wrote {', '.join(str(f) for f in built.outputs)} (`ceasefire report --from {start} --to {end} "
              f"--format pdf --out report.pdf --db {db}`, `ceasefire export --format acled-csv --out - --db {db}`).",
              soft_wrap=True)
    out.print("Web accounts for this demo (passwords are new on every run):")
    for account in built.accounts:
        out.print(f"  {account.role:<9} name {account.name}  password {account.password}")


@app.command("serve")
def serve_cmd(
    db: DbOption = None,
    pack: PackOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    tiles: Annotated[str, typer.Option(help="Web map tile URL template; '' for the offline outline only")]
    = OSM_TILES,
    secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure (behind HTTPS)")] = False,
) -> None:
    """Serve the map, timeline, incident pages, observer form and /api/v1 (OpenAPI at /api/docs)."""
    from ceasefire.web.app import Settings

    store = Store.open(db, create=False)
    monitored = store.agreements()  # several: the first registered is shown first, the switch offers the others
    first = monitored[0].id if len(monitored) > 1 and pack is None else pack
    _serve(store, registered_pack(store, first), host, port, Settings(
        secret_key=os.environ.get("CEASEFIRE_SECRET_KEY", ""), tiles=tiles, secure_cookies=secure_cookies))


def _serve(store: Store, pack: AgreementPack, host: str, port: int, settings: Settings) -> None:
    import socket

    import uvicorn

    from ceasefire.web.app import create_app

    with socket.socket() as probe:
        # As uvicorn binds: connections the last server closed (TIME_WAIT) must not block a restart.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CeasefireError(f"Cannot listen on {host}:{port} ({exc.strerror}): another program, perhaps "
                                 "another `ceasefire serve`, uses it. Stop it or pass --port N.") from None
    if not settings.secret_key:
        err.print("Note: sessions end when the server stops; set CEASEFIRE_SECRET_KEY to keep them.")
    out.print(f"Serving {pack.agreement.id} at http://{host}:{port}/ (API: http://{host}:{port}/api/docs). "
              "Ctrl-C stops.", soft_wrap=True)
    uvicorn.run(create_app(store, pack, settings), host=host, port=port, log_level="warning")
