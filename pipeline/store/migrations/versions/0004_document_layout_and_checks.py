"""job.layout (how a job's documents print) and cvversion.checks (the ATS check of that version).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("layout", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("cvversion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checks", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("cvversion", schema=None) as batch_op:
        batch_op.drop_column("checks")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("layout")
