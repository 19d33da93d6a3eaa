# Set-up and everyday commands. `make run` and `make test` work on a fresh clone
# with nothing but Python 3.11 and make; both are quick once installed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test test-fast install install-test install-extras corpus-check bench clean

$(BIN)/python:
	@echo "==> creating $(VENV)/"
	$(PYTHON) -m venv $(VENV)

# the stamps re-run pip only when pyproject.toml changed
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> installing paradox into $(VENV)/"
	$(PIP) install -e .
	@touch $@

# the tests also cover the transformer backend on CPU (torch 2.13.0 CPU build) and the report in a
# real browser (Debian's chromium, installed by scripts/install_browser.sh when run as root)
$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	@echo "==> installing test dependencies (pytest, torch CPU, transformers, dask, chromium)"
	$(PIP) install -e ".[test,transformers,wordllama]"
	bash scripts/install_browser.sh
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

install-extras: $(VENV)/.installed
	@echo "==> installing the transformer backend (torch 2.13.0 CPU, transformers, MiniLM) and WordLlama"
	$(PIP) install -e ".[transformers,wordllama]"

run: $(VENV)/.installed
	@echo "==> tagging examples/ with the shipped default model into out/"
	$(BIN)/paradox tag examples --out out
	@echo "==> open out/report.html in a browser; passages are in out/passages.jsonl"

test: $(VENV)/.installed-test
	@echo "==> running the tests"
	$(BIN)/python -m pytest

# the edit-test loop: everything but the tests marked slow (training, large inputs, browser, Dask, transformer)
test-fast: $(VENV)/.installed-test
	@echo "==> running the fast tests (make test runs them all)"
	$(BIN)/python -m pytest -m "not slow"

corpus-check: $(VENV)/.installed
	$(BIN)/paradox corpus validate annotations/corpus
	$(BIN)/paradox corpus stats annotations/corpus

# speed, memory and size of the default tagger beside four baselines -> docs/performance.{md,json}
# (needs the test, transformers and bench extras; 8-12 minutes on 2 cores; the workload is cached in bench-data/)
bench: $(VENV)/.installed-test
	@test $(VENV)/.installed-bench -nt pyproject.toml 2>/dev/null || { \
	  echo "==> installing the test, transformers and bench extras" && \
	  $(PIP) install -e ".[test,transformers,bench]" && touch $(VENV)/.installed-bench; }
	@echo "==> benchmarking into docs/performance.md and docs/performance.json"
	$(BIN)/python scripts/bench.py

clean:
	rm -rf out .pytest_cache
