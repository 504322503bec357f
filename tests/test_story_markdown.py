"""The story's Markdown as editors type it: an escaped heading or list marker (what a rich-text
editor writes for a typed "## " or "- ") and a list glued to a paragraph are warned about at their
line, with the fix; the same Markdown written as the guide shows passes without a word."""

from __future__ import annotations

import subprocess
import sys

from sitecopy import demo_with_records, fictional_record

from site_builder.diagnostics import Reporter
from site_builder.validate.story import check_story, story_html

BODY_LINE = 12  # the story's first line in the file


def _warnings(body: str) -> list[tuple[str, int, int, str]]:
    rep = Reporter("brands/shili-x.md")
    check_story(body, BODY_LINE, rep)
    return [(d.code, d.line, d.col, d.message) for d in rep.items]


def test_escaped_markers_at_line_starts_are_warned_with_the_fix():
    body = ("虚构品牌的开头一段。\n\n\\## 发展历程\n\n\\- 第一条\n\n1\\. 第一步\n\n"
            "\\> 一句引语\n")
    found = _warnings(body)
    assert [(c, line) for c, line, _, _ in found] == [
        ("B070", 14), ("B070", 16), ("B070", 18), ("B070", 20)]
    _code, _line, col, message = found[0]
    assert col == 1 and "“\\##”" in message and "删去反斜杠，写成“## …”" in message


def test_a_list_glued_to_a_paragraph_is_warned_at_its_first_item():
    body = "虚构品牌主要提供以下服务：\n- 育儿\n- 养老\n\n其他说明。\n"
    found = _warnings(body)
    assert [(c, line) for c, line, _, _ in found] == [("B071", 13)]
    assert "“- 育儿”" in found[0][3] and "加一个空行" in found[0][3]
    # what the site would show: the "list" stays in the paragraph
    assert "<li>" not in story_html(body)


def test_markdown_written_as_the_guide_shows_passes():
    body = ("虚构品牌主要提供以下服务：\n\n- 育儿\n- 养老\n  续行\n\n## 发展历程\n\n1. 第一步\n2. 第二步\n\n"
            "> 引语\n\n```\n\\# 代码中的符号原样保留\n文字\n- 代码\n```\n\n"
            "价格是 100\\# 号（行中的反斜杠不算）。\n")
    assert _warnings(body) == []
    html = story_html(body)
    assert html.count("<li>") == 4 and "<h" in html


def test_validate_names_the_file_and_line(tmp_path):
    record = fictional_record("shili-zhuanyi", "示例·转义品牌",
                              body="虚构品牌的故事。\n\n\\## 发展历程\n\n服务如下：\n- 育儿\n")
    root = demo_with_records(tmp_path / "p", {"shili-zhuanyi": record})
    done = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "validate"],
                          capture_output=True, text=True, check=False)
    lines = record.split("\n")
    escaped = lines.index("\\## 发展历程") + 1
    glued = lines.index("- 育儿") + 1
    out = done.stdout + done.stderr
    assert f"brands/shili-zhuanyi.md:{escaped}:1: warning[B070]" in out, out
    assert f"brands/shili-zhuanyi.md:{glued}:1: warning[B071]" in out, out
    strict = subprocess.run([sys.executable, "-m", "site_builder", "--root", str(root), "validate",
                             "--strict"], capture_output=True, text=True, check=False)
    assert strict.returncode != 0  # warnings fail the pull request's strict check
