"""tests/unit/test_run_logs.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_run_logs import *  # noqa: F403
