"""Observers and the public keys their signed submissions are checked against.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "observers",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("public_key", sa.Text, nullable=False),
        sa.Column("registered_at", UTCDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("observers")
