"""The one place that reads the environment (and `.env`)."""

from __future__ import annotations

import ipaddress
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting is optional; the defaults give the embedded local setup."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "data", alias="DATA_DIR")
    db_url_raw: str | None = Field(default=None, alias="DB_URL")
    # PostgreSQL connections per process (app backend process or worker child): size so that
    # processes x (pool + overflow) stays under the server's max_connections (deploy.md).
    db_pool_size: int = Field(default=5, ge=1, le=100, alias="DB_POOL_SIZE")
    db_max_overflow: int = Field(default=10, ge=0, le=200, alias="DB_MAX_OVERFLOW")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    mongodb_uri: str | None = Field(default=None, alias="MONGODB_URI")
    mongodb_database: str = Field(default="jobs", alias="MONGODB_DATABASE")
    mongodb_collection: str = Field(default="level-2", alias="MONGODB_COLLECTION")
    openai_api_key: str | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    model: str = Field(default="gpt-4o-mini", alias="JOBAPP_MODEL")
    # The writing layer's model ("" = JOBAPP_MODEL). What a user saves in the Settings panel wins
    # over these (pipeline/llm/config.py); SETTINGS_KEY encrypts the API keys saved there (a Fernet
    # key or any passphrase; unset: DATA_DIR/settings.key, created with mode 0600 on first use).
    writing_model: str = Field(default="", alias="JOBAPP_WRITING_MODEL")
    settings_key: str | None = Field(default=None, alias="SETTINGS_KEY")
    # The privacy guard (pipeline/llm/privacy.py): "remote" (default) keeps the candidate's name,
    # e-mail, phone, address, links and birth date away from any model that is not on loopback or
    # a private address; "always" guards local models too; "off" never. PRIVACY_GUARD_EMPLOYERS=1
    # withholds employer names as well.
    privacy_guard: str = Field(default="remote", pattern="^(?i:off|remote|always)$", alias="PRIVACY_GUARD")
    privacy_guard_employers: bool = Field(default=False, alias="PRIVACY_GUARD_EMPLOYERS")
    max_concurrency: int = Field(default=3, ge=1, le=64, alias="MAX_CONCURRENCY")
    pipeline_timeout_seconds: int = Field(default=900, ge=1, alias="PIPELINE_TIMEOUT_SECONDS")
    max_cost_per_run: float = Field(default=0.50, ge=0, alias="MAX_COST_PER_RUN")
    # Cost before you spend (USD): Process with a paid model asks first when the batch may cost
    # more than CONFIRM_COST_ABOVE; a queued run that would take its batch or the owner's month
    # (UTC) past a cap is held ("held: budget") until resumed. 0 or empty = no cap.
    confirm_cost_above: float = Field(default=0.50, ge=0, alias="CONFIRM_COST_ABOVE")
    max_cost_per_batch: float = Field(default=0.0, ge=0, alias="MAX_COST_PER_BATCH")
    max_cost_per_month: float = Field(default=0.0, ge=0, alias="MAX_COST_PER_MONTH")
    # Model calls: a per-call timeout, retries on transient errors, a per-node
    # timeout around everything a layer does, and prices per 1M tokens as JSON,
    # e.g. {"my-model": {"input": 0.15, "output": 0.60}}, merged over the built-in table.
    llm_timeout_seconds: float = Field(default=60, gt=0, alias="LLM_TIMEOUT_SECONDS")
    llm_max_retries: int = Field(default=4, ge=0, le=10, alias="LLM_MAX_RETRIES")
    node_timeout_seconds: float = Field(default=240, gt=0, alias="NODE_TIMEOUT_SECONDS")
    model_prices: dict[str, dict[str, float]] = Field(default_factory=dict, alias="MODEL_PRICES")
    login_password: str | None = Field(default=None, alias="LOGIN_PASSWORD")
    session_hours: float = Field(default=12, gt=0, le=24 * 90, alias="SESSION_HOURS")  # idle expiry of a login
    chromium_path: str | None = Field(default=None, alias="CHROMIUM_PATH")
    host: str = Field(default="127.0.0.1", alias="HOST")
    port: int = Field(default=3000, alias="PORT")
    seed_demo: bool = Field(default=True, alias="SEED_DEMO")
    # Hosted mode: a worker's hold on a run; it heartbeats three times per lease, and a run
    # whose lease lapsed (worker killed) is re-dispatched by the reaper. Tests shorten it.
    lease_seconds: float = Field(default=30, gt=0, alias="JOBAPP_LEASE_SECONDS")
    # Hosted workers can print each finished run's CV.pdf and dossier.pdf into the shared PDF
    # cache (one Chromium per worker process), so the first download is instant. It costs
    # ~0.7 s of worker time per run: small next to a model's run, 6x fewer offline runs a minute.
    # "auto" = only when a model is configured; "always"; "never".
    worker_prerender_pdfs: str = Field(default="auto", pattern="^(auto|always|never)$", alias="WORKER_PRERENDER_PDFS")
    # Server logs on stderr (pipeline/logs.py), redacted either way: "text" for people, "json"
    # (one object a line) for a log collector.
    log_format: str = Field(default="text", pattern="^(text|json)$", alias="LOG_FORMAT")
    log_level: str = Field(default="INFO", pattern="^(?i:debug|info|warning|error|critical)$", alias="LOG_LEVEL")
    bench_mode: bool = Field(default=False, alias="JOBAPP_BENCH")  # enables /api/bench/* (benchmarks only)
    # Prometheus: /metrics needs `Authorization: Bearer METRICS_TOKEN` when set (and is not offered
    # on an exposed install without it); WORKER_METRICS_PORT opens a worker's own metrics port.
    metrics_token: str = Field(default="", alias="METRICS_TOKEN")
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535, alias="WORKER_METRICS_PORT")
    worker_metrics_addr: str = Field(default="0.0.0.0", alias="WORKER_METRICS_ADDR")
    # LangSmith tracing (optional, never required): on with LANGSMITH_API_KEY and LANGSMITH_TRACING
    # (or LANGCHAIN_TRACING_V2) = true; the runs panel then links each run's trace. The flag is a
    # string so that an odd value ("local") turns tracing off rather than stopping the app.
    langsmith_api_key: str | None = Field(default=None, validation_alias=AliasChoices("LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"))
    langsmith_tracing: str = Field(default="", validation_alias=AliasChoices("LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2"))
    langsmith_project: str = Field(default="jobapp", validation_alias=AliasChoices("LANGSMITH_PROJECT", "LANGCHAIN_PROJECT"))
    langsmith_endpoint: str | None = Field(default=None, validation_alias=AliasChoices("LANGSMITH_ENDPOINT", "LANGCHAIN_ENDPOINT"))
    langsmith_ui_url: str = Field(default="", alias="LANGSMITH_UI_URL")  # "" = the endpoint's web app (smith.langchain.com)

    # Import limits: a file bigger than this is refused before parsing, and a
    # posting longer than this is reported as a bad row rather than stored.
    max_import_bytes: int = Field(default=10 * 1024 * 1024, alias="MAX_IMPORT_BYTES")
    max_description_chars: int = Field(default=100_000, alias="MAX_DESCRIPTION_CHARS")
    max_import_rows: int = Field(default=20_000, alias="MAX_IMPORT_ROWS")
    # Public job-board APIs (imports by board name); tests point these at a local server.
    greenhouse_api_url: str = Field(default="https://boards-api.greenhouse.io", alias="GREENHOUSE_API_URL")
    lever_api_url: str = Field(default="https://api.lever.co", alias="LEVER_API_URL")
    ashby_api_url: str = Field(default="https://api.ashbyhq.com", alias="ASHBY_API_URL")
    board_timeout_seconds: float = Field(default=20, gt=0, alias="BOARD_TIMEOUT_SECONDS")
    board_max_bytes: int = Field(default=50 * 1024 * 1024, ge=1024, alias="BOARD_MAX_BYTES")
    # Web search for company research (pipeline/web/search.py): Firecrawl with an API key, else a
    # self-hosted SearXNG's JSON API; neither = no searches. Each provider has a token bucket of
    # SEARCH_RATE_PER_MINUTE requests a minute, shared by every process through Redis when hosted.
    firecrawl_api_key: str | None = Field(default=None, alias="FIRECRAWL_API_KEY")
    firecrawl_url: str = Field(default="https://api.firecrawl.dev", alias="FIRECRAWL_URL")
    searxng_url: str = Field(default="", alias="SEARXNG_URL")
    search_rate_per_minute: int = Field(default=100, ge=1, alias="SEARCH_RATE_PER_MINUTE")
    # Posting links (pipeline/web/fetch.py): private, loopback, link-local and metadata addresses
    # are refused unless this is set (tests for their local servers; a self-hosted intranet).
    allow_private_fetch: bool = Field(default=False, alias="ALLOW_PRIVATE_FETCH")
    # Research reads the company's own site (pipeline/web/site.py: robots.txt honoured, at most 8
    # pages and 20 requests a run). Off: research and people read the posting only. Without a
    # network the first fetch fails fast and research falls back to the posting.
    web_research: bool = Field(default=True, alias="WEB_RESEARCH")
    # Pages research fetches (and their robots.txt) are kept in the store this many days
    # (pipeline/store/webcache.py): 20 jobs at one company read its site once. 0 = no cache.
    web_cache_days: float = Field(default=7, ge=0, alias="WEB_CACHE_DAYS")
    # Process re-checks a job's posting link first when it was imported or last checked more than
    # this many days ago (pipeline/sources/links.py); a posting found closed is left out of the
    # batch (the row's own Process runs it anyway). 0 = never check before processing.
    link_check_days: int = Field(default=14, ge=0, alias="LINK_CHECK_DAYS")
    # Moving a job to applied sets "follow up on" this many days later (pipeline/store/tracking.py). 0 = no follow-up day.
    follow_up_days: int = Field(default=7, ge=0, le=365, alias="FOLLOW_UP_DAYS")
    # Master CV upload: larger files are refused before parsing (a CV is a few hundred KB).
    profile_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, alias="PROFILE_MAX_BYTES")

    # REST API: requests per minute per token, and origins other than the page's own that may
    # call the API from a browser (comma-separated, e.g. "https://a.example,https://b.example").
    api_rate_limit: int = Field(default=120, ge=1, alias="API_RATE_LIMIT")
    cors_origins_raw: str = Field(default="", alias="CORS_ORIGINS")
    # Behind a proxy: the address users type (e.g. https://jobs.example.org). Optional: the page
    # always talks to the origin it was loaded from; PUBLIC_URL adds that origin to the Origin
    # checks and makes the session cookie Secure when it is https. A sub-path is refused.
    public_url_raw: str = Field(default="", alias="PUBLIC_URL")
    # How many reverse proxies stand in front of the app: X-Forwarded-For/-Proto are believed
    # only through that many hops (0 = ignore them, as a client can send anything).
    trusted_proxy_hops: int = Field(default=0, ge=0, le=5, alias="TRUSTED_PROXY_HOPS")

    @field_validator("max_cost_per_batch", "max_cost_per_month", "confirm_cost_above", mode="before")
    @classmethod
    def _empty_is_zero(cls, value: object) -> object:
        """MAX_COST_PER_BATCH= (empty) means no cap, like 0."""
        return 0.0 if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url_raw")
    @classmethod
    def _public_url(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"PUBLIC_URL must look like https://jobs.example.org (got {value!r})")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise ValueError(
                f"PUBLIC_URL {value!r} has a path: jobapp cannot be served under a sub-path (its page loads "
                "/_event, /assets and /files from the root). Give it a host name of its own, e.g. https://jobs.example.org"
            )
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def public_url(self) -> str | None:
        return self.public_url_raw or None

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins_raw.split(",") if o.strip()]

    @property
    def exposed(self) -> bool:
        """Reachable from other machines: the app then refuses to start without a login
        (LOGIN_PASSWORD or a user account; checked at start-up by pipeline.accounts.auth,
        which can see the database, so `users add` still works before the first start)."""
        return not _is_loopback(self.host)

    @cached_property
    def db_url(self) -> str:
        """`DB_URL`, or a SQLite file under `DATA_DIR`."""
        if self.db_url_raw:
            return self.db_url_raw
        return f"sqlite:///{(self.data_dir / 'jobapp.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def offline(self) -> bool:
        """No API key: the offline analyst does every layer."""
        return not self.openai_api_key

    @property
    def tracing_enabled(self) -> bool:
        """LangSmith tracing: a key and an explicit "true", as LangSmith itself requires both."""
        return bool(self.langsmith_api_key) and self.langsmith_tracing.strip().lower() in ("true", "1", "yes")

    @property
    def prerender_pdfs(self) -> bool:
        """Whether workers print a finished run's PDFs (WORKER_PRERENDER_PDFS)."""
        return self.worker_prerender_pdfs == "always" or (self.worker_prerender_pdfs == "auto" and not self.offline)

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


def no_login_refusal(host: str) -> str:
    """Why an install bound to `host` (beyond loopback) with no login may not start (said by
    `pipeline serve` before the build and by the app's start-up check)."""
    return (
        f"HOST={host} exposes jobapp beyond this machine, and it has no login: "
        "set LOGIN_PASSWORD, or create an account with `python -m pipeline users add EMAIL --admin` "
        "(or bind HOST=127.0.0.1)."
    )


def _is_loopback(host: str) -> bool:
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


settings = Settings()
