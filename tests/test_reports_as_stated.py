"""Records as reports state them: figures and honours without a date, people named by an
official source, a place below the area, and sources not yet verified.

The fixture project tests/fixtures/national/ is a fictional national showcase whose records are
written as national press reports are; each test works on a copy of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import assert_built
from sitecopy import FIXTURES

from site_builder.build import build_site
from site_builder.model import Brand
from site_builder.project import load_project
from site_builder.render.pages import figure_date
from site_builder.render.stats import figure_sums
from site_builder.schema.reference import json_schema

NATIONAL = FIXTURES / "national"
DAY = dt.date(2026, 12, 1)


def copy_national(dest: Path) -> Path:
    """The national fixture project in `dest`: its records and settings only, laid out by the
    package's own templates and pages (as a region's project installed from the package is)."""
    shutil.copytree(NATIONAL, dest)
    return dest


@pytest.fixture(scope="session")
def national(tmp_path_factory) -> Path:
    root = copy_national(tmp_path_factory.mktemp("national") / "project")
    result = build_site(root, root / "site", build_date=DAY)
    assert_built(result)
    root.joinpath("diagnostics.txt").write_text(
        "\n".join(d.format() for d in result.project.diagnostics), encoding="utf-8")
    return root


def page_text(path: Path) -> str:
    """A built page's visible text, tags removed and white space folded."""
    html = re.sub(r"(?s)<(script|style|svg)\b.*?</\1>", "", path.read_text(encoding="utf-8"))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def edited(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the fixture project with one record's text changed (the text must be there)."""
    root = copy_national(tmp_path / "project")
    path = root / "brands" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def line_of(root: Path, name: str, text: str) -> int:
    """The 1-based number of the first line of a record that holds `text`."""
    lines = (root / "brands" / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def problems(root: Path) -> list[str]:
    return [d.format() for d in load_project(root, DAY).diagnostics]


# --- accepted: the records as the reports state them ------------------------------------------

def test_the_records_build_with_only_the_drafts_unverified_source_warned(national):
    """Every stated figure stays in structured fields; the draft's reprint is a warning only."""
    lines = national.joinpath("diagnostics.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [
        ("brands/yangli-xiuniang.md:22:15: warning[B086]: sources[0].url_kind: 资料来源“yangli-zhuanzai”"
        "的网址是转载或镜像（url_kind: 转载），尚未核实；档案发布前要核实；提示："
        "找到发布媒体或机构自己网站上的原文，写明媒体、标题、日期，网址换成原文网址并写 `url_kind: 原文`；"
        "找不到原文网址时删去网址，只写媒体、标题和日期。")]
    project = load_project(national, DAY)
    figures = {b.slug: len(b.data.get("figures", [])) for b in project.brands}
    assert figures == {"shili-xian-jiazheng": 3, "xugou-lamian": 2, "yangli-xiuniang": 1}


def test_an_undated_figure_says_so_on_the_page(national):
    text = page_text(national / "site/brands/shili-xian-jiazheng/index.html")
    assert "约3万 人 统计时间未注明 · 来源： 示例日报" in text
    assert "1.2 万人 统计时间未注明 · 来源： 虚构新闻网" in text
    assert "12000 人 2023-12 · 来源： 示例日报" in text
    assert "不详" not in text and "报道日期" not in text


def test_an_honour_without_a_year_is_shown_without_one(national):
    text = page_text(national / "site/brands/shili-xian-jiazheng/index.html")
    assert "全国劳务品牌（虚构名单）（示例部门，年份未注明）" in text
    assert "示例省省级劳务品牌（虚构名单）（示例省示例厅，2021）" in text


def test_people_named_by_an_official_source_are_shown_with_it(national):
    site = national / "site"
    text = page_text(site / "brands/shili-xian-jiazheng/index.html")
    assert "示例甲 代言人 示例县家政品牌代言人 来源： 示例日报" in text
    assert "示例乙 领军人" in text and "来源： 示例省示例厅" in text
    people = page_text(site / "people/index.html")
    for name in ("示例甲", "示例乙", "虚构丙", "虚构丁"):
        assert name in people
    about = page_text(site / "about/index.html")
    assert "典型人物依据政府部门、官方媒体的公开报道展示" in about
    data = json.loads((site / "data/brands.json").read_text(encoding="utf-8"))
    brand = next(b for b in data["brands"] if b["slug"] == "xugou-lamian")
    assert [p["name"] for p in brand["people"]] == ["虚构丙", "虚构丁"]
    assert "consent" not in json.dumps(brand, ensure_ascii=False)


def test_the_place_below_the_area_is_on_the_page_the_directory_and_in_open_data(national):
    site = national / "site"
    text = page_text(site / "brands/xugou-lamian/index.html")
    assert "所在地 虚构市虚构县石桥镇" in text
    assert "示例市示例县" in page_text(site / "brands/index.html")
    csv = (site / "data/brands.csv").read_text(encoding="utf-8-sig").splitlines()
    header = csv[0].split(",")
    row = next(r.split(",") for r in csv if r.startswith("xugou-lamian,"))
    assert row[header.index("具体地点")] == "虚构市虚构县石桥镇"
    assert "虚构市虚构县石桥镇" in (site / "data/brands.json").read_text(encoding="utf-8")


def test_sources_are_titled_links_with_outlet_and_date(national):
    html = (national / "site/brands/shili-xian-jiazheng/index.html").read_text(encoding="utf-8")
    assert ('<li id="src-shili-ribao"><a href="https://www.example.org/ribao/2024/0520.html" '
            'rel="noopener nofollow">《示例县家政走向全国（虚构报道）》</a>，示例日报，<span class="lb-nw">2024-05-20</span></li>') in html
    # a source with no address: its title and outlet, no link and no raw address
    assert '<li id="src-xugou-xinwen">《示例县家政带动就业（虚构报道）》，虚构新闻网</li>' in html


def test_undated_figures_are_never_added_nor_dated(national):
    project = load_project(national, DAY)
    brands = project.published
    sums = figure_sums(brands, ["人", "万人", "亿元"], ["人均"], figure_date)
    # 12000 人 (2023-12) is the only figure with a date of its own and an exact value
    assert [(s.label, s.unit, s.as_of, s.total, s.brands) for s in sums] == [
        ("从业人数", "人", "2023-12", 12000, ("shili-xian-jiazheng",))]
    brand = next(b for b in brands if b.slug == "shili-xian-jiazheng")
    assert [figure_date(f, brand) for f in brand.data["figures"]] == [
        ("", False), ("", False), ("2023-12", True)]
    stats = page_text(national / "site/stats/index.html")
    assert "从业人数 2023-12 12000 人 1 个" in stats


def test_a_figure_with_neither_as_of_nor_a_dated_source_is_not_given_a_date():
    """Even undated and unmarked, a figure gets no date from anywhere (and is never summed)."""
    brand = Brand("x", "brands/x.md", {"sources": [{"id": "a", "outlet": "示例日报"}]}, "", 1, {})
    assert figure_date({"source": "a", "as_of": "不详"}, brand) == ("", False)
    assert figure_date({"source": "a"}, brand) == ("", False)


def test_the_json_schema_accepts_the_records_as_written(national):
    jsonschema = pytest.importorskip("jsonschema")
    project = load_project(national, DAY)
    validator = jsonschema.Draft202012Validator(json_schema(project.settings.vocab))
    for path in sorted((national / "brands").glob("*.md")):
        front = path.read_text(encoding="utf-8").split("---\n")[1]
        data = yaml.load(front, Loader=yaml.BaseLoader)  # every scalar as text, as the loader reads
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], (path.name, errors)


# --- refused: the same records written wrongly -----------------------------------------------

def test_a_person_without_consent_cited_to_an_unofficial_source_is_refused(tmp_path):
    root = edited(tmp_path, "shili-xian-jiazheng.md", "    kind: 官方媒体", "    kind: 其他媒体")
    line = line_of(root, "shili-xian-jiazheng.md", "name: 示例甲") + 3  # people[0].source
    found = [p for p in problems(root) if "[B085]" in p]
    assert found == [
        (f"brands/shili-xian-jiazheng.md:{line}:13: error[B085]: people[0].source: 人物“示例甲”没有本人授权 "
        "consent，所引资料“shili-ribao”写的是 `kind: 其他媒体`，不是政府部门或官方媒体；提示：取得本人授权后"
        "补上 consent；或改为引用政府部门、官方媒体以这一身份点名此人的报道，并在那条资料中写明 "
        "`kind: 官方媒体`（或 `政府部门`）；都做不到的，删去这位人物。")]


def test_publishing_a_record_with_a_reprint_source_is_an_error(tmp_path):
    root = edited(tmp_path, "yangli-xiuniang.md", "status: 草稿", "status: 已发布")
    found = [p for p in problems(root) if "yangli-xiuniang" in p]
    assert len(found) == 1 and found[0].startswith(
        "brands/yangli-xiuniang.md:22:15: error[B087]: sources[0].url_kind: 档案已发布，")
    result = build_site(root, root / "site", build_date=DAY)
    assert not result.ok and not (root / "site").exists()


def test_an_unknown_date_written_another_way_is_refused_with_the_accepted_word(tmp_path):
    root = edited(tmp_path, "xugou-lamian.md", "as_of: 年份不详", "as_of: 未知")
    line = line_of(root, "xugou-lamian.md", "as_of: 未知")
    assert problems(root) == [
        (f"brands/xugou-lamian.md:{line}:12: error[B007]: figures[0].as_of: 统计时间应为 YYYY、YYYY-MM 或 "
        "YYYY-MM-DD 形式的真实日期，实际为“未知”（格式不对）；提示：报道没有写明时间时，照写 "
        "`as_of: 日期不详`，不要自行推断。"),
        ("brands/yangli-xiuniang.md:22:15: warning[B086]: sources[0].url_kind: 资料来源“yangli-zhuanzai”"
        "的网址是转载或镜像（url_kind: 转载），尚未核实；档案发布前要核实；提示："
        "找到发布媒体或机构自己网站上的原文，写明媒体、标题、日期，网址换成原文网址并写 `url_kind: 原文`；"
        "找不到原文网址时删去网址，只写媒体、标题和日期。")]


def test_an_honour_whose_year_is_left_out_is_refused_not_guessed(tmp_path):
    root = edited(tmp_path, "shili-xian-jiazheng.md", "    year: 不详\n", "")
    found = [p for p in problems(root) if "[B001]" in p]
    assert len(found) == 1
    assert "honours[0].year: 荣誉中必填字段“year”（年份）缺少" in found[0]
    assert "报道没有写明时写 `year: 不详`，不要推断" in found[0]


def test_personal_data_rules_hold_for_officially_named_people(tmp_path):
    root = edited(tmp_path, "xugou-lamian.md", "bio: 通知点名的品牌领军人（虚构）。",
                  "bio: 通知点名的品牌领军人（虚构），手机 13912345678。")
    line = line_of(root, "xugou-lamian.md", "手机 139")
    found = [p for p in problems(root) if "xugou-lamian" in p]
    assert len(found) == 1 and found[0].startswith(f"brands/xugou-lamian.md:{line}:")
    assert "error[P002]" in found[0] and "13912345678" not in found[0]
