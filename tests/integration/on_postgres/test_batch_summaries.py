"""tests/unit/test_batch_summaries.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_batch_summaries import *  # noqa: F403
