"""tests/unit/test_link_import.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_link_import import *  # noqa: F403
