"""tests/unit/test_analytics_view.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_analytics_view import *  # noqa: F403
