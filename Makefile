# The two commands of the README. Both set up everything they need on a fresh machine.
#   make dashboard   install, then serve the dashboard on the embedded demo data
#   make test        install (with test tools and Debian's Chromium), then run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: dashboard test install install-dev browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

# The browser test drives Debian's Chromium; no browser is downloaded from anywhere else.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; }

dashboard: install
	$(BIN)/streamlit run app.py

test: install-dev browser
	$(BIN)/python -m pytest
