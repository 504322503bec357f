# Two commands on a fresh machine: `make site` builds site/ from brands/, `make test` runs every test.
# Each installs what it needs into .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test validate serve demo bench install clean guide schema

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

serve: $(STAMP)
	$(PY) -m site_builder serve

test: $(STAMP)
	$(PY) -m pytest -q

guide: $(STAMP)
	$(PY) -m site_builder guide
	$(PY) -m site_builder schema

bench: $(STAMP)
	$(PY) bench/bench_validate.py

clean:
	rm -rf site demo-site bench/work
