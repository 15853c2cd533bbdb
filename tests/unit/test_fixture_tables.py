"""The shared test databases are wiped through `conftest.TABLES`: it must name every table, in an order that works."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text
from sqlmodel import Session, SQLModel, func, select

import pipeline.store.models as m
from pipeline.store.db import get_engine
from tests.conftest import TABLES


def test_tables_lists_every_table_of_the_schema():
    listed = {t.strip('"') for t in TABLES}
    assert listed == set(SQLModel.metadata.tables), "add new tables to tests/conftest.py TABLES (children first)"


def test_the_wipe_empties_accounts_tables_with_their_foreign_keys(db_url):
    with Session(get_engine(db_url)) as s:
        user = m.User(email="wipe@example.org", password_hash="x")
        s.add(user)
        s.flush()
        s.add(m.LoginSession(token_hash="a" * 64, user_id=user.id, owner=m.user_owner(user.id), expires_at=m.utcnow() + timedelta(hours=1)))
        s.add(m.ApiToken(owner=m.user_owner(user.id), prefix="jat_x", token_hash="b" * 64))
        s.add(m.IdempotencyRecord(owner=m.user_owner(user.id), key="k", request_hash="c" * 64))
        s.commit()
    with get_engine(db_url).begin() as conn:
        if db_url.startswith("sqlite"):  # what default_store does: one DELETE a table, foreign keys enforced
            for table in TABLES:
                conn.execute(text(f"DELETE FROM {table}"))
        else:  # what db_url does on PostgreSQL
            conn.execute(text("TRUNCATE " + ", ".join(TABLES) + " RESTART IDENTITY CASCADE"))
    with Session(get_engine(db_url)) as s:
        for model in (m.User, m.LoginSession, m.ApiToken, m.IdempotencyRecord):
            assert s.exec(select(func.count()).select_from(model)).one() == 0, model.__name__
