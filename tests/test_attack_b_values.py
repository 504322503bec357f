"""Values an independent tester slipped past the checks: fields after a front matter closed
early (published as a heading), look-alike names of Lisu, Cherokee, small capitals and dots
other than the name's middle dot, and negative figures written with 万/千/亿."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import demo_with_records, fictional_record

from site_builder.diagnostics.report import Reporter
from site_builder.load.frontmatter import read_document
from site_builder.load.pages import load_page
from site_builder.project import load_project
from site_builder.schema.quantity import CHANGE, parse_quantity
from site_builder.validate.brands import mixed_script_word, reader_key


def _record(slug: str, name: str, extra: str = "", **kw) -> str:
    return fictional_record(slug, name, extra, **kw)


def _project(tmp_path: Path, records: dict[str, str]):
    return load_project(demo_with_records(tmp_path / "p", records), DEMO_DATE)


def _mine(project, prefix: str = "brands/shili-test-") -> list:
    return [d for d in project.diagnostics if d.path.startswith(prefix)]


def _read(text: str) -> list:
    rep = Reporter("brands/x.md")
    read_document("brands/x.md", text.encode("utf-8"), rep)
    return rep.items


# -- 2. a front matter closed early -------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    # the tester's case: a `---` before the last fields, which then close with a second `---`
    ("---\nname: 甲\nupdated: 2026-05-20\n---\nstatus: 草稿\npublish_until: 2026-01-01\n---\n故事\n", 5),
    ("---\nname: 甲\n---\nstatus: 草稿\npublish_until: 2026-01-01\n--- \n故事\n", 4),   # `--- `
    ("---\nname: 甲\n---  \nstatus: 草稿\n---\n故事\n", 4),                             # `---  ` first
    ("---\nname: 甲\n---\n\nlevel: 市级\nhonours:\n  - {name: 示例奖}\n# 注释\n-----\n故事\n", 5),
    ("---\nname: 甲\n---\r\nstatus: 草稿\r\n---\r\n故事\r\n", 4),                       # CRLF
])
def test_fields_after_an_early_closing_line_are_refused_at_their_line(text, line):
    diags = _read(text)
    assert [(d.code, d.line, d.field) for d in diags] == [("Y013", line, diags[0].field)]
    assert diags[0].field in ("status", "level")
    assert "提前结束" in diags[0].message and "提示：" in diags[0].message


def test_the_early_closing_line_keeps_the_brand_off_the_site(tmp_path):
    text = _record("shili-test-a", "示例·提前结束", body="status: 草稿\npublish_until: 2026-01-01\n---\n故事\n")
    project = _project(tmp_path, {"shili-test-a": text})
    assert [(d.code, d.line, d.field) for d in _mine(project)] == [("Y013", 10, "status")]
    assert "shili-test-a" not in [b.slug for b in project.brands]


def test_a_page_with_fields_after_its_front_matter_is_refused():
    data = "---\ntitle: 示例页面\n---\nstatus: 已撤下\n---\n正文\n".encode()
    _, rep = load_page("docs/a.md", data, {})
    assert [(d.code, d.line) for d in rep.items] == [("Y013", 4)]


@pytest.mark.parametrize("body", [
    "注：本文数据均为虚构。\n---\n正文\n",                   # 注： with a Chinese colon
    "status：草稿\n---\n正文\n",                             # a Chinese colon, even after a field name
    "| 年份 | 人数 |\n|---|---|\n| 2025 | 100 |\n",          # a Markdown table
    "status: 草稿\n\n正文没有分隔线。\n",                    # no `---` after it
    "联系方式: 见下文\n---\n正文\n",                         # not a record field
    "时间: 2025 年\n---\n正文\n",
    "正文第一段。\nname: 写在正文里\n---\n正文\n",           # the story opens with prose
    "故事\n\n---\n\n更多故事\n",                             # a thematic break later on
])
def test_realistic_story_openings_are_accepted(body):
    assert _read("---\nname: 甲\n---\n" + body) == []


# -- 3. look-alike names -----------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("示例APP家政", "示例\ua4ee\ua4d1\ua4d1家政"),       # Lisu A, PA, PA
    ("示例APP家政", "示例\u13aa\u13e2\u13e2家政"),       # Cherokee GO, TLV, TLV
    ("示例APP家政", "示例\uab7a\uabb2\uabb2家政"),       # Cherokee small letters of the same
    ("示例APP家政", "示例\u1d00\u1d18\u1d18家政"),       # Latin small capitals A, P, P
    ("示例·测试之家", "示例\u30fb测试之家"),             # katakana middle dot
    ("示例·测试之家", "示例\u2027测试之家"),             # hyphenation point
    ("示例·测试之家", "示例\u2022测试之家"),             # bullet
    ("示例·测试之家", "示例\u22c5测试之家"),             # dot operator
    ("示例·测试之家", "示例\uff65测试之家"),             # half-width katakana middle dot
])
def test_a_look_alike_name_is_a_duplicate_in_both_records(tmp_path, a, b):
    assert reader_key(a) == reader_key(b)
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", a),
                                  "shili-test-b": _record("shili-test-b", b)})
    diags = sorted((d.path, d.code, d.line, d.field) for d in _mine(project))
    assert diags == [("brands/shili-test-a.md", "B009", 3, "name"),
                     ("brands/shili-test-b.md", "B009", 3, "name")]


@pytest.mark.parametrize("name, script", [("示例\ua4eePP家政", "傈僳"), ("示例\u13aapp家政", "切罗基"),
                                          ("示例P\ua4d1P家政", "傈僳")])
def test_a_name_mixing_latin_with_lisu_or_cherokee_is_refused(tmp_path, name, script):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", name)})
    diags = _mine(project)
    assert [(d.code, d.line, d.field) for d in diags] == [("B035", 3, "name")]
    assert script in diags[0].message and "拉丁" in diags[0].message


@pytest.mark.parametrize("names", [("示例APP家政", "Q仔家政", "示例·测试之家", "示例测试之家")])
def test_realistic_names_are_accepted(tmp_path, names):
    records = {f"shili-test-{i}": _record(f"shili-test-{i}", n) for i, n in enumerate(names)}
    project = _project(tmp_path, records)
    assert not _mine(project), [d.format() for d in _mine(project)]
    assert all(mixed_script_word(n) is None for n in names)
    assert set(records) <= {b.slug for b in project.brands}


# -- 4. the sign of a figure -------------------------------------------------------------------

def _figure(value: str) -> str:
    return ("figures:\n"
            f"  - {{label: 从业人数, value: \"{value}\", unit: 人, as_of: 2025-12, source: s1}}\n"
            "sources:\n  - {id: s1, outlet: 示例日报, date: 2026-01-05}\n")


@pytest.mark.parametrize("value", ["-5", "-3千", "-5万", "-99亿", "-1.5万", "-40%"])
def test_a_negative_figure_is_refused_however_it_is_written(tmp_path, value):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例·数字品牌", _figure(value))})
    diags = _mine(project)
    assert [(d.code, d.field, d.line) for d in diags] == [("B006", "figures[0].value", 9)]
    assert "不能小于 0" in diags[0].message and "负号" in diags[0].message
    assert "shili-test-a" not in [b.slug for b in project.brands]


@pytest.mark.parametrize("value", ["-0", "-0万"])
def test_a_zero_with_a_minus_is_refused(tmp_path, value):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例·数字品牌", _figure(value))})
    assert [(d.code, d.field) for d in _mine(project)] == [("B006", "figures[0].value")]
    assert "0 前面不要写负号" in _mine(project)[0].message


@pytest.mark.parametrize("value", ["+40", "+3千", "＋5万", "+12%", "3万", "约3千", "1–2万", "0"])
def test_growth_and_ordinary_figures_are_accepted(tmp_path, value):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例·数字品牌", _figure(value))})
    assert not _mine(project), [d.format() for d in _mine(project)]
    assert "shili-test-a" in [b.slug for b in project.brands]


def test_a_quantity_knows_its_sign():
    assert parse_quantity("-3千").negative and parse_quantity("-0万").negative
    growth = parse_quantity("+40")
    assert growth.kind == CHANGE and not growth.negative
    assert not parse_quantity("1–2万").negative and not parse_quantity("近20万").negative
