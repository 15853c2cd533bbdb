"""Alembic migrations: complete, in step with the models, repeatable, and safe for existing data."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import Session, SQLModel, select

import pipeline.store.models  # noqa: F401  (registers every table on SQLModel.metadata)
from pipeline.store.db import alembic_config, current_revision, get_engine, migrate
from pipeline.store.models import Job, JobEvent, Profile


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def schema(url: str) -> dict[str, Any]:
    """Tables with their columns, indexes and unique constraints, as the database reports them."""
    with get_engine(url).connect() as conn:
        insp = inspect(conn)
        return {
            table: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
                sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)),
                sorted((u["name"] or "", tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            )
            for table in sorted(insp.get_table_names())
        }


def _ours(metadata: sa.MetaData):
    """Ignore tables other code owns in the same database (LangGraph's checkpoints)."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        return not (type_ == "table" and reflected and compare_to is None and name not in metadata.tables)

    return include


def model_differences(url: str, metadata: sa.MetaData = SQLModel.metadata) -> list[Any]:
    with get_engine(url).connect() as conn:
        opts = {"compare_type": True, "compare_server_default": False, "include_object": _ours(metadata)}
        context = MigrationContext.configure(conn, opts=opts)
        return compare_metadata(context, metadata)


def test_every_model_table_exists_after_migrate(db_url: str) -> None:
    with get_engine(db_url).connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert {"job", "jobevent", "run", "runevent", "artifact", "cvversion", "profile", "batch", "alembic_version"} <= tables
    assert current_revision(db_url) == head_revision()


def test_migrations_match_the_models(db_url: str) -> None:
    """A model change without a migration shows up here as a difference."""
    assert model_differences(db_url) == []


def test_the_model_comparison_notices_a_missing_migration(db_url: str) -> None:
    """Guard for the guard: an extra model column or index is reported as a difference."""
    changed = sa.MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["job"].append_column(sa.Column("salary", sa.Integer(), nullable=True))
    sa.Index("ix_job_salary", changed.tables["job"].c.salary)

    kinds = {(diff[0], getattr(diff[-1], "name", None)) for diff in model_differences(db_url, changed) if isinstance(diff, tuple)}
    assert ("add_column", "salary") in kinds
    assert ("add_index", "ix_job_salary") in kinds


def test_migrating_twice_is_a_no_op(db_url: str) -> None:
    before = schema(db_url)
    migrate(db_url)
    migrate(db_url)
    assert schema(db_url) == before
    assert current_revision(db_url) == head_revision()
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("select count(*) from alembic_version")).scalar() == 1


def test_migrating_from_empty_sqlite_creates_the_schema(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert current_revision(url) is None
    migrate(url)
    try:
        assert current_revision(url) == head_revision()
        assert model_differences(url) == []
    finally:
        get_engine(url).dispose()


def test_migrate_keeps_existing_data(db_url: str) -> None:
    engine = get_engine(db_url)
    with Session(engine) as session:
        job = Job(source="file", external_id="keep-1", title="Keeper", company="Acme", description="Stay.", tags=["a"])
        session.add(job)
        session.flush()
        session.add(JobEvent(job_id=job.id, kind="imported", idempotency_key="keep-1"))
        session.add(Profile(name="Jane", markdown="# Jane"))
        session.commit()
        job_id = job.id

    migrate(db_url)

    with Session(engine) as session:
        kept = session.get(Job, job_id)
        assert (kept.title, kept.description, kept.tags) == ("Keeper", "Stay.", ["a"])
        assert session.exec(select(JobEvent.idempotency_key)).all() == ["keep-1"]
        assert session.exec(select(Profile.name)).all() == ["Jane"]


def test_0011_fills_applied_and_response_dates_from_the_history(tmp_path) -> None:
    """Jobs moved before the tracking columns existed get their applied date and first response
    from their status events, so the analytics count applications made before the upgrade."""
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = get_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0010")
            conn.execute(text(
                "INSERT INTO job (id, owner, source, external_id, title, company, company_norm, location, url, description, search_text, status,"
                " tags, notes_count, layout, language, link_status, link_note, company_url, created_at, updated_at)"
                " VALUES (1, 'local', 'demo', 'a', 'A', 'Acme', 'acme', '', '', '', '', 'interviewing', '[]', 0, '{}', '', '', '', '',"
                " '2026-10-01 08:00:00', '2026-10-01 08:00:00')"
            ))  # fmt: skip
            for i, (frm, to, when) in enumerate(
                [("ready", "applied", "2026-10-02 09:00:00"), ("applied", "interviewing", "2026-10-09 10:00:00"), ("interviewing", "applied", "2026-10-10 10:00:00")], 1
            ):
                conn.execute(
                    text("INSERT INTO jobevent (job_id, kind, message, data, idempotency_key, actor, created_at) VALUES (1, 'status_changed', '', :d, :k, 'local', :t)"),
                    {"d": f'{{"from": "{frm}", "to": "{to}"}}', "k": f"k{i}", "t": when},
                )
        migrate(url)
        with Session(engine) as session:
            job = session.get(Job, 1)
            assert job.applied_at.isoformat().startswith("2026-10-02T09:00") and job.responded_at.isoformat().startswith("2026-10-09T10:00")
            assert job.follow_up_on is None
    finally:
        engine.dispose()
