# Two commands on a fresh machine: `make site` builds site/ from brands/, `make test` runs every test.
# Each installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test validate serve demo bench install clean guide schema check archive

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

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

# `make bench` measures realistic records at 1,000 brands against MkDocs + Material + jieba and
# Hugo + Pagefind, with the stages timed one by one (BRANDS=5000 for the growth check, written to
# bench/results-5000.json; PROFILE=1 adds a cProfile in bench/profile-N.txt); see bench/README.md.
BRANDS ?= 1000
BENCH_OUT = bench/results$(if $(filter 1000,$(BRANDS)),,-$(BRANDS)).json
bench: $(STAMP)
	$(PY) bench/bench_validate.py --output bench/validate-results.json
	$(PY) bench/bench_site.py --brands $(BRANDS) --phases $(if $(PROFILE),--profile) --output $(BENCH_OUT)

clean:
	rm -rf site demo-site bench/work site.tar.gz
