# Two commands do all the set-up on a fresh machine: `make run` and `make test`; `make check`
# is the quick loop while changing code.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LIBRARY ?= var/library
HOST ?= 127.0.0.1
PORT ?= 8000
SIZE ?= 10000
RUNS ?=
RESUME ?=
# Test processes (pytest-xdist): one per core by default.
WORKERS ?= auto
# A test file runs whole on one worker, so the library its tests share is built once; files
# go out in the order tests/conftest.py gives them (those with slow tests first).
PYTEST := $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadfile --no-loadscope-reorder
# pytest keeps each test module, its asserts rewritten, as bytecode in __pycache__; where the
# environment forbids bytecode, every worker rewrites all of them again at each run (about
# 6 s a worker): the tests may write it.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check install ingest lint bench eval clean lock messages

# Installs take every version from requirements.lock (what the suite last passed with); an
# upgrade is `make lock`, then `make test`, committed together.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

ingest: $(STAMP)
	$(BIN)/kb --library $(LIBRARY) ingest corpus

run: ingest
	$(BIN)/kb --library $(LIBRARY) serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check kb indexer api tests scripts benchmarks
	$(BIN)/mypy
	$(PYTEST)
	$(BIN)/python scripts/relevance.py --check

# The inner loop (under a minute): lint, types and the tests not marked slow (end-to-end
# runs, servers, subprocesses, the browser); `make test` runs them all.
check: $(STAMP)
	$(BIN)/ruff check kb indexer api tests scripts benchmarks
	$(BIN)/mypy
	$(PYTEST) -m "not slow"

# Not part of `make test`: ingest, search and API at library scale, with baselines
# (benchmarks/README.md). SIZE=1000 for a quick look (3 runs, ~10 min), 10000 one run
# (~17 min on 2 cores), 100000 for scale (hours; RESUME=1 goes on with a stopped run);
# RUNS=N to choose.
bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench --size $(SIZE) $(if $(RUNS),--runs $(RUNS)) $(if $(RESUME),--resume)

# Not part of `make test`: extraction, known-item search and automatic tags on a few hundred
# real public French documents built from Debian packages, and the gold catalogue (real
# documents catalogued by hand, docs/cataloguing.md) from GOLD, a folder of its documents or
# of git mirrors of their repositories (benchmarks/README.md, ~10 min).
GOLD ?=
eval: $(STAMP)
	$(BIN)/python -m benchmarks.eval $(foreach g,$(subst :, ,$(GOLD)),--gold-documents $(g))

lint: $(STAMP)
	$(BIN)/ruff check kb indexer api tests scripts benchmarks
	$(BIN)/mypy

# Re-extract every message the code marks with `_(...)` into kb/locale/messages.pot and
# merge it into the French catalogue (kb/locale/fr/LC_MESSAGES/messages.po): new messages
# come in untranslated, removed ones go. Then translate the empty `msgstr`s;
# tests/test_messages.py lists any left.
messages: $(STAMP)
	$(BIN)/pybabel -q extract --add-location=file --sort-output --width=100 --project=kb-ess \
		--copyright-holder="Observatoire régional de l'ESS en Bretagne" \
		-o kb/locale/messages.pot kb indexer api
	$(BIN)/pybabel -q update -i kb/locale/messages.pot -d kb/locale -l fr --width=100 \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

# Re-resolve every dependency within pyproject.toml's ranges into requirements.lock, in a
# throwaway environment; then run `make test` and commit both if it passes.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet --upgrade pip
	.venv-lock/bin/pip install --quiet '.[test]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^kb-ess' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var
