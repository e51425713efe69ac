"""More than one agreement in one database: each report belongs to the agreement it was ingested
for (whose pack extracts it), and each assessment names its agreement in a column, so one
agreement's assessments are replaced without touching another's. Reports already stored go to
the one agreement the database monitors, if it monitors exactly one.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-26
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("agreement_id", sa.String(64)))
    op.create_index("ix_reports_agreement_id", "reports", ["agreement_id"])
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(sa.Column("agreement_id", sa.String(64)))
    op.create_index("ix_assessments_incident_agreement", "assessments", ["incident_id", "agreement_id", "clause_id"])
    conn = op.get_bind()
    agreements = [row.id for row in conn.execute(sa.text("SELECT id FROM agreements"))]
    if len(agreements) == 1:
        conn.execute(sa.text("UPDATE reports SET agreement_id = :a"), {"a": agreements[0]})
    assessments = sa.table("assessments", sa.column("id", sa.Integer), sa.column("payload", sa.JSON),
                           sa.column("agreement_id", sa.String))
    by_agreement: dict[str, list[int]] = {}
    for row in conn.execute(sa.select(assessments.c.id, assessments.c.payload)).all():
        payload = row.payload if isinstance(row.payload, dict) else json.loads(row.payload)
        by_agreement.setdefault(payload["agreement_id"], []).append(row.id)
    for agreement, ids in by_agreement.items():
        for start in range(0, len(ids), 10_000):
            conn.execute(assessments.update().where(assessments.c.id.in_(ids[start:start + 10_000]))
                         .values(agreement_id=agreement))


def downgrade() -> None:
    op.drop_index("ix_assessments_incident_agreement", "assessments")
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("agreement_id")
    op.drop_index("ix_reports_agreement_id", "reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("agreement_id")
