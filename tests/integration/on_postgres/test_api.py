"""tests/unit/test_api.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_api import *  # noqa: F403
