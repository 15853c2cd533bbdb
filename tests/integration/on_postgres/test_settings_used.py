"""tests/unit/test_settings_used.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_settings_used import *  # noqa: F403
