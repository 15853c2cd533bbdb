"""Model, writing and run settings a user saves in the page, merged with the environment.

The API for the Settings panel (every store function takes `session` keyword-only and an
`owner`: `user_owner(id)` in accounts mode, "local" in open mode; callers commit):

- `presets()` -> the provider presets (name, label, default base URL, whether a key is needed).
- `load(session=, owner=)` -> `SettingsView`: the saved `ModelSettings` plus `key_hint`
  ("…abcd") and `has_key`. Never the key itself: safe to send to the browser.
- `save(settings, session=, owner=)` -> `SettingsView`; validates (raises `SettingsError`, a
  ValueError with a message for the user). Leaves the saved API key alone.
- `set_api_key(api_key, session=, owner=)` / `clear_api_key(session=, owner=)` -> `SettingsView`;
  the key is stored Fernet-encrypted (pipeline/llm/keybox.py).
- `set_prompt(layer, text, ...)` / `reset_prompt(layer, ...)`: a layer's system prompt override
  (checked: the output-format rules must still be there) and "reset to default" (deletes it);
  `prompts.default_system_prompt(layer)` is the text to show when there is no override.
- `effective_settings(owner, session=None)` -> `EffectiveSettings`: what the next run uses.
  `.public()` is its browser-safe dict. `resolve(ModelSettings, api_key=...)` does the same
  for unsaved form values (e.g. to test a connection before saving).
- `pipeline.llm.connection.test_connection(effective)` -> `ConnectionReport` ("Test connection").

Which wins: what the user saved in the page wins over the environment; the environment
(`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `JOBAPP_MODEL`, `JOBAPP_WRITING_MODEL`,
`LLM_TIMEOUT_SECONDS`, `MAX_CONCURRENCY`, `CONFIRM_COST_ABOVE`, `MAX_COST_PER_BATCH`,
`MAX_COST_PER_MONTH`) is the default for whatever was not saved. MAX_CONCURRENCY stays the
ceiling (a saved `run.concurrency` above it counts as MAX_CONCURRENCY); the provider "offline"
(the offline analyst) wins over an OPENAI_API_KEY in the environment too. A server
chosen in the page (a provider preset or a base URL) replaces the environment's server as a
whole: its models must be saved with it, and the environment's key is sent to it only when it
is the same base URL (an OpenAI key never goes to another host by accident).

What reads what: `make_analyst` (models, key, prompts, writing, privacy, offline), the local
dispatcher (`concurrency`: how many of the owner's runs run at once), `run_layout` (`cv_pages`,
`ats_safe`: the layout of a job that has none stored), `budget.caps_for` and the Process
confirmation (the three amounts; Celery workers read the same store), `set_status` (`follow_up_days`:
the follow-up day set when a job moves to applied; FOLLOW_UP_DAYS when nothing is saved). `web_research`: `make_analyst`
sets it on the analyst, whose research and people layers read the company's site only when it is on
(WEB_RESEARCH is the default when nothing is saved).

Nothing is cached between runs: `make_analyst` reads the effective settings at each run start,
so a change applies to the next run without a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from pipeline import redact
from pipeline.llm import keybox, prompts
from pipeline.settings import settings as env
from pipeline.store.models import UserSettings, utcnow

Provider = Literal["openai", "openrouter", "ollama", "lmstudio", "vllm", "custom", "offline"]
Tone = Literal["", "formal", "warm", "direct"]
Language = Literal["", "en", "de", "es", "fr", "nl"]
PrivacyMode = Literal["", "off", "remote", "always"]

OPENAI_URL = "https://api.openai.com/v1"
NO_KEY = "not-needed"  # sent to keyless local servers (the client requires some key)
OFFLINE = "offline"  # the provider "preset" that chooses the offline analyst (no model, no key)


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    base_url: str
    needs_key: bool


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("openai", "OpenAI", OPENAI_URL, True),
        Preset("openrouter", "OpenRouter", "https://openrouter.ai/api/v1", True),
        Preset("ollama", "Ollama", "http://localhost:11434/v1", False),
        Preset("lmstudio", "LM Studio", "http://localhost:1234/v1", False),
        Preset("vllm", "vLLM", "http://localhost:8000/v1", False),
        Preset("custom", "Any OpenAI-compatible server", "", False),
        Preset(OFFLINE, "Offline analyst (no model)", "", False),
    )
}


def presets() -> list[dict[str, Any]]:
    """The provider presets for the panel's picker, in display order."""
    return [{"name": p.name, "label": p.label, "base_url": p.base_url, "needs_key": p.needs_key} for p in PRESETS.values()]


class SettingsError(ValueError):
    """Settings that cannot be saved; the message is meant for the user."""


class WritingPreferences(BaseModel):
    """Used by both paths: the model's writing prompt, and the offline letter's sign-off."""

    model_config = ConfigDict(extra="forbid")

    tone: Tone = ""  # "": no preference (the language's usual business register)
    avoid_words: list[str] = Field(default_factory=list, max_length=50)
    signature: str = Field(default="", max_length=500)
    default_language: Language = ""  # "": the posting's language; a job's own language wins over this

    @field_validator("avoid_words")
    @classmethod
    def _words(cls, words: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for w in words:
            w = " ".join(str(w).split())
            if len(w) > 60:
                raise ValueError(f"a word to avoid is at most 60 characters ({w[:20]}…)")
            if w and w.casefold() not in seen:
                seen[w.casefold()] = w
        return list(seen.values())

    @field_validator("signature")
    @classmethod
    def _signature(cls, text: str) -> str:
        return "\n".join(line.rstrip() for line in text.strip().splitlines())

    def prompt_block(self) -> str:
        """The "Writing preferences" block of the writing prompt ("" when nothing is set)."""
        return prompts.writing_preferences_block(tone=self.tone, avoid=self.avoid_words, signature=self.signature)


class RunDefaults(BaseModel):
    """Defaults for new runs; None: the environment's or the built-in default."""

    model_config = ConfigDict(extra="forbid")

    concurrency: int | None = Field(default=None, ge=1, le=64)  # the owner's runs at once (local worker)
    cv_pages: Literal[1, 2] | None = None  # a job's default page budget (its own stored layout wins)
    ats_safe: bool | None = None  # a job's default ATS-safe text (its own stored layout wins)
    web_research: bool | None = None  # read the company's own site in research/people (None: WEB_RESEARCH)
    follow_up_days: int | None = Field(default=None, ge=0, le=365)  # applied -> follow up after N days (None: FOLLOW_UP_DAYS; 0: never)


class ModelSettings(BaseModel):
    """What a user saved. Empty / None fields fall back to the environment (see the module doc)."""

    model_config = ConfigDict(extra="forbid")

    provider: Provider | None = None
    base_url: str = ""  # "": the preset's URL (or OPENAI_BASE_URL when no provider is saved)
    quick_model: str = ""  # intake, pain points, research, fit, people
    writing_model: str = ""  # writing; "": the quick model
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=16, le=200_000)
    timeout_seconds: float | None = Field(default=None, ge=1, le=600)
    writing: WritingPreferences = Field(default_factory=WritingPreferences)
    prompts: dict[str, str] = Field(default_factory=dict)  # layer -> system prompt override
    run: RunDefaults = Field(default_factory=RunDefaults)
    # The privacy guard (pipeline/llm/privacy.py): "" uses PRIVACY_GUARD; employers None uses
    # PRIVACY_GUARD_EMPLOYERS.
    privacy_guard: PrivacyMode = ""
    privacy_employers: bool | None = None
    # Spending (USD; None: CONFIRM_COST_ABOVE / MAX_COST_PER_BATCH / MAX_COST_PER_MONTH). A cap of 0
    # is no cap; a confirmation threshold of 0 asks before every batch that costs anything.
    confirm_cost_above: float | None = Field(default=None, ge=0, le=1_000_000)
    max_cost_per_batch: float | None = Field(default=None, ge=0, le=1_000_000)
    max_cost_per_month: float | None = Field(default=None, ge=0, le=1_000_000)

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, url: str) -> str:
        url = url.strip().rstrip("/")
        if not url:
            return ""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the base URL must look like https://host/v1 (got {url!r})")
        if parts.username or parts.password:
            raise ValueError("the base URL must not carry a user name or password: put the key in the API key field")
        if parts.query or parts.fragment:
            raise ValueError("the base URL must not have a query (?…) or fragment (#…)")
        return url

    @field_validator("quick_model", "writing_model")
    @classmethod
    def _model_name(cls, name: str) -> str:
        name = name.strip()
        if len(name) > 200 or re.search(r"\s", name):
            raise ValueError(f"a model name has no spaces and at most 200 characters (got {name[:40]!r})")
        return name

    @field_validator("prompts")
    @classmethod
    def _prompts(cls, overrides: dict[str, str]) -> dict[str, str]:
        return {layer: prompts.check_prompt_override(layer, text) for layer, text in overrides.items()}

    @model_validator(mode="after")
    def _server(self) -> ModelSettings:
        if self.provider == OFFLINE:  # no server: a base URL or models typed before are not used
            return self
        if self.provider == "custom" and not self.base_url:
            raise ValueError("a custom server needs its base URL (e.g. http://my-server:8000/v1)")
        if self.provider is not None and not self.quick_model:
            raise ValueError(f"choose the model {PRESETS[self.provider].label} should use for the quick layers")
        return self


@dataclass
class SettingsView:
    """What the panel shows: the saved settings and a hint of the key (never the key)."""

    settings: ModelSettings
    key_hint: str = ""
    has_key: bool = False
    updated_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "settings": self.settings.model_dump(mode="json"), "key_hint": self.key_hint, "has_key": self.has_key,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }


@dataclass
class EffectiveSettings:
    """What the next run uses: saved settings over the environment. `api_key` is the secret
    (never shown, never logged); `public()` is what a page may see."""

    base_url: str | None  # None: OpenAI's default
    quick_model: str
    writing_model: str
    api_key: str | None = field(default=None, repr=False)
    provider: str | None = None
    key_hint: str = ""
    key_source: str = ""  # "saved" | "environment" | "" (none)
    offline: bool = True
    temperature: float | None = None
    max_tokens: int | None = None
    timeout_seconds: float = 60.0
    max_retries: int = 4
    writing: WritingPreferences = field(default_factory=WritingPreferences)
    prompts: dict[str, str] = field(default_factory=dict)
    concurrency: int = 3
    cv_pages: int = 2
    ats_safe: bool = False
    web_research: bool = True
    follow_up_days: int = 7
    privacy_guard: str = "remote"  # off | remote | always
    privacy_employers: bool = False
    confirm_cost_above: float = 0.5  # USD: ask before a batch that may cost more
    max_cost_per_batch: float = 0.0  # USD; 0 = no cap
    max_cost_per_month: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)  # field -> "saved" | "environment" | "default"
    problems: list[str] = field(default_factory=list)  # e.g. a saved key that cannot be decrypted

    def public(self) -> dict[str, Any]:
        """Everything but the key, JSON-ready (for the page)."""
        return {
            "provider": self.provider, "base_url": self.base_url or OPENAI_URL, "quick_model": self.quick_model,
            "writing_model": self.writing_model, "key_hint": self.key_hint, "key_source": self.key_source,
            "offline": self.offline, "temperature": self.temperature, "max_tokens": self.max_tokens,
            "timeout_seconds": self.timeout_seconds, "writing": self.writing.model_dump(mode="json"),
            "prompts": dict(self.prompts), "concurrency": self.concurrency, "cv_pages": self.cv_pages,
            "ats_safe": self.ats_safe, "web_research": self.web_research, "follow_up_days": self.follow_up_days, "privacy_guard": self.privacy_guard,
            "privacy_employers": self.privacy_employers, "confirm_cost_above": self.confirm_cost_above,
            "max_cost_per_batch": self.max_cost_per_batch, "max_cost_per_month": self.max_cost_per_month,
            "sources": dict(self.sources),
            "problems": list(self.problems),
        }


# --- pure: saved + environment -> effective ------------------------------------------------


def _same_url(a: str | None, b: str | None) -> bool:
    return (a or OPENAI_URL).rstrip("/").casefold() == (b or OPENAI_URL).rstrip("/").casefold()


def resolve(saved: ModelSettings, *, api_key: str | None = None, problems: list[str] | None = None) -> EffectiveSettings:
    """The effective settings from `saved` (with its decrypted `api_key`, if any) and the environment."""
    from pipeline.documents.layout import DEFAULT_CV_PAGES

    src: dict[str, str] = {}
    problems = list(problems or [])
    chosen_offline = saved.provider == OFFLINE
    server_saved = saved.provider is not None or bool(saved.base_url)
    if chosen_offline:  # the offline analyst, chosen in the page: no server, no key (even the environment's)
        base_url, quick = None, saved.quick_model or env.model
        writing_model = saved.writing_model or quick
        src["base_url"] = src["quick_model"] = src["writing_model"] = "saved"
    elif server_saved:
        preset = PRESETS.get(saved.provider or "custom")
        base_url = saved.base_url or (preset.base_url if preset else "") or None
        src["base_url"] = "saved"
        quick = saved.quick_model or env.model  # a bare base URL saved without models keeps JOBAPP_MODEL
        src["quick_model"] = "saved" if saved.quick_model else "environment"
        writing_model = saved.writing_model or quick
        src["writing_model"] = "saved" if saved.writing_model else src["quick_model"]
    else:
        base_url = env.openai_base_url or None
        src["base_url"] = "environment" if base_url else "default"
        quick = saved.quick_model or env.model
        src["quick_model"] = "saved" if saved.quick_model else "environment"
        writing_model = saved.writing_model or env.writing_model or quick
        src["writing_model"] = "saved" if saved.writing_model else ("environment" if env.writing_model else src["quick_model"])
    key, key_source = None, ""
    if chosen_offline:
        pass
    elif api_key:
        key, key_source = api_key, "saved"
    elif env.openai_api_key and (not server_saved or _same_url(base_url, env.openai_base_url)):
        key, key_source = env.openai_api_key, "environment"
    needs_key = PRESETS[saved.provider].needs_key if saved.provider else not server_saved
    if key:
        redact.register_secret(key)
    elif server_saved and needs_key and not chosen_offline:
        problems.append(f"no API key saved for {PRESETS[saved.provider or 'custom'].label}: the offline analyst runs until one is saved")
    offline = chosen_offline or (not key and (needs_key or not server_saved))
    if not key and not offline:
        key = NO_KEY
    run = saved.run
    out = EffectiveSettings(
        base_url=base_url, quick_model=quick, writing_model=writing_model, api_key=key, provider=saved.provider,
        key_hint=keybox.hint(key) if key_source else "", key_source=key_source, offline=offline,
        temperature=saved.temperature, max_tokens=saved.max_tokens,
        timeout_seconds=saved.timeout_seconds or env.llm_timeout_seconds, max_retries=env.llm_max_retries,
        writing=saved.writing, prompts=dict(saved.prompts),
        concurrency=min(run.concurrency or env.max_concurrency, env.max_concurrency), cv_pages=run.cv_pages or DEFAULT_CV_PAGES,
        ats_safe=bool(run.ats_safe), web_research=env.web_research if run.web_research is None else run.web_research,
        follow_up_days=env.follow_up_days if run.follow_up_days is None else run.follow_up_days,
        privacy_guard=saved.privacy_guard or env.privacy_guard.lower(),
        privacy_employers=env.privacy_guard_employers if saved.privacy_employers is None else saved.privacy_employers,
        confirm_cost_above=_or_env(saved.confirm_cost_above, "confirm_cost_above", src),
        max_cost_per_batch=_or_env(saved.max_cost_per_batch, "max_cost_per_batch", src),
        max_cost_per_month=_or_env(saved.max_cost_per_month, "max_cost_per_month", src),
        sources=src, problems=problems,
    )
    src["api_key"] = key_source or "none"
    src["timeout_seconds"] = "saved" if saved.timeout_seconds else "environment"
    src["concurrency"] = "saved" if run.concurrency else "environment"
    for name, value in (("temperature", saved.temperature), ("max_tokens", saved.max_tokens)):
        src[name] = "saved" if value is not None else "default"
    for name, value in (("cv_pages", run.cv_pages), ("ats_safe", run.ats_safe)):
        src[name] = "saved" if value is not None else "default"
    src["web_research"] = "saved" if run.web_research is not None else "environment"
    src["follow_up_days"] = "saved" if run.follow_up_days is not None else "environment"
    for name, value in (("tone", saved.writing.tone), ("avoid_words", saved.writing.avoid_words),
                        ("signature", saved.writing.signature), ("default_language", saved.writing.default_language)):
        src[name] = "saved" if value else "default"
    src["privacy_guard"] = "saved" if saved.privacy_guard else "environment"
    src["privacy_employers"] = "saved" if saved.privacy_employers is not None else "environment"
    return out


def _or_env(value: float | None, name: str, src: dict[str, str]) -> float:
    """A saved amount, else the environment's (`name` is the Settings field); notes its source."""
    if value is not None:
        src[name] = "saved"
        return float(value)
    src[name] = "environment" if name in env.model_fields_set else "default"
    return float(getattr(env, name) or 0.0)


# --- the store -------------------------------------------------------------------------------

_HINT = "key_hint"  # kept next to the settings in `data`, so load() never decrypts


def _row(session: Session, owner: str) -> UserSettings | None:
    return session.exec(select(UserSettings).where(UserSettings.owner == owner)).first()


def _saved(row: UserSettings | None) -> ModelSettings:
    if row is None:
        return ModelSettings()
    data = {k: v for k, v in (row.data or {}).items() if k != _HINT}
    try:
        return ModelSettings.model_validate(data)
    except ValidationError:  # saved by an older version with other rules: keep what still validates
        good = {k: v for k, v in data.items() if _field_ok(k, v)}
        return ModelSettings.model_validate(good) if _valid(good) else ModelSettings()


def _field_ok(key: str, value: Any) -> bool:
    return key in ModelSettings.model_fields and _valid({key: value})


def _valid(data: dict[str, Any]) -> bool:
    try:
        ModelSettings.model_validate(data)
        return True
    except ValidationError:
        return False


def _view(row: UserSettings | None) -> SettingsView:
    if row is None:
        return SettingsView(settings=ModelSettings())
    return SettingsView(
        settings=_saved(row), key_hint=str((row.data or {}).get(_HINT) or "") if row.api_key_encrypted else "",
        has_key=bool(row.api_key_encrypted), updated_at=row.updated_at,
    )


def _message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__")
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def validate(data: ModelSettings | dict[str, Any]) -> ModelSettings:
    """`data` as ModelSettings, or SettingsError with a message for the user."""
    if isinstance(data, ModelSettings):
        data = data.model_dump()
    try:
        return ModelSettings.model_validate(data)
    except ValidationError as exc:
        raise SettingsError(_message(exc)) from None


def load(*, session: Session, owner: str) -> SettingsView:
    """The owner's saved settings (defaults when none) and the key's hint; no secret."""
    return _view(_row(session, owner))


def _write(session: Session, owner: str, settings: ModelSettings | None = None, **key: Any) -> SettingsView:
    row = _row(session, owner) or UserSettings(owner=owner, data={})
    hint = (row.data or {}).get(_HINT, "")
    if "encrypted" in key:
        row.api_key_encrypted, hint = key["encrypted"], key["hint"]
    data = (settings or _saved(row)).model_dump(mode="json")
    row.data = {**data, _HINT: hint if row.api_key_encrypted else ""}
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return _view(row)


def save(settings: ModelSettings | dict[str, Any], *, session: Session, owner: str) -> SettingsView:
    """Validate and save the owner's settings (the saved API key is kept). SettingsError when invalid."""
    return _write(session, owner, validate(settings))


def set_api_key(api_key: str, *, session: Session, owner: str) -> SettingsView:
    """Save the owner's API key, encrypted; the view carries only its last four characters."""
    key = (api_key or "").strip()
    if not key:
        raise SettingsError("the API key is empty: use 'remove key' to delete the saved one")
    if len(key) > 500 or re.search(r"\s", key):
        raise SettingsError("an API key has no spaces and at most 500 characters")
    redact.register_secret(key)
    return _write(session, owner, encrypted=keybox.encrypt(key), hint=keybox.hint(key))


def clear_api_key(*, session: Session, owner: str) -> SettingsView:
    """Delete the owner's saved API key (the environment's key applies again, if any)."""
    return _write(session, owner, encrypted=None, hint="")


def set_prompt(layer: str, text: str, *, session: Session, owner: str) -> SettingsView:
    """Save `layer`'s system prompt override; SettingsError when it lost the output-format rules."""
    current = load(session=session, owner=owner).settings
    try:
        checked = prompts.check_prompt_override(layer, text)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    return save(current.model_copy(update={"prompts": {**current.prompts, layer: checked}}), session=session, owner=owner)


def reset_prompt(layer: str, *, session: Session, owner: str) -> SettingsView:
    """"Reset to default": delete `layer`'s override."""
    prompts.default_system_prompt(layer)  # ValueError for an unknown layer
    current = load(session=session, owner=owner).settings
    return save(current.model_copy(update={"prompts": {k: v for k, v in current.prompts.items() if k != layer}}), session=session, owner=owner)


def saved_api_key(*, session: Session, owner: str) -> str | None:
    """The owner's decrypted key (None when none is saved); keybox.KeyboxError when it cannot be
    decrypted. For the model path only: never send it to a page."""
    row = _row(session, owner)
    if row is None or not row.api_key_encrypted:
        return None
    key = keybox.decrypt(row.api_key_encrypted)
    redact.register_secret(key)
    return key


def effective_settings(owner: str | None, *, session: Session | None = None) -> EffectiveSettings:
    """What the next run of `owner` uses (owner None: the environment alone). Never raises for a
    saved key that cannot be decrypted: that becomes a `problems` line and the key is not used."""
    if owner is None:
        return resolve(ModelSettings())
    if session is None:
        from pipeline.store.db import session_scope

        with session_scope() as s:
            return effective_settings(owner, session=s)
    row = _row(session, owner)
    problems: list[str] = []
    try:
        key = saved_api_key(session=session, owner=owner)
    except keybox.KeyboxError as exc:
        key = None
        problems.append(str(exc))
    return resolve(_saved(row), api_key=key, problems=problems)


def default_language(owner: str | None, *, session: Session | None = None) -> str:
    """The owner's default writing language ("" = the posting's); a job's own language wins over it."""
    if owner is None:
        return ""
    if session is None:
        from pipeline.store.db import session_scope

        with session_scope() as s:
            return default_language(owner, session=s)
    return _saved(_row(session, owner)).writing.default_language


def follow_up_days(owner: str | None, *, session: Session) -> int:
    """Days from applying to the follow-up day for `owner`: the saved value, else FOLLOW_UP_DAYS.
    Reads only the saved row (no key to decrypt): a status move asks it inside its transaction."""
    saved = _saved(_row(session, owner)).run.follow_up_days if owner is not None else None
    return env.follow_up_days if saved is None else saved
