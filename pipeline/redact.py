"""Keep secrets out of logs, events and artifacts."""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.settings import settings

_PATTERNS = [
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{12,}"), "sk-***"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._\-~+/]{8,}=*"), r"\1 ***"),
    (re.compile(r"(?i)\b(api[_-]?key|token|secret|password|passwd|pwd)(\s*[=:]\s*)(\"?)[^\s\"',;&]{4,}"), r"\1\2\3***"),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)([^/\s:@]*):([^/\s@]+)@"), r"\1\2:***@"),  # redis://:pw@ too
    (re.compile(r"\b(lsv2_[a-z]{2}_)[A-Za-z0-9_]{16,}"), r"\1***"),
    (re.compile(r"\b(jat_|jcal_)[A-Za-z0-9_\-]{16,}"), r"\1***"),  # API tokens; calendar feed URLs (pipeline/store/calendar_feed.py)
]


# API keys users saved in the Settings panel (pipeline/llm/config.py registers each one it
# stores or decrypts in this process), redacted like the configured ones.
_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Redact `value` from now on in this process (a key saved in the page, once seen)."""
    if value and len(value) >= 4:
        _registered.add(value)


def _configured_secrets() -> tuple[str, ...]:
    """Exact secret values from settings: redacted wherever they show up (follows the settings
    as they are now, so a changed setting is never missed), then the keys saved in the page."""
    configured = _secrets_of(settings.openai_api_key, settings.login_password, settings.langsmith_api_key,
                             settings.db_url_raw, settings.redis_url, settings.mongodb_uri, settings.searxng_url,
                             settings_key=settings.settings_key, firecrawl_key=settings.firecrawl_api_key)
    # Longest first: a secret that contains another is masked whole.
    return tuple(sorted({*configured, *_registered}, key=len, reverse=True)) if _registered else configured


@lru_cache(maxsize=8)
def _secrets_of(api_key: str | None, password: str | None, langsmith_key: str | None, *urls: str | None,
                settings_key: str | None = None, firecrawl_key: str | None = None) -> tuple[str, ...]:
    values = [api_key, password, langsmith_key, settings_key, firecrawl_key]
    for url in urls:
        m = re.search(r"://[^/\s:@]*:([^/\s@]+)@", url or "")
        if m:
            values.append(m.group(1))
    return tuple(v for v in values if v and len(v) >= 4)


def redact(text: str) -> str:
    """`text` with API keys, bearer tokens, passwords and URL credentials masked."""
    if not text:
        return text
    for secret in _configured_secrets():
        text = text.replace(secret, "***")
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact_data(value):
    """Recursively redact strings inside JSON-like data."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: ("***" if _secret_key(k) else redact_data(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(v) for v in value]
    return value


def _secret_key(key: object) -> bool:
    return isinstance(key, str) and bool(_SECRET_KEY.search(key))


_SECRET_KEY = re.compile(r"(?i)(^|_)(api[_-]?key|secret|password|passwd|token|authorization|auth)$")
