"""Captured web pages: the raw response, its headers and hashes, linked to the report made from it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("final_url", sa.Text, nullable=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("headers", sa.JSON, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("text_sha256", sa.String(64)),
        sa.Column("report_sha256", sa.String(64)),
        sa.Column("captured_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("captures")
