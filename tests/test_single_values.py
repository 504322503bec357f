"""Single values checked the same way wherever they are read: a figure's cap after 万/亿, a
front matter that is one YAML document, names compared as a reader sees them (look-alike
letters of other scripts too) and reported in every record that uses them, a deploy path that
cannot be the server's root or a system folder."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import REPO, demo_with_records, fictional_record

from site_builder.diagnostics.report import Reporter
from site_builder.load.frontmatter import read_document
from site_builder.project import load_project
from site_builder.publish.deploy import UsageError, resolve_target
from site_builder.render.stats import is_additive
from site_builder.schema.quantity import MAX_FIGURE, parse_quantity


def _record(slug: str, name: str, extra: str = "", **kw) -> str:
    return fictional_record(slug, name, extra, **kw)


def _project(tmp_path: Path, records: dict[str, str]):
    return load_project(demo_with_records(tmp_path / "p", records), DEMO_DATE)


def _mine(project, prefix: str = "brands/shili-test-") -> list:
    return [d for d in project.diagnostics if d.path.startswith(prefix)]


# -- (a) a figure's cap holds after its multiplier ----------------------------------------------

def _figure(value: str, unit: str = "人") -> str:
    return ("figures:\n"
            f"  - {{label: 从业人数, value: {value}, unit: {unit}, as_of: 2025-12, source: s1}}\n"
            "sources:\n  - {id: s1, outlet: 示例日报, date: 2026-01-05}\n")


@pytest.mark.parametrize("value, unit", [("3.2万", "人"), ("1.5亿", "元"), ("超过16亿", "元"),
                                         ("1–2万", "人"), ("9999999999", "人")])
def test_realistic_figures_are_accepted(tmp_path, value, unit):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例·数字品牌",
                                                          _figure(value, unit))})
    assert not _mine(project), [d.format() for d in _mine(project)]


@pytest.mark.parametrize("value, size", [("99999999亿", "9999999900000000"),
                                         ("100亿", "10000000000"),
                                         ("1–99999亿", "9999900000000"),
                                         ("约99999999万", "999999990000")])
def test_a_figure_past_the_cap_after_its_multiplier_is_refused(tmp_path, value, size):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例·数字品牌",
                                                          _figure(value))})
    diags = _mine(project)
    assert [(d.code, d.field, d.line) for d in diags] == [("B006", "figures[0].value", 9)]
    assert size in diags[0].message and str(MAX_FIGURE) in diags[0].message
    assert "提示：" in diags[0].message and "亿元" in diags[0].message


def test_every_reader_of_a_quantity_applies_the_cap():
    assert parse_quantity("99999999亿") is None
    assert parse_quantity(Decimal(99999999999)) is None
    assert parse_quantity("3.2万").amount == Decimal(32000)
    big = {"label": "从业人数", "value": "99999999亿", "unit": "人"}
    assert not is_additive(big, ["人"], [])  # the statistics page never adds it


# -- (b) one YAML document in the front matter ------------------------------------------------

def _read(text: str) -> tuple[object, list]:
    rep = Reporter("brands/x.md")
    doc = read_document("brands/x.md", text.encode("utf-8"), rep)
    return doc, [(d.code, d.line) for d in rep.items]


@pytest.mark.parametrize("text, code, line", [
    ("---\nname: 甲\n---\n---\nlevel: 市级\n---\n故事\n", "Y013", 5),  # a second front matter
    ("---\nname: 甲\n---\n\n---\n- 列表\n---\n故事\n", "Y013", 5),     # …of any shape
    ("---\nname: 甲\n---\n---\n故事\n", "Y013", 4),                    # a stray `---`
    ("---\nname: 甲\n...\nslug: b\n---\n故事\n", "Y014", 3),           # `...` inside
    ("---\nname: 甲\n...\n---\n故事\n", "Y014", 3),                    # `...` at its end
    ("---\nname: 甲\n--- slug: b\n---\n故事\n", "Y014", 3),            # a document start
])
def test_a_second_yaml_document_is_an_error_at_its_line(text, code, line):
    _, diags = _read(text)
    assert diags == [(code, line)]


@pytest.mark.parametrize("text", [
    "---\nname: 甲\n---\n故事\n\n---\n\n更多故事\n",                # a thematic break later on
    "---\nname: 甲\nsummary: \"写到... 为止\"\nnote: |\n  ---\n  ...\n---\n故事\n",  # in values
])
def test_separators_that_are_text_stay_text(text):
    doc, diags = _read(text)
    assert diags == [] and doc.root is not None


def test_a_second_document_is_never_published_as_story(tmp_path):
    extra = "---\nlevel: 市级劳务品牌\n"
    text = _record("shili-test-a", "示例·两段字段").replace("---\n本品牌", f"---\n{extra}---\n本品牌")
    project = _project(tmp_path, {"shili-test-a": text})
    assert [d.code for d in _mine(project)] == ["Y013"]
    assert "shili-test-a" not in [b.slug for b in project.brands]


# -- (c) names as a reader sees them ------------------------------------------------------------

def test_a_cyrillic_look_alike_name_is_a_duplicate_in_both_records(tmp_path):
    # НОМЕ: Cyrillic capitals En, O, Em, Ie (U+041D U+041E U+041C U+0415)
    project = _project(tmp_path, {
        "shili-test-a": _record("shili-test-a", "示例HOME家政"),
        "shili-test-b": _record("shili-test-b", "示例\u041d\u041e\u041c\u0415家政"),
    })
    diags = sorted((d.path, d.code, d.line, d.field) for d in _mine(project))
    assert diags == [("brands/shili-test-a.md", "B009", 3, "name"),
                     ("brands/shili-test-b.md", "B009", 3, "name")]
    by_path = {d.path: d.message for d in _mine(project)}
    assert "brands/shili-test-b.md" in by_path["brands/shili-test-a.md"]
    assert "brands/shili-test-a.md" in by_path["brands/shili-test-b.md"]


def test_a_name_mixing_scripts_in_one_word_is_refused(tmp_path):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例\u041dome家政")})
    diags = _mine(project)
    assert [(d.code, d.line, d.field) for d in diags] == [("B035", 3, "name")]
    assert "西里尔" in diags[0].message and "提示：" in diags[0].message


@pytest.mark.parametrize("a, b", [("示例APP家政", "示例云岭家政"), ("示例Home家政", "示例Homa家政"),
                                  ("示例APP家政", "示例Москва家政")])
def test_genuinely_different_names_and_ordinary_latin_are_accepted(tmp_path, a, b):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", a),
                                  "shili-test-b": _record("shili-test-b", b)})
    assert not _mine(project), [d.format() for d in _mine(project)]
    assert {"shili-test-a", "shili-test-b"} <= {x.slug for x in project.brands}


# -- (e) a near-duplicate is reported in both records ------------------------------------------

def test_a_near_duplicate_is_reported_in_both_records(tmp_path):
    project = _project(tmp_path, {"shili-test-a": _record("shili-test-a", "示例ABC家政"),
                                  "shili-test-b": _record("shili-test-b", "示例ＡＢＣ 家政")})
    diags = {d.path: d for d in _mine(project) if d.code == "B009"}
    assert set(diags) == {"brands/shili-test-a.md", "brands/shili-test-b.md"}
    assert "与 brands/shili-test-b.md 看起来相同（“示例ＡＢＣ 家政”）" in diags["brands/shili-test-a.md"].message
    assert "与 brands/shili-test-a.md 看起来相同（“示例ABC家政”）" in diags["brands/shili-test-b.md"].message
    assert {d.line for d in diags.values()} == {3}


# -- (d) the deploy path ----------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/.", "//", "/./", "///", "/srv/../", "/srv/site/../../etc",
                                  "/etc", "/etc/nginx", "/usr", "/usr/share/nginx/html", "/bin",
                                  "/root", "/home", "/home/", "/var", "/tmp/.", "relative/site",
                                  "/srv/si\nte"])
def test_a_deploy_path_at_a_root_is_refused(path):
    with pytest.raises(UsageError) as e:
        resolve_target(host="example.invalid", user="u", path=path, environ={})
    assert "部署目录" in str(e.value)


@pytest.mark.parametrize("path, normal", [("/srv/laowu-site", "/srv/laowu-site"),
                                          ("//srv//laowu-site/./", "/srv/laowu-site"),
                                          ("/var/www/laowu", "/var/www/laowu"),
                                          ("/home/deploy/site/", "/home/deploy/site")])
def test_a_deploy_path_is_normalised(path, normal):
    assert resolve_target(host="example.invalid", user="u", path=path, environ={}).path == normal


def test_the_command_refuses_a_root_path_with_exit_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOY_")}
    proc = subprocess.run([sys.executable, "-m", "site_builder", "deploy", "--host", "example.invalid",
                           "--user", "u", "--path", "/.", "--site-dir", str(tmp_path)],
                          capture_output=True, text=True, cwd=REPO, env=env, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "根目录" in proc.stderr and "Traceback" not in proc.stderr
