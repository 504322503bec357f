# Two commands on a fresh machine: `make site` builds site/ from brands/, `make test` runs every test.
# Each installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test validate serve demo bench install clean guide schema check archive editor

$(STAMP): pyproject.toml node_modules/.package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# The form editor at /admin/ (Decap CMS) and its local backend, at the versions pinned in
# package-lock.json, from the npm registry; copied into the build, never loaded from a CDN.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(STAMP)

# Edit records in the form at http://127.0.0.1:8000/admin/ against this checkout: run this, and
# `make serve` in another terminal. Saves go to a branch cms/brands/<slug>, as a pull request would.
editor: $(STAMP)
	PORT=$$($(PY) -c 'from site_builder.editor.cms import local_port; from site_builder.settings import load_settings; from pathlib import Path; print(local_port(load_settings(Path("."))[0]))') \
	BIND_HOST=127.0.0.1 MODE=git GIT_REPO_DIRECTORY=$(CURDIR) node node_modules/decap-server/dist/index.js

site: $(STAMP)
	$(PY) -m site_builder build

validate: $(STAMP)
	$(PY) -m site_builder validate

# Post-build checks of site/: broken links and anchors, missing files, titles, foreign hosts.
check: $(STAMP)
	$(PY) -m site_builder check site

# A self-contained archive of site/ for hosts other than GitHub Pages (reproducible: sorted
# entries, fixed owner and dates from SOURCE_DATE_EPOCH or the last commit, no gzip timestamp).
ARCHIVE ?= site.tar.gz
archive:
	@test -f site/index.html || { echo "site/ 还没有生成：请先运行 make site" >&2; exit 1; }
	epoch=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || echo 0)}; \
	tar --sort=name --mtime="@$$epoch" --owner=0 --group=0 --numeric-owner --mode=go+rX,go-w \
	    --format=gnu -C site -cf - . | gzip -9n > $(ARCHIVE)
	@echo "已打包 $(ARCHIVE)：解压到网站根目录即可（tar -xzf $(ARCHIVE) -C /网站根目录）" >&2

serve: $(STAMP)
	$(PY) -m site_builder serve

# The fictional demonstration project (demo/) built into demo-site/. DEMO_DATE fixes the build date
# so that each demo round is in the phase it was written for (one in public notice, one final, one
# taking applications); `make demo DEMO_DATE=2027-01-10` shows the same rounds later.
DEMO_DATE ?= 2026-12-01
demo: $(STAMP)
	$(PY) -m site_builder --root demo build --site-dir demo-site --date $(DEMO_DATE)

test: $(STAMP)
	$(PY) -m pytest -q

guide: $(STAMP)
	$(PY) -m site_builder guide
	$(PY) -m site_builder schema

# `make bench` measures at 1,000 brands (BRANDS=5000 for the growth check); see bench/README.md.
BRANDS ?= 1000
bench: $(STAMP)
	$(PY) bench/bench_validate.py --output bench/validate-results.json
	$(PY) bench/bench_site.py --brands $(BRANDS)

clean:
	rm -rf site demo-site bench/work site.tar.gz
