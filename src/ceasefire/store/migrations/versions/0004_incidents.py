"""Incidents, the claims in each, assessments, analyst reviews and reviewers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("earliest", sa.Date, nullable=False),
        sa.Column("latest", sa.Date, nullable=False),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("admin1", sa.Text),
        sa.Column("area_id", sa.String(64)),
        sa.Column("corroboration", sa.Integer, nullable=False),
        sa.Column("verdict", sa.String(20)),
        sa.Column("confidence", sa.Float),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_incidents_earliest", "incidents", ["earliest"])
    op.create_index("ix_incidents_verdict", "incidents", ["verdict"])
    op.create_table(
        "incident_claims",
        sa.Column("report_sha256", sa.String(64), primary_key=True),
        sa.Column("claim_idx", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.String(16), sa.ForeignKey("incidents.id"), nullable=False),
    )
    op.create_index("ix_incident_claims_incident_id", "incident_claims", ["incident_id"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.String(16), sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("clause_id", sa.String(32)),
        sa.Column("reading_id", sa.String(32)),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )
    op.create_index("ix_assessments_incident_id", "assessments", ["incident_id"])
    op.create_table(
        "reviewers",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("affiliation", sa.String(64)),
        sa.Column("admin", sa.Boolean, nullable=False),
    )
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("justification", sa.Text),
        sa.Column("justified_by", sa.String(64)),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_reviews_incident_id", "reviews", ["incident_id"])


def downgrade() -> None:
    for table in ("reviews", "reviewers", "assessments", "incident_claims", "incidents"):
        op.drop_table(table)
