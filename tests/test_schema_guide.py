"""The editors' guide and the JSON Schema stay generated from the one declaration that validates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitecopy import copy_demo

from site_builder.diagnostics import CODES
from site_builder.editor.guide import update_guide
from site_builder.load.settings import load_settings
from site_builder.schema.brand import BRAND
from site_builder.schema.fields import label_words, walk_fields
from site_builder.schema.reference import json_schema

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "guide"


@pytest.fixture(scope="module")
def fictional(tmp_path_factory) -> Path:
    """A fictional project (a copy of the demo) with its references generated into it: the
    checks below read what the generator writes, not this repository's own project, whose
    references `make validate` checks (`site-builder guide --check`)."""
    root = copy_demo(tmp_path_factory.mktemp("guide") / "project", full=False)
    assert update_guide(root)  # a project without references gets every one written
    return root


def test_generated_guide_files_are_up_to_date(fictional):
    """`guide --check` finds nothing to do once `guide` ran, and names a stale file otherwise."""
    def check() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "site_builder", "--root", str(fictional),
                               "guide", "--check"], capture_output=True, text=True, timeout=120,
                              check=False)
    assert check().returncode == 0, check().stderr
    fields = fictional / "guide" / "fields.md"
    text = fields.read_text(encoding="utf-8")
    fields.write_text(text + "\n（手工改动）\n", encoding="utf-8")
    try:
        stale = check()
        assert stale.returncode != 0 and "fields.md" in stale.stderr + stale.stdout
    finally:
        fields.write_text(text, encoding="utf-8")


def test_every_generated_reference_is_current(fictional):
    """Field tables, code list and JSON Schemas follow the declarations and the project's
    settings.yml; after changing either, `make guide` regenerates them."""
    assert update_guide(fictional, check=True) == []


def test_committed_schema_equals_a_fresh_one(fictional):
    settings, diags = load_settings(fictional)
    assert settings is not None, diags
    written = json.loads((fictional / "schema" / "brand.schema.json").read_text(encoding="utf-8"))
    assert written == json_schema(settings.vocab)


def test_field_reference_lists_every_field(fictional):
    settings, _ = load_settings(fictional)
    text = (fictional / "guide" / "fields.md").read_text(encoding="utf-8")
    for path, spec in walk_fields(BRAND):
        assert f"| `{path}` | {label_words(spec.label, settings.vocab)} |" in text, path


def test_code_reference_explains_every_code():
    text = (GUIDE / "codes.md").read_text(encoding="utf-8")
    for c in CODES.values():
        assert f"### {c.name} {c.title}" in text, c.name
        assert c.info.explain and c.info.example and c.fix, c.name


def test_guide_links_resolve_and_cover_the_essentials():
    text = (GUIDE / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    assert {"fields.md", "codes.md"} <= set(links)
    for link in links:
        if "://" not in link:
            assert (GUIDE / link).is_file(), link
    for topic in ("拉取请求", "status", "sources", "alt", "consent", "schema/brand.schema.json",
                  "yaml.schemas", "site-builder validate", "error[B004]"):
        assert topic in text, topic


def test_vscode_maps_the_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for schema_path, globs in mapping.items():
        assert (REPO / schema_path).is_file(), schema_path
        assert globs
    assert "./schema/brand.schema.json" in mapping
