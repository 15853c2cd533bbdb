"""The unit tests that take a store (`db_kind`) again, on the machine's PostgreSQL.

Each module here star-imports one module of tests/unit/, so its tests are collected a second
time with this folder's `db_kind`; the tests that use no database are left out."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture
def db_kind() -> str:
    return "postgres"


def pytest_collection_modifyitems(config, items):
    """Keep only this folder's tests that use a store, and mark them `postgres`."""
    mine = [i for i in items if Path(str(i.fspath)).parent == HERE]
    drop = [i for i in mine if "db_kind" not in getattr(i, "fixturenames", ())]
    for item in mine:
        item.add_marker(pytest.mark.postgres)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = [i for i in items if i not in drop]
