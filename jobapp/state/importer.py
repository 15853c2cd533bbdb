"""The import dialog: file upload, pasted posting, posting links, a company's job board, MongoDB."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from jobapp.state import handoffs
from jobapp.state.base import AppState, in_session
from jobapp.state.views import RowProblem, row_problem
from pipeline.settings import settings
from pipeline.sources.base import SourceError
from pipeline.sources.importer import import_board, import_file, import_mongo, import_paste
from pipeline.sources.links import MAX_URLS, read_links, split_links, store_links
from pipeline.store.jobs import ImportSummary

BOARD_PROVIDERS = {"greenhouse": "Greenhouse", "lever": "Lever", "ashby": "Ashby"}


@dataclasses.dataclass
class LinkResult:
    """One pasted link's outcome, as the Links tab lists it."""

    line: int = 0
    url: str = ""
    outcome: str = ""  # created, updated, unchanged, error
    title: str = ""
    error: str = ""


class ImportState(AppState):
    open: bool = False
    tab: str = "file"
    busy: bool = False
    summary: str = ""
    problems: list[RowProblem] = []
    error: str = ""

    paste_title: str = ""
    paste_company: str = ""
    paste_url: str = ""
    paste_location: str = ""
    paste_text: str = ""

    links_text: str = ""
    link_results: list[LinkResult] = []

    board_provider: str = "greenhouse"
    board_name: str = ""

    mongo_database: str = settings.mongodb_database
    mongo_collection: str = settings.mongodb_collection

    @rx.var
    def mongo_configured(self) -> bool:
        return bool(settings.mongodb_uri)

    @rx.var
    def max_file_mb(self) -> int:
        return max(1, settings.max_import_bytes // (1024 * 1024))

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if value:
            self.summary, self.problems, self.error, self.link_results = "", [], "", []

    @rx.event
    def set_tab(self, value: str):
        self.tab = value

    @rx.event
    def set_paste_field(self, name: str, value: str):
        if name in ("title", "company", "url", "location", "text"):
            setattr(self, f"paste_{name}", value)

    @rx.event
    def set_links_text(self, value: str):
        self.links_text = value

    @rx.event
    async def submit_links(self):
        """Read the pasted links (one a line) off the event loop, then store them in one short transaction."""
        urls = split_links(self.links_text)
        if not urls:
            yield self._fail("Paste one or more links to job postings, one a line.")
            return
        if len(urls) > MAX_URLS:
            yield self._fail(f"{len(urls)} links is too many at once: paste at most {MAX_URLS}. Nothing was imported.")
            return
        owner = self._owner()
        self.busy, self.link_results = True, []
        yield
        try:
            items = await asyncio.to_thread(read_links, urls)
            summary = await in_session(store_links, items=items, owner=owner)
        except SourceError as exc:
            self.busy = False
            yield self._fail(f"{exc} Nothing was imported.")
            return
        self.busy = False
        self.link_results = [LinkResult(**{k: r[k] or "" for k in ("line", "url", "outcome", "title", "error")}) for r in summary.results]
        if not summary.errors:
            self.links_text = ""
        events = self._report(summary, f"{len(urls)} link(s)")
        self.problems = []  # each link's line below says it
        for event in events:
            yield event

    @rx.event
    def set_board_provider(self, value: str):
        self.board_provider = value if value in BOARD_PROVIDERS else "greenhouse"

    @rx.event
    def set_board_name(self, value: str):
        self.board_name = value

    @rx.event
    async def submit_board(self):
        """Pull a company's open positions from its public job board (re-imports update)."""
        name = self.board_name.strip()
        if not name:
            yield self._fail("Type the company's board name (the part after the provider's address) or paste the board's link.")
            return
        self.busy = True
        yield
        try:
            summary = await in_session(import_board, provider=self.board_provider, board=name, owner=self._owner())
        except SourceError as exc:
            self.busy = False
            yield self._fail(f"{BOARD_PROVIDERS[self.board_provider]} board {name!r}: {exc} Nothing was imported.")
            return
        self.busy = False
        for event in self._report(summary, f"{BOARD_PROVIDERS[self.board_provider]} board {name}"):
            yield event

    @rx.event
    def set_mongo_database(self, value: str):
        self.mongo_database = value.strip()

    @rx.event
    def set_mongo_collection(self, value: str):
        self.mongo_collection = value.strip()

    def _report(self, summary: ImportSummary, what: str):
        self.error = ""
        self.summary = f"{what}: {summary.imported} new, {summary.updated} updated, {summary.skipped} unchanged" + (
            f", {len(summary.errors)} bad row(s) skipped" if summary.errors else ""
        )
        self.problems = [row_problem(e) for e in summary.errors[:200]]
        toast = rx.toast.warning(self.summary) if summary.errors else rx.toast.success(self.summary)
        return [toast, handoffs.reload_table()]

    def _fail(self, message: str):
        self.summary, self.problems, self.error = "", [], message
        return rx.toast.error(message)

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        if not files:
            return self._fail("No file received.")
        file = files[0]
        name = file.name or "upload"
        data = await file.read(settings.max_import_bytes + 1)
        if len(data) > settings.max_import_bytes:
            return self._fail(f"{name} is larger than the {settings.max_import_bytes // (1024 * 1024)} MB limit; nothing was imported.")
        try:
            summary = await in_session(import_file, data=data, filename=name, owner=self._owner())
        except SourceError as exc:
            return self._fail(f"{name}: {exc} Nothing was imported.")
        return self._report(summary, name)

    @rx.event
    async def submit_paste(self):
        try:
            summary = await in_session(
                import_paste, text=self.paste_text, title=self.paste_title, company=self.paste_company,
                url=self.paste_url, location=self.paste_location, owner=self._owner(),
            )
        except SourceError as exc:
            return self._fail(str(exc))
        self.paste_title = self.paste_company = self.paste_url = self.paste_location = self.paste_text = ""
        return self._report(summary, "Pasted posting")

    @rx.event
    async def submit_mongo(self):
        if not settings.mongodb_uri:
            yield self._fail("MONGODB_URI is not set: add it to .env and restart to import from MongoDB.")
            return
        self.busy = True
        yield
        try:
            summary = await in_session(import_mongo, database=self.mongo_database, collection=self.mongo_collection, owner=self._owner())
        except SourceError as exc:
            self.busy = False
            yield self._fail(str(exc))
            return
        self.busy = False
        for event in self._report(summary, f"MongoDB {self.mongo_database}/{self.mongo_collection}"):
            yield event
