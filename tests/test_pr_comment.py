"""The pull request's comment names every problem by the form's labels: the checks' own messages
(written for editors of the YAML files: 必填字段“unit”, `unit: 人`, 在 sources 中) are rendered in
the form's words from the one schema declaration, while the command line keeps the field names.

The problems come from a real `site-builder validate --format json` run over a fictional project
with mistakes of every common kind. Run with GOLDEN_UPDATE=1 to rewrite
tests/golden/comment/*.expected.md, then review the diff by eye.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sitecopy import copy_demo

from site_builder.editor.comment import compose, form_message, problem_lines
from site_builder.schema.brand import BRAND

GOLDEN = Path(__file__).resolve().parent / "golden" / "comment"
UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
BRAND_FILE = "brands/shili-bailu-dianshang.md"
ROUND_FILE = "evaluations/2025-shiji.md"

# (old, new) in the fictional records: a mistake of each kind an editor makes
MISTAKES = {
    BRAND_FILE: [
        ("    unit: 人次\n", ""),  # a required field left out
        ("    source: shili-wanbao-2026\n", "    source: shili-wanbao-2099\n"),  # unknown source
        ("stage: 发现培育", "stage: 发现培育\nstatsu: 已发布"),  # a misspelt field
        ("alt: 示例·白鹭电商达人标志（虚构）", "alt: ''"),  # an image without its description
        ("programs: [农村电商]", "programs: 农村电商"),  # one value where a list is expected
        ("value: 1500", "value: 一千五"),  # a number in words
        ("date: 2026-07-01", "date: 2026-13-01"),  # a date that does not exist
    ],
    ROUND_FILE: [("  review: 2025-05-20\n", "")],
}

# Field names the checks' messages use; none may reach the comment (outside the editor's values)
KEYS = ("unit", "source", "sources", "status", "alt", "programs", "value", "date", "review",
        "timeline", "figures", "media", "logo")


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = copy_demo(tmp_path_factory.mktemp("comment") / "project", full=False)
    for rel, edits in MISTAKES.items():
        path = root / rel
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (rel, old)
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")

    def validate(*fmt: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root),
                               "validate", "--strict", *fmt], capture_output=True, text=True,
                              check=False)

    as_json, as_text = validate("--format", "json"), validate()
    assert as_json.returncode == 1 and as_text.returncode == 1, as_json.stderr
    return json.loads(as_json.stdout), as_text.stdout + as_text.stderr


def test_the_comment_names_problems_by_the_forms_labels(checked):
    problems, _ = checked
    got = "\n".join(problem_lines(problems)) + "\n"
    golden = GOLDEN / "problems.expected.md"
    if UPDATE:
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
    assert len(got.splitlines()) == len(problems) == 10  # 8 errors, 2 warnings it causes
    for line in got.splitlines():
        outside_values = re.sub(r"“[^”]*”", "", line.split("｜", 2)[2])
        for key in KEYS:
            assert not re.search(rf"(?<![A-Za-z_-]){key}(?![A-Za-z_-])", outside_values), (key, line)
        assert "`" not in line.split("｜", 2)[2]  # no YAML example left
    assert "“关键数据 第1项·单位”：关键数据中必填栏目“单位”缺少" in got
    assert "在“资料来源”中找不到" in got
    assert "是否要写“网站显示状态”？" in got  # the form's label, not the schema's 发布状态
    # the editor's own values stay as written, even where they look like field names
    assert "“shili-wanbao-2099”" in got and "“statsu”" in got and "“一千五”" in got


def test_the_command_line_keeps_the_field_names(checked):
    """Editors who edit the YAML files read the key names: the command line's messages are not
    rewritten (only the comment's rendering is)."""
    _, text = checked
    assert "必填字段“unit”（单位）" in text and "`unit: 人`" in text
    assert "在 sources 中找不到" in text


def test_the_whole_comment_of_a_failing_check(checked):
    problems, _ = checked
    comment = compose(problems, "## 改动说明\n\n- 示例改动（虚构）\n", "failure")
    assert "❌ 检查没有通过（8 个错误，2 个提醒）" in comment
    assert "必填字段" not in comment and "sources" not in comment


@pytest.mark.parametrize(("message", "field", "expected"), [
    # a value that happens to be a field name stays the editor's text
    ("来源编号“sources”在 sources 中找不到（已有：media）；提示：在 sources 中补上这条资料，或改正编号。",
     "figures[0].source",
     "来源编号“sources”在“资料来源”中找不到（已有：“图片”）；提示：在“资料来源”中补上这条资料，或改正编号。"),
    # a field the schema does not know is kept; a file name is not a field path
    ("未知字段“x_internal”；提示：删去它。", "x_internal", "表单中没有的栏目“x_internal”；提示：删去它。"),
    ("找不到图片 brands/shili-a/photo.png；提示：把图片放进 brands/shili-a/。", "people[0].photo.path",
     "找不到图片 brands/shili-a/photo.png；提示：把图片放进 brands/shili-a/。"),
    # a path in a message: the form's labels with the item's number
    ("figures[1].value 与 figures[0].value 重复", "figures[1].value",
     "“关键数据 第2项·数值”与“关键数据 第1项·数值”重复"),
    # the same name under another object: its own label (people's name is 姓名)
    ("人物中必填字段“name”（姓名）缺少；提示：补上姓名，例如 `name: 李示例`。", "people[0].name",
     "人物中必填栏目“姓名”缺少；提示：补上姓名，例如“李示例”。"),
])
def test_form_message(message, field, expected):
    assert form_message(message, field, BRAND) == expected


def test_messages_of_files_the_form_does_not_edit_are_kept():
    message = "settings.yml 中必填字段“title”（网站名称）缺少；提示：例如 `title: 示例`。"
    assert form_message(message, "site.title", None) == message
