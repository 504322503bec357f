"""The editor's file format (admin/strict-frontmatter.js) run in Node: it reads a record the way
the strict loader does and writes back only what the form changed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from browser import missing_tool

from site_builder.diagnostics import Reporter
from site_builder.editor.changes import plain
from site_builder.editor.cms import NODE_MODULES, OWN_FILES, YAML_DIST
from site_builder.load.frontmatter import read_document

REPO = Path(__file__).resolve().parent.parent
RECORDS = sorted([*REPO.glob("brands/*.md"), *REPO.glob("demo/brands/*.md")])

RUNNER = """
import { fromFile, toFile, setOrder } from "./strict-frontmatter.js";
import fs from "fs";
const cases = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
setOrder({collections: [{name: "brands", fields: cases.order}]});
const out = cases.items.map(({text, edit}) => {
  const data = JSON.parse(JSON.stringify(fromFile(text)));
  for (const [path, value] of edit || []) {
    let o = data;
    for (const k of path.slice(0, -1)) o = o[k];
    if (value === null) delete o[path.at(-1)]; else o[path.at(-1)] = value;
  }
  return {read: data, written: toFile(data)};
});
fs.writeFileSync(process.argv[3], JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    node = shutil.which("node")
    yaml_dist = REPO / NODE_MODULES / YAML_DIST
    if node is None or not yaml_dist.is_dir():
        missing_tool("找不到 node 或 node_modules/yaml：需要 Node.js，并在仓库根目录运行 npm ci")
    work = tmp_path_factory.mktemp("format")
    shutil.copytree(yaml_dist, work / "yaml")
    shutil.copy2(OWN_FILES / "strict-frontmatter.js", work / "strict-frontmatter.js")
    (work / "package.json").write_text('{"type": "module"}')
    (work / "run.mjs").write_text(RUNNER)
    from site_builder.editor.cms import brand_collection
    from site_builder.load.settings import load_settings

    order = brand_collection(load_settings(REPO / "tests" / "fixtures")[0].vocab)["fields"]

    def run(items):
        (work / "in.json").write_text(json.dumps({"order": order, "items": items}))
        subprocess.run([node, "run.mjs", "in.json", "out.json"], cwd=work, check=True)
        return json.loads((work / "out.json").read_text())
    return run


def strict(text: str):
    doc = read_document("x.md", text.encode(), Reporter("x.md"))
    return plain(doc.root), doc.body


def test_every_record_reads_as_the_strict_loader_reads_it_and_writes_back_unchanged(run):
    texts = [p.read_text(encoding="utf-8") for p in RECORDS]
    for text, got in zip(texts, run([{"text": t} for t in texts])):
        fields, body = strict(text)
        assert {k: v for k, v in got["read"].items() if k != "body"} == fields
        assert got["read"]["body"] == body
        assert got["written"] == text


RECORD = """\
---
slug: shili-a
name: 示例甲  # 注释
status: 已发布
districts: [青溪区, 白鹭区]
contact:
  phone: 0201234567
x_unknown: yes
figures:
  - label: 人数
    value: 1.50
    unit: 人
    as_of: 2024
    source: s
updated: 2026-01-01
---
故事。
"""


def test_an_edit_changes_only_its_value_and_new_fields_go_where_the_schema_puts_them(run):
    (changed, added, listed, created) = run([
        {"text": RECORD, "edit": [[["name"], "示例乙"]]},
        {"text": RECORD, "edit": [[["summary"], "一句话"], [["level"], "市级劳务品牌"]]},
        {"text": RECORD, "edit": [[["districts"], ["青溪区"]], [["figures", 0, "value"], "2"]]},
        {"text": "---\nslug: shili-b\n---\n", "edit": [
            [["updated"], "2026-02-02"], [["name"], "示例丙"], [["phone"], None],
            [["venues"], [{"phone": "0201234567", "name": "站"}]], [["summary"], ""]]},
    ])
    assert changed["written"] == RECORD.replace("name: 示例甲  # 注释", "name: 示例乙  # 注释")
    # number-like and boolean-like texts stay text: the strict loader reads them back unchanged
    assert changed["read"]["contact"]["phone"] == "0201234567"
    assert changed["read"]["x_unknown"] == "yes" and changed["read"]["figures"][0]["value"] == "1.50"
    assert added["written"] == RECORD.replace(
        "status: 已发布\n", "summary: 一句话\nstatus: 已发布\nlevel: 市级劳务品牌\n")
    assert listed["written"] == RECORD.replace("[青溪区, 白鹭区]", "[青溪区]").replace(
        "value: 1.50", "value: 2")
    assert created["written"] == ("---\nslug: shili-b\nname: 示例丙\nvenues:\n"
                                  "  - name: 站\n    phone: 0201234567\nupdated: 2026-02-02\n---\n")
