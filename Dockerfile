# jobapp: one image for the web app (Reflex page + API on one port) and the Celery run workers.
#
# NOT BUILT on the machine this was written on (Docker cannot run there). Every
# command below was run outside Docker there (see docs/deploy.md, "What was
# verified"); the image itself is unverified.
#
# Debian 13 (trixie), not 12: the frontend build needs Node >= 20.19 (Vite 8), and
# trixie's own nodejs package is 20.19; bookworm's is 18.
FROM python:3.11-slim-trixie

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_SYSTEM_BUN=1 \
    REFLEX_TELEMETRY_ENABLED=false \
    DATA_DIR=/data \
    CHROMIUM_PATH=/usr/bin/chromium \
    HOST=0.0.0.0 \
    PORT=3000

# Chromium prints the PDFs; DejaVu and Noto CJK make Latin and Chinese/Japanese/Korean
# text render; poppler-utils reads PDFs back (page counts, checks); nodejs/npm only to
# install bun from npm (bun's own download script is not used); curl for HEALTHCHECK;
# tini reaps Chromium's child processes and forwards signals.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium fonts-dejavu-core fonts-noto-cjk poppler-utils nodejs npm curl ca-certificates tini \
 && npm install --global bun@1.4.4 \
 && npm cache clean --force \
 && rm -rf /var/lib/apt/lists/* \
 && bun --version

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin jobapp \
 && mkdir -p /app /data \
 && chown jobapp:jobapp /app /data

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY --chown=jobapp:jobapp . .
USER jobapp

# Build the page once here: installs the frontend packages (the only step that needs
# the npm registry) and compiles. `reflex run --env prod` still recompiles at each
# start (seconds, offline: the packages are already in .web/node_modules).
# HOST=127.0.0.1 only for this step: the settings refuse a public HOST without
# LOGIN_PASSWORD, and no password belongs in an image.
RUN HOST=127.0.0.1 reflex export --frontend-only --no-zip --env prod \
 && rm -rf /app/data

EXPOSE 3000
VOLUME ["/data"]

# /ready answers 503 until the schema is migrated, and while the database or Redis is down.
HEALTHCHECK --interval=30s --timeout=10s --start-period=180s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/ready" >/dev/null || exit 1

ENTRYPOINT ["tini", "--"]
# Check settings, login, database and Redis, then serve page and API on one port (the app
# migrates, upgrade only, at start). The page dials the origin it was loaded from, so any
# published port or proxy works. Workers use the same image: `python -m pipeline worker`.
CMD ["sh", "-c", "exec python -m pipeline serve --host \"$HOST\" --port \"$PORT\""]
