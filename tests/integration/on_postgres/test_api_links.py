"""tests/unit/test_api_links.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_api_links import *  # noqa: F403
