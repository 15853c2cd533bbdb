"""tests/unit/test_today.py on PostgreSQL (db_kind from this folder's conftest): the Today lines in the
browser's zone with aware UTC instants, and the saved follow-up days used by a status move."""

from tests.unit.test_today import *  # noqa: F403
