"""The fictional demonstration project (demo/): it validates cleanly, builds every page type, and
shows one round in public notice, one final and one still taking applications on DEMO_DATE."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.project import load_project

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo"
DEMO_DATE = dt.date(2026, 12, 1)  # the Makefile's DEMO_DATE


def demo_date_in_makefile() -> str:
    return re.search(r"^DEMO_DATE \?= (\S+)$", (REPO / "Makefile").read_text(encoding="utf-8"),
                     re.MULTILINE).group(1)


@pytest.fixture(scope="module")
def site(demo_site) -> Path:
    # built once per session by the same command as `make demo` (conftest.py), at Makefile's date
    assert DEMO_DATE.isoformat() == "2026-12-01"
    return demo_site


def text(site: Path, uri: str) -> str:
    """The page's article as plain text, whitespace collapsed."""
    page = (site / uri).read_text(encoding="utf-8")
    article = page[page.index("<article"):page.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())


def test_make_demo_uses_the_tested_date():
    assert demo_date_in_makefile() == DEMO_DATE.isoformat()


def test_demo_validates_without_any_diagnostic():
    for day in (DEMO_DATE, dt.date(2025, 6, 16), dt.date(2026, 12, 20), dt.date(2027, 5, 1)):
        project = load_project(DEMO, day)
        assert project.ok and project.diagnostics == [], [d.format() for d in project.diagnostics]
        assert len(project.brands) == 8 and len(project.evaluations) == 3


def test_during_the_notice_a_claimed_level_is_not_yet_backed():
    # On 2025-06-05 the round that made two demo brands 市级 was still in public notice.
    project = load_project(DEMO, dt.date(2025, 6, 5))
    assert project.ok
    assert [(d.path, d.code, d.severity.value) for d in project.diagnostics] == [
        ("brands/shili-songtao-jigong.md", "B016", "warning"),
        ("brands/shili-yunling-chayi.md", "B016", "warning")]
    assert "还在公示中，正式公布后此提示消失" in project.diagnostics[0].message


def test_demo_is_obviously_fictional():
    project = load_project(DEMO, DEMO_DATE)
    settings = project.settings
    assert settings["region"]["name"] == "示例市" and "虚构" in settings["site"]["description"]
    for b in project.brands:
        assert b.name.startswith("示例·"), b.name
        assert "虚构" in b.data["summary"] and "虚构" in b.body
        for p in b.get("people", []):
            assert "虚构" in p["consent"]["reference"] and "示例" in p["name"]
        for s in b.get("sources", []):
            assert "虚构" in s["outlet"]
    for r in project.evaluations:
        assert "虚构" in r.title and "虚构" in r.body and "虚构" in r.data["organiser"]


def test_demo_rounds_cover_every_phase_shown_and_the_edge_cases():
    rounds = {r.id: r for r in load_project(DEMO, DEMO_DATE).evaluations}
    assert {k: r.phase for k, r in rounds.items()} == {
        "2025-shiji": "final", "2026-bendi": "notice", "2027-shiji": "applications"}
    final = rounds["2025-shiji"].result
    assert final.ties and final.ties[0].decided_by == ("employment",)       # a tie, broken
    assert any(e.recused for e in final.entries)                             # a recusal
    assert [e.status for e in final.others] == ["withdrawn"]                 # a withdrawn entry
    notice = rounds["2026-bendi"].result
    assert notice.ties and notice.ties[0].decided_by == ("",)                # a shared rank
    assert [e.status for e in notice.others] == ["disqualified"]


def test_a_scheduled_rebuild_moves_a_round_on_without_any_edit():
    phases = {day: {r.id: r.phase for r in load_project(DEMO, dt.date.fromisoformat(day)).evaluations}
              ["2026-bendi"] for day in ("2026-11-10", "2026-12-02", "2026-12-03", "2026-12-10")}
    assert phases == {"2026-11-10": "review", "2026-12-02": "notice", "2026-12-03": "pending",
                      "2026-12-10": "final"}


def test_source_date_epoch_fixes_the_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765152000")  # 2025-12-08 00:00 UTC
    project = load_project(DEMO)
    assert project.build_date == dt.date(2025, 12, 8)
    assert {r.id: r.phase for r in project.evaluations}["2026-bendi"] == "upcoming"


def test_every_page_type_is_built(site):
    for uri in ["index.html", "brands/index.html", "brands/shili-yunling-chayi/index.html",
                "people/index.html", "venues/index.html", "stats/index.html", "policy/index.html",
                "about/index.html", "search/index.html", "404.html", "categories/index.html",
                "districts/云岭区/index.html", "evaluations/index.html",
                "evaluations/2025-shiji/index.html", "evaluations/2026-bendi/index.html",
                "evaluations/2027-shiji/index.html", "data/brands.json"]:
        assert (site / uri).is_file(), uri


def test_the_demo_shows_every_feature_of_the_showcase(site):
    """Videos on a brand, a person and a venue; share posters for brands and people (the demo's
    fictional address); news and events past and upcoming with their calendar and feed; person
    pages; the venue map over the fictional outline."""
    project = load_project(DEMO, DEMO_DATE)
    address = project.settings.site_url
    assert address.startswith("https://") and ".example.org/" in address  # reserved, fictional
    brand_page = (site / "brands/shili-qingxi-jiazheng/index.html").read_text(encoding="utf-8")
    assert brand_page.count("<video ") == 1 and "保存海报" in brand_page
    person = "people/shili-yunling-chayi/lin-shili/"
    person_page = (site / person / "index.html").read_text(encoding="utf-8")
    assert person_page.count("<video ") == 1 and "lin-story.mp4" in person_page
    assert "保存海报" in person_page and (site / person / "share-poster.jpg").is_file()
    venue_page = (site / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8")
    venue = venue_page[venue_page.index('<h2 id="venues">'):]
    assert "venue-tour.mp4" in venue and 'id="venue-1-video-1"' in venue
    assert len(list(site.glob("brands/*/share-poster.jpg"))) == 8
    posters = list(site.glob("people/*/*/share-poster.jpg"))
    assert len(posters) == len(list(site.glob("people/*/*/index.html"))) >= 5
    news = (site / "news/index.html").read_text(encoding="utf-8")
    assert ">即将举办</h2>" in news and ">往期动态</h2>" in news
    upcoming = [n for n in project.news if n.published and n.is_event and n.last_day >= DEMO_DATE.isoformat()]
    past = [n for n in project.news if n.published and n.last_day < DEMO_DATE.isoformat()]
    assert upcoming and past
    assert "BEGIN:VEVENT" in (site / "events.ics").read_text(encoding="utf-8")
    assert (site / "venues/map/index.html").is_file()
    assert "<svg" in (site / "venues/map/index.html").read_text(encoding="utf-8")


def test_rounds_index_lists_rounds_by_year(site):
    page = text(site, "evaluations/index.html")
    years = [int(y) for y in re.findall(r"(\d{4}) 年 ", page)]
    assert years == [2027, 2026, 2025]
    assert page.index("2027年度") < page.index("2026年度") < page.index("2025年度")
    assert "公示中 （公示期 2026-11-26 至 2026-12-02）" in page
    assert "结果已公布 （2025-06-16 公布）；市级劳务品牌 2 个、本地劳务品牌 2 个" in page
    assert "征集中 （申报时间 2026-11-15 至 2027-01-31）" in page


def test_round_in_notice_says_so_with_dates_and_how_to_object(site):
    page = text(site, "evaluations/2026-bendi/index.html")
    assert "公示中： 以下是本次评选的公示结果，不是最终结果。公示期为 2026-11-26 至 2026-12-02。" in page
    assert "请在公示期内向 示例市人力资源和社会保障局（虚构） 提出（以实名书面形式提出）" in page
    assert "objection@example.org" in page
    assert "结果将于 2026-12-10 正式公布" in page
    assert "1 示例·石港月嫂 81.33 86.00 78.00 81.73 本地劳务品牌" in page
    assert "2 示例·白鹭电商达人 72.00 80.00 76.00 75.60 本地劳务品牌" in page
    assert "2 示例·云岭竹编匠人 72.00 80.00 76.00 75.60 本地劳务品牌" in page
    assert "名次并列" in page
    assert "示例·协作之家 ：取消资格" in page
    assert "赵示例" in page  # this round publishes its experts' names


def test_final_round_shows_final_results_without_expert_names(site):
    page = text(site, "evaluations/2025-shiji/index.html")
    assert "结果已公布： 本次评选结果经 2025-06-02 至 2025-06-08 公示，于 2025-06-16 正式公布，为最终结果。" in page
    assert "公示中" not in page
    for row in ["1 示例·云岭茶艺师 9.25 9.00 8.50 89.75 市级劳务品牌",
                "2 示例·松涛数控技工 8.50 8.00 8.00 82.00 市级劳务品牌",
                "3 示例·明湖厨师 8.00 8.00 8.80 82.00 本地劳务品牌",
                "4 示例·青溪家政 7.67 8.33 7.00 77.34 本地劳务品牌",
                "5 示例·石港月嫂 6.50 7.00 6.00 65.50 未入选"]:
        assert row in page
    assert "按决胜规则比较“带动就业规模”的平均分，示例·松涛数控技工排在前面" in page
    assert "专家 e4声明与示例·青溪家政存在利益关系" in page and "按其余 5 位专家的评分计算" in page
    assert "示例·白鹭电商达人 ：已撤回" in page
    assert "四舍五入" in page  # the rounding rule is stated
    raw = (site / "evaluations/2025-shiji/index.html").read_text(encoding="utf-8")
    for name in ("甲示例", "乙示例", "丙示例", "丁示例", "戊示例", "己示例"):
        assert name not in raw  # names are not published for this round
    assert name not in (site / "evaluations/2025-shiji/results.json").read_text(encoding="utf-8")


def test_before_the_notice_no_result_appears(site):
    page = text(site, "evaluations/2027-shiji/index.html")
    assert "征集中" in page and "评审结果将从 2027-03-22 起在本页公示" in page
    raw = (site / "evaluations/2027-shiji/index.html").read_text(encoding="utf-8")
    assert "lb-results" not in raw and "lb-score-sheet" not in raw and "results.json" not in raw
    assert not (site / "evaluations/2027-shiji/results.json").exists()
    assert not (site / "evaluations/2027-shiji/results.csv").exists()


def test_results_json_and_csv(site):
    data = json.loads((site / "evaluations/2025-shiji/results.json").read_text(encoding="utf-8"))
    assert data["round"] == "2025-shiji" and data["method"] == "trimmed_mean"
    assert data["criteria"][0] == {"key": "employment", "name": "带动就业规模", "weight": 40, "max": 10}
    entries = {e["brand"]: e for e in data["entries"]}
    assert entries["shili-qingxi-jiazheng"]["total"] == 77.34
    assert set(entries["shili-qingxi-jiazheng"]["scores"]) == {"e1", "e2", "e3", "e5", "e6"}
    assert entries["shili-bailu-dianshang"] == {
        "brand": "shili-bailu-dianshang", "rank": None, "tier": None, "total": None,
        "criteria": {}, "scores": {}, "status": "withdrawn"}
    raw = (site / "evaluations/2026-bendi/results.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["名次", "品牌", "网址名", "档次"]
    assert rows[1][:4] == ["1", "示例·石港月嫂", "shili-shigang-yuesao", "本地劳务品牌"]
    assert rows[-1][-2:] == ["取消资格", "申报材料中的从业人数与核实情况不符（虚构示例）"]


def test_brand_pages_show_honours(site):
    page = text(site, "brands/shili-yunling-chayi/index.html")
    assert "荣誉 2025年度示例市市级劳务品牌征集评选（虚构） ：市级劳务品牌（第 1 名）" in page
    page = text(site, "brands/shili-shigang-yuesao/index.html")
    assert "2026年度示例市本地劳务品牌征集评选（虚构） ：本地劳务品牌（第 1 名，公示中" in page
    assert "荣誉" not in text(site, "brands/shili-xiezuo-zhijia/index.html")  # disqualified


def test_the_demo_uses_the_package_s_engine_files():
    """The demo carries only its project: no mkdocs.yml, templates/ or docs/ of its own (the
    package's defaults are used, as in a project `site-builder init` made)."""
    for name in ("mkdocs.yml", "templates", "docs"):
        assert not (DEMO / name).exists(), name


def test_mkdocs_build_from_the_repository_refuses_to_publish(tmp_path):
    # `mkdocs build` would write straight into its folder without the post-build checks; it
    # refuses and points to `site-builder build`, which the demo tests above use.
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764547200")
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                           "-d", str(tmp_path / "out")], check=False, cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and "site-builder build" in proc.stderr
    assert not (tmp_path / "out").exists()