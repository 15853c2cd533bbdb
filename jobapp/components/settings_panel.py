"""The Settings panel (a Radix dialog: focus moves in on open and back to the header button on
close, Escape closes, the title labels it): model (or the offline analyst), "Test connection",
writing, run defaults, follow-ups, spending, privacy, the calendar feed URL and the prompts per layer. Each field says where its value comes from (saved here, the
environment, or the built-in default); empty inputs show, greyed, the value the next run uses."""

from __future__ import annotations

import reflex as rx

from jobapp.state.settings_panel import KEY_INPUT_ID, SettingsState
from jobapp.state.settings_panel_calendar import ORIGIN_SCRIPT
from jobapp.state.settings_panel_prompts import LAYERS, PROMPT_INPUT_ID
from pipeline.llm.config import OFFLINE, presets

S = SettingsState
MODELS_LIST = "settings-model-list"
PRIVACY_SENTENCE = ("Before text goes to a remote model, your name, e-mail, phone, address, profile links and birth date "
                    "are replaced by placeholders and put back in the results.")
LANGUAGES = (("", "The posting's language"), ("en", "English"), ("de", "German"), ("es", "Spanish"), ("fr", "French"), ("nl", "Dutch"))
TONES = (("", "No preference"), ("formal", "Formal"), ("warm", "Warm"), ("direct", "Direct"))
LAYER_LABELS = {"intake": "Intake", "pain_points": "Pain points", "research": "Company research", "fit": "Fit score",
                "people": "People to contact", "writing": "Writing"}


def _id(name: str) -> str:
    return "settings-" + name.replace("_", "-")


def _source(name: str) -> rx.Component:
    return rx.el.span(" · ", S.sources[name], class_name="settings-src", data_testid="source-" + name)


def _label(text: str, name: str, *, source: bool = True) -> rx.Component:
    return rx.el.label(text, _source(name) if source else rx.fragment(), html_for=_id(name))


def _field(label: str, name: str, control: rx.Component, *, source: bool = True, hint: str | rx.Var = "") -> rx.Component:
    return rx.el.div(
        _label(label, name, source=source),
        control,
        rx.el.span(hint, class_name="muted small") if isinstance(hint, rx.Var) or hint else rx.fragment(),
        class_name="settings-field",
    )


def _text(name: str, *, kind: str = "text", placeholder=None, **props) -> rx.Component:
    return rx.el.input(
        id=_id(name), type=kind, value=S.form[name], on_change=lambda v: S.set_field(name, v),
        placeholder=S.effective[name] if placeholder is None else placeholder, data_testid=_id(name), **props,
    )


def _select(name: str, options: list[tuple[str, str]] | tuple[tuple[str, str], ...], default_label=None) -> rx.Component:
    return rx.el.select(
        *[rx.el.option(default_label if (value == "" and default_label is not None) else label, value=value) for value, label in options],
        id=_id(name), value=S.form[name], on_change=lambda v: S.set_field(name, v), data_testid=_id(name),
    )


def _onoff(name: str) -> rx.Component:
    return _select(name, (("", ""), ("on", "On"), ("off", "Off")), default_label=f"Default ({S.effective[name]})")


# ------------------------------------------------------------------ model


def _key_field() -> rx.Component:
    typed = rx.el.input(
        id=KEY_INPUT_ID, type="password", on_change=S.set_typed_key, auto_complete="new-password", spell_check=False,
        placeholder=rx.cond(S.sources["api_key"] == "environment", "the environment's key is used (" + S.effective["key_hint"] + ")", "paste the key"),
        max_length=500, data_testid="settings-api-key", aria_describedby="settings-key-note",
    )
    return rx.el.div(
        rx.el.label("API key", _source("api_key"), html_for=KEY_INPUT_ID),
        rx.cond(
            S.has_key & ~S.replacing_key,
            rx.el.div(
                rx.el.span("saved key ", rx.el.code(S.key_hint), data_testid="settings-key-hint"),
                rx.el.button("Replace", type="button", on_click=S.replace_key, class_name="btn small", data_testid="settings-key-replace"),
                rx.el.button("Remove", type="button", on_click=S.remove_key, class_name="btn small danger", data_testid="settings-key-remove"),
                class_name="row-gap",
            ),
            rx.el.div(
                typed,
                rx.cond(S.replacing_key, rx.el.button("Keep the saved key", type="button", on_click=S.keep_key, class_name="btn small")),
                class_name="row-gap settings-key-row",
            ),
        ),
        rx.el.span("Write-only: stored encrypted, never shown again (only its last four characters).", id="settings-key-note",
                   class_name="muted small"),
        class_name="settings-field settings-wide",
    )


def _report() -> rx.Component:
    return rx.el.div(
        rx.cond(S.testing, rx.el.p("Testing the connection…", class_name="muted small")),
        rx.cond(
            S.report_message != "",
            rx.cond(
                S.report_ok,
                rx.el.p("✓ Connected: ", S.report_message, " (", S.report_detail, ")", class_name="ok", data_testid="settings-test-ok"),
                rx.el.p("✗ ", S.report_message, class_name="error", data_testid="settings-test-error"),
            ),
        ),
        rx.cond(
            S.report_models.length() > 0,
            rx.el.details(
                rx.el.summary("Models this server lists (", S.report_models.length().to(str), ") — pick one in the model fields"),
                rx.el.ul(rx.foreach(S.report_models, lambda m: rx.el.li(rx.el.code(m))), class_name="settings-models",
                         data_testid="settings-models"),
            ),
        ),
        role="status", aria_live="polite", class_name="settings-wide",
    )


OFFLINE_NOTE = ("The offline analyst reads the posting and your CV with deterministic text analysis on this machine: "
                "no model, no key, no cost, even when the environment has an API key.")


def model_section() -> rx.Component:
    provider_options = [("", ""), *[(p["name"], p["label"]) for p in presets()]]
    return rx.el.fieldset(
        rx.el.legend("Model"),
        _field("Provider", "provider", _select("provider", provider_options, default_label="From the environment (.env)"),
               source=False, hint="A preset fills in its base URL."),
        rx.cond(
            S.form["provider"] == OFFLINE,
            rx.el.p(OFFLINE_NOTE, class_name="settings-wide small", data_testid="settings-offline-note"),
            rx.fragment(*_server_fields()),
        ),
        class_name="settings-group",
    )


def _server_fields() -> list[rx.Component]:
    """The server, key, models and Test connection (hidden when the offline analyst is chosen)."""
    return [
        _field("Base URL", "base_url", _text("base_url", kind="url", spell_check=False, input_mode="url")),
        _key_field(),
        _field("Quick model", "quick_model", _text("quick_model", list=MODELS_LIST, spell_check=False, auto_complete="off"),
               hint="Intake, pain points, research, fit, people."),
        _field("Writing model", "writing_model", _text("writing_model", list=MODELS_LIST, spell_check=False, auto_complete="off"),
               hint="The CV, letter and messages; empty: the quick model."),
        rx.el.datalist(rx.foreach(S.report_models, lambda m: rx.el.option(value=m)), id=MODELS_LIST),
        rx.el.div(
            _field("Temperature", "temperature", _text("temperature", kind="number", min=0, max=2, step=0.1, placeholder="server default")),
            _field("Max tokens", "max_tokens", _text("max_tokens", kind="number", min=16, max=200000, step=1, placeholder="server default")),
            _field("Timeout (s)", "timeout_seconds", _text("timeout_seconds", kind="number", min=1, max=600, step=1)),
            class_name="settings-trio settings-wide",
        ),
        rx.el.div(
            rx.el.button(rx.cond(S.testing, "Testing…", "Test connection"), type="button", on_click=S.test_connection,
                         disabled=S.testing, class_name="btn", data_testid="settings-test"),
            rx.el.span("Lists the server's models and makes one tiny call with the values above (saved or not).", class_name="muted small"),
            class_name="row-gap settings-wide",
        ),
        _report(),
    ]


# ------------------------------------------------------------------ writing, run defaults, privacy


def writing_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Writing"),
        _field("Tone", "tone", _select("tone", TONES)),
        _field("Default language", "default_language", _select("default_language", LANGUAGES),
               hint="A job's own language wins over this."),
        _field("Words to avoid", "avoid_words", _text("avoid_words", placeholder="comma-separated, e.g. passionate, synergy"),
               hint="Separate with commas."),
        rx.el.div(
            _label("Signature block", "signature"),
            rx.el.textarea(id=_id("signature"), value=S.form["signature"], on_change=lambda v: S.set_field("signature", v),
                           rows=4, max_length=500, placeholder="Jane Doe\n+44 …\njane@example.com", data_testid=_id("signature")),
            rx.el.span("Added to letters and e-mails on your machine: it never goes to the model.", class_name="muted small"),
            class_name="settings-field settings-wide",
        ),
        class_name="settings-group",
    )


def run_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Run defaults"),
        _field("Concurrency", "concurrency", _text("concurrency", kind="number", min=1, max=64, step=1),
               hint="Your runs at the same time on this machine's worker (at most " + S.effective["concurrency_ceiling"]
               + ", MAX_CONCURRENCY). Hosted Celery workers use their own deployment setting."),
        _field("CV page budget", "cv_pages", _select("cv_pages", (("", ""), ("1", "1 page"), ("2", "2 pages")),
                                                     default_label=f"Default ({S.effective['cv_pages']} pages)"),
               hint="For jobs whose layout you have not changed."),
        _field("ATS-safe text", "ats_safe", _onoff("ats_safe"), hint="For jobs whose layout you have not changed."),
        _field("Web research", "web_research", _onoff("web_research"),
               hint="Reads the company's own site (about, team, news; robots.txt honoured, at most 8 pages) "
                    "to add facts with their sources to the dossier."),
        class_name="settings-group",
    )


def follow_up_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Follow-ups"),
        _field("Follow up after (days)", "follow_up_days", _text("follow_up_days", kind="number", min=0, max=365, step=1),
               hint="When you move a job to applied, its follow-up day is set this many days later and shows in Today "
                    "when it comes. 0: no follow-up day."),
        class_name="settings-group",
    )


FEED_EXPLAINED = ("A private web address that calendar apps (Google Calendar, Apple Calendar, Outlook) can subscribe to: "
                  "it lists your interviews and follow-up days and updates by itself. Anyone who has the address can read "
                  "those entries, so keep it to yourself; revoke it here if it leaks, and any calendar using it stops updating.")


def calendar_section() -> rx.Component:
    """Outside the form: its buttons act at once (nothing to Save)."""
    return rx.el.section(
        rx.el.h3("Calendar feed", class_name="settings-legend", id="settings-calendar-title"),
        rx.el.p(FEED_EXPLAINED, class_name="small settings-wide", data_testid="settings-calendar-note"),
        rx.cond(
            S.feed_url != "",
            rx.el.div(
                rx.el.label("Your feed URL (shown once)", html_for="settings-feed-url"),
                rx.el.div(
                    rx.el.input(id="settings-feed-url", value=S.feed_url, read_only=True, spell_check=False,
                                on_focus=rx.call_script("document.getElementById('settings-feed-url').select()"),
                                data_testid="settings-feed-url"),
                    rx.el.button("Copy", type="button", on_click=[rx.set_clipboard(S.feed_url), rx.toast.success("Feed URL copied.")],
                                 class_name="btn small", data_testid="settings-feed-copy"),
                    class_name="row-gap settings-key-row",
                ),
                class_name="settings-field settings-wide",
            ),
            rx.el.p(rx.cond(S.feed_active, "A feed URL is active. Its address cannot be shown again: create a new one "
                                           "(the old one stops working) or revoke it.", "No feed URL yet."),
                    class_name="muted small settings-wide", data_testid="settings-feed-state"),
        ),
        rx.el.div(
            rx.el.button(rx.cond(S.feed_active, "Create a new URL", "Create feed URL"), type="button",
                         on_click=rx.call_script(ORIGIN_SCRIPT, callback=S.create_feed), class_name="btn small",
                         data_testid="settings-feed-create"),
            rx.el.button("Revoke", type="button", on_click=S.revoke_feed, disabled=~S.feed_active, class_name="btn small danger",
                         data_testid="settings-feed-revoke"),
            class_name="row-gap settings-wide",
        ),
        rx.cond(S.calendar_note != "", rx.el.p(S.calendar_note, class_name="small settings-wide", role="status",
                                              data_testid="settings-feed-message")),
        aria_labelledby="settings-calendar-title",
        class_name="settings-group",
    )


def spending_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Spending"),
        rx.el.p("In US dollars, for priced models. Empty: the environment's value (shown greyed). A cap of 0 means no cap.",
                class_name="muted small settings-wide"),
        _field("Ask first above ($)", "confirm_cost_above", _money("confirm_cost_above"),
               hint="Process asks before a batch that may cost more (0: before every paid batch)."),
        _field("Batch cap ($)", "max_cost_per_batch", _money("max_cost_per_batch"),
               hint="Runs that would pass it are held until you raise it and press Resume."),
        _field("Monthly cap ($)", "max_cost_per_month", _money("max_cost_per_month"),
               hint="This month (UTC), all your runs; held runs resume after a raise or on the 1st."),
        class_name="settings-group",
    )


def _money(name: str) -> rx.Component:
    return _text(name, kind="number", min=0, step=0.01, input_mode="decimal")


def privacy_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Privacy"),
        rx.el.p(PRIVACY_SENTENCE, class_name="settings-wide small", data_testid="settings-privacy-note"),
        _field("Privacy guard", "privacy_guard", _select(
            "privacy_guard",
            (("", ""), ("remote", "Remote models only"), ("always", "Always, local models too"), ("off", "Off")),
            default_label=f"Default ({S.effective['privacy_guard']})",
        )),
        _field("Also withhold employer names", "privacy_employers", _onoff("privacy_employers")),
        class_name="settings-group",
    )


# ------------------------------------------------------------------ prompts


def prompts_section() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend("Prompts"),
        rx.el.p("Each layer's instructions to the model. Keep the output-format rules (one JSON object that validates "
                "against the JSON schema): without them every call fails, so such a prompt is refused.", class_name="muted small settings-wide"),
        rx.el.div(
            rx.el.label("Layer", html_for="settings-prompt-layer"),
            rx.el.select(*[rx.el.option(LAYER_LABELS.get(layer, layer), value=layer) for layer in LAYERS], id="settings-prompt-layer",
                         value=S.prompt_layer, on_change=S.set_prompt_layer, data_testid="settings-prompt-layer"),
            rx.el.span(rx.cond(S.prompt_override, "your prompt (saved)", "the built-in prompt"), class_name="settings-src",
                       data_testid="settings-prompt-source"),
            class_name="settings-field settings-wide",
        ),
        rx.el.div(
            rx.el.label("System prompt", html_for=PROMPT_INPUT_ID, class_name="sr-only"),
            rx.el.textarea(id=PROMPT_INPUT_ID, value=S.prompt_text, on_change=S.set_prompt_text, rows=10, max_length=20000,
                           class_name="settings-prompt", data_testid="settings-prompt-text", spell_check=False),
            class_name="settings-field settings-wide",
        ),
        rx.el.div(
            rx.el.button("Save prompt", type="button", on_click=S.save_prompt, class_name="btn small", data_testid="settings-prompt-save"),
            rx.el.button("Reset to default", type="button", on_click=S.reset_prompt, class_name="btn small",
                         disabled=~S.prompt_override, data_testid="settings-prompt-reset"),
            class_name="row-gap settings-wide",
        ),
        rx.cond(S.prompt_error != "", rx.el.p(S.prompt_error, class_name="error settings-wide", role="alert", data_testid="settings-prompt-error")),
        rx.cond(S.prompt_note != "", rx.el.p(S.prompt_note, class_name="ok settings-wide", role="status", data_testid="settings-prompt-note")),
        class_name="settings-group",
    )


# ------------------------------------------------------------------ the panel and its header button


def settings_button() -> rx.Component:
    """The header's pill (which model will write) and the panel it opens. The pill is the dialog's
    trigger, so closing the panel gives the focus back to it."""
    return rx.dialog.root(
        rx.dialog.trigger(rx.el.button(
            "model: ", rx.el.b(S.model_label, data_testid="header-model"), " · Settings", on_mount=S.load_label,
            class_name="pill pill-btn", data_testid="open-settings", title="Settings: model, writing, prompts, run defaults, privacy",
        )),
        rx.dialog.content(
            rx.el.div(
                rx.dialog.title("Settings", class_name="settings-title"),
                rx.dialog.close(rx.el.button("×", class_name="icon-btn", aria_label="Close settings", type="button")),
                class_name="detail-head",
            ),
            rx.dialog.description(
                "The next run writes with ", rx.el.b(S.model_label), ". Changes apply to the next run; what you save here wins over "
                "the environment (.env). Each field says where its value comes from: saved, environment or default.",
                class_name="muted small",
            ),
            rx.foreach(S.problems, lambda p: rx.el.p(p, class_name="warn small", data_testid="settings-problem")),
            rx.el.form(
                model_section(),
                writing_section(),
                run_section(),
                follow_up_section(),
                spending_section(),
                privacy_section(),
                rx.cond(S.error != "", rx.el.p(S.error, class_name="error", role="alert", data_testid="settings-error")),
                rx.cond(S.note != "", rx.el.p(S.note, class_name="ok", role="status", data_testid="settings-note")),
                rx.el.div(
                    rx.el.button("Save settings", type="submit", class_name="btn primary", data_testid="settings-save"),
                    rx.dialog.close(rx.el.button("Close", type="button", class_name="btn")),
                    class_name="dialog-foot row-gap",
                ),
                on_submit=lambda _: S.save(),
                no_validate=True,  # the engine validates: its message shows next to the form
                class_name="settings-form",
            ),
            calendar_section(),
            prompts_section(),
            class_name="settings-panel",
            data_testid="settings-panel",
        ),
        open=S.shown,
        on_open_change=S.set_shown,
    )
