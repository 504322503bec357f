"""What the showcase theme publishes, read from the built files: no engine leftovers, no foreign
address anywhere (also inside scripts), the footer's filing numbers, share images, progress told
for the build date, editors' notes never published, the settings' new fields validated."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from site_builder.load.settings import load_settings
from site_builder.render.progress import progress_report
from site_builder.render.share_image import find_cjk_font
from site_builder.verify.links import check_site

REPO = Path(__file__).resolve().parent.parent
FOREIGN = re.compile(rb"unpkg\.com|api\.github\.com|cdn\.jsdelivr|fonts\.googleapis|fonts\.gstatic")


@pytest.mark.parametrize("which", ["demo_site", "plain_site"])
def test_nothing_published_that_no_page_uses(which, request):
    site: Path = request.getfixturevalue(which)
    files = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    unused = [f for f in files if f.endswith(".map") or "/lunr/" in f or "/workers/" in f
              or re.search(r"bundle\.[0-9a-f]+\.min\.js$|palette\.[0-9a-f]+\.min\.css$", f)
              or re.search(r"pagefind-(component-ui|modular-ui|highlight|ui)\.", f)
              or f == "assets/images/favicon.png"]
    assert unused == []
    # (the form editor under admin/ may name the repository host's API: tests/test_cms_config.py)
    hits = [f for f in files if not f.startswith("admin/") and FOREIGN.search((site / f).read_bytes())]
    assert hits == [], hits
    assert "Material for MkDocs" not in (site / "index.html").read_text(encoding="utf-8")


def test_the_check_flags_another_sites_address_inside_a_script(tmp_path):
    (tmp_path / "index.html").write_text('<!doctype html><html lang="zh-CN"><head><title>x</title>'
                                         '<script src="a.js"></script></head><body></body></html>')
    (tmp_path / "a.js").write_text('x=_t("https://unpkg.com/resize-observer-polyfill");'
                                   'n="http://www.w3.org/2000/svg";u=new URL(p,"https://p");'
                                   't=`https://api.github.com/repos/${e}`;')
    found = sorted(d.field for d in check_site(tmp_path) if d.code == "C005")
    assert found == ["https://api.github.com/repos/${e}", "https://unpkg.com/resize-observer-polyfill"]


def test_footer_shows_organiser_contact_and_filing_numbers(demo_site, plain_site):
    page = (demo_site / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8")
    footer = page[page.index('<footer class="lb-footer">'):]
    for text in ("主办单位", "示例市人力资源和社会保障局（虚构）", "承办单位", "示例市示例路 1 号（虚构）",
                 "000-00000000", "demo@example.org", "政府网站标识码：0000000000",
                 'href="https://beian.miit.gov.cn/"', "粤ICP备00000000号-1",
                 'href="https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000"'):
        assert text in footer, text
    assert 'src="../../assets/site-logo.png"' in page and 'href="../../assets/favicon.png"' in page
    shipped = (plain_site / "index.html").read_text(encoding="utf-8")
    assert "beian" not in shipped and "主办单位" not in shipped  # nothing set: nothing shown
    assert 'src="assets/emblem.svg"' in shipped and 'rel="icon" href="assets/emblem.svg"' in shipped


def test_no_docs_chrome(demo_site):
    page = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "md-sidebar" not in page and "md-nav" not in page and "md-footer" not in page
    assert "Made with" not in page and "md-toc" not in page


def test_every_brand_has_a_share_image(demo_site, plain_site):
    if find_cjk_font() is None:
        pytest.skip("没有中文字体（fonts-noto-cjk）")
    for site in (demo_site, plain_site):
        for folder in (site / "brands").iterdir():
            if folder.is_dir():
                page = (folder / "index.html").read_text(encoding="utf-8")
                assert (folder / "share.jpg").is_file(), folder
                assert re.search(r'<meta property="og:image" content="[^"]*share\.jpg">', page)
                assert '<meta property="og:image:width" content="1200">' in page


def test_editor_note_is_never_published(demo_site):
    marker = "编辑备注标记QX7".encode()
    assert marker in (REPO / "demo/brands/shili-bailu-dianshang.md").read_bytes()
    hits = [p for p in demo_site.rglob("*") if p.is_file() and marker in p.read_bytes()]
    assert hits == []


def test_empty_sections_get_no_tab(plain_site, demo_site):
    shipped = (plain_site / "index.html").read_text(encoding="utf-8")
    tabs = shipped[shipped.index('class="lb-tabs"'):shipped.index("</nav>", shipped.index('class="lb-tabs"'))]
    assert "典型人物" not in tabs and "文化体验" not in tabs and "征集评选" not in tabs
    text = re.sub(r"<script\b.*?</script>", "", shipped, flags=re.DOTALL)
    assert "（0）" not in text and "(0)" not in text
    demo = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "典型人物" in demo and "征集评选" in demo


def test_no_developer_words_where_a_reader_sees_them(demo_site):
    for rel in ("index.html", "about/index.html", "brands/index.html", "evaluations/2025-shiji/index.html",
                "search/index.html"):
        page = (demo_site / rel).read_text(encoding="utf-8")
        body = re.sub(r"<(script|style)\b.*?</\1>|<head>.*?</head>", "", page, flags=re.DOTALL)
        text = re.sub(r"<[^>]+>", " ", body)
        for word in ("JSON", "CSV", "JavaScript", "Atom", "feed.xml", "brands.json", "results.json"):
            assert word not in text, (rel, word)


def test_round_notices_say_until_when(demo_site):
    notice = (demo_site / "evaluations/2026-bendi/index.html").read_text(encoding="utf-8")
    assert "异议截止：2026-12-02" in notice
    assert notice.index("拟入选品牌") < notice.index("评分办法")  # the winners first
    applications = (demo_site / "evaluations/2027-shiji/index.html").read_text(encoding="utf-8")
    assert "申报截止：2027-01-31" in applications and "示例市就业服务中心（虚构）" in applications


GOALS = [{"level": "市级劳务品牌", "count": 10, "deadline": "2025-12-31", "have": 0, "percent": 0},
         {"level": "本地劳务品牌", "count": 20, "deadline": "2025-12-31", "have": 0, "percent": 0}]


@pytest.mark.parametrize("today,state,says", [
    ("2025-06-30", "before", "距规划期限还有 184 天"),
    ("2025-12-31", "due", "（今天）"),
    ("2026-12-01", "after", "规划期限 2025 年 12 月 31 日 已过"),
])
def test_progress_is_told_for_the_build_date(today, state, says):
    report = progress_report(GOALS, dt.date.fromisoformat(today), "广州")
    assert report["state"] == state and says in report["sentence"]
    assert report["goals"] == [] and "尚未收录" in report["sentence"]  # no all-zero chart
    some = [dict(GOALS[0], have=3, percent=30), GOALS[1]]
    report = progress_report(some, dt.date.fromisoformat(today), "广州")
    assert [{k: v for k, v in g.items() if k != "state"} for g in report["goals"]] == some
    assert {g["state"] for g in report["goals"]} == {state} and "尚未收录" not in report["sentence"]
    assert progress_report([], dt.date(2026, 1, 1), "广州")["state"] == "none"


def test_each_target_is_told_against_its_own_deadline():
    two = [dict(GOALS[0], have=3, percent=30), dict(GOALS[1], deadline="2027-06-30")]
    report = progress_report(two, dt.date(2026, 12, 1), "广州")
    assert report["state"] == "mixed"
    assert "到 2025 年 12 月 31 日建成市级劳务品牌 10 个（期限已过）" in report["sentence"]
    assert "到 2027 年 6 月 30 日建成本地劳务品牌 20 个（还有 211 天）" in report["sentence"]
    assert [g["state"] for g in report["goals"]] == ["after", "before"]


def test_filing_numbers_and_logo_are_validated(tmp_path):
    text = (REPO / "tests" / "fixtures" / "settings.yml").read_text(encoding="utf-8")
    good = text + ('\nfiling:\n  site_code: "4401000001"\n  icp: 粤ICP备12345678号-1\n'
                   "  police: 粤公网安备 44010602000001号\n")
    (tmp_path / "settings.yml").write_text(good, encoding="utf-8")
    settings, diags = load_settings(tmp_path)
    assert diags == [] and settings["filing"]["icp"] == "粤ICP备12345678号-1"
    bad = text + '\nfiling:\n  site_code: "44010"\n  icp: ICP备12345678号\n  police: 公网安备 123号\n'
    (tmp_path / "settings.yml").write_text(bad, encoding="utf-8")
    settings, diags = load_settings(tmp_path)
    assert settings is None
    assert sorted(d.field for d in diags) == ["filing.icp", "filing.police", "filing.site_code"]
    (tmp_path / "settings.yml").write_text(text.replace('  url: ""', '  url: ""\n  logo: logo.png'),
                                           encoding="utf-8")
    settings, diags = load_settings(tmp_path)
    assert settings is None and [d.field for d in diags] == ["site.logo"]
