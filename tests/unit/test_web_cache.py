"""The fetched-page cache (issue 18): 20 jobs at one company fetch its site once.

Reads go through `pipeline.web.cache.cached_fetch` into the store's `web_page` table; every
test here turns the cache on (tests/conftest.py turns it off for all others) and points it at
the test's own store. Runs on SQLite here and on PostgreSQL from tests/integration/on_postgres/.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from pipeline.settings import Settings, settings
from pipeline.store.db import get_engine
from pipeline.store.models import WebPage
from pipeline.store.webcache import get_page, put_page
from pipeline.web import cache, site
from pipeline.web.cache import cached_fetch
from pipeline.web.fetch import FetchError
from pipeline.web.site import ResearchBudget, read_site_cached
from tests.support.company_site import routes
from tests.support.web_pages import Route, WebServer

PAGES = {"/", "/about-us", "/team", "/news/", "/careers", "/about/leadership"}


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The cache on (7 days), in this test's store, local servers allowed."""
    monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "1")
    monkeypatch.setenv("WEB_CACHE_DAYS", "7")
    monkeypatch.setattr(settings, "db_url", db_url)
    monkeypatch.setattr(cache, "_warned", False)
    site.clear_cache()
    yield db_url
    site.clear_cache()


def asked(web: WebServer) -> Counter[str]:
    return Counter(p for p, _ in web.requests)


def rows(db_url: str) -> dict[str, WebPage]:
    with Session(get_engine(db_url)) as s:
        return {r.url: r for r in s.exec(select(WebPage)).all()}


def fresh_read(web: WebServer, **budget: float) -> tuple[site.SiteRead, ResearchBudget]:
    """One run's read, as a new process would do it (no in-memory read to share)."""
    site.clear_cache()
    b = ResearchBudget(min_interval=budget.pop("min_interval", 0.0), **budget)
    return read_site_cached(web.url("/"), b), b


def test_twenty_reads_within_the_ttl_fetch_each_page_once(store: str) -> None:
    with WebServer(routes()) as web:
        reads = [fresh_read(web) for _ in range(20)]
    first, b1 = reads[0]
    assert {p.url.removeprefix(web.base_url) for p in first.pages} == PAGES
    assert asked(web) == Counter({"/robots.txt": 1, **dict.fromkeys(PAGES, 1)})  # each page once, for all 20 reads
    assert (first.fetched, first.cache_hits, b1.calls) == (7, 0, 7)
    for read, b in reads[1:]:
        assert [(p.url, p.kind, p.title, p.text) for p in read.pages] == [(p.url, p.kind, p.title, p.text) for p in first.pages]
        assert (read.fetched, read.cache_hits) == (0, 7)  # robots.txt and six pages from the store
        assert b.calls == 0 and b.requested == []  # a hit costs the run's budget nothing
        assert read.skipped_by_robots == first.skipped_by_robots  # robots rules still apply to cached pages
        assert all(p.fetched_at == q.fetched_at for p, q in zip(read.pages, first.pages, strict=True))  # when it was really read
    kept = rows(store)
    assert set(kept) == {web.url(p) for p in (*PAGES, "/robots.txt")}
    assert kept[web.url("/robots.txt")].content_type == "text/plain" and "Disallow: /blog/" in kept[web.url("/robots.txt")].text


def test_a_hit_waits_for_no_politeness_interval(store: str) -> None:
    with WebServer(routes()) as web:
        fresh_read(web, max_pages=3)
        t0 = time.monotonic()
        read, b = fresh_read(web, max_pages=3, min_interval=2.0)
        took = time.monotonic() - t0
    assert len(read.pages) == 3 and read.cache_hits == 4 and b.calls == 0
    assert took < 2.0  # three live requests would have waited 3 x 2 s


def test_an_expired_entry_is_fetched_again(store: str) -> None:
    with WebServer(routes()) as web:
        fresh_read(web)
        with get_engine(store).begin() as conn:  # the about page was read 8 days ago
            conn.execute(
                update(WebPage).where(WebPage.url == web.url("/about-us")).values(fetched_at=datetime.now(UTC) - timedelta(days=8))
            )
        read, b = fresh_read(web)
        assert asked(web)["/about-us"] == 2 and asked(web)["/team"] == 1
        assert (read.fetched, read.cache_hits, b.calls) == (1, 6, 1)
        assert rows(store)[web.url("/about-us")].fetched_at > datetime.now(UTC) - timedelta(minutes=1)  # refreshed
        read, _ = fresh_read(web)
        assert asked(web)["/about-us"] == 2 and read.cache_hits == 7


def test_the_ttl_comes_from_web_cache_days(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with WebServer(routes()) as web:
        fresh_read(web)
        with get_engine(store).begin() as conn:
            conn.execute(update(WebPage).values(fetched_at=datetime.now(UTC) - timedelta(days=2)))
        fresh_read(web)  # 2 days old, 7 days allowed
        assert asked(web)["/"] == 1
        monkeypatch.setenv("WEB_CACHE_DAYS", "1")
        fresh_read(web)
        assert asked(web)["/"] == 2


def test_web_cache_days_0_never_caches(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEB_CACHE_DAYS", "0")
    with WebServer(routes()) as web:
        for _ in range(3):
            read, b = fresh_read(web)
            assert read.cache_hits == 0 and b.calls == 7
    assert asked(web)["/"] == 3 and asked(web)["/robots.txt"] == 3
    assert rows(store) == {}


def test_web_cache_days_setting_is_the_default(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEB_CACHE_DAYS")
    assert Settings(_env_file=None).web_cache_days == 7  # a week unless set
    monkeypatch.setattr(settings, "web_cache_days", 3)
    assert cache.cache_days() == 3  # the setting, when the environment does not say
    monkeypatch.setenv("WEB_CACHE_DAYS", "0.5")
    assert cache.cache_days() == 0.5  # the environment as it is now wins (tests, the bench)


def test_a_5xx_or_429_is_never_kept_but_a_404_is(store: str) -> None:
    r = routes()
    r["/team"] = Route("<h1>Down</h1>", status=503)
    r["/careers"] = Route("<h1>Slow down</h1>", status=429)
    del r["/robots.txt"]  # 404: everything allowed, and remembered
    with WebServer(r) as web:
        fresh_read(web)
        read, b = fresh_read(web)
    n = asked(web)
    assert n["/team"] == 2 and n["/careers"] == 2  # asked again: it may work next time
    assert n["/robots.txt"] == 1 and n["/about-us"] == 1
    kept = rows(store)
    assert web.url("/team") not in kept and web.url("/careers") not in kept
    assert kept[web.url("/robots.txt")].status == 404 and kept[web.url("/robots.txt")].text == ""
    assert b.calls == 2 and read.fetched == 2  # only the two failing pages went to the web
    assert "/blog/" in {p.url.removeprefix(web.base_url) for p in read.pages}  # the remembered 404 robots.txt still allows all


def test_a_remembered_404_page_raises_like_the_fetch(store: str) -> None:
    with WebServer({}) as web:
        for _ in range(2):
            with pytest.raises(FetchError) as exc:
                cached_fetch(web.url("/gone"), timeout=5)
            assert exc.value.code == "http_status" and exc.value.status == 404 and exc.value.gone
    assert asked(web)["/gone"] == 1
    assert getattr(exc.value, "from_cache", False)


def test_a_timeout_is_not_kept(store: str) -> None:
    with WebServer({"/slow": Route("<p>late</p>", delay=1.0)}) as web:
        for _ in range(2):
            with pytest.raises(FetchError) as exc:
                cached_fetch(web.url("/slow"), timeout=0.3)
            assert exc.value.code == "timeout"
    assert rows(store) == {}


def test_the_budget_is_asked_only_on_a_miss(store: str) -> None:
    taken: list[str] = []

    def take(url: str) -> float:
        taken.append(url)
        return 5.0

    with WebServer({"/p": Route("<html><body><p>hello</p></body></html>")}) as web:
        a = cached_fetch(web.url("/p"), timeout=take)
        b = cached_fetch(web.url("/p#top"), timeout=take)  # the fragment is not part of the key
    assert taken == [web.url("/p")] and (a.from_cache, b.from_cache) == (False, True)
    assert b.text == a.text and b.url == web.url("/p#top") and b.status == 200


def test_a_redirect_is_kept_under_the_url_asked_for(store: str) -> None:
    r = {"/old": Route("", status=301, headers={"Location": "/new"}), "/new": Route("<p>new home</p>")}
    with WebServer(r) as web:
        first = cached_fetch(web.url("/old"), timeout=5)
        again = cached_fetch(web.url("/old"), timeout=5)
    assert again.from_cache and again.final_url == first.final_url == web.url("/new")
    assert asked(web) == Counter({"/old": 1, "/new": 1})


def test_a_page_kept_for_html_does_not_answer_a_text_fetch(store: str) -> None:
    with WebServer({"/x": Route("<p>page</p>")}) as web:
        cached_fetch(web.url("/x"), timeout=5)
        with pytest.raises(FetchError):
            cached_fetch(web.url("/x"), timeout=5, accept=("text/plain",))
    assert asked(web)["/x"] == 2


def test_a_private_page_kept_earlier_is_not_shown_once_private_fetches_are_off(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with WebServer({"/x": Route("<p>intranet</p>")}) as web:
        cached_fetch(web.url("/x"), timeout=5)
        monkeypatch.setenv("ALLOW_PRIVATE_FETCH", "0")
        with pytest.raises(FetchError) as exc:
            cached_fetch(web.url("/x"), timeout=5)
    assert exc.value.code == "private_address"


def test_an_unreachable_store_falls_back_to_fetching_and_says_so_once(store: str, tmp_path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(settings, "db_url", f"sqlite:///{tmp_path / 'never-migrated.db'}")  # no web_page table
    with caplog.at_level(logging.WARNING, logger="pipeline.web.cache"), WebServer(routes()) as web:
        reads = [fresh_read(web) for _ in range(2)]
    assert all(len(r.pages) == 6 and r.cache_hits == 0 and r.error == "" for r, _ in reads)
    assert asked(web)["/"] == 2
    assert len([r for r in caplog.records if "not available" in r.getMessage()]) == 1


# ---------------------------------------------------------------- the store functions


def test_put_and_get_page(session: Session) -> None:
    now = datetime.now(UTC)
    url = "https://northwind.example/about"
    assert put_page(session=session, url=url, final_url=url, status=200, content_type="text/html", text="about\x00us", fetched_at=now)
    session.commit()
    row = get_page(session=session, url=url, max_age=timedelta(days=7))
    assert row is not None and row.text == "aboutus" and row.status == 200  # NUL dropped: PostgreSQL text cannot hold it
    assert get_page(session=session, url=url, max_age=timedelta(days=7), now=now + timedelta(days=8)) is None
    assert get_page(session=session, url=url, max_age=timedelta(0)) is None
    assert get_page(session=session, url=url + "/x", max_age=timedelta(days=7)) is None

    put_page(session=session, url=url, final_url=url + "/", status=200, text="new text")  # a refresh replaces the row
    session.commit()
    assert [(r.text, r.final_url) for r in session.exec(select(WebPage)).all()] == [("new text", url + "/")]


def test_put_page_keeps_only_what_is_worth_keeping(session: Session) -> None:
    base = "https://northwind.example/"
    for status in (500, 503, 429, 403, 301):
        assert put_page(session=session, url=f"{base}{status}", final_url="", status=status, text="x") is None
    assert put_page(session=session, url=base + "x" * 2000, final_url="", status=200, text="x") is None
    gone = put_page(session=session, url=base + "gone", final_url="", status=410, text="<h1>Gone</h1>")
    session.commit()
    assert gone is not None and gone.text == "" and gone.final_url == base + "gone"
    assert [r.url for r in session.exec(select(WebPage)).all()] == [base + "gone"]


def test_canonical_keys() -> None:
    assert cache.canonical("HTTPS://Northwind.Example") == "https://northwind.example/"
    assert cache.canonical("https://northwind.example/About?x=1#team") == "https://northwind.example/About?x=1"


def test_put_page_updates_the_row_another_process_kept_first(session: Session, db_url: str) -> None:
    """The insert race: our look-up found nothing, another process inserted since; the unique URL sends us to update theirs."""
    url = "https://northwind.example/team"
    with Session(get_engine(db_url)) as other:
        put_page(session=other, url=url, final_url=url, status=200, text="theirs")
        other.commit()

    class Stale:
        """`session`, whose first look-up still sees the table as it was before the other process."""

        def __init__(self, inner: Session) -> None:
            self.inner, self.looked = inner, False

        def exec(self, stmt):
            if not self.looked:
                self.looked = True
                return type("Empty", (), {"first": staticmethod(lambda: None)})()
            return self.inner.exec(stmt)

        def __getattr__(self, name: str):
            return getattr(self.inner, name)

    row = put_page(session=Stale(session), url=url, final_url=url, status=200, text="ours")  # type: ignore[arg-type]
    session.commit()
    assert row is not None and [(r.url, r.text) for r in session.exec(select(WebPage)).all()] == [(url, "ours")]
