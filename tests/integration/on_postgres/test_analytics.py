"""tests/unit/test_analytics.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_analytics import *  # noqa: F403
