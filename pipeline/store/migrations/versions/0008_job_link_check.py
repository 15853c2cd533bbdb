"""job link check: whether a job's posting link still looks open ("Check links", issue 18).

link_status: "" (never checked), "open", "closed" or "error"; link_checked_at: when it was
last checked; link_note: why, in plain words (shown on the table's "closed?" mark).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-14
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("link_status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("link_checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("link_note", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("link_note")
        batch_op.drop_column("link_checked_at")
        batch_op.drop_column("link_status")
