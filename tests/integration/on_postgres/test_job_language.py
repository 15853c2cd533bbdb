"""tests/unit/test_job_language.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_job_language import *  # noqa: F403
