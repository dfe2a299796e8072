# Thüringen Fachkräfte-Dashboard — the two commands: `make run` and `make test`.
# Both do all set-up on a fresh Debian machine that has only python3 (venv, pip packages,
# Debian packages the tests need). Run as root or with passwordless sudo for the apt-get step.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-scale scale-up bench install install-dev runtime-packages system-packages data clean

run: install runtime-packages
	$(PY) -m streamlit run dashboard.py --server.port $(PORT) --browser.gatherUsageStats false

test: install-dev system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

# Scale-out and fault tests only (also part of `make test`): 2 replicas + PostgreSQL + nginx on loopback.
test-scale: install-dev system-packages
	$(PY) -m pytest tests/test_scale.py -s $(PYTEST_ARGS)

# The same cluster by hand (prints its URLs; Ctrl-C stops it).
scale-up: install-dev system-packages
	$(PY) scripts/scale_up.py

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3-venv fehlt – installiere es mit apt-get"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3-venv python3-pip && \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	# The repository root on the venv's path: `python -m loaders|datasets|store` work from any folder.
	$(PY) -c "import site, sys; open(site.getsitepackages()[0] + '/thueringen-dashboard.pth', 'w').write(sys.argv[1] + '\n')" "$(CURDIR)"

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

# Debian packages: Chromium and fonts for chart images (`make run` and `make test`); PostgreSQL and nginx for
# the store and scale-out tests (`make test` only). Installed with apt-get only when missing.
define apt_missing
	@missing=""; \
	for check in $(1); do \
	  package=$${check%%=*}; probe=$${check#*=}; \
	  sh -c "$$probe" >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install:$$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef
RUNTIME_PACKAGES := "chromium=command -v chromium" "fonts-dejavu-core=test -d /usr/share/fonts/truetype/dejavu"
TEST_PACKAGES := "postgresql=ls /usr/lib/postgresql/*/bin/pg_ctl" "nginx=test -x /usr/sbin/nginx"

runtime-packages:
	$(call apt_missing,$(RUNTIME_PACKAGES))

system-packages: runtime-packages
	$(call apt_missing,$(TEST_PACKAGES))

# Every benchmark of issue 6 in one run (page reruns, first chart in Chromium, 1M-row ingest, figure sizes,
# memory over 50 uploads); writes docs/BENCHMARKS.md with machine info and the command. BENCH_ARGS=--quick
# for a short run.
bench: install-dev system-packages
	$(PY) scripts/bench.py --output docs/BENCHMARKS.md $(BENCH_ARGS)

# Rebuild the bundled datasets from data/raw (deterministic) and print a summary.
data: install
	$(PY) -m datasets build

clean:
	rm -rf $(VENV) state .pytest_cache .hypothesis
