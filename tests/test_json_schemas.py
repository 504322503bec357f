"""The JSON Schemas editors' tools use: generated from the declarations, accepted by Ajv (the
validator behind most editor and CI tooling) in strict mode, and accepting the shipped records."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import yaml
from browser import missing_tool
from sitecopy import REPO

from site_builder.editor.guide import update_guide

SCHEMAS = ["schema/brand.schema.json", "schema/evaluation.schema.json",
           "schema/settings.schema.json"]
NODE_SCRIPT = Path(__file__).resolve().parent / "js" / "check-schemas.mjs"


def _plain(value):
    """A YAML document as JSON, the way editors' YAML tools see it (dates as their text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return _plain(yaml.safe_load(text.split("---\n", 2)[1]))


def _ajv(tmp_path: Path, instances: dict) -> tuple[int, dict]:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "ajv").is_dir():
        missing_tool("找不到 node 或 npm 包 ajv（make install 会运行 npm ci）")
    data = tmp_path / "instances.json"
    data.write_text(json.dumps(instances, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([node, str(NODE_SCRIPT), str(data), *SCHEMAS], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"NODE_PATH": str(REPO / "node_modules"), "PATH": "/usr/bin:/bin"})
    return proc.returncode, json.loads(proc.stdout or "{}") if proc.stdout.startswith("{") else {
        "stderr": proc.stderr}


def test_the_committed_schemas_are_the_generated_ones():
    assert update_guide(REPO, check=True, only="schema/") == [], "运行 make guide 重新生成"


def test_ajv_accepts_every_schema_in_strict_mode_and_the_shipped_records(tmp_path):
    instances = {
        "schema/settings.schema.json": [_plain(yaml.safe_load(
            (REPO / "settings.yml").read_text(encoding="utf-8")))],
        "schema/brand.schema.json": [_front_matter(p) for p in sorted((REPO / "brands").glob("*.md"))],
        "schema/evaluation.schema.json": [_front_matter(p) for p in sorted(
            (REPO / "demo" / "evaluations").glob("*.md")) if p.name != "README.md"],
    }
    assert all(instances.values())
    code, report = _ajv(tmp_path, instances)
    assert code == 0, json.dumps(report, ensure_ascii=False, indent=1)[:4000]
    assert all(report[s]["compiled"] for s in SCHEMAS)


def test_ajv_rejects_what_the_loader_rejects(tmp_path):
    """The schemas are not vacuous: a misspelt field, a wrong choice, a bad address fail."""
    good = _front_matter(min((REPO / "brands").glob("*.md")))
    bad = [dict(good, catagory="x"), dict(good, category="不存在的类型"),
           dict(good, contact={"url": 'https://example.org/"onload'})]
    code, report = _ajv(tmp_path, {"schema/brand.schema.json": bad})
    assert code == 1
    assert sorted(e["instance"] for e in report["schema/brand.schema.json"]["errors"]) == [0, 1, 2]
