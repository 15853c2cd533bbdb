"""docker-compose.yml and docs/deploy.md agree with what the app really does at start-up.

Compose cannot be run here (no Docker daemon), so these pin the parts that can drift
silently: which variables compose insists on, and the refusal text the runbook quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.accounts import auth
from pipeline.settings import settings

ROOT = Path(__file__).resolve().parents[2]


def _app_env() -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return compose["x-jobapp"]["environment"]


def test_compose_makes_login_password_optional_but_still_requires_the_database_password():
    env = _app_env()
    # From .env through env_file, never required there: an account alone must be enough to start
    # (check_startup). Not in `environment:`, where podman-compose 1.0 passed "${LOGIN_PASSWORD:-}" literally.
    assert "LOGIN_PASSWORD" not in env
    assert (ROOT / ".env.example").read_text().count("LOGIN_PASSWORD=") >= 1
    assert ":?" in env["DB_URL"] and "POSTGRES_PASSWORD" in env["DB_URL"]


@pytest.fixture
def exposed_without_login(default_store, monkeypatch):
    """What compose passes when .env leaves LOGIN_PASSWORD empty: an empty string, not None."""
    monkeypatch.setattr(settings, "host", "0.0.0.0")
    monkeypatch.setattr(settings, "login_password", "")
    auth.reset_caches()
    yield
    auth.reset_caches()


def test_an_empty_login_password_is_no_login_and_the_runbook_quotes_the_real_refusal(exposed_without_login):
    with pytest.raises(auth.StartupRefused) as refused:
        auth.check_startup()
    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert str(refused.value) in deploy, "docs/deploy.md §7 must quote check_startup's message word for word"


def test_an_account_alone_lets_the_exposed_app_start(exposed_without_login):
    from pipeline.accounts.users import add_user
    from pipeline.store.db import session_scope

    with session_scope() as s:
        add_user(session=s, email="admin@example.org", password="a long enough password", is_admin=True)
    auth.reset_caches()
    assert auth.check_startup() == "accounts"


def test_deploy_md_shows_exactly_the_proxy_blocks_the_e2e_test_runs():
    """tests/e2e/test_proxy.py runs deploy/nginx-jobapp.conf and deploy/Caddyfile; the runbook
    must show those same blocks, character for character."""
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for name in ("nginx-jobapp.conf", "Caddyfile"):
        block = (ROOT / "deploy" / name).read_text()
        assert f"\n{block}```" in doc, name
