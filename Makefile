# CarbonPeak: the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
SHARED ?= ../shared
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: demo test suite lint format plan-data install install-test assets system-deps system-test-deps clean lock

demo: install assets system-deps
	$(VENV)/bin/carbonpeak demo --serve --port $(PORT)

# the whole of `make test`, installation included, is timed; the figure is the last line it prints
test:
	@start=$$(date +%s); $(MAKE) --no-print-directory suite; status=$$?; \
	echo "== make test 用时 $$(( $$(date +%s) - start )) 秒（含安装；退出码 $$status）=="; exit $$status

# the suite runs on every core (pytest-xdist), on SQLite and then on PostgreSQL; each round prints its slowest
# tests, where making the suite faster starts
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider -n auto --dist worksteal --durations=15

suite: install-test assets system-test-deps
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	@echo "== 测试套件：SQLite =="
	$(PYTEST)
	@if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "== 测试套件：PostgreSQL ($(TEST_DATABASE_URL))；只重跑用到数据库的测试（纯计算、浏览器与 Spark 测试已在上一轮运行） =="; \
		CARBONPEAK_DATABASE_ROUND=1 DATABASE_URL="$(TEST_DATABASE_URL)" $(PYTEST) -m "not spark"; \
	else \
		echo "== PostgreSQL 不可达（$(TEST_DATABASE_URL)），跳过 PostgreSQL 运行 =="; \
	fi

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

# the exact versions tested (requirements/*.txt, from pyproject.toml by `make lock`), then the project itself
$(VENV)/.installed: pyproject.toml requirements/runtime.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements/runtime.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml requirements/test.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements/test.txt
	$(VENV)/bin/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# after a change to pyproject.toml's dependencies: the lock files again (pip-tools, the dev extra)
LOCK := $(VENV)/bin/pip-compile --quiet --no-emit-index-url --no-emit-trusted-host --no-emit-find-links --strip-extras
lock: install-test
	$(LOCK) -o requirements/runtime.txt pyproject.toml
	$(LOCK) --extra test --extra spark --extra bench --extra dev -o requirements/test.txt pyproject.toml

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# a CJK font for the report's charts (Debian's fonts-noto-cjk) and LibreOffice for the report's PDF, installed
# when missing
system-deps:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || [ ! -x /usr/bin/soffice ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fontconfig fonts-noto-cjk libreoffice-writer-nogui >/dev/null; \
		else \
			echo "提示：缺少中文字体 fonts-noto-cjk 或 LibreOffice，且非 root 用户无法安装；季度报告图表中的中文可能无法显示，报告不附 PDF"; \
		fi; \
	fi

# chromium for the end-to-end tests, LibreOffice and poppler to render the report once, pg_dump and
# pg_restore for the backup round trip on PostgreSQL, Java for PySpark's local mode (Debian packages)
system-test-deps: system-deps
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftoppm ] || [ ! -x /usr/bin/pg_restore ] || [ ! -x /usr/bin/xgettext ] || ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium libreoffice-writer-nogui poppler-utils postgresql-client gettext default-jre-headless >/dev/null; \
		else \
			echo "提示：缺少 chromium、LibreOffice、poppler-utils、postgresql-client、gettext 或 Java，且非 root 用户无法安装；相应测试将跳过或失败"; \
		fi; \
	fi

# regenerate the committed structured Taicang plan from the document in ../shared
plan-data: install
	$(VENV)/bin/carbonpeak plan parse $(SHARED)/plans/taicang-carbon-peak-plan.txt \
		--out src/carbonpeak/plans/data/taicang-carbon-peak-plan.json

lint: install-test
	$(VENV)/bin/ruff check src tests benchmarks

format: install-test
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

clean:
	rm -rf $(VENV) node_modules var
