"""The Settings panel's Prompts section: one layer's system prompt at a time, its override saved
or reset to the built-in prompt (the engine refuses an override that lost the output-format rules)."""

from __future__ import annotations

import reflex as rx

from jobapp.state.base import AppState, in_session
from jobapp.state.settings_panel_views import prompt_text
from pipeline.llm import config, prompts
from pipeline.llm.config import SettingsError

LAYERS = prompts.EDITABLE_LAYERS
PROMPT_INPUT_ID = "settings-prompt-text"


class SettingsPrompts(AppState, mixin=True):
    prompt_layer: str = "intake"
    prompt_text: str = ""
    prompt_override: bool = False  # the layer has a saved override (else the box shows the default)
    prompt_error: str = ""
    prompt_note: str = ""

    _prompts: dict[str, str] = {}  # the saved overrides (layer -> text)

    def _show_prompt(self, overrides: dict[str, str] | None = None) -> None:
        if overrides is not None:
            self._prompts = dict(overrides)
        layer = self.prompt_layer if self.prompt_layer in LAYERS else LAYERS[0]
        self.prompt_layer = layer
        self.prompt_text = prompt_text(layer, self._prompts)
        self.prompt_override = layer in self._prompts

    @rx.event
    def set_prompt_layer(self, layer: str):
        self.prompt_layer = layer if layer in LAYERS else LAYERS[0]
        self.prompt_error = self.prompt_note = ""
        self._show_prompt()

    @rx.event
    def set_prompt_text(self, text: str):
        self.prompt_text = text
        self.prompt_note = ""

    @rx.event
    async def save_prompt(self):
        """Save the box as the layer's override; a refused text stays in the box with the reason."""
        self.prompt_error = self.prompt_note = ""
        try:
            view = await in_session(config.set_prompt, layer=self.prompt_layer, text=self.prompt_text, owner=self._owner())
        except SettingsError as exc:
            self.prompt_error = str(exc)
            return
        self._show_prompt(view.settings.prompts)
        self.prompt_note = f"Saved: the {self.prompt_layer} layer uses your prompt from the next run."

    @rx.event
    async def reset_prompt(self):
        self.prompt_error = ""
        view = await in_session(config.reset_prompt, layer=self.prompt_layer, owner=self._owner())
        self._show_prompt(view.settings.prompts)
        self.prompt_note = f"The {self.prompt_layer} layer uses the built-in prompt again."
        return rx.set_focus(PROMPT_INPUT_ID)  # the Reset button is now disabled: keep the focus in the panel
