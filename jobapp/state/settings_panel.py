"""The Settings panel: model, writing, prompts, run defaults, follow-ups, the calendar feed, spending and
privacy, per owner (one set in open mode).

The engine is pipeline/llm/config.py; this state keeps the form's strings and what the engine said.
The API key is write-only: what the user types is kept in a backend-only var until Save, and the
browser only ever gets its last four characters back."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.handoffs import reload_header
from jobapp.state.settings_panel_calendar import SettingsCalendar
from jobapp.state.settings_panel_prompts import SettingsPrompts
from jobapp.state.settings_panel_views import FIELDS, check_connection, form_effective, load_panel, preset_url, remove_key, save_panel
from pipeline.llm.config import SettingsError

KEY_INPUT_ID = "settings-api-key"


class SettingsState(SettingsCalendar, SettingsPrompts, AppState):
    shown: bool = False
    form: dict[str, str] = {}
    effective: dict[str, str] = {}  # what the next run uses, per field (placeholders of empty inputs)
    sources: dict[str, str] = {}  # field -> "saved" | "environment" | "default"
    problems: list[str] = []
    has_key: bool = False
    key_hint: str = ""
    replacing_key: bool = False
    model_label: str = ""
    error: str = ""
    note: str = ""
    testing: bool = False
    report_ok: bool = False
    report_message: str = ""
    report_detail: str = ""  # "3 models · 0.12 s"
    report_models: list[str] = []

    _typed_key: str = ""  # backend only: never sent to the browser

    def _apply(self, data: dict[str, Any]) -> None:
        self.form, self.effective, self.sources = data["form"], data["effective"], data["sources"]
        self.problems, self.has_key, self.key_hint = data["problems"], data["has_key"], data["key_hint"]
        self.model_label, self._prompts = data["model_label"], dict(data["prompts"])

    @rx.event
    async def load_label(self):
        """The header's "which model writes" (on mount: before the panel was ever opened)."""
        self._apply(await in_session(load_panel, owner=self._owner()))

    @rx.event
    async def set_shown(self, shown: bool):
        """Radix's open change: the header button opens (reading the saved settings afresh); Escape,
        the close buttons or a click outside close (forgetting a typed, unsaved key)."""
        if not shown:
            self.shown, self._typed_key, self.replacing_key = False, "", False
            self.feed_url = ""  # the calendar feed's secret is shown once
            return
        self._apply(await in_session(load_panel, owner=self._owner()))
        self.error = self.note = self.report_message = self.prompt_error = self.prompt_note = ""
        self.replacing_key, self._typed_key, self.report_models = False, "", []
        self._show_prompt()
        await self._load_feed()
        self.shown = True

    @rx.event
    def set_field(self, name: str, value: str):
        if name not in FIELDS:
            return
        form = {**self.form, name: value}
        if name == "provider":  # a preset fills its base URL (a custom server keeps what was typed)
            form["base_url"] = preset_url(value) or (self.form.get("base_url", "") if value == "custom" else "")
        self.form = form
        self.note = ""

    @rx.event
    def set_typed_key(self, value: str):
        self._typed_key = value

    @rx.event
    def replace_key(self):
        self.replacing_key = True
        return rx.set_focus(KEY_INPUT_ID)

    @rx.event
    def keep_key(self):
        self.replacing_key, self._typed_key = False, ""

    @rx.event
    async def save(self):
        """Validate and save the form and a newly typed key together; the engine's message when refused."""
        self.error = self.note = ""
        try:
            data = await in_session(save_panel, owner=self._owner(), form=dict(self.form), api_key=self._typed_key)
        except SettingsError as exc:
            self.error = str(exc)
            return None
        typed = bool(self._typed_key.strip())
        self._apply(data)
        self._typed_key, self.replacing_key = "", False
        self.note = "Saved. Changes apply to the next run." + (" The key is stored encrypted; only its last four characters are shown." if typed else "")
        return [rx.set_value(KEY_INPUT_ID, ""), reload_header()] if typed else reload_header()  # the header's "runs: local ×N"

    @rx.event
    async def remove_key(self):
        self._apply(await in_session(remove_key, owner=self._owner()))
        self.replacing_key, self._typed_key = False, ""
        self.note = "The saved key was removed" + (": the environment's key applies again." if self.sources.get("api_key") == "environment" else ".")

    @rx.event(background=True)
    async def test_connection(self):
        """List the server's models and make a tiny call with the form as it is now (unsaved)."""
        async with self:
            if self.testing:
                return
            owner, form, key = self._owner(), dict(self.form), self._typed_key
            self.testing, self.report_message, self.report_detail, self.report_models = True, "", "", []
        try:
            effective = await in_session(form_effective, owner=owner, form=form, api_key=key)
            report = await asyncio.to_thread(check_connection, effective)
        except SettingsError as exc:
            report = {"ok": False, "message": str(exc), "models": [], "seconds": 0.0}
        async with self:
            self.testing, self.report_ok = False, bool(report["ok"])
            self.report_message, self.report_models = report["message"], list(report["models"])
            n = len(report["models"])
            self.report_detail = f"{n} model{'s' if n != 1 else ''} listed · {report['seconds']:g} s" if report["ok"] else ""
