"""The LLM analyst: every layer through `ChatOpenAI` against any OpenAI-compatible server.

Why it is built this way:
- JSON output is requested the portable way: `response_format={"type": "json_object"}`
  plus the layer's JSON schema in the prompt, and the reply's `message.content` is
  parsed and validated with the layer's Pydantic model here. Strict `json_schema`
  structured outputs and tool calling are not supported uniformly by Ollama, vLLM,
  LM Studio or gateways; a server that rejects `response_format` with a 400 is
  detected once and asked again with the prompt alone.
- Retries are ours (the client runs with `max_retries=0`) so each one is logged,
  counted and backed off with jitter; the run's budget is checked before every call
  and usage is recorded after it.
- Secrets: the API key lives only inside the client. Every message we log or raise
  is passed through `_redact`, and client exceptions are not chained onto ours,
  because servers may echo the key back in error bodies.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote_plus, urlparse

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr, ValidationError

from pipeline import metrics
from pipeline.graph.schemas import Fit, Intake, PainPoints, People, Posting, Research, ResearchFact, Writing
from pipeline.llm import pricing, prompts
from pipeline.llm.base import (
    CONTEXT_TOO_LONG,
    INVALID_OUTPUT,
    LLM_AUTH,
    LLM_MODEL_NOT_FOUND,
    LLM_UNAVAILABLE,
    ContextTooLong,
    PipelineError,
    Usage,
)
from pipeline.llm.postprocess import validate_pairs
from pipeline.llm.privacy import PrivacyGuard
from pipeline.web.citations import CitedFacts, check_facts, describe_dropped, page_id
from pipeline.web.facts import add_site_facts
from pipeline.web.people import web_contacts
from pipeline.web.site import SiteRead, company_site

LogFn = Callable[[str, str, str], None]
M = TypeVar("M", bound=BaseModel)

# Output tokens we expect per layer: used for the pre-call budget estimate only
# (no max_tokens is sent: reasoning models spend part of it on hidden reasoning
# and an early cut-off only produces broken JSON).
OUTPUT_TOKENS: dict[str, int] = {
    "intake": 1200,
    "pain_points": 1500,
    "research": 1000,
    "research_facts": 1200,  # the research layer's second call (cited facts from the pages); for the estimate, as it runs as "research"
    "fit": 800,
    "people": 800,
    "writing": 4000,
}
RETRY_AFTER_CAP = 60.0  # never wait longer than this for a server's Retry-After
TRANSIENT_STATUS = {408, 409, 429}  # plus every 5xx
MAX_BAD_OUTPUT_CHARS = 12_000  # how much of an invalid reply is sent back for repair

_KEYLIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{6,}|Bearer\s+\S+)", re.IGNORECASE)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"```(?:json|JSON)?\s*(.*?)```", re.DOTALL)


class OutputError(ValueError):
    """The reply was not JSON for the layer's schema; the text explains why (for the repair prompt)."""


@dataclass(frozen=True)
class _Transient:
    """A failure worth retrying: what to log, and the server's Retry-After if any."""

    what: str
    retry_after: float | None = None
    hint: str = ""  # said once more when giving up


class LLMAnalyst:
    """Implements `pipeline.llm.base.Analyst` with a chat model (see the module docstring)."""

    offline = False

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None,
        usage: Usage,
        timeout: float,
        max_retries: int,
        log: LogFn | None = None,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        prices: dict[str, dict[str, float]] | None = None,
        json_mode: bool = True,
        writing_model: str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        system_prompts: dict[str, str] | None = None,
        writing_preferences: str = "",
        guard: PrivacyGuard | None = None,
    ) -> None:
        self.name = model
        self.model = model
        # User settings (pipeline/llm/config.py): the writing layer's own model, sampling and
        # output limits (None: the server's defaults), per-layer system prompts, preferences.
        self.writing_model = writing_model or model
        self.temperature, self.max_tokens = temperature, max_tokens
        self.system_prompts = dict(system_prompts or {})
        self.writing_preferences = writing_preferences
        self.usage = usage
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.prices = prices
        self.json_mode = json_mode
        # The privacy guard: every message is hidden before it is sent, every reply restored
        # before it is validated (pipeline/llm/privacy.py). None: the text goes out as it is.
        self.guard = guard
        self.host = host_of(base_url)
        self._log = log
        self._secret = api_key or ""
        self._warned: set[str] = set()
        self._api_key = SecretStr(api_key)
        self._base_url = base_url
        self._llms: dict[str, ChatOpenAI] = {}
        self._llm_loop: asyncio.AbstractEventLoop | None = None

    def model_for(self, node: str) -> str:
        """The model a layer's calls go to: the writing model for writing, else the quick one."""
        return self.writing_model if node == "writing" else self.model

    def _client(self, node: str = "") -> ChatOpenAI:
        """The chat model for the running event loop.

        langchain-openai caches its default async HTTP client process-wide per
        (base_url, timeout); pooled connections from a finished `asyncio.run` then
        fail with "Event loop is closed" in the next one. So each event loop gets
        its own client and connection pool."""
        loop = asyncio.get_running_loop()
        if self._llm_loop is not loop:
            self._llms, self._llm_loop = {}, loop
        model = self.model_for(node)
        if model not in self._llms:
            # max_retries=0: the retry loop in `complete` owns retries (logged and counted).
            # Tracing: LangSmith picks up LANGSMITH_TRACING / LANGSMITH_API_KEY by itself.
            self._llms[model] = ChatOpenAI(
                model=model,
                api_key=self._api_key,
                base_url=self._base_url,
                timeout=self.timeout,
                max_retries=0,
                # Chat Completions only: ChatOpenAI would silently switch some model names
                # (*-pro, *codex*) to the Responses API, which generic servers do not have.
                use_responses_api=False,
                http_async_client=openai.DefaultAsyncHttpxClient(),
                temperature=self.temperature,
                # OpenAI takes max_tokens (sent as max_completion_tokens); other servers get plain
                # max_tokens, as Ollama ignores max_completion_tokens.
                **(({"max_tokens": self.max_tokens} if self.host == "api.openai.com" else {"extra_body": {"max_tokens": self.max_tokens}})
                   if self.max_tokens else {}),
            )
        return self._llms[model]

    @property
    def base_url(self) -> str | None:
        return self._base_url

    def __repr__(self) -> str:  # never the key
        return f"LLMAnalyst(model={self.model!r}, host={self.host!r})"

    # -- the six layers ----------------------------------------------------------------
    async def intake(self, posting: Posting) -> Intake:
        user = prompts.INTAKE_USER.format(posting=_posting(posting), schema=prompts.schema_json(Intake))
        return await self.structured("intake", Intake, prompts.INTAKE_SYSTEM, user)

    async def pain_points(self, posting: Posting, intake: Intake) -> PainPoints:
        user = prompts.PAIN_POINTS_USER.format(
            language=prompts.language_rule("pain_points", intake.language), context=_context(intake=intake), posting=_posting(posting),
            schema=prompts.schema_json(PainPoints),
        )
        return await self.structured("pain_points", PainPoints, prompts.PAIN_POINTS_SYSTEM, user)

    async def research(self, posting: Posting, intake: Intake) -> Research:
        user = prompts.RESEARCH_USER.format(
            language=prompts.language_rule("research", intake.language), context=_context(intake=intake), posting=_posting(posting),
            schema=prompts.schema_json(Research),
        )
        out = await self.structured("research", Research, prompts.RESEARCH_SYSTEM, user)
        # The model read nothing but the posting: say so, and keep a website only if the posting has it.
        text = _posting_text(posting)
        out.sources = ["posting"]
        if out.website and out.website not in text:
            out.website = None
        # Facts come from the company's own pages only: the model's summaries whose quotes check out
        # against the page they cite (pipeline/web/citations.py), else the pages' own sentences
        # (pipeline/web/facts.py). Facts the model gave in the call above are never kept.
        company = intake.company or posting.company
        site = await company_site(posting.url, posting.company_url, company=company, enabled=getattr(self, "web_research", None))
        cited = await self._cited_facts(site, company, intake.language) if site else []
        out = add_site_facts(out, site, company)
        if cited and site:
            # a search result is a source only when it gave a fact (as in add_site_facts), here a cited one
            results = {p.url for p in getattr(site, "search", [])} - {p.url for p in site.pages}
            out.sources = [s for s in out.sources if s not in results]
            out.sources += [u for u in dict.fromkeys(f.source_url for f in cited) if u not in out.sources]
            out.facts = cited
        return out

    async def _cited_facts(self, site: SiteRead, company: str, language: str) -> list[ResearchFact]:
        """Facts the model summarises from the fetched pages, each kept only when its quote is on
        the page it cites and it adds no number or name the quote lacks; [] when none is usable
        (the caller then keeps the pages' own sentences). The pages go out fenced as untrusted data."""
        read = [*site.pages, *getattr(site, "search", [])]  # the site's pages, then web search results about the company
        pages = {page_id(i): p for i, p in enumerate(p for p in read if p.kind != "careers")}
        if not pages:
            return []
        user = prompts.RESEARCH_FACTS_USER.format(
            company=company or "the company", language=prompts.language_rule("research", language),
            pages=prompts.pages_block([(pid, p.url, p.title, p.text) for pid, p in pages.items()]), schema=prompts.schema_json(CitedFacts),
        )
        try:
            reply = await self.structured("research", CitedFacts, prompts.RESEARCH_FACTS_SYSTEM, user, node_prompt=False)
        except PipelineError as exc:  # the posting-based notes stand; the pages' own sentences become the facts
            self._emit("warning", "research", f"no cited facts from the model ({exc.code}); using sentences from the company's pages instead")
            return []
        checked = check_facts(reply.facts, pages, company, language)
        if checked.dropped:
            self._emit(
                "warning", "research",
                f"dropped {describe_dropped(checked.dropped)} of {len(reply.facts)} facts the model cited from the company's pages: "
                "their citation could not be checked",
            )  # fmt: skip
        if not checked.kept:
            self._emit("info", "research", "no checked facts from the model; using sentences from the company's pages instead")
        else:
            self._emit("info", "research", f"kept {len(checked.kept)} cited facts from {len({f.source_url for f in checked.kept})} pages")
        return checked.kept

    async def fit(self, posting: Posting, intake: Intake, cv_markdown: str) -> Fit:
        def user(cv: str) -> str:
            return prompts.FIT_USER.format(
                context=_context(intake=intake), posting=_posting(posting), cv=prompts.cv_block(cv), schema=prompts.schema_json(Fit)
            )

        return await self._fitting_cv("fit", Fit, prompts.FIT_SYSTEM, user, cv_markdown, posting)

    async def people(self, posting: Posting, intake: Intake) -> People:
        user = prompts.PEOPLE_USER.format(context=_context(intake=intake), posting=_posting(posting), schema=prompts.schema_json(People))
        out = await self.structured("people", People, prompts.PEOPLE_SYSTEM, user)
        text = _posting_text(posting).casefold()
        company = intake.company or posting.company
        site = await company_site(posting.url, posting.company_url, company=company, enabled=getattr(self, "web_research", None))
        for c in out.contacts:
            if c.name and c.name.casefold() not in text and not _stated_on_site(c.name, c.source, site):  # a name no source states is invented: demote it
                self._emit("warning", "people", f"dropped a contact name the posting does not state ({c.role})")
                c.name = None
            if c.email and c.email.casefold() not in text:
                c.email = None
            if c.name:
                c.is_placeholder = False
                c.source = "posting" if c.name.casefold() in text else c.source
            else:
                c.is_placeholder, c.source = True, "placeholder"
                if not c.search_url:
                    c.search_url = "https://www.google.com/search?q=" + quote_plus(f"{company} {intake.title} {c.role} linkedin".strip())
        out.contacts += web_contacts(site, company, out.contacts)
        return out

    async def writing(
        self, posting: Posting, intake: Intake, pains: PainPoints, fit: Fit, research: Research, cv_markdown: str
    ) -> Writing:
        def user(cv: str) -> str:
            return prompts.WRITING_USER.format(
                language=prompts.language_rule("writing", intake.language)  # intake.language: the posting's, or the job's override
                + (f"\n{self.writing_preferences}" if self.writing_preferences else ""),
                context=_context(intake=intake, pain_points=pains, fit=fit, research=research),
                posting=_posting(posting),
                cv=prompts.cv_block(cv),
                schema=prompts.schema_json(Writing),
            )

        # The model's STAR pairs obey the offline analyst's rule: no shared skill or term, no story.
        out = await self._fitting_cv("writing", Writing, prompts.WRITING_SYSTEM, user, cv_markdown, posting)
        checked = validate_pairs(out, pains)
        dropped = sum(1 for s in checked.star_stories if s.gap) - sum(1 for s in out.star_stories if s.gap and not s.source_line)
        if dropped > 0:
            self._emit("warning", "writing", f"replaced {dropped} interview stories whose CV line shares nothing with the need by a gap note")
        return checked

    async def _fitting_cv(
        self, node: str, schema: type[M], system: str, user: Callable[[str], str], cv_markdown: str, posting: Posting
    ) -> M:
        """`structured` with the CV in the prompt; when the prompt is over the model's context
        window, once more without the CV's least relevant bullets for this posting (logged),
        else a plain `context_too_long`."""
        try:
            return await self.structured(node, schema, system, user(cv_markdown))
        except ContextTooLong as err:
            first = err
        from pipeline.llm.trim import cut_target, trim_cv

        trimmed, dropped = trim_cv(cv_markdown, posting, cut_target(first.prompt_chars, len(cv_markdown), first.limit, first.requested))
        model, window = self.model_for(node), f" ({first.limit} tokens)" if first.limit else ""
        advice = "choose a model with a larger context window, or shorten the master CV or the posting"
        if not dropped:
            raise PipelineError(
                CONTEXT_TOO_LONG, f"the posting and CV are too long for model {model!r}'s context window{window} and the CV has no bullet "
                f"that can be left out: {advice}", node=node,
            ) from None  # fmt: skip
        self._emit(
            "warning", node, f"the prompt is too long for model {model!r}'s context window{window}: retrying once without the CV's "
            f"{len(dropped)} least relevant bullet{'s' if len(dropped) != 1 else ''} for this posting",
        )  # fmt: skip
        try:
            return await self.structured(node, schema, system, user(trimmed))
        except ContextTooLong:
            pass
        raise PipelineError(
            CONTEXT_TOO_LONG, f"the posting and CV are too long for model {model!r}'s context window{window}, even without the CV's "
            f"{len(dropped)} least relevant bullets: {advice}", node=node,
        )  # fmt: skip

    # -- one structured call: parse, repair once, retry fresh once ----------------------
    async def structured(self, node: str, schema: type[M], system: str, user: str, *, node_prompt: bool = True) -> M:
        """Ask for `schema` as JSON; on a bad reply send it back once for repair, then
        try once more from scratch, then fail with `invalid_output`. `node_prompt=False`: a
        second call of a layer, whose own system prompt a user's prompt for the layer never replaces."""
        if node_prompt:
            system = self.system_prompts.get(node) or system  # the user's own prompt for this layer, if saved
        base: list[BaseMessage] = [SystemMessage(content=system), HumanMessage(content=user)]
        problem = bad = ""
        for attempt in ("first", "repair", "fresh"):
            messages = base
            if attempt == "repair":
                messages = [
                    *base,
                    AIMessage(content=bad[:MAX_BAD_OUTPUT_CHARS]),
                    HumanMessage(content=prompts.REPAIR_USER.format(error=problem, schema=prompts.schema_json(schema))),
                ]
            text, finish = await self.complete(node, messages)
            try:
                return parse_reply(text, schema, restore=self.guard.restore_data if self.guard else None)
            except OutputError as exc:
                bad, problem = text, str(exc)
                if finish == "length":
                    problem += " (the reply was cut off at the server's output-token limit; be more concise)"
                nxt = {"first": "asking the model to repair it", "repair": "retrying once from scratch", "fresh": "giving up"}[attempt]
                self._emit("warning", node, f"the model's reply was not a valid {schema.__name__}: {_short(problem, 240)}; {nxt}")
        raise PipelineError(
            INVALID_OUTPUT,
            self._redact(f"the model did not return a valid {schema.__name__} after a repair and a retry: {_short(problem, 400)}"),
            node=node,
        )

    # -- one chat completion with budget, retries and accounting ---------------------------
    async def complete(self, node: str, messages: list[BaseMessage]) -> tuple[str, str | None]:
        """The reply text and finish reason of one completion (retrying transient failures).

        With a privacy guard, what is sent has the candidate's details replaced by placeholders;
        the reply text is returned as the model wrote it (`structured` restores it)."""
        messages = self._hidden(messages)
        prompt_chars = sum(len(_text(m.content)) for m in messages)
        model = self.model_for(node)
        estimate = pricing.estimate_cost(model, prompt_chars, OUTPUT_TOKENS.get(node, 1500), overrides=self.prices)
        failures = 0
        while True:
            self.usage.check(node, estimate)  # raises budget_exceeded before anything is sent
            kwargs: dict[str, Any] = {"response_format": {"type": "json_object"}} if self.json_mode else {}
            started = time.perf_counter()
            failure: Exception | None = None
            try:
                msg = await self._client(node).ainvoke(
                    messages,
                    config={"run_name": f"jobapp.{node}", "tags": ["jobapp", f"layer:{node}"], "metadata": {"layer": node}},
                    **kwargs,
                )
            except _CLIENT_ERRORS as exc:
                failure = exc  # handled below, outside the except block, so our errors carry no __context__
            if failure is not None:
                if self.json_mode and _rejects_json_mode(failure):
                    self.json_mode = False
                    self._emit("warning", node, f"{self.host} does not accept response_format=json_object; asking for JSON in the prompt only")
                    continue
                transient = self._classify(failure, node, prompt_chars)  # raises PipelineError when not worth retrying
                failures += 1
                if failures > self.max_retries:
                    raise PipelineError(
                        LLM_UNAVAILABLE,
                        self._redact(f"{self.host} failed {failures} time(s), last: {transient.what}; giving up{transient.hint}"),
                        node=node,
                    )
                delay = self._delay(failures, transient.retry_after)
                self._emit("warning", node, f"retrying after {transient.what} in {delay:.1f} s (retry {failures} of {self.max_retries})")
                await asyncio.sleep(delay)
                continue
            took = time.perf_counter() - started
            self._account(node, msg, prompt_chars, took, model)
            return _text(msg.content), (msg.response_metadata or {}).get("finish_reason")

    def _hidden(self, messages: list[BaseMessage]) -> list[BaseMessage]:
        """`messages` as the guard lets them out (every role: the posting may hold the candidate's e-mail too)."""
        if not self.guard:
            return messages
        out = []
        for m in messages:
            if isinstance(m.content, str):
                out.append(m.model_copy(update={"content": self.guard.hide(m.content)[0]}))
            else:  # content blocks
                blocks = [
                    {**b, "text": self.guard.hide(b["text"])[0]} if isinstance(b, dict) and isinstance(b.get("text"), str) else
                    self.guard.hide(b)[0] if isinstance(b, str) else b
                    for b in m.content
                ]  # fmt: skip
                out.append(m.model_copy(update={"content": blocks}))
        return out

    def _account(self, node: str, msg: AIMessage, prompt_chars: int, took: float, model: str = "") -> None:
        model = model or self.model
        meta = msg.usage_metadata
        if meta:
            tin, tout = int(meta.get("input_tokens", 0)), int(meta.get("output_tokens", 0))
        else:
            tin, tout = pricing.estimate_tokens(prompt_chars), pricing.estimate_tokens(len(_text(msg.content)))
            self._once("no-usage", "warning", node, f"{self.host} reported no token usage; counting an estimate")
        cost = pricing.cost_usd(model, tin, tout, overrides=self.prices)
        if not pricing.is_priced(model, overrides=self.prices):
            self._once(f"unpriced:{model}", "warning", node, f"no price known for model {model!r}: its calls count as $0 (set MODEL_PRICES)")
        self.usage.add(node, tin, tout, cost)
        metrics.llm_call(model, tin, tout, cost)
        self._emit("info", node, f"{model}: {tin} tokens in, {tout} out, ${cost:.4f}, {took:.1f} s")

    def _classify(self, exc: Exception, node: str, prompt_chars: int = 0) -> _Transient:
        """A transient failure to retry, or raise a PipelineError right away: `llm_auth` for a
        refused key, `llm_model_not_found`, `context_too_long` (ContextTooLong) for a prompt
        over the model's context window, `llm_unavailable` for an exhausted quota or any other
        refusal. Messages are plain words the runs panel can show."""
        if isinstance(exc, openai.APITimeoutError):
            return _Transient(f"a timeout ({self.timeout:g} s)")
        if isinstance(exc, openai.APIConnectionError):
            return _Transient(f"a connection error to {self.host}")
        if isinstance(exc, openai.APIStatusError):
            status = exc.status_code
            detail = _short(_server_message(exc), 200)
            code = _error_code(exc)
            model = self.model_for(node)
            if status == 429 and code == "insufficient_quota":
                raise PipelineError(
                    LLM_UNAVAILABLE,
                    self._redact(
                        f"the model server's account has no quota left (HTTP 429 insufficient_quota from {self.host}): "
                        f"add credit or raise the spending limit with the provider; not retried. Server said: {detail}"
                    ),
                    node=node,
                ) from None
            if status == 401:
                raise PipelineError(
                    LLM_AUTH,
                    self._redact(
                        f"the model server refused the API key (HTTP 401 from {self.host}): check the key "
                        f"(OPENAI_API_KEY or the one saved in Settings); not retried. Server said: {detail}"
                    ),
                    node=node,
                ) from None
            if status == 403:
                raise PipelineError(
                    LLM_AUTH,
                    self._redact(f"the model server refused this API key access to model {model!r} (HTTP 403 from {self.host}); not retried. Server said: {detail}"),
                    node=node,
                ) from None
            if status == 404 or code == "model_not_found":
                raise PipelineError(
                    LLM_MODEL_NOT_FOUND,
                    self._redact(
                        f"the model server has no model {model!r} (HTTP {status} from {self.host}): check the model name "
                        f"and the base URL (it usually ends in /v1). Server said: {detail}"
                    ),
                    node=node,
                ) from None
            if _context_exceeded(status, code, detail):
                limit, requested = _context_numbers(_server_message(exc))
                window = f" ({limit} tokens)" if limit else ""
                raise ContextTooLong(
                    self._redact(f"the prompt is longer than model {model!r}'s context window{window}. Server said: {detail}"),
                    node=node, limit=limit, requested=requested, prompt_chars=prompt_chars,
                ) from None
            if status in TRANSIENT_STATUS or status >= 500:
                label = {429: "HTTP 429 (rate limited)", 408: "HTTP 408 (request timeout)", 409: "HTTP 409 (conflict)"}.get(status, f"HTTP {status}")
                return _Transient(label, _retry_after(exc))
            raise PipelineError(
                LLM_UNAVAILABLE, self._redact(f"the model server refused the request (HTTP {status} from {self.host}). Server said: {detail}"), node=node
            ) from None
        # A 200 that is not a chat completion (HTML page, {"error": ...} from a gateway, garbage).
        return _Transient(
            f"a malformed response ({type(exc).__name__}: {_short(self._redact(str(exc)), 120)})",
            hint=f" ({self.host} did not answer like an OpenAI-compatible chat server: check that the base URL is its /v1 endpoint)",
        )

    def _delay(self, failures: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), RETRY_AFTER_CAP)
        step = min(self.backoff_cap, self.backoff_base * 2 ** (failures - 1))
        return step / 2 + random.uniform(0, step / 2)  # "equal jitter": spread out parallel nodes

    # -- logging without secrets ------------------------------------------------------
    def _redact(self, text: str) -> str:
        if self._secret and len(self._secret) >= 4:
            text = text.replace(self._secret, "[redacted]")
        return _KEYLIKE.sub("[redacted]", text)

    def _emit(self, level: str, node: str, message: str) -> None:
        if self._log is not None:
            self._log(level, node, self._redact(message))

    def _once(self, key: str, level: str, node: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self._emit(level, node, message)


# The errors a call can end with that we turn into retries or reason codes. ValueError,
# KeyError and TypeError: how ChatOpenAI / the SDK's parse helper fail on a 200 that is not
# a chat completion (an HTML page, or a gateway's {"error": ...} body).
# AttributeError and IndexError: a 200 body that is JSON but no completion ("null", "[]",
# {"choices": []}, a choice without a message) fails inside the SDK and langchain that way.
_CLIENT_ERRORS = (openai.APIError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def host_of(base_url: str | None) -> str:
    """`host[:port]` of the server, without credentials or path (for logs and the UI)."""
    if not base_url:
        return "api.openai.com"
    parsed = urlparse(base_url if "://" in base_url else f"http://{base_url}")
    host = parsed.hostname or "?"
    return f"{host}:{parsed.port}" if parsed.port else host


def parse_reply(text: str, schema: type[M], *, restore: Callable[[Any], Any] | None = None) -> M:
    """The reply as `schema`: tolerant of code fences, <think> blocks and text around
    the object; strict about the schema (errors say what to fix). `restore` maps the
    parsed JSON before validation (the privacy guard puts the candidate's details back)."""
    obj = _loads(text)
    if restore is not None:
        obj = restore(obj)
    try:
        return schema.model_validate(obj)
    except ValidationError as exc:
        # Some models wrap the object: {"Intake": {...}} or {"result": {...}}.
        if isinstance(obj, dict) and len(obj) == 1 and isinstance(next(iter(obj.values())), dict):
            try:
                return schema.model_validate(next(iter(obj.values())))
            except ValidationError:
                pass
        raise OutputError(_describe_validation(exc)) from None


def _loads(text: str) -> Any:
    body = _THINK.sub("", text or "").strip()
    if not body:
        raise OutputError("the reply was empty")
    fenced = _FENCE.search(body)
    candidates = [body]
    if fenced:
        candidates.append(fenced.group(1).strip())
    start, end = body.find("{"), body.rfind("}")
    if start != -1 and end > start:
        candidates.append(body[start : end + 1])
    first_err: json.JSONDecodeError | None = None
    for cand in candidates:
        try:
            return json.loads(cand)
        except json.JSONDecodeError as exc:
            first_err = first_err or exc
    assert first_err is not None
    raise OutputError(f"the reply is not valid JSON ({first_err.msg} at line {first_err.lineno} column {first_err.colno})")


def _describe_validation(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:12]:
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(root)"
        parts.append(f"{loc}: {err.get('msg', 'invalid')}")
    more = exc.error_count() - len(parts)
    return "JSON schema validation failed: " + "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _rejects_json_mode(exc: Exception) -> bool:
    """A 400/422 about response_format: the server has no JSON mode."""
    return isinstance(exc, openai.APIStatusError) and exc.status_code in {400, 422} and "response_format" in _server_message(exc).lower()


def _server_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
        if isinstance(err, str):
            return err
    return str(getattr(exc, "message", "") or "")


def _error_code(exc: openai.APIStatusError) -> str | None:
    code = getattr(exc, "code", None)
    if code:
        return str(code)
    body = exc.body
    if isinstance(body, dict):
        err = body.get("error", body)
        if isinstance(err, dict) and err.get("code"):
            return str(err["code"])
    return None


_CONTEXT_CODES = {"context_length_exceeded", "exceed_context_size_error", "context_window_exceeded"}
_CONTEXT_WORDS = re.compile(
    r"(?i)context[ _](?:length|window|size)|maximum context|prompt is too long|too many (?:input )?tokens|reduce the length of the (?:messages|prompt)"
)


def _context_exceeded(status: int, code: str | None, message: str) -> bool:
    """A refusal because the prompt does not fit the model's context window (OpenAI, vLLM, llama.cpp, gateways)."""
    return status in {400, 413, 422} and ((code or "") in _CONTEXT_CODES or bool(_CONTEXT_WORDS.search(message or "")))


def _context_numbers(message: str) -> tuple[int | None, int | None]:
    """(the window, the prompt's size) in tokens when the server's message says them."""
    limit = re.search(r"(?i)(?:maximum context length is|context (?:length|size|window) (?:is |of )?(?:only )?)\s*(\d[\d,]*)", message)
    requested = re.search(r"(?i)(?:resulted in|you requested|requested|prompt (?:has|contains|is))\s*(\d[\d,]*)|(\d[\d,]*) tokens\s*>", message)
    as_int = lambda s: int(s.replace(",", ""))  # noqa: E731
    return (as_int(limit.group(1)) if limit else None), (as_int(next(g for g in requested.groups() if g)) if requested else None)


def _retry_after(exc: openai.APIStatusError) -> float | None:
    """Seconds from Retry-After-Ms / Retry-After (seconds or an HTTP date), if sent."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) for b in content if isinstance(b, (str, dict)))
    return str(content or "")


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _posting(posting: Posting) -> str:
    return prompts.posting_block(
        title=posting.title, company=posting.company, location=posting.location, url=posting.url, description=posting.description
    )


def _stated_on_site(name: str, source: str, site: SiteRead | None) -> bool:
    """A name the model gives with a source URL stands only when that fetched page states it."""
    return bool(site) and any(p.url == source and name.casefold() in p.text.casefold() for p in site.pages)  # type: ignore[union-attr]


def _posting_text(posting: Posting) -> str:
    return f"{posting.title}\n{posting.company}\n{posting.location}\n{posting.url}\n{posting.description}"


def _context(**parts: BaseModel) -> str:
    """Earlier layers' results, fenced as data."""
    data = {k: v.model_dump(mode="json") for k, v in parts.items()}
    return prompts.fence(prompts.CONTEXT_TAG, json.dumps(data, ensure_ascii=False, indent=1))
