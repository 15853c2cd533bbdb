"""tests/unit/test_web_cache.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_web_cache import *  # noqa: F403
