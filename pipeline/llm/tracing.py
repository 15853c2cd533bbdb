"""LangSmith tracing of pipeline runs: optional, and linkable from the runs panel without
calling LangSmith.

Tracing is on only when `settings.tracing_enabled` (LANGSMITH_API_KEY plus LANGSMITH_TRACING /
LANGCHAIN_TRACING_V2 = true). A run's root trace id is derived from the jobapp run id and its
attempt, so the UI can build the link from what it already stores; everything here is pure
except `_tracer`, which builds (never calls) a LangSmith client.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pipeline.settings import settings

# Fixed forever: changing it would orphan every trace link already shown.
TRACE_NAMESPACE = uuid.UUID("6f1c2b8e-3a47-5d0e-9c6b-4a1f0e7d2c59")
DEFAULT_API_URL = "https://api.smith.langchain.com"


def root_run_id(run_id: int, attempt: int) -> uuid.UUID:
    """The LangSmith id of one attempt's root run: the same in the worker and in the UI.

    Each attempt (a resume after an interruption is a new attempt) gets its own trace, as
    LangSmith refuses a second root run with an id it has already seen."""
    return uuid.uuid5(TRACE_NAMESPACE, f"jobapp-run:{run_id}:attempt:{attempt}")


def trace_config(
    *, run_id: int, job_id: int, attempt: int, batch_id: int | None = None, title: str = "", company: str = ""
) -> dict[str, Any]:
    """Extra RunnableConfig for the graph's root call; empty when tracing is off (no change).

    `run_id` is RunnableConfig's "unique identifier for the tracer run for this call"
    (langchain_core/runnables/config.py, `RunnableConfig.run_id`), which LangGraph hands to
    its root `on_chain_start` (langgraph/pregel/main.py, `run_id=config.get("run_id")`).
    The owner is deliberately left out of the metadata: it names a person."""
    if not settings.tracing_enabled:
        return {}
    where = f"{title or 'untitled'} @ {company or 'unknown company'}"
    return {
        "run_name": f"jobapp run {run_id}: {where}"[:200],
        "run_id": root_run_id(run_id, attempt),
        "tags": ["jobapp", f"run:{run_id}", f"job:{job_id}"],
        "metadata": {
            "run_id": run_id, "job_id": job_id, "batch_id": batch_id, "attempt": attempt,
            "model": "offline" if settings.offline else settings.model,
        },
        "callbacks": [_tracer()],
    }


def _tracer():
    """A LangSmith tracer built from our settings, so `.env` values work too (LangChain itself
    only looks at os.environ). LangChain adds no second tracer when one is already attached
    (langchain_core/callbacks/manager.py `_configure`: "not any(isinstance(handler,
    LangChainTracer) ...)")."""
    from langchain_core.tracers.langchain import LangChainTracer

    return LangChainTracer(project_name=settings.langsmith_project, client=_client(settings.langsmith_api_key, settings.langsmith_endpoint))


@lru_cache(maxsize=4)
def _client(api_key: str | None, endpoint: str | None):
    """One client per key and endpoint: each owns a background thread that batches uploads."""
    from langsmith import Client

    return Client(api_url=endpoint or DEFAULT_API_URL, api_key=api_key)


def ui_base() -> str:
    """LANGSMITH_UI_URL, else the web app that serves LANGSMITH_ENDPOINT (EU, self-hosted)."""
    if settings.langsmith_ui_url:
        return settings.langsmith_ui_url.rstrip("/")
    from langsmith.utils import get_host_url  # pure: maps an API URL to its web app's URL

    return get_host_url(None, settings.langsmith_endpoint or DEFAULT_API_URL).rstrip("/")


def trace_url(run_id: int, attempt: int) -> str | None:
    """Link to one attempt's trace, or None when tracing is off.

    The SDK's own run link is `{host}/o/{tenant_id}/projects/p/{project_id}/r/{run_id}?poll=true`
    (langsmith/client.py `_construct_run_url`, the line building that f-string), which needs two
    ids only the service knows. So: when LANGSMITH_UI_URL is a project page copied from the
    browser (".../o/<org>/projects/p/<project>"), append `/r/<id>?poll=true` to it, exactly that
    shape; otherwise fall back to the short `{host}/r/<id>` form, which the SDK does not build
    (unverified: set LANGSMITH_UI_URL to the project page for a link known to resolve)."""
    if not settings.tracing_enabled or run_id <= 0 or attempt < 1:
        return None
    rid = root_run_id(run_id, attempt)
    parts = urlsplit(ui_base())
    path = parts.path.rstrip("/")
    if "/projects/p/" in path:
        return urlunsplit((parts.scheme, parts.netloc, f"{path}/r/{rid}", "poll=true", ""))
    return urlunsplit((parts.scheme, parts.netloc, f"{path}/r/{rid}", "", ""))


def run_trace_url(run: Mapping[str, Any]) -> str | None:
    """The runs panel's link for a `recent_runs` row: none before the run first started
    (no trace exists yet); afterwards the trace of its latest attempt (the stored attempt is
    the one the runner traced)."""
    if not run.get("started"):
        return None
    return trace_url(int(run["id"]), int(run.get("attempt") or 1))
