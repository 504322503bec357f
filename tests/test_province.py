"""The second example project, a fictional province (examples/province/): nothing Guangzhou's
reaches its pages, levels conferred outside are proved by honours, figures appear as the reports
state them, only additive figures are summed, consent evidence is published nowhere, and the two
build commands agree on what fails under --strict."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from sitecopy import copy_engine_files

from site_builder.build import build_site
from site_builder.project import load_project

REPO = Path(__file__).resolve().parent.parent
PROVINCE = REPO / "examples" / "province"
CONSENT_REFERENCE = "示例-SQ-2025-001"


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


def pages(site: Path):
    for p in sorted(site.rglob("*.html")):
        yield p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")


def visible(html: str) -> str:
    """The page's words without markup, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_example_is_clean_even_strictly():
    project = load_project(PROVINCE)
    assert project.settings is not None and project.diagnostics == []
    assert len(project.published) == 4


def test_no_word_of_guangzhou_or_its_districts_reaches_the_public(province_site):
    for uri, html in pages(province_site):
        text = visible(html)
        for word in ("所在区", "按所在区", "广州", "从化", "海珠", "实施方案", "粤菜", "南粤", "山海"):
            assert word not in text, (uri, word)


def test_the_area_word_comes_from_the_settings(province_site):
    brand = visible(read(province_site, "brands/shili-jiashi-lamian/index.html"))
    assert "所在市 甲市" in brand
    assert "拉面馆分布在全国27个省份" in brand  # areas_note: shown, not an area
    home = read(province_site, "index.html")
    assert "按所在市" in home and "搜索品牌、人物、场所或市" in home
    assert 'placeholder="例如：示例·' in home  # drawn from what is published
    csv = (province_site / "data" / "brands.csv").read_bytes().decode("utf-8-sig")
    assert csv.splitlines()[0].split(",")[9] == "所在市"


def test_empty_vocabularies_have_no_section_page_or_filter(province_site):
    assert not (province_site / "programs").exists()
    assert not (province_site / "regions").exists()
    for uri in ("index.html", "brands/index.html", "stats/index.html"):
        text = visible(read(province_site, uri))
        assert "所属工程" not in text and "发展阶段" not in text, uri


def test_each_target_shows_its_own_deadline(province_site):
    text = visible(read(province_site, "index.html"))
    assert "到 2026 年 12 月 31 日建成省级劳务品牌 10 个" in text
    assert "到 2027 年 12 月 31 日建成国家级劳务品牌 3 个" in text
    assert "目标 3 个，完成 33%；期限 2027-12-31" in text
    assert "目标 10 个，完成 20%；期限 2026-12-31" in text


def test_figures_appear_as_the_reports_state_them(province_site):
    lamian = visible(read(province_site, "brands/shili-jiashi-lamian/index.html"))
    assert "从业人数 超过16万 人 全国，据 示例日报（虚构） 2024-05-20 报道" in lamian
    assert "近20 亿元 2023" in lamian
    jiazheng = visible(read(province_site, "brands/shili-yishi-jiazheng/index.html"))
    assert "61.93% 2024" in jiazheng and "3万+ 人" in jiazheng
    assert "月收入 1–2万 元 金牌月嫂" in jiazheng
    assert "+40%" in visible(read(province_site, "brands/shili-bingshi-jigong/index.html"))


def test_statistics_add_only_what_can_be_added(province_site):
    text = visible(read(province_site, "stats/index.html"))
    table = text.split("关键数据汇总")[-1]
    assert "从业人数 2024 2000 人 2" in table  # 1200 + 800, both exact, same date and scope
    for never in ("人均年收入", "学员就业率", "收入增长", "月收入", "年产值"):
        assert never not in table, never


def test_outside_levels_are_shown_with_their_honours(province_site):
    text = visible(read(province_site, "brands/shili-yishi-jiazheng/index.html"))
    assert "示例省劳务品牌（虚构）（示例省人力资源和社会保障厅（虚构），2023）" in text


def test_aliases_are_shown_and_searchable(province_site):
    html = read(province_site, "brands/shili-jiashi-lamian/index.html")
    assert "又称" in visible(html) and "示例·甲县牛肉面" in visible(html)
    terms = re.search(r'data-terms="([^"]*)"', html)[1]
    assert all(ch in terms.split() for ch in "甲县牛肉面")


def test_the_about_page_claims_only_what_is_true(province_site):
    text = visible(read(province_site, "about/index.html"))
    assert "每个数字都注明统计时间" not in text
    assert "其余注明报道日期" in text
    assert "评选结果" not in text.split("内容说明")[0]  # the example has no rounds


def test_consent_evidence_is_in_no_published_file(province_site):
    for p in sorted(province_site.rglob("*")):
        if not p.is_file():
            continue
        data = p.read_bytes()
        if p.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".gz"):
            try:
                data = gzip.decompress(data)
            except OSError:
                pass
        text = data.decode("utf-8", errors="ignore")
        assert CONSENT_REFERENCE not in text and "书面授权" not in text, p
    people = json.loads(read(province_site, "data/brands.json"))["brands"]
    persons = [p for b in people for p in b.get("people", [])]
    assert persons and all("consent" not in p for p in persons)


def _mkdocs(root: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                          cwd=root, capture_output=True, text=True, timeout=600, check=False)


def test_both_builds_agree_under_strict(province_project, tmp_path):
    """A warning (here B017: a level conferred outside with no honour naming it) fails
    `site-builder build --strict` and not the lenient build. `mkdocs build` never publishes
    (it could leave half a site and runs no checks), with or without the warning, so the two
    commands can never publish different sites from the same data."""
    root = tmp_path / "project"
    shutil.copytree(province_project, root, ignore=shutil.ignore_patterns("site"))
    copy_engine_files(root)  # `mkdocs build` reads the project's own mkdocs.yml
    assert build_site(root, tmp_path / "sb-clean", strict=True).ok
    clean = _mkdocs(root, tmp_path / "clean")
    assert clean.returncode != 0 and "site-builder build" in clean.stderr
    assert not (tmp_path / "clean").exists()
    record = root / "brands" / "shili-bingshi-jigong.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "    level: 省级劳务品牌\n", ""), encoding="utf-8")
    strict = build_site(root, tmp_path / "sb", strict=True)
    assert not strict.ok and [d.code for d in strict.diagnostics] == ["B017"]
    assert build_site(root, tmp_path / "sb-lenient").ok  # a warning alone fails only --strict
    proc = _mkdocs(root, tmp_path / "mk")
    assert proc.returncode != 0 and not (tmp_path / "mk").exists()


def test_new_writes_a_skeleton_in_the_provinces_words(tmp_path):
    from site_builder.editor.skeleton import write_skeleton

    shutil.copy(PROVINCE / "settings.yml", tmp_path / "settings.yml")
    ok, _ = write_skeleton(tmp_path, "shili-xinpinpai")
    assert ok
    text = (tmp_path / "brands" / "shili-xinpinpai.md").read_text(encoding="utf-8")
    assert "category: 技能型" in text and "districts: [甲市]" in text and "# 所在市" in text
    assert "programs" not in text and "stage" not in text  # the province has neither
    project = load_project(tmp_path)
    assert project.diagnostics == [] and len(project.brands) == 1
