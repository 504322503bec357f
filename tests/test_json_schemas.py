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
from sitecopy import REPO, copy_demo

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


def _ajv(tmp_path: Path, instances: dict, root: Path = REPO) -> tuple[int, dict]:
    """Ajv's verdict on `instances` against the schemas under `root`/schema/."""
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "ajv").is_dir():
        missing_tool("找不到 node 或 npm 包 ajv（make install 会运行 npm ci）")
    data = tmp_path / "instances.json"
    data.write_text(json.dumps(instances, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run([node, str(NODE_SCRIPT), str(data), *SCHEMAS], cwd=root,
                          capture_output=True, text=True, timeout=120, check=False,
                          env={"NODE_PATH": str(REPO / "node_modules"), "PATH": "/usr/bin:/bin"})
    return proc.returncode, json.loads(proc.stdout or "{}") if proc.stdout.startswith("{") else {
        "stderr": proc.stderr}


def test_the_committed_schemas_are_the_generated_ones():
    assert update_guide(REPO, check=True, only="schema/") == [], "运行 make guide 重新生成"


def _demo_schemas(tmp_path: Path) -> Path:
    """A copy of the fictional demo with the schemas generated from its own settings: records,
    rounds and settings are checked against their own project's schemas, not the root's."""
    root = copy_demo(tmp_path / "demo", full=False)
    assert set(SCHEMAS) <= set(update_guide(root, only="schema/"))
    return root


def test_ajv_accepts_every_schema_in_strict_mode_and_the_projects_records(tmp_path):
    root = _demo_schemas(tmp_path)
    instances = {
        "schema/settings.schema.json": [_plain(yaml.safe_load(
            (root / "settings.yml").read_text(encoding="utf-8")))],
        "schema/brand.schema.json": [_front_matter(p) for p in sorted((root / "brands").glob("*.md"))],
        "schema/evaluation.schema.json": [_front_matter(p) for p in sorted(
            (root / "evaluations").glob("*.md")) if p.name != "README.md"],
    }
    assert all(instances.values())
    code, report = _ajv(tmp_path, instances, root)
    assert code == 0, json.dumps(report, ensure_ascii=False, indent=1)[:4000]
    assert all(report[s]["compiled"] for s in SCHEMAS)


def test_ajv_rejects_what_the_loader_rejects(tmp_path):
    """The schemas are not vacuous: a misspelt field, a wrong choice, a bad address fail."""
    root = _demo_schemas(tmp_path)
    good = _front_matter(min((root / "brands").glob("*.md")))
    bad = [dict(good, catagory="x"), dict(good, category="不存在的类型"),
           dict(good, contact={"url": 'https://example.org/"onload'})]
    code, report = _ajv(tmp_path, {"schema/brand.schema.json": bad}, root)
    assert code == 1
    assert sorted(e["instance"] for e in report["schema/brand.schema.json"]["errors"]) == [0, 1, 2]
