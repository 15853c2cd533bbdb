"""tests/unit/test_profile_store.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_profile_store import *  # noqa: F403
