# VIA Leernetwerken — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/lock.txt requirements/dev-lock.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev-lock.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(BIN)/.installed node_modules/.installed ## Create .venv from the lock files and install front-end assets

var:
	mkdir -p var/mail var/media var/celery

setup: install var ## Install, migrate and load the demo content (idempotent)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

run: setup ## Run web, Celery worker and Celery beat with demo content on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(BIN)/honcho --procfile Procfile start

browser: install
	@# Browser tests use Debian's chromium when present; otherwise Playwright's own build.
	@if [ -n "$$PLAYWRIGHT_CHROMIUM_EXECUTABLE" ] || [ -x /usr/bin/chromium ]; then :; \
	else $(BIN)/playwright install chromium; fi

# Test processes side by side (pytest-xdist); each has its own database, Redis database,
# cache keys, Celery queue and mail folder (tests/settings.py).
TEST_PROCESSES ?= auto
test: install var browser ## Run the whole test suite (unit, integration, browser)
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) $(PYTEST_ARGS)

lint: install ## ruff check, ruff format --check, makemigrations --check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Format and autofix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Update and compile the nl and en translation catalogues
	$(BIN)/python manage.py makemessages -l nl -l en --no-obsolete --ignore=node_modules --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docker
	$(BIN)/python manage.py compilemessages --ignore=node_modules --ignore=.venv

lock: ## Re-resolve requirements/*.in into the hash-pinned lock files
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements/base.in -o requirements/lock.txt
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes requirements/dev.in -o requirements/dev-lock.txt

bench: setup ## Run the benchmarks in bench/ (prints figures; not tests)
	$(BIN)/python -m bench

SCALE ?= national
bench-scale: install ## Fill DATABASE_URL (PostgreSQL) at SCALE=national|regional|small and benchmark it in production mode
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-scale needs DATABASE_URL=postgres://… and REDIS_URL=redis://…"; exit 2;; esac
	$(BIN)/python -m bench.generate --scale $(SCALE)
	$(BIN)/python -m bench.production $(BENCH_ARGS)
	$(BIN)/python -m bench.reply_fanout

bench-faults: install ## Fault scenarios (Redis, worker, SMTP, web restart) on DATABASE_URL (PostgreSQL); PASS/FAIL each
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-faults needs DATABASE_URL=postgres://…"; exit 2;; esac
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python -m bench.faults

bench-load: install ## 200 simulated members for 10 minutes on DATABASE_URL (PostgreSQL); LOAD_ARGS="--users 50 --minutes 1"
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "bench-load needs DATABASE_URL=postgres://…"; exit 2;; esac
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python -m bench.load $(LOAD_ARGS)

audit: install ## Check the locked dependencies against known vulnerabilities (needs the internet)
	$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements/lock.txt
	$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements/dev-lock.txt

clean: ## Remove the virtual environment, node_modules and var/
	rm -rf $(VENV) node_modules var

.PHONY: help install setup run browser test lint format messages lock bench bench-scale bench-faults bench-load audit clean
