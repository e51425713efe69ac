"""Indexes for the map, the incident list and the ledger at a million incidents; archive partitions loaded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_incidents_latitude_longitude": ("incidents", ["latitude", "longitude"]),
    "ix_incidents_latest": ("incidents", ["latest"]),
    "ix_incidents_area_id": ("incidents", ["area_id"]),
    "ix_ledger_kind_seq": ("ledger", ["kind", "seq"]),
    "ix_reports_received_at": ("reports", ["received_at"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)
    op.create_table(
        "archive_partitions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("extractor", sa.String(64), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("loaded_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("archive_partitions")
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
