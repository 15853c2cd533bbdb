"""tests/unit/test_match.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_match import *  # noqa: F403
