"""tests/unit/test_migrations.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_migrations import *  # noqa: F403
