"""tests/unit/test_tracking.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_tracking import *  # noqa: F403
