"""Live monitoring: subscriptions to an incident query, the incident changes they are told of
(found by comparing each incident's verdict and visibility with the state last seen), the alerts
made from them and their deliveries; and scheduled reports with the runs made.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("area", sa.Text),
        sa.Column("party", sa.Text),
        sa.Column("clause", sa.Text),
        sa.Column("verdict", sa.String(16)),
        sa.Column("min_confidence", sa.Float),
        sa.Column("published_only", sa.Boolean, nullable=False),
        sa.Column("webhook_url", sa.Text),
        sa.Column("webhook_secret", sa.Text),
        sa.Column("email", sa.Text),
        sa.Column("feed_token", sa.String(64), nullable=False, unique=True),
        sa.Column("checked_seq", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_subscriptions_owner", "subscriptions", ["owner"])
    op.create_table(
        "incident_states",
        sa.Column("incident_id", sa.String(64), primary_key=True),
        sa.Column("verdict", sa.String(16)),
        sa.Column("public", sa.Boolean, nullable=False),
    )
    op.create_table(
        "incident_changes",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("incident_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("before", sa.String(16)),
        sa.Column("after", sa.String(16)),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_incident_changes_incident_id", "incident_changes", ["incident_id"])
    op.create_index("ix_incident_changes_at", "incident_changes", ["at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("change_seq", sa.Integer, sa.ForeignKey("incident_changes.seq"), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("webhook_delivery", sa.Integer),
        sa.Column("email_delivery", sa.Integer),
        sa.UniqueConstraint("subscription_id", "change_seq"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("alerts", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
    )
    op.create_index("ix_deliveries_subscription_id", "deliveries", ["subscription_id"])
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("at", sa.String(5), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("format", sa.String(8), nullable=False),
        sa.Column("publish", sa.Boolean, nullable=False),
        sa.Column("key_path", sa.Text),
        sa.Column("signer", sa.Text, nullable=False),
        sa.Column("out_dir", sa.Text, nullable=False),
        sa.Column("pack", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "schedule_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("schedule_id", sa.Integer, sa.ForeignKey("schedules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("finished_at", UTCDateTime),
        sa.UniqueConstraint("schedule_id", "due_at"),
    )


def downgrade() -> None:
    for table in ("schedule_runs", "schedules", "deliveries", "alerts", "incident_changes", "incident_states",
                  "subscriptions"):
        op.drop_table(table)
