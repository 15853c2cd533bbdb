"""CLI: python -m pipeline ... (used by scripts, the Makefile and tests)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import ValidationError

try:
    from pipeline.logs import configure_logging
    from pipeline.settings import settings
except ValidationError as _bad:  # a bad setting is a refusal in plain words, not a traceback
    from pipeline.serve import settings_problem

    print(f"error: {settings_problem(_bad)}", file=sys.stderr)
    sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    configure_logging()  # LOG_FORMAT/LOG_LEVEL, redacted; a worker's Celery keeps it (celery_app._setup_logging)
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="jobapp engine: the database, imports, runs, PDFs, profiles, matching, accounts and API tokens.",
        epilog="`python -m pipeline COMMAND --help` shows a command's options.",
    )
    sub = parser.add_subparsers(dest="cmd", required=True)

    sub.add_parser("migrate", help="upgrade the database schema to the newest revision")
    serve = sub.add_parser("serve", help="check everything, then build and serve the page and API (what `make run` does)")
    serve.add_argument("--host", default=settings.host, help="address to bind (default HOST, 127.0.0.1); beyond loopback needs a login")
    serve.add_argument("--port", type=int, default=settings.port, help="port for page, API and websocket (default PORT, 3000)")
    serve.add_argument("--check", action="store_true", help="only run the start-up checks and say what they found")
    serve.add_argument("--prebuilt", action="store_true",
                       help="serve the page built ahead of time (the container image) instead of rebuilding it")
    seed = sub.add_parser("seed", help="load demo postings and CV into an empty database")
    seed.add_argument("--force", action="store_true", help="load even when jobs exist (upserts)")

    jobs = sub.add_parser("jobs", help="job postings").add_subparsers(dest="jobs_cmd", required=True)
    imp = jobs.add_parser("import", help="import a JSON/CSV file, the configured MongoDB, a public job board or posting links")
    imp.add_argument("file", nargs="?", type=Path, help="a JSON or CSV file of postings")
    imp.add_argument("--source", default="file", help="source name stored with a file's jobs (default: file); re-imports upsert by source and id")
    imp.add_argument("--mongo", action="store_true", help="import from MONGODB_URI")
    imp.add_argument("--board", metavar="PROVIDER:NAME", help="import a public job board: greenhouse:acme, lever:acme or ashby:acme")
    imp.add_argument("--url", nargs="+", metavar="URL",
                     help="import job postings from their links (at most 50; the link is the job's id, re-imports update)")
    imp.add_argument("--user", metavar="EMAIL", help=USER_HELP)
    lst = jobs.add_parser("list", help="list jobs")
    lst.add_argument("--status", action="append", default=[], help="only jobs with this status (repeatable)")
    lst.add_argument("--query", default="", help="words that must all match the title, company, location or description")
    lst.add_argument("--limit", type=int, default=100, help="at most 500")
    lst.add_argument("--json", action="store_true", help="print the rows as JSON")
    lst.add_argument("--user", metavar="EMAIL", help=USER_HELP)

    run = sub.add_parser("run", help="run the pipeline on one posting (files) or one stored job")
    run.add_argument("--cv", type=Path, help="master CV (markdown)")
    run.add_argument("--jd", type=Path, help="job posting (text or markdown)")
    run.add_argument("--out", type=Path, help="folder for the application pack")
    run.add_argument("--job-id", type=int, help="run a stored job and record the run")
    run.add_argument("--json", action="store_true", help="print result.json")
    run.add_argument("--language", default="", choices=["", "en", "de", "es", "fr", "nl"],
                     help="write the letter, outreach and dossier in this language (default: the posting's; with --cv/--jd)")
    run.add_argument("--user", metavar="EMAIL", help=USER_HELP + " (with --job-id)")

    _add_pdf_parser(sub)
    from pipeline.documents.ats_cli import add_ats_parser, ats_main
    from pipeline.documents.docx_cli import add_docx_parser, docx_main
    from pipeline.text.claims_cli import add_check_parser, check_main

    add_docx_parser(sub)
    add_ats_parser(sub)
    add_check_parser(sub)
    _add_worker_parser(sub)
    from pipeline.profile.cli import add_profile_parser, profile_main

    add_profile_parser(sub)
    match = sub.add_parser("match", help="rank stored jobs for job titles and the active profile")
    match.add_argument("--title", action="append", default=[], help="a title to search (repeatable; default: the profile's suggested titles)")
    match.add_argument("--limit", type=int, default=50, help="at most this many jobs (default 50)")
    match.add_argument("--json", action="store_true", help="print the batch, each title's progress and the results as JSON")
    match.add_argument("--user", metavar="EMAIL", help=USER_HELP)
    from pipeline.accounts.cli_users import add_parser as _add_users_parser

    _add_users_parser(sub)
    from pipeline.accounts.cli_tokens import add_tokens_parser, tokens_main

    add_tokens_parser(sub)
    from pipeline.llm.settings_cli import add_settings_parser, settings_main

    add_settings_parser(sub)

    args = parser.parse_args(argv)
    if args.cmd == "settings":
        return settings_main(args)
    if args.cmd == "serve":
        return _serve(args)
    if args.cmd == "pdf":
        return _pdf(args)
    if args.cmd == "docx":
        return docx_main(args)
    if args.cmd == "ats":
        return ats_main(args)
    if args.cmd == "check":
        return check_main(args)
    if args.cmd == "worker":
        return _worker(args)
    if args.cmd == "profile":
        return profile_main(args)
    if args.cmd == "run" and args.job_id is None:
        return _run_files(args)
    from pipeline.store.db import migrate

    settings.ensure_dirs()
    migrate()
    if args.cmd == "run":
        return _run_job(args)
    if args.cmd == "users":
        from pipeline.accounts.cli_users import run as users_run

        return users_run(args)
    if args.cmd == "tokens":
        return tokens_main(args)
    if args.cmd == "match":
        from pipeline.matching.cli import match_command

        owner = _owner_of(args)
        return EXIT_BAD_INPUT if owner is None else match_command(args.title, as_json=args.json, limit=args.limit, owner=owner)
    if args.cmd == "migrate":
        print("database is at the newest revision")
        return 0
    if args.cmd == "seed":
        return _seed(args.force)
    if args.jobs_cmd == "import":
        return _import(args)
    return _list(args)


EXIT_OK, EXIT_BAD_INPUT, EXIT_FAILED = 0, 2, 3
USER_HELP = "act on this account's data (default: the local user of the embedded app)"


def _owner_of(args: argparse.Namespace) -> str | None:
    """`--user EMAIL` -> that account's owner; the local owner without it; None (and a message) if unknown."""
    from pipeline.accounts.users import owner_for_email
    from pipeline.store.db import session_scope

    with session_scope() as session:
        owner = owner_for_email(session=session, email=getattr(args, "user", None))
    if owner is None:
        print(f"error: no account {args.user!r} (see: python -m pipeline users list)", file=sys.stderr)
    return owner


def _run_files(args: argparse.Namespace) -> int:
    """`run --cv --jd --out`: no database; exit 0 success, 2 bad input, 3 run failed."""
    import asyncio

    from pipeline.graph.schemas import Posting
    from pipeline.runs.events import MemorySink, stderr_echo
    from pipeline.runs.runner import run_files

    if not (args.cv and args.jd and args.out):
        print("error: give --cv, --jd and --out (or --job-id)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        cv = args.cv.read_text(encoding="utf-8")
        jd = args.jd.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    first = next((ln.strip("# ").strip() for ln in jd.splitlines() if ln.strip()), "")
    posting = Posting(title=first[:200], description=jd)
    outcome = asyncio.run(run_files(cv_markdown=cv, posting=posting, out_dir=args.out, sink=MemorySink(echo=stderr_echo), language=args.language))
    return _report(outcome, args.json)


def _run_job(args: argparse.Namespace) -> int:
    """`run --job-id N`: a stored job, recorded as a Run with its events and artifacts."""
    import asyncio

    from pipeline.runs.checkpoint import open_checkpointer
    from pipeline.runs.events import DbSink, stderr_echo
    from pipeline.runs.runner import execute_run
    from pipeline.store.db import session_scope
    from pipeline.store.jobs import get_job
    from pipeline.store.runs import create_run

    owner = _owner_of(args)
    if owner is None:
        return EXIT_BAD_INPUT
    with session_scope() as s:
        if get_job(session=s, job_id=args.job_id, owner=owner) is None:
            print(f"error: job {args.job_id} not found", file=sys.stderr)
            return EXIT_BAD_INPUT
    _note_closed_link(args.job_id, owner)
    with session_scope() as s:
        run_id = create_run(session=s, job_id=args.job_id, owner=owner).id

    async def go():
        async with open_checkpointer() as saver:
            return await execute_run(run_id, checkpointer=saver, sink=DbSink(run_id, echo=stderr_echo))

    outcome = asyncio.run(go())
    print(f"run {run_id}: {outcome.status}", file=sys.stderr)
    return _report(outcome, args.json)


def _note_closed_link(job_id: int, owner: str) -> None:
    """A link older than LINK_CHECK_DAYS is read again first, as Process does; a job named on the
    command line runs even when its posting looks closed (like the row's own Process), with a note."""
    from pipeline.sources.links import screen_for_process
    from pipeline.store.db import session_scope
    from pipeline.store.jobs import get_job

    if screen_for_process([job_id], owner=owner).closed:
        with session_scope() as s:
            note = get_job(session=s, job_id=job_id, owner=owner).link_note
        print(f"note: the posting looks closed ({note}); running it anyway, as you named it", file=sys.stderr)


def _report(outcome, as_json: bool) -> int:
    if outcome.status != "succeeded":
        print(f"run failed ({outcome.error_code}): {outcome.error}", file=sys.stderr)
        return EXIT_BAD_INPUT if outcome.error_code == "invalid_input" else EXIT_FAILED
    if as_json:
        print(json.dumps(outcome.result, ensure_ascii=False, indent=2, default=str))
    else:
        r = outcome.result or {}
        print(f"fit {r.get('fit_score')}/100; {len(r.get('pain_points', []))} pain points; cost ${r.get('cost_usd', 0):.4f}")
    return EXIT_OK


def _add_pdf_parser(sub) -> None:
    from pipeline.render.templates import PAGE_SIZES, TEMPLATES

    pdf = sub.add_parser("pdf", help="print a CV or dossier (markdown or HTML) to PDF; no database needed")
    pdf.add_argument("input", type=Path, help="INPUT.md or INPUT.html")
    pdf.add_argument("output", type=Path, help="OUT.pdf")
    pdf.add_argument("--kind", choices=("cv", "letter", "dossier"), default="cv", help="what INPUT is (default: cv)")
    pdf.add_argument("--template", choices=TEMPLATES, default="classic", help="CV template (ignored for a dossier)")
    pdf.add_argument("--page-size", choices=PAGE_SIZES, default="A4", help="paper size (default: A4)")
    pdf.add_argument("--ats-safe", action="store_true", help="plain quotes, dashes and bullets (CV only)")
    pdf.add_argument("--fit-pages", type=int, choices=(1, 2), metavar="N",
                     help="CV only: remove the least relevant bullets (never the newest role's) until it prints on N pages (1 or 2)")
    pdf.add_argument("--jd", type=Path, metavar="POSTING",
                     help="with --fit-pages: the job posting (.md or .txt) that decides which bullets matter")  # fmt: skip


def _pdf(args: argparse.Namespace) -> int:
    """`pdf INPUT OUT`: exit 0 written, 2 bad input or output path, 3 rendering failed (or the CV cannot fit --fit-pages)."""
    from pipeline.render.markdown import render_markdown, sanitize_html
    from pipeline.render.pdf import PdfError, render_pdf_sync
    from pipeline.render.templates import cv_document, dossier_document, letter_document

    suffix = args.input.suffix.lower()
    if suffix not in (".md", ".markdown", ".html", ".htm"):
        print(f"error: {args.input} is neither markdown (.md) nor HTML (.html)", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.jd is not None and args.fit_pages is None:
        print("error: --jd only says which bullets matter when fitting; add --fit-pages 1 or 2", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.fit_pages is not None and (args.kind != "cv" or suffix not in (".md", ".markdown")):
        print("error: --fit-pages shortens a CV written in markdown (.md), not a dossier or an HTML file", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.jd is not None and args.jd.suffix.lower() not in (".md", ".markdown", ".txt"):
        print(f"error: {args.jd} is not a posting in markdown (.md) or plain text (.txt)", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        text = args.input.read_text(encoding="utf-8")
        jd = args.jd.read_text(encoding="utf-8") if args.jd is not None else None
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    title = args.input.stem
    fitted = None
    if args.fit_pages is not None:
        # One browser for every trial print: launching Chromium costs more than a render.
        import asyncio

        from pipeline.documents.fit import fit_to_pages
        from pipeline.render.pdf import PdfRenderer, PdfResult
        from pipeline.text.posting import analyse

        if jd is not None and not jd.strip():
            print(f"error: the posting {args.jd} is empty", file=sys.stderr)
            return EXIT_BAD_INPUT
        posting = analyse("", "", "", jd) if jd is not None else None
        printed: dict[str, PdfResult] = {}  # each trial's PDF, so the fitted one is not printed again

        async def fit():
            renderer = PdfRenderer(max_concurrent=1)

            async def count_pages(markdown: str) -> int:
                html = cv_document(render_markdown(markdown), template=args.template, page_size=args.page_size, title=title,
                                   ats_safe=args.ats_safe)  # fmt: skip
                printed[markdown] = await renderer.render(html)
                return printed[markdown].pages

            try:
                return await fit_to_pages(text, pages=args.fit_pages, posting=posting, count_pages=count_pages)
            finally:
                await renderer.close()

        try:
            fitted = asyncio.run(fit())
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
        except PdfError as exc:
            print(f"error ({exc.code}): {exc}", file=sys.stderr)
            return EXIT_FAILED
        if not fitted.fits:
            print(f"error: {fitted.message}", file=sys.stderr)
            for line in fitted.would_remove:
                print(f"would remove: {' '.join(part.strip() for part in line.splitlines())}", file=sys.stderr)
            return EXIT_FAILED
        result = printed[fitted.markdown]
    else:
        if args.kind == "letter" and suffix in (".md", ".markdown"):
            from pipeline.cv.letter import letter_markdown

            text = letter_markdown(text)  # "Kind regards,\nJane" stays two lines, as in the page
        body = render_markdown(text) if suffix in (".md", ".markdown") else sanitize_html(text)
        if args.kind == "cv":
            html = cv_document(body, template=args.template, page_size=args.page_size, title=title, ats_safe=args.ats_safe)
        elif args.kind == "letter":
            html = letter_document(body, page_size=args.page_size, title=title)
        else:
            html = dossier_document(body, page_size=args.page_size, title=title)
        try:
            result = render_pdf_sync(html)
        except PdfError as exc:
            print(f"error ({exc.code}): {exc}", file=sys.stderr)
            return EXIT_FAILED
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_bytes(result.data)
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{args.output}: {result.pages} page{'s' if result.pages != 1 else ''} ({args.page_size})")
    if fitted is not None:
        trials = f"{fitted.renders} trial print{'s' if fitted.renders != 1 else ''}"
        print(f"{fitted.message.rstrip('.')} (it printed on {fitted.pages_before}; {trials}).")
        for line in fitted.removed:
            print(f"removed: {' '.join(part.strip() for part in line.splitlines())}")
    if result.spill:
        print(f"warning: the last page holds only a few lines; try --template compact or trim the {args.kind}", file=sys.stderr)
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """`serve`: refuse in plain words (exit 2) before anything is built or written."""
    from pipeline.serve import StartRefused, Target, preflight, serve

    target = Target(host=args.host, port=args.port)
    try:
        if args.check:
            preflight(target)
            print(f"ok: jobapp can start on {target.host}:{target.port}")
            return 0
        serve(target, prebuilt=args.prebuilt)
    except StartRefused as exc:
        print(f"jobapp will not start: {exc}", file=sys.stderr)
        return 2
    return 0  # not reached: serve() becomes `reflex run`


def _add_worker_parser(sub) -> None:
    worker = sub.add_parser("worker", help="start a Celery worker for runs (hosted mode; needs REDIS_URL)")
    worker.add_argument("--concurrency", type=int, default=None, help="runs at once in this worker (default MAX_CONCURRENCY)")


def _worker(args: argparse.Namespace) -> int:
    """`worker [--concurrency N]`: blocks until the worker stops; the schema is migrated by the app."""
    from pipeline.runs.worker import main as worker_main

    return worker_main(args.concurrency)


def _seed(force: bool) -> int:
    from pipeline.sources.demo import load_demo
    from pipeline.store.db import session_scope

    with session_scope() as session:
        summary = load_demo(session=session, force=force)
    print(json.dumps(summary.as_dict() if summary else {"seeded": False, "reason": "database already has jobs"}))
    return 0


def _import(args: argparse.Namespace) -> int:
    from pipeline.sources.base import SourceError
    from pipeline.sources.importer import import_file, import_mongo
    from pipeline.store.db import session_scope

    owner = _owner_of(args)
    if owner is None:
        return 2
    try:
        with session_scope() as session:
            if args.mongo:
                summary = import_mongo(session=session, owner=owner)
            elif args.url:
                from pipeline.sources.links import import_urls

                summary = import_urls(session=session, urls=args.url, owner=owner)
            elif args.board:
                from pipeline.sources.importer import import_board_spec

                summary = import_board_spec(session=session, spec=args.board, owner=owner)
            elif args.file is None:
                print("error: give a FILE, --mongo, --board PROVIDER:NAME or --url URL [URL ...]", file=sys.stderr)
                return 2
            else:
                data = _read_limited(args.file)
                summary = import_file(session=session, data=data, filename=args.file.name, source=args.source, owner=owner)
    except (SourceError, OSError) as exc:
        print(json.dumps({"imported": 0, "updated": 0, "skipped": 0, "errors": [{"line": 0, "error": str(exc)}]}))
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary.as_dict(), ensure_ascii=False))
    return 0


def _read_limited(path: Path) -> bytes:
    """Refuse before reading a file that is over the import limit."""
    from pipeline.sources.base import SourceError

    size = path.stat().st_size
    if size > settings.max_import_bytes:
        raise SourceError(f"File is {size / 1e6:.1f} MB; the limit is {settings.max_import_bytes / 1e6:.0f} MB.")
    return path.read_bytes()


def _list(args: argparse.Namespace) -> int:
    from pipeline.store.db import session_scope
    from pipeline.store.jobs import JobQuery, list_jobs

    owner = _owner_of(args)
    if owner is None:
        return 2
    with session_scope() as session:
        page = list_jobs(session=session, query=JobQuery(q=args.query, statuses=args.status, page_size=args.limit, owner=owner))
    rows = page.rows
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, default=str))
    else:
        for r in rows:
            score = "" if r["fit_score"] is None else r["fit_score"]
            print(f"{r['id']:>6}  {r['status']:<12} {score!s:>3}  {r['title'][:50]:<50}  {r['company'][:30]}")
        print(f"{page.total} job(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
