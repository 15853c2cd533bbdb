"""tests/unit/test_user_settings.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_user_settings import *  # noqa: F403
