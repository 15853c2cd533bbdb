"""Sign-in in a real browser, "accounts" mode with two users: each sees only their own jobs,
wrong and rate-limited sign-ins are told apart, sign-out and an ended session return to the
login view, and B's browser cannot download A's file URL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from pipeline.accounts.users import add_user
from pipeline.store.db import get_engine, migrate, session_scope
from pipeline.store.models import Artifact, Job, Run, user_owner
from tests.support.app_server import running_app

PW = "correct horse battery"


@pytest.fixture(scope="module")
def accounts_app(tmp_path_factory) -> Iterator[tuple[str, dict]]:
    data = tmp_path_factory.mktemp("e2e-auth")
    url = f"sqlite:///{data / 'jobapp.db'}"
    migrate(url)
    folder = data / "applications" / "a"
    folder.mkdir(parents=True)
    (folder / "CV.md").write_text("# Ann A\n\n- A's private CV line.\n")
    with session_scope(url) as s:
        a = add_user(session=s, email="a@example.org", password=PW, is_admin=True)
        b = add_user(session=s, email="b@example.org", password=PW)
        add_user(session=s, email="c@example.org", password=PW)
        ja = Job(owner=user_owner(a.id), source="paste", external_id="a", title="Alpha secret role", company="Acme", description="A only")
        s.add(ja)
        s.add(Job(owner=user_owner(b.id), source="paste", external_id="b", title="Beta visible role", company="Beta", description="B only"))
        s.flush()
        run = Run(job_id=ja.id, owner=user_owner(a.id), status="succeeded", out_dir=str(folder))
        s.add(run)
        s.flush()
        s.add(Artifact(run_id=run.id, name="CV.md", path=str(folder / "CV.md")))
        s.commit()
        info = {"db": url, "run_a": run.id}
    get_engine(url).dispose()
    with running_app(data, env={"SEED_DEMO": "false"}) as app_url:
        yield app_url, info


@pytest.fixture
def new_page(browser, accounts_app):
    app_url, _ = accounts_app
    contexts = []

    def make() -> Page:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(20_000)
        pg.goto(app_url + "/")
        return pg

    yield make
    for ctx in contexts:
        ctx.close()


def sign_in(page: Page, email: str, password: str) -> None:
    expect(page.locator("#login-email")).to_be_visible()
    page.fill("#login-email", email)
    page.fill("#login-password", password)
    with page.expect_navigation():  # the form posts, the server redirects back to the page
        page.click("#login-submit")


def test_wrong_password_then_a_sees_only_her_jobs_and_signs_out(new_page):
    page = new_page()
    expect(page.get_by_test_id("job-row")).to_have_count(0)
    sign_in(page, "a@example.org", "not the password")
    expect(page.locator("#login-message")).to_have_text("Wrong e-mail or password.")
    sign_in(page, "A@Example.org", PW)
    expect(page.locator("#signed-in-as")).to_have_text("a@example.org")
    expect(page.get_by_test_id("job-row")).to_have_count(1)
    expect(page.get_by_test_id("job-row").first).to_contain_text("Alpha secret role")
    expect(page.get_by_text("Beta visible role")).to_have_count(0)
    cookie = next(c for c in page.context.cookies() if c["name"] == "jobapp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie").find("jobapp_session") == -1  # invisible to scripts
    with page.expect_navigation():
        page.click("#logout-button")
    expect(page.locator("#login-email")).to_be_visible()
    expect(page.locator("#login-notice")).to_have_text("Signed out.")
    expect(page.get_by_test_id("job-row")).to_have_count(0)


def test_b_sees_her_jobs_and_cannot_download_a_file(new_page, accounts_app):
    app_url, info = accounts_app
    a = new_page()
    sign_in(a, "a@example.org", PW)
    expect(a.get_by_test_id("job-row")).to_have_count(1)
    file_url = f"{app_url}/files/runs/{info['run_a']}/cv.md"
    assert "private CV line" in a.request.get(file_url).text()
    b = new_page()
    sign_in(b, "b@example.org", PW)
    expect(b.get_by_test_id("job-row").first).to_contain_text("Beta visible role")
    expect(b.get_by_test_id("job-row")).to_have_count(1)
    for url in (file_url, f"{app_url}/files/runs/{info['run_a']}/artifacts/CV.md", f"{app_url}/files/runs/{info['run_a']}/pack.zip"):
        r = b.request.get(url)
        assert r.status == 404 and "private" not in r.text(), url
    assert b.context.request.get(file_url).status == 404
    assert b.request.get(file_url, headers={"Cookie": ""}).status == 404


def test_too_many_attempts_are_refused_even_with_the_right_password(new_page):
    page = new_page()
    for _ in range(5):
        sign_in(page, "c@example.org", "wrong password!")
        expect(page.locator("#login-message")).to_have_text("Wrong e-mail or password.")
        page.evaluate("document.querySelector('#login-message')?.remove()")
    sign_in(page, "c@example.org", PW)
    expect(page.locator("#login-message")).to_contain_text("Too many sign-in attempts. Try again in")
    expect(page.get_by_test_id("job-row")).to_have_count(0)


def test_an_ended_session_returns_to_the_login_view_with_a_message(new_page, accounts_app):
    _, info = accounts_app
    page = new_page()
    sign_in(page, "b@example.org", PW)
    expect(page.get_by_test_id("job-row")).to_have_count(1)
    with get_engine(info["db"]).begin() as conn:
        conn.execute(text("UPDATE loginsession SET revoked_at = CURRENT_TIMESTAMP"))
    # The app caches a sign-in for up to 10 s; keep using the page until it notices.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not page.locator("#login-email").is_visible():
        try:
            page.locator("#job-search").fill(f"x{time.monotonic():.0f}", timeout=1000)
        except Exception:  # the workspace went away between the check and the fill
            pass
        page.wait_for_timeout(500)
    expect(page.locator("#login-message")).to_have_text("Your session has ended. Sign in again.")
