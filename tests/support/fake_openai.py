"""A small OpenAI-compatible chat-completions server for tests and benchmarks.

Why: the LLM path must be tested through the real `ChatOpenAI` client (HTTP,
error mapping, usage fields), never against a real API. The server runs on
127.0.0.1 in a background thread. Each request pops the next scripted reply
(content, an HTTP error with optional Retry-After, a delay); with nothing
scripted, a responder computes the content - by default `canned_layer_reply`,
which answers every pipeline layer with valid JSON built from the request, so a
whole run can go through the server. Every request is recorded.

    with FakeOpenAI(latency=0.3) as server:
        server.script(error(429, retry_after=0), reply({"title": "Nurse"}))
        ChatOpenAI(base_url=server.base_url, api_key="k", ...)
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import quote_plus

from pipeline.llm.prompts import CV_TAG, PAGES_TAG, POSTING_TAG, unfence

Responder = Callable[[dict[str, Any]], str]


@dataclass
class Scripted:
    """One scripted reply. status != 200 sends an OpenAI-style error body."""

    status: int = 200
    content: str | None = None  # the assistant message; None: ask the responder
    raw_body: str | None = None  # send exactly this body instead (malformed-server tests)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (on top of the server latency)
    message: str = ""  # error message for status != 200
    code: str | None = None  # error code for status != 200, e.g. "insufficient_quota"
    usage: dict[str, int] | None = None  # override the computed usage block
    finish_reason: str = "stop"
    content_type: str = "application/json"  # of a raw_body (e.g. "text/event-stream" for a server that streams anyway)
    cut_after: int | None = None  # send only this many bytes of a raw_body (Content-Length says all), then close


def reply(content: dict[str, Any] | str, **kw: Any) -> Scripted:
    """A 200 whose assistant message is `content` (a dict is sent as JSON text)."""
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    return Scripted(content=text, **kw)


def error(status: int, message: str = "", *, retry_after: float | str | None = None, code: str | None = None) -> Scripted:
    """An HTTP error, e.g. `error(429, retry_after=0)` or `error(500)`."""
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return Scripted(status=status, message=message or f"scripted error {status}", code=code, headers=headers)


def slow(seconds: float, content: dict[str, Any] | str | None = None) -> Scripted:
    """Answer after `seconds` (content None: the responder's answer)."""
    if content is None:
        return Scripted(delay=seconds)
    return reply(content, delay=seconds)


@dataclass
class Recorded:
    """One request as the server saw it, and what it answered."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    status: int = 0
    content: str | None = None
    usage: dict[str, int] | None = None
    started: float = 0.0
    finished: float = 0.0

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages") or [])

    @property
    def model(self) -> str:
        return str(self.body.get("model", ""))

    def text(self) -> str:
        """All message contents joined (for assertions)."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)

    def layer(self) -> str | None:
        return layer_of(self.body)


class FakeOpenAI:
    """The server. Use as a context manager, or call start()/stop()."""

    def __init__(
        self, *, responder: Responder | None = None, latency: float = 0.0, host: str = "127.0.0.1",
        api_key: str | None = None, models: tuple[str, ...] | list[str] | None = ("fake-model",), context_limit: int | None = None,
    ) -> None:
        self.responder: Responder = responder or default_responder
        self.latency = latency
        # A model with a small context window: a prompt over this many (estimated) tokens gets
        # OpenAI's 400 context_length_exceeded, before any scripted reply is used.
        self.context_limit = context_limit
        self.requests: list[Recorded] = []
        # Optional, for connection tests: a key every request must carry (else 401), the model ids
        # GET /models lists (None: that route answers 404, as on servers that list nothing), and
        # the GET requests seen (kept apart so `requests` stays the chat calls' record).
        self.api_key = api_key
        self.models: list[str] | None = None if models is None else list(models)
        self.get_requests: list[Recorded] = []
        self._queue: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _QuietServer((host, 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else host
        return f"http://{host}:{port}/v1"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping in a scripted delay
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- scripting --------------------------------------------------------------
    def script(self, *items: Scripted | dict[str, Any] | str) -> None:
        """Queue replies, consumed one per request in order (dicts/strings: `reply`)."""
        with self._lock:
            for item in items:
                self._queue.append(item if isinstance(item, Scripted) else reply(item))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def total_usage(self) -> tuple[int, int]:
        """(prompt_tokens, completion_tokens) summed over successful replies."""
        done = [r.usage for r in self.requests if r.status == 200 and r.usage]
        return sum(u["prompt_tokens"] for u in done), sum(u["completion_tokens"] for u in done)

    # -- serving ---------------------------------------------------------------
    def _next(self) -> Scripted:
        with self._lock:
            return self._queue.popleft() if self._queue else Scripted()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                pass

            def _authorized(self) -> bool:
                if server.api_key is None or self.headers.get("Authorization") == f"Bearer {server.api_key}":
                    return True
                err = {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error", "code": "invalid_api_key"}}
                self._send(401, err)
                return False

            def do_GET(self) -> None:
                rec = Recorded(path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body={}, started=time.perf_counter())
                with server._lock:
                    server.get_requests.append(rec)
                if not self._authorized():
                    rec.status = 401
                elif self.path.rstrip("/").endswith("/models") and server.models is not None:
                    rec.status = 200
                    self._send(200, {"object": "list", "data": [{"id": m, "object": "model", "owned_by": "tests"} for m in server.models]})
                else:
                    rec.status = 404
                    self._send(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_unparsed": raw.decode("utf-8", "replace")}
                rec = Recorded(path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body, started=time.perf_counter())
                with server._lock:
                    server.requests.append(rec)
                if not self._authorized():
                    rec.status = 401
                    return
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    rec.status = 404
                    self._send(404, {"error": {"message": f"no route {self.path}", "type": "invalid_request_error"}})
                    return
                prompt_tokens = _usage(body, "")["prompt_tokens"]
                if server.context_limit is not None and prompt_tokens > server.context_limit:
                    rec.status = 400
                    message = (
                        f"This model's maximum context length is {server.context_limit} tokens. However, your messages resulted in "
                        f"{prompt_tokens} tokens. Please reduce the length of the messages."
                    )
                    err = {"error": {"message": message, "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
                    self._send(400, err)
                    return
                item = server._next()
                wait = server.latency + item.delay
                if wait > 0 and server._stopping.wait(wait):
                    return  # shutting down
                rec.status = item.status
                if item.status != 200:
                    err = {"error": {"message": item.message, "type": "server_error" if item.status >= 500 else "invalid_request_error", "code": item.code}}
                    self._send(item.status, err, item.headers)
                elif item.raw_body is not None:
                    self._send_raw(200, item.raw_body.encode(), item.headers, content_type=item.content_type, cut_after=item.cut_after)
                else:
                    content = item.content if item.content is not None else server.responder(body)
                    rec.content = content
                    rec.usage = item.usage or _usage(body, content)
                    self._send(200, _completion(body, content, rec.usage, item.finish_reason), item.headers)
                rec.finished = time.perf_counter()

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                self._send_raw(status, json.dumps(payload, ensure_ascii=False).encode(), headers)

            def _send_raw(
                self, status: int, data: bytes, headers: dict[str, str] | None = None, *, content_type: str = "application/json",
                cut_after: int | None = None,
            ) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    if cut_after is not None:  # a body cut off mid-way: the connection closes early
                        self.wfile.write(data[:cut_after])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

        return Handler


class _QuietServer(ThreadingHTTPServer):
    """No tracebacks on stderr when a client drops a connection (timeouts do that)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks
        return "\n".join(str(b.get("text", "")) for b in content if isinstance(b, dict))
    return ""


def _usage(body: dict[str, Any], content: str) -> dict[str, int]:
    """Token counts in the ballpark of a real tokenizer (about 4 characters per token)."""
    messages = body.get("messages") or []
    prompt = sum(4 + len(_content_text(m.get("content"))) // 4 for m in messages) + 3
    completion = max(1, len(content) // 4)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(body: dict[str, Any], content: str, usage: dict[str, int], finish_reason: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "fake-model"),
        "system_fingerprint": "fp_fake",
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content, "refusal": None}, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": usage,
    }


# --- canned, schema-valid replies per layer ------------------------------------------

_LAYER_RE = re.compile(r"LAYER:\s*(\w+)")


def layer_of(request_json: dict[str, Any]) -> str | None:
    """The pipeline layer a request is for, from the `LAYER: x` marker of its system prompt."""
    for m in request_json.get("messages") or []:
        if m.get("role") in {"system", "developer"}:
            found = _LAYER_RE.search(_content_text(m.get("content")))
            if found:
                return found.group(1)
    return None


def default_responder(request_json: dict[str, Any]) -> str:
    layer = layer_of(request_json)
    if layer is None:
        return json.dumps({"ok": True})
    return json.dumps(canned_layer_reply(layer, request_json), ensure_ascii=False)


def _user_text(request_json: dict[str, Any]) -> str:
    users = [m for m in request_json.get("messages") or [] if m.get("role") == "user"]
    return _content_text(users[0].get("content")) if users else ""


def _posting_parts(user: str) -> tuple[dict[str, str], str]:
    """(metadata, description) from the fenced posting block."""
    block = unfence(POSTING_TAG, user) or ""
    head, _, desc = block.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    return meta, desc.strip()


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n+", text)
    return [p.strip(" -•*\t") for p in parts if len(p.strip(" -•*\t")) > 12]


def _bullets(text: str) -> list[str]:
    return [ln.strip()[1:].strip() for ln in text.splitlines() if ln.strip()[:1] in {"-", "*", "•"} and len(ln.strip()) > 2]


def canned_layer_reply(layer: str, request_json: dict[str, Any]) -> dict[str, Any]:
    """Valid JSON for `layer`'s schema, made from the request's own text (no invented facts)."""
    user = _user_text(request_json)
    meta, desc = _posting_parts(user)
    cv = unfence(CV_TAG, user) or ""
    sentences = _sentences(desc) or [desc[:200] or "The posting gives no detail."]
    title = meta.get("title") or (desc.splitlines()[0][:80] if desc else "Untitled role")
    company = meta.get("company", "")
    bullets = _bullets(desc)
    if layer == "intake":
        return {
            "title": title,
            "company": company,
            "location": meta.get("location", ""),
            "seniority": "unspecified",
            "language": "en",
            "summary": " ".join(sentences[:2]),
            "must_have": [b[:60] for b in bullets[:3]],
            "nice_to_have": [b[:60] for b in bullets[3:5]],
            "responsibilities": sentences[:3],
        }
    if layer == "pain_points":
        picks = (sentences * 5)[:5] if sentences else []
        return {"items": [{"title": s[:40], "detail": f"The posting stresses: {s[:80]}", "evidence": s} for s in picks]}
    if layer == "research_facts":  # a sentence or two of each page, quoted exactly, cited by the page's id
        facts = []
        for pid, body in re.findall(r"^=== page (\w+): \S*\ntitle: [^\n]*\n\n(.*?)(?=\n\n=== page |\Z)", unfence(PAGES_TAG, user) or "", re.DOTALL | re.MULTILINE):
            picks = [s for s in _sentences(body) if len(s) > 40 and s.endswith(".")][:2]
            facts += [{"text": s, "page": pid, "quote": s} for s in picks]
        return {"facts": facts[:8]}
    if layer == "research":
        return {"company_summary": sentences[0], "role_summary": " ".join(sentences[1:3]), "notes": sentences[:3], "sources": ["posting"], "website": None}
    if layer == "fit":
        cv_lower = cv.lower()
        words = sorted({w for w in re.findall(r"[A-Za-z][A-Za-z+#.-]{2,}", desc) if w[0].isupper()})
        matched = [w for w in words if w.lower() in cv_lower][:10]
        missing = [w for w in words if w.lower() not in cv_lower][:10]
        return {
            "score": 72,
            "breakdown": {"must_have": 80.0, "nice_to_have": 60.0, "seniority": 70.0, "title": 60.0},
            "matched_skills": matched,
            "missing_skills": missing,
            "rationale": "Canned fit from the test server.",
        }
    if layer == "people":
        q = quote_plus(f"{company} {title}")
        return {
            "contacts": [
                {"role": "hiring manager", "name": None, "source": "placeholder", "is_placeholder": True, "email": None,
                 "search_url": f"https://www.google.com/search?q={q}+hiring+manager"},
                {"role": "recruiter", "name": None, "source": "placeholder", "is_placeholder": True, "email": None,
                 "search_url": f"https://www.google.com/search?q={q}+recruiter"},
            ]
        }
    if layer == "writing":
        first = next((ln.strip("# ").strip() for ln in cv.splitlines() if ln.strip()), "the candidate")
        return {
            "cv_markdown": cv,
            "cover_letter": f"Dear hiring team at {company or 'your company'},\n\nI am applying for the {title} role.\n\n{first}",
            "outreach": {
                "linkedin_note": f"Hello, I applied for the {title} role at {company or 'your team'} and would welcome a short chat."[:300],
                "email_subject": f"Application: {title}"[:120],
                "email_body": f"Hello,\n\nI have applied for the {title} role and would be glad to talk.\n\n{first}",
            },
            "star_stories": [],
        }
    raise ValueError(f"unknown layer {layer!r}")
