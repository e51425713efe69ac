"""Parties' signatures on the hash of an agreement pack's text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_signatures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("agreement_id", sa.String(64), nullable=False),
        sa.Column("pack_sha256", sa.String(64), nullable=False),
        sa.Column("party", sa.String(64), nullable=False),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("signed_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pack_signatures")
