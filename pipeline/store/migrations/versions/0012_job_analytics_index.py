"""an index holding every column the Analytics view's scan of the jobs reads
(pipeline/store/analytics.py), so it never reads the wide rows with their descriptions.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ["owner", "applied_at", "last_run_status", "source", "fit_score", "status", "responded_at"]


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.create_index("ix_job_owner_analytics", COLUMNS, unique=False, postgresql_include=["id", "layout"])


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_owner_analytics")
