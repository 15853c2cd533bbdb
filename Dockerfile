# jobapp: one image for the web app (page + API on one port) and the Celery run workers.
#
# Built and run by `make test-image` (tests/e2e/test_image.py) with podman, from a Debian
# base that debootstrap makes from Debian's own packages: no image registry is needed.
#   podman build --format docker --secret id=extra_ca,src=/etc/ssl/certs/ca-certificates.crt -t jobapp .
# (`--secret` only behind a TLS-intercepting proxy; docker build takes the same flags.)
#
# Debian 13 (trixie): the page build needs Node >= 20.19 (Vite 8), trixie's nodejs is 20.19.
ARG BASE=debian:trixie-slim

# ---- build: Python packages, bun, the page -------------------------------------------------
FROM ${BASE} AS build
# REFLEX_DIR: Reflex's own state (where it records the page was initialised) goes with the
# page into the runtime stage; in a home directory the runtime user would not see it and
# Reflex would re-initialise the page at every start, downloading its packages again.
ENV DEBIAN_FRONTEND=noninteractive PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    REFLEX_USE_SYSTEM_BUN=1 REFLEX_TELEMETRY_ENABLED=false REFLEX_DIR=/opt/reflex PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv nodejs npm ca-certificates unzip \
 && rm -rf /var/lib/apt/lists/*
COPY tools/container/with-build-ca /usr/local/bin/with-build-ca
WORKDIR /app
COPY requirements.txt ./
# Runtime packages only: the "# Tests" block of requirements.txt stays out of the image.
RUN --mount=type=secret,id=extra_ca \
    python3 -m venv /opt/venv \
 && sed '/^# Tests/,$d' requirements.txt > /tmp/runtime.txt \
 && with-build-ca pip install -r /tmp/runtime.txt \
 && with-build-ca npm install --global --no-fund --no-audit bun@1.4.4 \
 && bun --version \
 && /opt/venv/bin/pip uninstall --yes --quiet pip
COPY . .
# The page: frontend packages (the only step needing the npm registry) and the production
# build. HOST=127.0.0.1 for this step only (a public HOST needs a login; none belongs here).
RUN --mount=type=secret,id=extra_ca \
    HOST=127.0.0.1 DATA_DIR=/tmp/build-data with-build-ca reflex export --frontend-only --no-zip --env prod \
 && rm -rf /tmp/build-data /app/data /app/frontend.zip \
 && mv .web/backend .web/backend.built && ln -s /tmp/jobapp-web-backend .web/backend \
 && rm -rf .web/node_modules .web/.vite

# ---- runtime: Chromium, fonts, poppler, tini, the venv, the built page ------------------------
FROM ${BASE}
ENV DEBIAN_FRONTEND=noninteractive PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    REFLEX_TELEMETRY_ENABLED=false REFLEX_DIR=/opt/reflex REFLEX_UPLOADED_FILES_DIR=/data/uploaded_files \
    DATA_DIR=/data CHROMIUM_PATH=/usr/bin/chromium HOST=0.0.0.0 PORT=3000
# Chromium prints the PDFs; DejaVu and Noto CJK render Latin and CJK text; poppler-utils reads
# PDFs back; curl for the healthcheck; tini reaps Chromium's children and forwards signals.
# No docs, man pages or translations, and no package cache, in the image. No bun or node:
# the page was built above and is served as it is (`serve --prebuilt`, jobapp/prebuilt.py).
RUN printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
      'path-exclude=/usr/share/locale/*' 'path-include=/usr/share/locale/locale.alias' > /etc/dpkg/dpkg.cfg.d/01-slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends python3 chromium fonts-dejavu-core fonts-noto-cjk \
      poppler-utils curl ca-certificates tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin jobapp \
 && mkdir -p /data && chown jobapp:jobapp /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=jobapp:jobapp /opt/reflex /opt/reflex
COPY --from=build --chown=jobapp:jobapp /app /app
WORKDIR /app
USER jobapp

EXPOSE 3000
VOLUME ["/data"]

# /ready answers 503 until the schema is migrated, and while the database or Redis is down.
HEALTHCHECK --interval=30s --timeout=10s --start-period=180s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/ready" >/dev/null || exit 1

ENTRYPOINT ["tini", "--"]
# Check settings, login, database and Redis, then serve the built page and the API on one
# port (the app migrates, upgrade only, at start); nothing under /app is written, so the root
# filesystem may be read-only (writable: /data, /tmp). The page dials the origin it was loaded
# from, so any published port or proxy works. Workers: `python -m pipeline worker`.
CMD ["sh", "-c", "exec python -m pipeline serve --prebuilt --host \"$HOST\" --port \"$PORT\""]
