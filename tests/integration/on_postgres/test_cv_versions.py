"""tests/unit/test_cv_versions.py on PostgreSQL (db_kind from this folder's conftest)."""

from tests.unit.test_cv_versions import *  # noqa: F403
