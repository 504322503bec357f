# Two commands on a fresh machine: `make site` builds site/ from brands/, `make test` runs every test.
# Each installs what it needs first: the Python packages into .venv; for the tests (and `make
# install`, `make editor`) also the form editor's npm packages into node_modules (Node.js and npm).
# Building the site needs no Node.js: /admin/ gets the package's own copy of the editor's files.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The installed command, not `python -m site_builder`: `-m` would put the current folder (the
# project, whose files a pull request writes) first on the import path.
SB := $(VENV)/bin/site-builder

# Exact versions of every package (constraints.txt, from `make constraints`): installs are the
# same tomorrow. CONSTRAINTS= (empty) installs the newest allowed versions instead;
# CONSTRAINTS=lowest.txt the floors (see .ci/lowest-constraints.py).
CONSTRAINTS ?= constraints.txt
PIP_C := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))
NPM := node_modules/.package-lock.json

.PHONY: site test validate serve demo bench install clean guide schema check archive lint constraints editor vendor

$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q $(PIP_C) --upgrade pip
	$(PY) -m pip install -q $(PIP_C) -e '.[test]'
	touch $(STAMP)

# The form editor at /admin/ (Decap CMS) and its local backend, at the versions pinned in
# package-lock.json, from the npm registry; copied into the build, never loaded from a CDN.
$(NPM): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

install: $(STAMP) $(NPM)

# Copy the form editor's built files (Decap CMS, yaml) from node_modules into the package
# (site_builder/editor/vendor/) at the versions package-lock.json pins, with their licences:
# run after changing those versions, then commit the copy (tests/test_vendor.py checks it).
vendor: $(NPM) $(STAMP)
	$(PY) tools/vendor_editor.py

# Edit records in the form at http://127.0.0.1:8000/admin/ against this checkout: run this, and
# `make serve` in another terminal. Saves go to a branch cms/brands/<slug>, as a pull request would.
# Each save is a commit in the editor's own name: without one (a new machine), decap-server's save
# fails half-way ("Unknown error", its branch and the record left staged), so it is asked first.
editor: $(STAMP) $(NPM)
	@command -v git >/dev/null || { echo "找不到 git：本地编辑服务用 Git 保存每次编辑，请先安装 Git" >&2; exit 1; }
	@git var GIT_AUTHOR_IDENT >/dev/null 2>&1 && git var GIT_COMMITTER_IDENT >/dev/null 2>&1 || { \
	  echo "本地编辑服务把每次保存记为你的一次提交，但 Git 还不知道你的姓名和邮箱。请先运行：" >&2; \
	  echo "  git config --global user.name \"你的姓名\"" >&2; \
	  echo "  git config --global user.email \"你的工作邮箱\"" >&2; \
	  echo "然后再运行 make editor。" >&2; exit 1; }
	PORT=$$($(PY) -P -c 'from site_builder.editor.cms import local_port; from site_builder.load.settings import load_settings; from pathlib import Path; print(local_port(load_settings(Path("."))[0]))') \
	BIND_HOST=127.0.0.1 MODE=git GIT_REPO_DIRECTORY=$(CURDIR) node node_modules/decap-server/dist/index.js

site: $(STAMP)
	$(SB) build

# Checks of this repository's own project (the tests carry fictional projects of their own and
# pass whatever the root holds): its records and settings, its generated references up to date,
# and no invented selection rounds for real brands (evaluations/ holds only its README).
validate: $(STAMP)
	$(SB) validate
	$(SB) guide --check
	@test "$$(ls evaluations)" = "README.md" || { echo "evaluations/ 中只能有 README.md：不为真实品牌编造评选结果" >&2; exit 1; }

# Post-build checks of site/: broken links and anchors, missing files, titles, foreign hosts.
check: $(STAMP)
	$(SB) check site

# A self-contained archive of site/ for hosts other than GitHub Pages (reproducible: sorted
# entries, fixed owner and dates from SOURCE_DATE_EPOCH or the last commit, no gzip timestamp).
ARCHIVE ?= site.tar.gz
archive:
	@test -f site/index.html || { echo "site/ 还没有生成：请先运行 make site" >&2; exit 1; }
	epoch=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || echo 0)}; \
	tar --sort=name --mtime="@$$epoch" --owner=0 --group=0 --numeric-owner --mode=go+rX,go-w \
	    --hard-dereference \
	    --format=gnu -C site -cf - . | gzip -9n > $(ARCHIVE)
	@echo "已打包 $(ARCHIVE)：解压到网站根目录即可（tar -xzf $(ARCHIVE) -C /网站根目录）" >&2

# `make serve PORT=8001` when port 8000 is taken.
serve: $(STAMP)
	$(SB) serve $(if $(PORT),--port $(PORT))

# The fictional demonstration project (demo/) built into demo-site/. DEMO_DATE fixes the build date
# so that each demo round is in the phase it was written for (one in public notice, one final, one
# taking applications); `make demo DEMO_DATE=2027-01-10` shows the same rounds later.
DEMO_DATE ?= 2026-12-01
demo: $(STAMP)
	$(SB) --root demo build --site-dir demo-site --date $(DEMO_DATE)

# Every core runs tests (pytest-xdist), and one worker more: about a third of the time a
# worker waits on a browser, a server or the disk (on 2 cores, one worker per core kept 1.24 of
# them busy: 667 s; three workers, 618 s). An idle worker takes tests queued for a busy one
# (worksteal), and each session fixture (a project and its built site) is built at most once
# per worker. TEST_WORKERS=auto: one per core.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")
test: $(STAMP) $(NPM)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal

guide: $(STAMP)
	$(SB) guide
	$(SB) schema

# `make bench` measures realistic records at 1,000 brands against MkDocs + Material + jieba and
# Hugo + Pagefind, with the stages timed one by one (BRANDS=5000 for the growth check, written to
# bench/results-5000.json; PROFILE=1 adds a cProfile in bench/profile-N.txt); see bench/README.md.
BRANDS ?= 1000
BENCH_OUT = bench/results$(if $(filter 1000,$(BRANDS)),,-$(BRANDS)).json
bench: $(STAMP)
	$(PY) bench/bench_validate.py --output bench/validate-results.json
	$(PY) bench/bench_images.py --output bench/images-results.json
	$(PY) bench/bench_site.py --brands $(BRANDS) --phases $(if $(PROFILE),--profile) --output $(BENCH_OUT)

lint: $(STAMP)
	$(VENV)/bin/ruff check site_builder tests bench tools

# Regenerate constraints.txt after changing pyproject.toml: the newest allowed version of every
# package, resolved in a throw-away venv with this Python, then frozen (pip itself included).
constraints:
	rm -rf .constraints-venv
	$(PYTHON) -m venv .constraints-venv
	.constraints-venv/bin/python -m pip install -q --upgrade pip
	.constraints-venv/bin/python -m pip install -q -e '.[test]'
	{ echo "# Exact versions for pip install -c constraints.txt; generated by make constraints"; \
	  echo "# with $$(.constraints-venv/bin/python --version). Do not edit by hand."; \
	  .constraints-venv/bin/python -m pip freeze --all --exclude-editable | grep -v '^setuptools=='; \
	} > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .constraints-venv

clean:
	rm -rf site demo-site bench/work site.tar.gz
