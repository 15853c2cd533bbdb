"""Accounts: hashing, users, sessions and expiry, login rate limits, the three modes, start-up refusal."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import select

from pipeline.accounts import auth, passwords, sessions, users
from pipeline.accounts.ratelimit import RateLimiter
from pipeline.settings import settings
from pipeline.store.db import get_engine, session_scope
from pipeline.store.models import LOCAL_OWNER, ApiToken, Job, LoginSession, User, user_owner, utcnow

PW = "correct horse battery"


def wipe_accounts() -> None:
    with get_engine().begin() as conn:
        for table in ("loginsession", "apitoken", "idempotencyrecord", '"user"'):
            conn.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def store(default_store, monkeypatch):
    """The app's own store without accounts, fresh rate limits and caches."""
    wipe_accounts()
    monkeypatch.setattr(settings, "login_password", None)
    monkeypatch.setattr(settings, "host", "127.0.0.1")
    monkeypatch.setattr(auth, "by_ip", RateLimiter("t-ip", auth.LOGIN_LIMIT_PER_IP, 900, redis_url=""))
    monkeypatch.setattr(auth, "by_account", RateLimiter("t-acct", auth.LOGIN_LIMIT_PER_ACCOUNT, 900, redis_url=""))
    monkeypatch.setattr(settings, "redis_url", None)
    auth.reset_caches()
    yield
    auth.reset_caches()


def add(email: str, *, admin: bool = False, password: str = PW) -> User:
    with session_scope() as s:
        user = users.add_user(session=s, email=email, password=password, is_admin=admin)
    auth.reset_caches()
    return user


# ------------------------------------------------------------------ hashing


def test_hashes_are_argon2id_salted_and_verify_only_the_right_password():
    a, b = passwords.hash_password(PW), passwords.hash_password(PW)
    assert a.startswith("$argon2id$") and a != b
    assert passwords.verify_password(a, PW)
    assert not passwords.verify_password(a, PW + "x")
    assert not passwords.verify_password("not a hash", PW)
    assert not passwords.needs_rehash(a)
    assert passwords.needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")


# ------------------------------------------------------------------ users


def test_users_are_normalised_unique_and_need_a_real_password(store):
    user = add("  Ann@Example.ORG ")
    assert user.email == "ann@example.org" and PW not in user.password_hash
    with session_scope() as s:
        with pytest.raises(users.AccountError, match="already exists"):
            users.add_user(session=s, email="ANN@example.org", password=PW)
        with pytest.raises(users.AccountError, match="at least"):
            users.add_user(session=s, email="bob@example.org", password="short")
        with pytest.raises(users.AccountError, match="not an e-mail"):
            users.add_user(session=s, email="bob@@example", password=PW)
        with pytest.raises(users.AccountError, match="at most"):
            users.add_user(session=s, email="bob@example.org", password="x" * 5000)
        assert users.authenticate(session=s, email="ANN@example.org", password=PW).id == user.id
        assert users.authenticate(session=s, email="ann@example.org", password="wrong password") is None
        assert users.authenticate(session=s, email="nobody@example.org", password=PW) is None


def test_unknown_accounts_cost_as_much_time_as_known_ones(store):
    add("ann@example.org")
    with session_scope() as s:
        def timed(email):
            t = time.perf_counter()
            users.authenticate(session=s, email=email, password="wrong password")
            return time.perf_counter() - t
        known = min(timed("ann@example.org") for _ in range(3))
        unknown = min(timed("ghost@example.org") for _ in range(3))
    assert unknown > known * 0.5, (known, unknown)


def test_disable_ends_sessions_and_api_tokens_and_blocks_sign_in(store):
    user = add("ann@example.org")
    token = auth.login("ann@example.org", PW, client_ip="1.1.1.1")
    with session_scope() as s:
        s.add(ApiToken(owner=user_owner(user.id), name="ci", prefix="jat_x", token_hash="a" * 64))
        s.commit()
        users.disable_user(session=s, email="ann@example.org")
        assert s.exec(select(ApiToken)).one().revoked_at is not None
    auth.reset_caches()
    assert auth.owner_for_session_token(token) is None
    with pytest.raises(auth.LoginRefused, match="Wrong e-mail or password"):
        auth.login("ann@example.org", PW, client_ip="1.1.1.1")


def test_new_password_ends_existing_sign_ins(store):
    add("ann@example.org")
    token = auth.login("ann@example.org", PW)
    with session_scope() as s:
        users.set_password(session=s, email="ann@example.org", password="another long password")
    auth.reset_caches()
    assert auth.owner_for_session_token(token) is None
    assert auth.owner_for_session_token(auth.login("ann@example.org", "another long password")) is not None


# ------------------------------------------------------------------ sessions


def test_sessions_store_only_a_hash_and_slide_until_the_idle_limit(store, monkeypatch):
    monkeypatch.setattr(settings, "session_hours", 2)
    user = add("ann@example.org")
    with session_scope() as s:
        token = sessions.create_session(session=s, user=user)
        row = s.exec(select(LoginSession)).one()
        assert row.token_hash == sessions.token_hash(token) and token not in row.token_hash
        start = utcnow()
        # used after 90 minutes: still valid, expiry moves to 90 min + 2 h
        login, _ = sessions.lookup_session(session=s, token=token, now=start + timedelta(minutes=90))
        assert sessions._aware(login.expires_at) > start + timedelta(hours=3)
        # idle for more than 2 hours after that: gone
        assert sessions.lookup_session(session=s, token=token, now=start + timedelta(minutes=90, hours=2, seconds=5)) is None
        assert sessions.lookup_session(session=s, token=token + "x") is None
        assert sessions.lookup_session(session=s, token="") is None


def test_sessions_never_outlive_the_absolute_limit(store, monkeypatch):
    monkeypatch.setattr(settings, "session_hours", 24 * 20)
    user = add("ann@example.org")
    with session_scope() as s:
        token = sessions.create_session(session=s, user=user)
        start = utcnow()
        for day in (15, 29):
            assert sessions.lookup_session(session=s, token=token, now=start + timedelta(days=day)) is not None
        assert sessions.lookup_session(session=s, token=token, now=start + timedelta(days=30, minutes=1)) is None


def test_logout_revokes_the_session(store):
    user = add("ann@example.org")
    token = auth.login("ann@example.org", PW)
    assert auth.owner_for_session_token(token) == user_owner(user.id)
    auth.logout(token)
    assert auth.owner_for_session_token(token) is None


# ------------------------------------------------------------------ modes


def test_open_mode_on_loopback_needs_no_login(store):
    assert auth.auth_mode() == "open"
    assert auth.owner_for_session_token(None) == LOCAL_OWNER
    assert auth.check_startup() == "open"


def test_password_mode_signs_in_with_the_shared_password(store, monkeypatch):
    monkeypatch.setattr(settings, "login_password", "shared secret pass")
    auth.reset_caches()
    assert auth.auth_mode() == "password"
    assert auth.owner_for_session_token(None) is None
    assert auth.owner_for_session_token("pw.99999999999.abc.forged") is None
    with pytest.raises(auth.LoginRefused, match="Wrong password"):
        auth.login(None, "guess")
    token = auth.login(None, "shared secret pass")
    assert auth.owner_for_session_token(token) == LOCAL_OWNER
    # the expiry is signed: editing it breaks the signature
    body, sig = token.rsplit(".", 1)
    parts = body.split(".")
    assert not sessions.check_password_session(f"{parts[0]}.{int(parts[1]) + 999}.{parts[2]}.{sig}")
    assert not sessions.check_password_session(token, now=time.time() + settings.session_hours * 3600 + 5)
    # a new shared password ends every password-mode sign-in
    monkeypatch.setattr(settings, "login_password", "a different pass")
    auth.reset_caches()
    assert auth.owner_for_session_token(token) is None


def test_accounts_mode_wins_over_the_shared_password(store, monkeypatch):
    monkeypatch.setattr(settings, "login_password", "shared secret pass")
    pw_token = auth.login(None, "shared secret pass")
    user = add("ann@example.org")
    assert auth.auth_mode() == "accounts"
    assert auth.owner_for_session_token(pw_token) is None
    with pytest.raises(auth.LoginRefused):
        auth.login("", "shared secret pass")
    assert auth.owner_for_session_token(auth.login("ann@example.org", PW)) == user_owner(user.id)
    who = auth.signed_in(auth.login("ann@example.org", PW))
    assert (who.email, who.is_admin, who.mode) == ("ann@example.org", False, "accounts")


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "jobs.example.org"])
def test_exposed_start_up_is_refused_without_a_login(store, monkeypatch, host):
    monkeypatch.setattr(settings, "host", host)
    with pytest.raises(auth.StartupRefused, match="LOGIN_PASSWORD.*users add"):
        auth.check_startup()
    assert auth.owner_for_session_token(None) is None  # and nothing is served meanwhile
    monkeypatch.setattr(settings, "login_password", "shared secret pass")
    auth.reset_caches()
    assert auth.check_startup() == "password"
    monkeypatch.setattr(settings, "login_password", None)
    add("ann@example.org", admin=True)
    assert auth.check_startup() == "accounts"


# ------------------------------------------------------------------ rate limits


def test_login_is_rate_limited_per_account(store):
    add("ann@example.org")
    for _ in range(auth.LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(auth.LoginRefused, match="Wrong"):
            auth.login("ann@example.org", "wrong password", client_ip=f"10.0.0.{_}")
    with pytest.raises(auth.LoginRefused, match="Too many sign-in attempts") as exc:
        auth.login("ann@example.org", PW, client_ip="10.0.0.99")  # even the right password, from elsewhere
    assert 0 < exc.value.retry_after <= auth.LOGIN_WINDOW_SECONDS


def test_login_is_rate_limited_per_address(store):
    add("ann@example.org")
    for i in range(auth.LOGIN_LIMIT_PER_IP):
        with pytest.raises(auth.LoginRefused, match="Wrong"):
            auth.login(f"user{i}@example.org", "wrong password", client_ip="6.6.6.6")
    with pytest.raises(auth.LoginRefused, match="Too many"):
        auth.login("ann@example.org", PW, client_ip="6.6.6.6")
    assert auth.login("ann@example.org", PW, client_ip="7.7.7.7")  # another address is unaffected


def test_success_resets_the_account_count(store):
    add("ann@example.org")
    for _ in range(auth.LOGIN_LIMIT_PER_ACCOUNT - 1):
        with pytest.raises(auth.LoginRefused):
            auth.login("ann@example.org", "wrong password")
    auth.login("ann@example.org", PW)
    for _ in range(auth.LOGIN_LIMIT_PER_ACCOUNT - 1):
        with pytest.raises(auth.LoginRefused, match="Wrong"):
            auth.login("ann@example.org", "wrong password")


# ------------------------------------------------------------------ local data


def test_claim_local_moves_the_open_installs_data_to_the_first_account(store):
    with session_scope() as s:
        s.add(Job(owner=LOCAL_OWNER, source="paste", external_id="a", title="Nurse", description="x"))
        s.commit()
    user = add("ann@example.org", admin=True)
    with session_scope() as s:
        assert users.local_data_count(session=s) == 1
        moved = users.claim_local_data(session=s, user=user)
        assert moved == {"job": 1}
        assert s.exec(select(Job)).one().owner == user_owner(user.id)
        with pytest.raises(users.AccountError, match="already has jobs"):
            users.claim_local_data(session=s, user=user)


# ------------------------------------------------------------------ HTTP sign-in routes


def test_login_route_sets_an_httponly_cookie_and_refuses_cross_site_posts(store):
    from starlette.testclient import TestClient

    from jobapp.jobapp import api

    add("ann@example.org")
    form = {"email": "ann@example.org", "password": PW}
    with TestClient(api, base_url="http://127.0.0.1:3000", follow_redirects=False) as c:
        for headers in ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
                        {"Sec-Fetch-Site": "same-site"},
                        {"Origin": "https://evil.example"}):
            r = c.post("/auth/login", data=form, headers=headers)
            assert r.status_code == 403 and "set-cookie" not in r.headers, headers
        r = c.post("/auth/login", data={**form, "password": "wrong password"}, headers={"Sec-Fetch-Site": "same-origin"})
        assert r.status_code == 303 and r.headers["location"] == "/?login_error=bad" and "set-cookie" not in r.headers
        r = c.post("/auth/login", data=form, headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"})
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = r.headers["set-cookie"].lower()
        assert cookie.startswith(f"{sessions.SESSION_COOKIE}=") and "httponly" in cookie and "samesite=strict" in cookie
        token = r.cookies[sessions.SESSION_COOKIE]
        assert auth.owner_for_session_token(token) is not None
        r = c.post("/auth/logout", headers={"Origin": "https://evil.example"})
        assert r.status_code == 403 and auth.owner_for_session_token(token) is not None
        r = c.post("/auth/logout", headers={"Sec-Fetch-Site": "same-origin"}, cookies={sessions.SESSION_COOKIE: token})
        assert r.status_code == 303 and r.headers["location"] == "/?signed_out=1"
        assert auth.owner_for_session_token(token) is None
        r = c.post("/auth/login", content=b"\xff" * 20000, headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert r.status_code in (303, 413)
