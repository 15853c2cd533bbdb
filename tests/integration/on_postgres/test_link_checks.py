"""tests/unit/test_link_checks.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_link_checks import *  # noqa: F403
