# The two commands: `make build` and `make test`. Everything else sits beside them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CONTENT ?= content
OUTPUT ?= output

.PHONY: build test serve bench check lint browser system clean upgrade wheel wheel-check

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installs come from the lock files (exact versions, every platform); pyproject.toml keeps the compatible ranges
# for people who `pip install` the package. `make upgrade` is the one deliberate way to move the lock.
$(STAMP): pyproject.toml requirements/runtime.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements/runtime.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): requirements/dev.txt $(STAMP)
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $@

LOCK := $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 pyproject.toml
upgrade: $(DEV_STAMP)
	$(LOCK) --upgrade -o requirements/runtime.txt
	$(LOCK) --upgrade --extra dev --constraint requirements/runtime.txt -o requirements/dev.txt
	rm -f $(STAMP) $(DEV_STAMP)

build: $(STAMP) system
	$(PY) -m site_builder build --content $(CONTENT) --output $(OUTPUT)

check: $(STAMP)
	$(PY) -m site_builder check --content $(CONTENT)

serve: $(STAMP)
	$(PY) -m site_builder serve --content $(CONTENT)

# What WeasyPrint needs from the system to make the PDFs (Pango and a font with Cyrillic, DejaVu): Debian's packages,
# installed only when missing. Elsewhere (Windows, macOS) see WeasyPrint's installation guide, or downloads: {pdf: false}.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1); fi
system:
	@$(PYTHON) -c "import ctypes.util as u, sys; sys.exit(not (u.find_library('pango-1.0') and u.find_library('pangoft2-1.0')))" \
	  && fc-list 2>/dev/null | grep -qi "DejaVu Sans" || { $(call APT_INSTALL,libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core); }

# Debian's Chromium for the browser tests (a browser download of Playwright's own does not work here).
browser:
	@command -v chromium >/dev/null 2>&1 || { $(call APT_INSTALL,chromium); }

# Lint first: the conventions (ruff, mypy) are part of done, and a lint failure is cheaper to read than a test one.
test: $(DEV_STAMP) system browser lint
	$(VENV)/bin/pytest -q

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check site_builder tests bench
	$(VENV)/bin/ruff format --check site_builder tests bench
	$(VENV)/bin/mypy site_builder tests bench
	$(VENV)/bin/lint-imports

bench: $(DEV_STAMP)
	$(PY) -m bench

# The wheel a coordinator installs with pip or pipx: templates and static files inside it.
wheel: $(STAMP)
	rm -rf dist
	$(PY) -m pip wheel --quiet --no-deps --wheel-dir dist .

# The wheel in a venv of its own, outside the repository, builds content/ from another folder.
wheel-check: wheel
	@set -e; place="$$(mktemp -d)"; trap 'rm -rf "$$place"' EXIT; \
	$(PYTHON) -m venv "$$place/venv"; \
	"$$place/venv/bin/pip" install --quiet dist/site_builder-*.whl -c requirements/runtime.txt; \
	cd "$$place" && "$$place/venv/bin/site-builder" build --content "$(CURDIR)/$(CONTENT)" --output site; \
	test -f "$$place/site/index.html" && echo "Колесо (wheel) собирает сайт вне репозитория."

clean:
	rm -rf $(OUTPUT) .cache test-artifacts
