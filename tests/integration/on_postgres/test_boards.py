"""tests/unit/test_boards.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_boards import *  # noqa: F403
