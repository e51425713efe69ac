"""Reports, rejected intake items and registered agreements.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", UTCDateTime),
        sa.Column("source", sa.Text),
        sa.Column("source_id", sa.String(64)),
        sa.Column("author", sa.Text),
        sa.Column("language", sa.String(16)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("structured", sa.JSON),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reports_published", "reports", ["published"])
    op.create_index("ix_reports_source_id", "reports", ["source_id"])
    op.create_table(
        "rejections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("origin", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("pack_path", sa.Text, nullable=False),
        sa.Column("registered_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("agreements")
    op.drop_table("rejections")
    op.drop_index("ix_reports_source_id", "reports")
    op.drop_index("ix_reports_published", "reports")
    op.drop_table("reports")
