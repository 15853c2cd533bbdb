"""jobapp/routes.py: every URL the page links to is one the server routes, to the right handler,
and the query it carries is read back by the download routes as it was meant."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import reflex as rx
from reflex.vars.base import Var
from starlette.requests import Request
from starlette.routing import Match, Route, compile_path

from jobapp import routes
from jobapp.api import files
from pipeline.render.templates import DEFAULT_PAGE_SIZE, DEFAULT_TEMPLATE, PAGE_SIZE_LABELS, PAGE_SIZES, TEMPLATE_LABELS, TEMPLATES

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "jobapp").is_dir())  # tests/ or tests/<kind>/


def _scope(url: str, method: str = "GET") -> dict:
    """The ASGI scope a server gives the app for `url`: the path percent-decoded, the query as sent."""
    parts = urlsplit(url)
    return {"type": "http", "method": method, "path": unquote(parts.path), "raw_path": parts.path.encode(), "root_path": "",
            "query_string": parts.query.encode(), "headers": []}  # fmt: skip


def _route_for(url: str, method: str = "GET") -> tuple[Route, dict]:
    """The FILE_ROUTES route that fully accepts `url`, and the path parameters it reads from it."""
    found = []
    for route in files.FILE_ROUTES:
        match, child = route.matches(_scope(url, method))
        if match == Match.FULL:
            found.append((route, child["path_params"]))
    assert len(found) == 1, (url, found)
    return found[0]


# --- every builder against the server's route table ------------------------------------------------

FILE_LINKS = [
    (routes.artifact(7, "cover_letter.md"), files.artifact_route, {"run_id": 7, "name": "cover_letter.md"}),
    (routes.artifact(7, "result.json", download=True), files.artifact_route, {"run_id": 7, "name": "result.json"}),
    (routes.cv_pdf(12, "compact", "Letter", True), files.cv_pdf_route, {"run_id": 12}),
    (routes.dossier_pdf(12), files.dossier_pdf_route, {"run_id": 12}),
    (routes.dossier_pdf(12, "Letter"), files.dossier_pdf_route, {"run_id": 12}),
    (routes.cv_md(3), files.cv_md_route, {"run_id": 3}),
    (routes.pack_zip(3, "classic", "A4"), files.pack_route, {"run_id": 3}),
    (routes.cv_docx(3, "modern", "Letter", True), files.cv_docx_route, {"run_id": 3}),
    (routes.letter_pdf(4), files.letter_pdf_route, {"run_id": 4}),
    (routes.letter_pdf(4, "Letter"), files.letter_pdf_route, {"run_id": 4}),
    (routes.letter_docx(4, "A4"), files.letter_docx_route, {"run_id": 4}),
    (routes.letter_md(4), files.letter_md_route, {"run_id": 4}),
    (routes.profile_original(41), files.profile_original_route, {"profile_id": 41}),
    (routes.interview_ics(8), files.interview_ics_route, {"interview_id": 8}),
    (routes.cv_pdf(12, "compact", "Letter", True, version=3), files.cv_pdf_route, {"run_id": 12}),
    (routes.cv_md(3, 2), files.cv_md_route, {"run_id": 3}),
    (routes.cv_docx(3, "modern", "A4", version=2), files.cv_docx_route, {"run_id": 3}),
    (routes.letter_pdf(4, version=2), files.letter_pdf_route, {"run_id": 4}),
    (routes.letter_docx(4, "Letter", version=2), files.letter_docx_route, {"run_id": 4}),
    (routes.letter_md(4, 5), files.letter_md_route, {"run_id": 4}),
]


@pytest.mark.parametrize(("url", "handler", "params"), FILE_LINKS, ids=[u for u, _, _ in FILE_LINKS])
def test_every_file_link_reaches_its_handler_with_its_ids(url, handler, params):
    assert isinstance(url, str) and url.startswith(routes.FILES + "/")
    route, got = _route_for(url)
    assert route.endpoint is handler
    assert got == params


def test_the_server_registers_exactly_the_shared_patterns():
    patterns = {
        routes.ARTIFACT, routes.CV_PDF, routes.DOSSIER_PDF, routes.CV_MD, routes.PACK_ZIP, routes.PROFILE_ORIGINAL,
        routes.CV_DOCX, routes.LETTER_PDF, routes.LETTER_DOCX, routes.LETTER_MD, routes.INTERVIEW_ICS, routes.CALENDAR_FEED,
    }  # fmt: skip
    assert {r.path for r in files.FILE_ROUTES} == patterns


def test_an_artifact_name_is_escaped_and_reaches_the_handler_as_written():
    url = routes.artifact(5, "odd name#1.md")
    assert url == "/files/runs/5/artifacts/odd%20name%231.md"  # '#' would otherwise end the path
    assert _route_for(url)[1] == {"run_id": 5, "name": "odd name#1.md"}


# --- the query the links carry is the one the routes read -----------------------------------------


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("ats", [False, True])
@pytest.mark.parametrize("build", [routes.cv_pdf, routes.pack_zip, routes.cv_docx])
def test_layout_query_round_trips_through_the_download_routes(build, template, page_size, ats):
    url = build(9, template, page_size, ats)
    assert files._layout_args(Request(_scope(url))) == {"template": template, "page_size": page_size, "ats_safe": ats}


@pytest.mark.parametrize(
    ("url", "version", "page_size"),
    [(routes.cv_pdf(9, "modern", "Letter", True, version=3), "3", "Letter"), (routes.cv_md(9, 2), "2", DEFAULT_PAGE_SIZE),
     (routes.letter_pdf(9, version=4), "4", DEFAULT_PAGE_SIZE), (routes.letter_pdf(9, "Letter", 4), "4", "Letter"),
     (routes.letter_md(9), None, DEFAULT_PAGE_SIZE)],
)  # fmt: skip
def test_a_sent_version_is_the_query_the_document_routes_read(url, version, page_size):
    request = Request(_scope(url))
    assert request.query_params.get(routes.VERSION_PARAM) == version and files._layout_args(request)["page_size"] == page_size


def test_dossier_page_size_and_the_defaults():
    assert files._layout_args(Request(_scope(routes.dossier_pdf(1, "Letter"))))["page_size"] == "Letter"
    plain = files._layout_args(Request(_scope(routes.dossier_pdf(1))))
    assert plain == {"template": DEFAULT_TEMPLATE, "page_size": DEFAULT_PAGE_SIZE, "ats_safe": False}


def test_the_download_flag_is_what_the_artifact_route_checks():
    assert Request(_scope(routes.artifact(1, "x.md", download=True))).query_params.get(routes.DOWNLOAD_PARAM)
    assert not Request(_scope(routes.artifact(1, "x.md"))).query_params.get(routes.DOWNLOAD_PARAM)


def test_every_template_and_page_size_has_a_label():
    assert list(TEMPLATE_LABELS) == list(TEMPLATES) and list(PAGE_SIZE_LABELS) == list(PAGE_SIZES)


# --- sign-in forms and the REST API ---------------------------------------------------------------


def test_sign_in_and_out_posts_reach_their_handlers():
    from jobapp.auth_routes import login_route, logout_route
    from jobapp.jobapp import api

    for url, handler in ((routes.LOGIN, login_route), (routes.LOGOUT, logout_route)):
        hits = [r for r in api.routes if isinstance(r, Route) and r.matches(_scope(url, "POST"))[0] == Match.FULL]
        assert [r.endpoint for r in hits] == [handler], url


def test_api_artifact_links_match_the_api_route_table():
    from jobapp.api.app import api_mount, build_api

    assert api_mount().path == routes.API_PREFIX
    url = routes.api_run_artifact(41, "CV.md")
    assert url == "/api/runs/41/artifacts/CV.md"
    inner = url[len(routes.API_PREFIX) :]
    api_paths = [p for p, ops in build_api().openapi()["paths"].items() if "get" in ops]
    matching = [p for p in api_paths if compile_path(p)[0].match(inner)]
    assert matching == ["/runs/{run_id}/artifacts/{name}"]


# --- Vars: the same builders, evaluated by the browser --------------------------------------------


def _var(name: str, typ: type) -> Var:
    return Var(_js_expr=f"state.{name}", _var_type=typ).guess_type()


def test_builders_accept_reflex_vars_and_keep_the_route_pieces():
    run_id, template, page_size, ats = _var("run_id", int), _var("template", str), _var("page_size", str), _var("ats", bool)
    built = {
        "cv_pdf": routes.cv_pdf(run_id, template, page_size, ats),
        "pack_zip": routes.pack_zip(run_id, template, page_size, ats),
        "dossier_pdf": routes.dossier_pdf(run_id, page_size),
        "cv_md": routes.cv_md(run_id),
        "profile_original": routes.profile_original(run_id),
        "artifact": routes.artifact(run_id, template),
    }
    for name, value in built.items():
        assert isinstance(value, Var), name
    js = {name: str(value) for name, value in built.items()}
    assert js["cv_pdf"] == (
        '(((((("/files/runs/"+state.run_id)+"/cv.pdf?template=")+state.template)+"&page_size=")+state.page_size)'
        '+(state.ats ? "&ats=1" : ""))'
    )
    assert js["cv_md"] == '(("/files/runs/"+state.run_id)+"/cv.md")'
    assert js["profile_original"] == '(("/files/profiles/"+state.run_id)+"/original")'
    assert "/pack.zip?template=" in js["pack_zip"] and "/dossier.pdf?page_size=" in js["dossier_pdf"]
    # a Var inside a component renders as that expression
    assert 'to:(("/files/runs/"+state.run_id)+"/cv.md")' in str(rx.el.a("CV.md", href=built["cv_md"]))


