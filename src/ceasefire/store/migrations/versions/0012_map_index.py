"""The map's index: date first (the most selective filter of a map view), then the box.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_incidents_map", "incidents", ["earliest", "latitude", "longitude", "latest"])


def downgrade() -> None:
    op.drop_index("ix_incidents_map", table_name="incidents")
