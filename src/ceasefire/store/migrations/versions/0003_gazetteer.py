"""Places imported from GeoNames dumps (`ceasefire gazetteer import`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gazetteer",
        sa.Column("geonames_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("names", sa.Text, nullable=False),
        sa.Column("latitude", sa.Float, nullable=False),
        sa.Column("longitude", sa.Float, nullable=False),
        sa.Column("feature_class", sa.String(1), nullable=False),
        sa.Column("feature_code", sa.String(10), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("admin1_code", sa.String(20), nullable=False),
        sa.Column("population", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_gazetteer_country", "gazetteer", ["country"])


def downgrade() -> None:
    op.drop_table("gazetteer")
