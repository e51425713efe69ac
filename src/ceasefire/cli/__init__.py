"""The ``ceasefire`` command: a thin skin over the library, one module per command group.

Each command parses its options, calls one library function and prints the result with Rich;
errors are worded once, in ``main``. Commands that only read refuse a database that does not
exist (``Store.open(db, create=False)``) rather than create an empty one.

    root.py        the root command and ``main``
    stages.py      ingest, extract, cluster, assess, run (and run --archive), evaluate
    reports.py     reports list|show|rejected, explain, capture
    incidents.py   incidents list|show, review, export
    ledger.py      verify, checkpoint, keys new, publish, verify-bundle, report
    server.py      serve, demo
    packs.py       pack check|sign|list
    accounts.py    user add|remove|token, reviewer add, observer add
    database.py    db upgrade, gazetteer import
    monitor.py     source add|list|remove|failures, watch
    alerts.py      subscribe, subscriptions, unsubscribe, alerts send, schedule add|list|run-due|run
    options.py     options several commands share (--db, --pack, the incident filters)
    listing.py     --format table|csv|json|jsonl, and the one writer of lists
    rows.py        the row each list prints
    console.py     where output goes
"""

# isort: off
# Each module registers its commands when imported, in the order --help lists them.
from ceasefire.cli import stages, reports, incidents, ledger, server, packs, accounts, database  # noqa: F401
from ceasefire.cli import monitor  # noqa: F401
from ceasefire.cli import alerts  # noqa: F401
# isort: on
from ceasefire.cli.root import app, main

__all__ = ["app", "main"]
