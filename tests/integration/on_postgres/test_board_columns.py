"""tests/unit/test_board_columns.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_board_columns import *  # noqa: F403
