""""Test connection" in the Settings panel: list the server's models and make one tiny call.

`test_connection(effective)` takes `EffectiveSettings` (pipeline/llm/config.py: the saved
ones, or `resolve(...)` of the form's unsaved values) and returns a `ConnectionReport` whose
`message` says in plain words what is wrong: a rejected key (401/403), an unreachable server
(refused, DNS, timeout), a model the server does not have (404, or missing from its list), no
quota (429 insufficient_quota), or anything else with the server's own message. No message
carries the key: each is redacted with the key itself and the usual patterns.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from pipeline.llm.config import OPENAI_URL, EffectiveSettings
from pipeline.llm.openai_analyst import host_of
from pipeline.redact import redact

PING = [{"role": "user", "content": "Reply with the single word OK."}]
DEFAULT_TIMEOUT = 20.0


@dataclass
class ConnectionReport:
    """What the panel shows after "Test connection".

    ok: the server answered a chat call for every chosen model. problem: "" when ok, else one
    of "offline", "auth", "unreachable", "model_not_found", "quota", "rate_limited", "error".
    models: what GET /models listed ([] when the server lists nothing)."""

    ok: bool
    problem: str = ""
    message: str = ""
    host: str = ""
    models: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # the models a chat call succeeded with
    reply: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Failed(Exception):
    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem, self.message = problem, message


def _server_message(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return " ".join(resp.text.split())[:200]
    err = body.get("error", body) if isinstance(body, dict) else body
    if isinstance(err, dict):
        return str(err.get("message") or err.get("detail") or "")[:300]
    return str(err)[:300]


def _code(resp: httpx.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return ""
    err = body.get("error", body) if isinstance(body, dict) else {}
    return str(err.get("code") or err.get("type") or "") if isinstance(err, dict) else ""


def _check(resp: httpx.Response, host: str, model: str | None) -> None:
    """Raise `_Failed` with a plain message for an error answer."""
    if resp.status_code < 400:
        return
    status, said = resp.status_code, _server_message(resp)
    tail = f" (the server said: {said})" if said else ""
    if status in (401, 403):
        raise _Failed("auth", f"{host} rejected the API key (HTTP {status}): check the key you saved{tail}")
    if status == 404 and model:
        raise _Failed("model_not_found", f"{host} has no model {model!r} (HTTP 404): pick one from the server's list{tail}")
    if status == 429 and _code(resp) == "insufficient_quota":
        raise _Failed("quota", f"{host} says the account has no quota left (HTTP 429 insufficient_quota): check its billing{tail}")
    if status == 429:
        raise _Failed("rate_limited", f"{host} is rate limiting this key (HTTP 429): try again in a minute{tail}")
    raise _Failed("error", f"{host} answered HTTP {status}{tail}")


def test_connection(effective: EffectiveSettings, *, timeout: float | None = None) -> ConnectionReport:
    """List the server's models (GET {base}/models) and send a tiny chat call to the quick model
    (and the writing model when it differs). Never raises; the report says what went wrong."""
    host = host_of(effective.base_url)
    started = time.perf_counter()
    report = ConnectionReport(ok=False, host=host)
    secret = effective.api_key or ""

    def clean(text: str) -> str:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
        return redact(text)

    if effective.offline:
        report.problem = "offline"
        report.message = "; ".join(effective.problems) or "no model is configured: save an API key or choose a local server first"
        return report
    base = (effective.base_url or OPENAI_URL).rstrip("/")
    headers = {"Authorization": f"Bearer {effective.api_key}"} if effective.api_key else {}
    limit = timeout or min(effective.timeout_seconds, DEFAULT_TIMEOUT)
    wanted = list(dict.fromkeys(m for m in (effective.quick_model, effective.writing_model) if m))
    try:
        with httpx.Client(timeout=httpx.Timeout(limit, connect=min(limit, 10.0)), headers=headers, follow_redirects=True) as client:
            try:
                listed = client.get(f"{base}/models")
            except httpx.TimeoutException:
                raise _Failed("unreachable", f"{host} did not answer within {limit:g} s: is the server running and the base URL right?") from None
            except httpx.HTTPError as exc:
                raise _Failed("unreachable", f"cannot reach {host} ({type(exc).__name__}): is the server running and the base URL ({base}) right?") from None
            if listed.status_code in (401, 403):
                _check(listed, host, None)
            if listed.status_code < 400:
                try:
                    data = listed.json().get("data") or []
                    report.models = sorted(str(m.get("id")) for m in data if isinstance(m, dict) and m.get("id"))
                except (ValueError, AttributeError):
                    report.models = []
            missing = [m for m in wanted if report.models and m not in report.models]
            if missing:
                raise _Failed(
                    "model_not_found",
                    f"{host} does not list the model {missing[0]!r}; it has: {', '.join(report.models[:15])}"
                    + (" …" if len(report.models) > 15 else ""),
                )
            for model in wanted:
                try:
                    resp = client.post(f"{base}/chat/completions", json={"model": model, "messages": PING})
                except httpx.TimeoutException:
                    raise _Failed("unreachable", f"{host} did not answer a tiny call to {model!r} within {limit:g} s") from None
                except httpx.HTTPError as exc:
                    raise _Failed("unreachable", f"the connection to {host} failed during the call to {model!r} ({type(exc).__name__})") from None
                _check(resp, host, model)
                try:
                    choice = resp.json()["choices"][0]["message"]
                    report.reply = str(choice.get("content") or "")[:80]
                except (ValueError, KeyError, IndexError, TypeError):
                    raise _Failed("error", f"{host} answered the call to {model!r} with something that is not a chat completion") from None
                report.checked.append(model)
    except _Failed as failed:
        report.problem, report.message = failed.problem, clean(failed.message)
        report.seconds = round(time.perf_counter() - started, 2)
        return report
    report.ok = True
    listed_note = f"; it lists {len(report.models)} model(s)" if report.models else "; it does not list its models"
    report.message = clean(f"{host} answered {' and '.join(repr(m) for m in report.checked)}{listed_note}")
    report.seconds = round(time.perf_counter() - started, 2)
    return report


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported into one
