"""Sources that `ceasefire watch` polls, the items each has brought (and where each stands, so a
killed watch resumes), and everything refused on the way.

Revision ID: 0020
Revises: 0016
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

from ceasefire.store.tables import UTCDateTime

revision = "0020"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("every_seconds", sa.Integer, nullable=False),
        sa.Column("pack_id", sa.String(64)),
        sa.Column("pack_source", sa.String(64)),
        sa.Column("added_at", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_fetch_at", UTCDateTime),
        sa.Column("last_outcome", sa.Text),
        sa.Column("consecutive_failures", sa.Integer, nullable=False),
        sa.Column("unhealthy_since", UTCDateTime),
    )
    op.create_index("ix_sources_due_at", "sources", ["due_at"])
    op.create_table(
        "source_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", UTCDateTime),
        sa.Column("payload", sa.LargeBinary),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("capture_id", sa.Integer),
        sa.Column("report_sha256", sa.String(64)),
        sa.Column("reason", sa.Text),
        sa.Column("seen_at", UTCDateTime, nullable=False),
        sa.Column("done_at", UTCDateTime),
        sa.UniqueConstraint("source_id", "key", name="uq_source_items_source_key"),
    )
    op.create_index("ix_source_items_url", "source_items", ["url"])
    op.create_index("ix_source_items_state", "source_items", ["state"])
    op.create_table(
        "source_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
    )
    op.create_index("ix_source_failures_source_id", "source_failures", ["source_id"])


def downgrade() -> None:
    op.drop_table("source_failures")
    op.drop_table("source_items")
    op.drop_table("sources")
