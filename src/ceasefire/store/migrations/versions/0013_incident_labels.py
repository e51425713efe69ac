"""An incident's place name and perpetrator as columns, so the map never parses the payload;
the map index (earliest first) replaces the index on earliest alone, which SQLite would pick
instead and then read every row of the period from the table.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_incidents_earliest", table_name="incidents")
    op.add_column("incidents", sa.Column("place_name", sa.Text))
    op.add_column("incidents", sa.Column("perpetrator", sa.Text))
    incidents = sa.table("incidents", sa.column("id", sa.String), sa.column("payload", sa.JSON),
                         sa.column("place_name", sa.Text), sa.column("perpetrator", sa.Text))
    conn = op.get_bind()
    update = incidents.update().where(incidents.c.id == sa.bindparam("key")).values(
        place_name=sa.bindparam("place"), perpetrator=sa.bindparam("who"))
    batch: list[dict[str, str | None]] = []
    for row in conn.execute(sa.select(incidents.c.id, incidents.c.payload)).all():
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        actor = next((a for a in payload.get("actors", []) if a.get("role") == "perpetrator"), None)
        batch.append({"key": row.id, "place": (payload.get("place") or {}).get("name"),
                      "who": (actor.get("actor_id") or actor["evidence"]["text"]) if actor else None})
        if len(batch) == 10_000:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)


def downgrade() -> None:
    op.create_index("ix_incidents_earliest", "incidents", ["earliest"])
    op.drop_column("incidents", "perpetrator")
    op.drop_column("incidents", "place_name")
