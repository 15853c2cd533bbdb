"""web_page: the fetched-page cache (issue 18), global and keyed by the URL asked for.

status: the HTTP status (2xx pages; 404/410 remembered as "gone"); text: the decoded body;
fetched_at: when it was fetched (the TTL, WEB_CACHE_DAYS, counts from it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-15
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("final_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fetched_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("web_page", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_web_page_url"), ["url"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("web_page", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_page_url"))
    op.drop_table("web_page")
