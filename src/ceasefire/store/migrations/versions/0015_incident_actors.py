"""The actors each incident names, as rows, so the web's actor and party filters run in SQL
instead of reading every incident's payload in Python.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-26
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_actors",
        sa.Column("actor_id", sa.String(64), primary_key=True),
        sa.Column("incident_id", sa.String(16), sa.ForeignKey("incidents.id"), primary_key=True),
    )
    op.create_index("ix_incident_actors_incident_id", "incident_actors", ["incident_id"])
    incidents = sa.table("incidents", sa.column("id", sa.String), sa.column("payload", sa.JSON))
    actors = sa.table("incident_actors", sa.column("actor_id", sa.String), sa.column("incident_id", sa.String))
    conn = op.get_bind()
    batch: list[dict[str, str]] = []
    for row in conn.execute(sa.select(incidents.c.id, incidents.c.payload)).all():
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        named = {a["actor_id"] for a in payload.get("actors", []) if a.get("actor_id")}
        batch += [{"actor_id": actor, "incident_id": row.id} for actor in sorted(named)]
        if len(batch) >= 10_000:
            conn.execute(actors.insert(), batch)
            batch = []
    if batch:
        conn.execute(actors.insert(), batch)


def downgrade() -> None:
    op.drop_table("incident_actors")
