"""run and batch estimates: what a run (and its batch) was estimated to cost when queued.

A run held by a cost cap has status "held" (a string column: no schema change for it).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-13
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = ("estimate_low_usd", "estimate_high_usd")


def upgrade() -> None:
    for table in ("run", "batch"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in COLUMNS:
                batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    for table in ("run", "batch"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(COLUMNS):
                batch_op.drop_column(name)
