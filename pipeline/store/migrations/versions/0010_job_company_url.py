"""job company_url: the company's own site as a posting from a link names it (issue 18).

Filled from JSON-LD hiringOrganization sameAs/url (or a job board's company link) when a job
is imported from a link; a run passes it to research, whose site read starts there.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-15
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("company_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("company_url")
