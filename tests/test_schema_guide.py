"""The editors' guide and the JSON Schema stay generated from the one declaration that validates."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from site_builder.diagnostics import CODES
from site_builder.editor.guide import update_guide
from site_builder.load.settings import load_settings
from site_builder.schema.brand import BRAND
from site_builder.schema.fields import label_words, walk_fields
from site_builder.schema.reference import json_schema

REPO = Path(__file__).resolve().parent.parent
GUIDE = REPO / "guide"


def test_generated_guide_files_are_up_to_date():
    proc = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(REPO), "guide",
                           "--check"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 0, "guide/ 不是最新的：运行 make guide 后提交。\n" + proc.stderr


def test_every_generated_reference_is_current():
    """Field tables, code list and JSON Schemas follow the declarations and this project's
    settings.yml; after changing either, `make guide` regenerates them."""
    stale = update_guide(REPO, check=True)
    assert stale == [], f"这些生成的参考文件不是最新的：{stale}；运行 make guide 后提交"


def test_committed_schema_equals_a_fresh_one():
    settings, diags = load_settings(REPO)
    assert settings is not None, diags
    committed = json.loads((REPO / "schema" / "brand.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(settings.vocab), "schema/brand.schema.json 不是最新的：运行 make guide"


def test_field_reference_lists_every_field():
    settings, _ = load_settings(REPO)
    text = (GUIDE / "fields.md").read_text(encoding="utf-8")
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
