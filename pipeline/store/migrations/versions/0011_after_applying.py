"""after applying (issue 19): applied date, follow-up day and first response on the job;
interviews; the documents sent with an application; private calendar feeds.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""
import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("responded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_job_applied_at"), ["applied_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_follow_up_on"), ["follow_up_on"], unique=False)
    op.create_table(
        "interview",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("starts_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("location", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("with_whom", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interview_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_owner"), ["owner"], unique=False)
        batch_op.create_index(batch_op.f("ix_interview_starts_at"), ["starts_at"], unique=False)
    op.create_table(
        "sentdocument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("layout", sa.JSON(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sentdocument", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sentdocument_job_id"), ["job_id"], unique=False)
    op.create_table(
        "calendarfeed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("calendarfeed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendarfeed_owner"), ["owner"], unique=False)
    _backfill_dates()


def _backfill_dates() -> None:
    """Jobs moved before this migration get their applied date and first response from their history."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT job_id, data, created_at FROM jobevent WHERE kind = 'status_changed' ORDER BY id")).fetchall()
    applied: dict[int, object] = {}
    responded: dict[int, object] = {}
    for job_id, data, created_at in rows:
        data = json.loads(data) if isinstance(data, str) else (data or {})
        if data.get("to") == "applied":
            applied.setdefault(job_id, created_at)
        elif data.get("from") == "applied" and data.get("to") in ("interviewing", "offer", "rejected"):
            responded.setdefault(job_id, created_at)
    for job_id, when in applied.items():
        bind.execute(sa.text("UPDATE job SET applied_at = :t WHERE id = :id"), {"t": when, "id": job_id})
    for job_id, when in responded.items():
        bind.execute(sa.text("UPDATE job SET responded_at = :t WHERE id = :id"), {"t": when, "id": job_id})


def downgrade() -> None:
    with op.batch_alter_table("calendarfeed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendarfeed_owner"))
    op.drop_table("calendarfeed")
    with op.batch_alter_table("sentdocument", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sentdocument_job_id"))
    op.drop_table("sentdocument")
    with op.batch_alter_table("interview", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interview_starts_at"))
        batch_op.drop_index(batch_op.f("ix_interview_owner"))
        batch_op.drop_index(batch_op.f("ix_interview_job_id"))
    op.drop_table("interview")
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_follow_up_on"))
        batch_op.drop_index(batch_op.f("ix_job_applied_at"))
        batch_op.drop_column("responded_at")
        batch_op.drop_column("follow_up_on")
        batch_op.drop_column("applied_at")
