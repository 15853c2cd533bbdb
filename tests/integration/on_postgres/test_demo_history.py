"""tests/unit/test_demo_history.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_demo_history import *  # noqa: F403
