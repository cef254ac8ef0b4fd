# The two commands of the README: `make run` (the product) and `make test` (the tests).
# Both do their own set-up on a fresh machine: the venv at .venv/, the pinned packages,
# the index; `make test` also installs what the browser test needs (Debian chromium, CJK fonts).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test index bench system-deps clean

$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

index: $(VENV)/.installed
	$(PY) -m rag index

run: index
	$(VENV)/bin/streamlit run app.py --server.headless true --server.port $(PORT) --browser.gatherUsageStats false

# Chromium, CJK and emoji fonts for the real-browser test (never `playwright install`); the
# status marks of the app (✅ ❌ 🔴) are emoji, tofu boxes without a colour-emoji font. A PostgreSQL
# server for the scale-out register test (the test starts and stops its own throw-away cluster).
system-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . && fc-list 2>/dev/null | grep -qi emoji \
	  && { command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-wqy-microhei fonts-noto-cjk fonts-noto-color-emoji postgresql >/dev/null; }

test: $(VENV)/.installed system-deps
	HF_HUB_OFFLINE=1 $(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) -m bench.retrieval && $(PY) -m bench.triage && $(PY) -m bench.intake && $(PY) -m bench.register && $(PY) -m bench.app

clean:
	rm -rf data .pytest_cache
