"""tests/unit/test_match_resume.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_match_resume import *  # noqa: F403
