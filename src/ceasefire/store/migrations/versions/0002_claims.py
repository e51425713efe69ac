"""Claims extracted from reports, and which extractor version did each report.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False),
        sa.Column("idx", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("earliest", sa.Date),
        sa.Column("latest", sa.Date),
        sa.Column("time_precision", sa.Integer),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("area_id", sa.String(64)),
        sa.Column("fatalities", sa.Integer),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.UniqueConstraint("report_id", "idx", name="uq_claims_report_idx"),
    )
    op.create_index("ix_claims_report_id", "claims", ["report_id"])
    op.create_index("ix_claims_kind", "claims", ["kind"])
    op.create_index("ix_claims_earliest", "claims", ["earliest"])
    op.create_table(
        "extractions",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("extractor", sa.String(64), nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("extracted_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_extractions_extractor", "extractions", ["extractor"])


def downgrade() -> None:
    op.drop_table("extractions")
    op.drop_table("claims")
