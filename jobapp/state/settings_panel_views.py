"""The Settings panel's form: saved settings <-> the strings its inputs hold, and the store calls
each handler makes in one session (plain functions, no state; the engine is pipeline/llm/config.py).

The form is a flat dict of strings ("" = not saved: the environment's or the built-in value applies);
`settings_data` turns it back into what `config.save` validates. The API key is never part of it."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from pipeline.llm import config, connection, keybox
from pipeline.llm.config import ModelSettings, SettingsError
from pipeline.llm.models import describe_model
from pipeline.settings import settings as env

FIELDS = (
    "provider", "base_url", "quick_model", "writing_model", "temperature", "max_tokens", "timeout_seconds",
    "tone", "avoid_words", "signature", "default_language",
    "concurrency", "cv_pages", "ats_safe", "web_research", "privacy_guard", "privacy_employers",
    "confirm_cost_above", "max_cost_per_batch", "max_cost_per_month", "follow_up_days",
)  # fmt: skip
_NUMBERS = {"temperature": float, "max_tokens": int, "timeout_seconds": float}
_MONEY = ("confirm_cost_above", "max_cost_per_batch", "max_cost_per_month")
_LABELS = {"temperature": "Temperature", "max_tokens": "Max tokens", "timeout_seconds": "Timeout", "concurrency": "Concurrency",
           "follow_up_days": "Follow up after",
           "confirm_cost_above": "Ask first above", "max_cost_per_batch": "Batch cap", "max_cost_per_month": "Monthly cap"}
OFFLINE_REPORT = ("The offline analyst needs no connection: runs use deterministic text analysis on this machine, "
                  "and nothing goes to a model.")


def _onoff(value: bool | None) -> str:
    return "" if value is None else ("on" if value else "off")


def _bool(value: str) -> bool | None:
    return None if value == "" else value == "on"


def _num(s: float | int | None) -> str:
    return "" if s is None else f"{s:g}" if isinstance(s, float) else str(s)


def form_of(saved: ModelSettings) -> dict[str, str]:
    """The panel's inputs for what the owner saved."""
    w, run = saved.writing, saved.run
    return {
        "provider": saved.provider or "", "base_url": saved.base_url, "quick_model": saved.quick_model,
        "writing_model": saved.writing_model, "temperature": _num(saved.temperature), "max_tokens": _num(saved.max_tokens),
        "timeout_seconds": _num(saved.timeout_seconds), "tone": w.tone, "avoid_words": ", ".join(w.avoid_words),
        "signature": w.signature, "default_language": w.default_language, "concurrency": _num(run.concurrency),
        "cv_pages": _num(run.cv_pages), "ats_safe": _onoff(run.ats_safe), "web_research": _onoff(run.web_research),
        "follow_up_days": _num(run.follow_up_days),
        "privacy_guard": saved.privacy_guard, "privacy_employers": _onoff(saved.privacy_employers),
        **{name: _num(getattr(saved, name)) for name in _MONEY},
    }


def _number(form: dict[str, str], name: str, kind: type) -> Any:
    text = (form.get(name) or "").strip().replace(",", ".") if kind is float else (form.get(name) or "").strip()
    if name in _MONEY:
        text = text.removeprefix("$").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(f"{_LABELS[name]}: {text!r} is not a {'whole ' if kind is int else ''}number") from None


def settings_data(form: dict[str, str], prompts: dict[str, str] | None = None) -> dict[str, Any]:
    """What `config.save` validates, from the panel's inputs (the saved prompt overrides kept)."""
    f = {k: str(form.get(k) or "") for k in FIELDS}
    return {
        "provider": f["provider"] or None, "base_url": f["base_url"], "quick_model": f["quick_model"],
        "writing_model": f["writing_model"], **{k: _number(f, k, kind) for k, kind in _NUMBERS.items()},
        "writing": {"tone": f["tone"], "avoid_words": [w.strip() for w in f["avoid_words"].split(",") if w.strip()],
                    "signature": f["signature"], "default_language": f["default_language"]},
        "prompts": dict(prompts or {}),
        "run": {"concurrency": _number(f, "concurrency", int), "cv_pages": int(f["cv_pages"]) if f["cv_pages"] else None,
                "ats_safe": _bool(f["ats_safe"]), "web_research": _bool(f["web_research"]),
                "follow_up_days": _number(f, "follow_up_days", int)},
        "privacy_guard": f["privacy_guard"], "privacy_employers": _bool(f["privacy_employers"]),
        **{name: _number(f, name, float) for name in _MONEY},
    }


def preset_url(provider: str) -> str:
    """The base URL a provider preset fills in ("" for a custom server or none)."""
    preset = config.PRESETS.get(provider)
    return preset.base_url if preset else ""


def panel_data(view: config.SettingsView, eff: config.EffectiveSettings) -> dict[str, Any]:
    """Everything the panel shows after a load or a save: browser-safe (the key's hint only)."""
    public = eff.public()
    shown = {k: _num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v if v is not None else "")
             for k, v in public.items() if not isinstance(v, (dict, list))}  # fmt: skip
    shown["ats_safe"], shown["web_research"] = _onoff(eff.ats_safe), _onoff(eff.web_research)
    shown["privacy_employers"] = _onoff(eff.privacy_employers)
    shown["concurrency_ceiling"] = str(env.max_concurrency)
    for name in _MONEY:
        shown[name] = f"{getattr(eff, name):g}"
    return {
        "form": form_of(view.settings), "prompts": dict(view.settings.prompts), "has_key": view.has_key, "key_hint": view.key_hint,
        "effective": shown, "sources": dict(public["sources"]), "problems": list(public["problems"]),
        "model_label": describe_model(effective=eff),
    }


# ------------------------------------------------------------------ what the handlers run (in one session each)


def load_panel(*, session: Session, owner: str) -> dict[str, Any]:
    return panel_data(config.load(session=session, owner=owner), config.effective_settings(owner, session=session))


def save_panel(*, session: Session, owner: str, form: dict[str, str], api_key: str = "") -> dict[str, Any]:
    """Save the form (and a newly typed key) together: SettingsError saves nothing."""
    current = config.load(session=session, owner=owner).settings
    config.save(settings_data(form, current.prompts), session=session, owner=owner)
    if api_key.strip():
        config.set_api_key(api_key, session=session, owner=owner)
    return load_panel(session=session, owner=owner)


def remove_key(*, session: Session, owner: str) -> dict[str, Any]:
    config.clear_api_key(session=session, owner=owner)
    return load_panel(session=session, owner=owner)


def form_effective(*, session: Session, owner: str, form: dict[str, str], api_key: str = "") -> config.EffectiveSettings:
    """What "Test connection" tries: the form as it is now (unsaved), with the typed key or else the
    saved one. SettingsError when the form does not validate."""
    unsaved = config.validate(settings_data(form))
    problems: list[str] = []
    key = api_key.strip() or None
    if key is None:
        try:
            key = config.saved_api_key(session=session, owner=owner)
        except keybox.KeyboxError as exc:
            problems.append(str(exc))
    return config.resolve(unsaved, api_key=key, problems=problems)


def check_connection(effective: config.EffectiveSettings) -> dict[str, Any]:
    """The connection report as the panel shows it (no secret: messages are redacted)."""
    if effective.provider == config.OFFLINE:
        return {"ok": False, "message": OFFLINE_REPORT, "models": [], "seconds": 0.0}
    return connection.test_connection(effective).as_dict()


def prompt_text(layer: str, overrides: dict[str, str]) -> str:
    """What the prompt box shows: the override, else the built-in prompt."""
    from pipeline.llm import prompts

    return overrides.get(layer) or prompts.default_system_prompt(layer)
