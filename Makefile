# reelcast: the commands of the outside contract (/work/shared/contract.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the dependencies change.
INSTALLED := $(VENV)/.installed

.PHONY: setup demo test bench browser

setup: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -e '.[dev]'
	touch $(INSTALLED)

# Brings the dataset up to date (new script batches only) and retrains when it changed; then serves
# on 127.0.0.1:8000.
demo: setup
	$(BIN)/reelcast train --if-stale
	$(BIN)/reelcast serve

test: setup browser
	$(BIN)/pytest -q

bench: setup
	$(BIN)/python -m bench.run

# The browser tests drive Debian's Chromium; Playwright's own browser download does not work offline.
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: /usr/bin/chromium"; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
		echo "Chromium is missing and this is not root: run 'sudo apt-get update && sudo apt-get install -y chromium'"; \
		echo "(the browser tests need /usr/bin/chromium)"; \
	fi
