# Two commands: `make run` and `make test`. Both set up whatever is missing first.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
PORT  ?= 3000
HOST  ?= 127.0.0.1
BUN_VERSION := 1.4.4
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export PYTHONUNBUFFERED := 1

.PHONY: setup run test test-unit test-deps test-image bench services system-deps audit lint

setup: $(VENV)/.installed system-deps

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# bun comes from npm (its download script cannot run here); Chromium, fonts (DejaVu,
# Noto CJK so Chinese/Japanese/Korean CVs print) and poppler-utils from apt, each only
# when missing (Chromium: unless CHROMIUM_PATH or Playwright's own browser is there).
system-deps:
	@command -v bun >/dev/null 2>&1 || npm install --global --silent bun@$(BUN_VERSION)
	@bun --version >/dev/null || { echo "bun is not usable; install it with: npm install -g bun@$(BUN_VERSION)"; exit 1; }
	@missing=""; \
	  $(PY) -c "from pipeline.render.browser import find_chromium as f; import sys; sys.exit(0 if f() else 1)" 2>/dev/null || missing="$$missing chromium"; \
	  command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	  fc-list 2>/dev/null | grep -qi "DejaVu Sans" || missing="$$missing fonts-dejavu-core"; \
	  fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then echo "Installing with apt:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# `serve` checks settings, login, database, Redis and the port before the page is built (a
# refused start changes nothing on disk), then becomes `reflex run`; the app migrates and seeds.
run: setup
	@$(PY) -m pipeline serve --host $(HOST) --port $(PORT)

# The hosted-mode tests use the machine's PostgreSQL and Redis: start them if they are down.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start && sleep 2; }
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no

# The proxy tests run real nginx and Caddy (Debian packages) in front of the app; the image
# tests build and run the container image with podman (runc) on a debootstrapped Debian base.
test-deps:
	@missing=""; \
	  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	  command -v caddy >/dev/null 2>&1 || missing="$$missing caddy"; \
	  command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	  command -v podman >/dev/null 2>&1 || missing="$$missing podman"; \
	  command -v runc >/dev/null 2>&1 || missing="$$missing runc"; \
	  command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || missing="$$missing debootstrap"; \
	  command -v podman-compose >/dev/null 2>&1 || missing="$$missing podman-compose"; \
	  command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	  if [ -n "$$missing" ]; then echo "Installing with apt:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

# axe-core (npm) checks the page's accessibility inside the Playwright tests (tests/support/axe.py).
AXE_VERSION := 4.14.1
AXE_JS := .cache/axe/node_modules/axe-core/axe.min.js
$(AXE_JS):
	@npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION) >/dev/null

# tests/unit/ runs on both cores (its tests share no service, port or file); the rest shares
# one PostgreSQL database, one Redis and the page build, so it runs in one process.
test: setup services test-deps lint $(AXE_JS)
	$(PY) -m pytest tests/unit -n 2 $(PYTEST_ARGS)
	$(PY) -m pytest --ignore=tests/unit $(PYTEST_ARGS)
	@$(MAKE) --no-print-directory audit

# The quick loop: tests/unit/ needs no PostgreSQL, Redis, child process or browser (its
# conftest refuses them), so it starts no service and runs in well under a minute.
test-unit: setup
	$(PY) -m pytest tests/unit -n 2 $(PYTEST_ARGS)

# The container image alone: build it (from Debian, PyPI and npm only) and run the app and
# workers from it through nginx, and run docker-compose.yml with podman-compose
# (tests/e2e/test_image.py, tests/e2e/test_compose.py; part of `make test` too).
test-image: setup services test-deps
	$(PY) -m pytest tests/e2e/test_image.py tests/e2e/test_compose.py $(PYTEST_ARGS)

# The rules live in pyproject.toml ([tool.ruff]); `make test` runs this first.
lint: setup
	$(PY) -m ruff check .

# Known vulnerabilities in the installed dependencies: reported, never failing the build
# (an unreachable advisory service prints one line saying so).
audit: setup
	@$(PY) tools/audit_deps.py

bench: setup
	$(PY) bench/table.py
	$(PY) bench/pipeline.py
	$(PY) bench/research.py
	$(PY) bench/live_log.py --proxy
	$(PY) bench/pdf.py
	$(PY) bench/match.py
	$(PY) bench/documents.py
	$(PY) bench/intake.py
	$(PY) bench/quality.py
