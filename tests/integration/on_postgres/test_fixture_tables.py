"""tests/unit/test_fixture_tables.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_fixture_tables import *  # noqa: F403
