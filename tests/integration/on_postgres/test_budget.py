"""tests/unit/test_budget.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_budget import *  # noqa: F403
