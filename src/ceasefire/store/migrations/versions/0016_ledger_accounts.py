"""Web accounts, observers and reviewers enter the ledger: one record for each one already there,
so `verify` can check them from now on; and the assessments of incidents that clustering dropped
before this version, whose deletion was not recorded, are recorded as deleted.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-26
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from ceasefire.ledger import DELETED, digest
from ceasefire.store.ledger import Change, append_many
from ceasefire.store.objects import observer_object, reviewer_object, user_object

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ACCOUNTS: list[tuple[str, str, tuple[str, ...], Callable[[Any], dict[str, Any]]]] = [
    ("user", "users", ("name", "role", "password_hash"), user_object),
    ("observer", "observers", ("name", "public_key"), observer_object),
    ("reviewer", "reviewers", ("name", "affiliation", "admin"), reviewer_object),
]


def upgrade() -> None:
    """Appended through the ledger's one writer, as every record is: Store.upgrade runs the
    migrations holding the writer lock, and the writer uses only columns this revision has."""
    conn = op.get_bind()
    ledger = sa.table("ledger", *(sa.column(c) for c in ("seq", "kind", "key", "object_hash")))
    latest: dict[tuple[str, str], str] = {}
    for row in conn.execute(sa.select(ledger.c.kind, ledger.c.key, ledger.c.object_hash).order_by(ledger.c.seq)):
        latest[(row.kind, row.key)] = row.object_hash
    changes: list[Change] = []
    for kind, table, columns, as_object in ACCOUNTS:
        rows: Any = conn.execute(sa.select(*(sa.column(c) for c in columns)).select_from(sa.table(table))
                                 .order_by(sa.column("name")))
        changes += [(kind, row.name, digest(as_object(row._mapping))) for row in rows
                    if (kind, row.name) not in latest]
    assessed = {r[0] for r in conn.execute(sa.text("SELECT DISTINCT incident_id FROM assessments"))}
    for (kind, key), object_hash in sorted(latest.items()):
        if (kind == "assessments" and object_hash != DELETED and key not in assessed
                and latest.get(("incident", key)) == DELETED):
            changes.append(("assessments", key, DELETED))
    append_many(conn, changes)


def downgrade() -> None:
    """The records stay: a ledger only grows."""

