"""The public site built from a small fictional project: pages, open data, images, head tags."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from showcase import DRAFT_MARKER

SITE_URL = "https://showcase.example.org/"


@pytest.fixture(scope="module")
def site(showcase_site) -> Path:
    """The showcase project built once per run (conftest.py), with SITE_URL as its address."""
    return showcase_site


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


def test_every_page_type_exists(site):
    for uri in ["index.html", "brands/index.html", "brands/shili-chayi/index.html",
                "people/index.html", "venues/index.html", "stats/index.html",
                "policy/index.html", "about/index.html", "search/index.html", "404.html",
                "categories/index.html", "districts/index.html", "programs/index.html",
                "regions/index.html", "districts/海珠区/index.html", "programs/粤菜师傅/index.html",
                "regions/毕节市/index.html", "categories/文化旅游类/index.html"]:
        assert (site / uri).is_file(), uri


def article(site: Path, uri: str) -> str:
    html = read(site, uri)
    return html[html.index('<article class="md-content__inner'):html.index("</article>")]


def test_html_language_is_simplified_chinese(site):
    assert '<html lang="zh-CN"' in read(site, "index.html")


def test_home_shows_targets_and_ways_in(site):
    html = read(site, "index.html")
    # two 市级 brands and two 本地 brands published, against the plan's 10 and 20
    assert "<span>市级劳务品牌</span><span>2 / 10 个</span>" in html
    assert "已认定 2 个，目标 10 个，完成 20%" in html
    assert "<span>本地劳务品牌</span><span>2 / 20 个</span>" in html
    assert "已认定 2 个，目标 20 个，完成 10%" in html
    # ways in by category, district, program and cooperation region: only values with brands
    for folder, value in (("categories", "文化旅游类"), ("districts", "海珠区"),
                          ("programs", "粤菜师傅"), ("regions", "毕节市")):
        assert f'href="{folder}/{quote(value)}/"' in html
    assert f'href="districts/{quote("越秀区")}/"' not in html  # no brand there: no link


def test_directory_lists_every_published_brand_grouped_without_javascript(site):
    html = read(site, "brands/index.html")
    names = re.findall(r'class="lb-card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert sorted(names) == sorted(["示例·山间茶艺师", "示例·家政姐妹", "示例·数控技工", "示例·早茶点心师"])
    assert '<form class="lb-filters" hidden' in html  # shown only when the script runs
    assert 'data-districts="荔湾区|海珠区"' in html


def test_brand_page_shows_fields_figures_people_venues_sources(site):
    html = read(site, "brands/shili-chayi/index.html")
    for text in ["示例·山间茶艺师", "从业人数", "1200 人", "2024-12", "示例日报（虚构）", "王示例",
                 "传承人", "示例茶艺非遗工坊", "周二至周日 09:00–17:00", "更新日期：<span class=\"lb-nw\">2025-01-10</span>",
                 "相关品牌", "示例·早茶点心师"]:
        assert text in html, text
    assert 'href="#src-demo-a"' in html and 'id="src-demo-a"' in html
    assert "https://uri.amap.com/marker?position=113.58,23.55" in html


def test_people_grouped_by_role_link_to_brand(site):
    html = article(site, "people/index.html")
    assert (html.index(">传承人</h2>") < html.index("王示例") < html.index(">代言人</h2>")
            < html.index("李示例"))
    assert 'href="../brands/shili-chayi/"' in html


def test_venues_grouped_by_district_and_type_with_map_link(site):
    html = read(site, "venues/index.html")
    assert "从化区" in html and "非遗工坊（1 处）" in html
    assert "示例茶艺非遗工坊" in html and "在地图中查看" in html


def test_taxonomy_pages_list_brands_with_totals(site):
    html = read(site, "districts/海珠区/index.html")
    assert "共 <strong>2</strong> 个劳务品牌" in html
    assert "示例·家政姐妹" in html and "示例·早茶点心师" in html and "示例·数控技工" not in html
    assert 'href="../../districts/"' in html
    assert "示例·数控技工" in read(site, "regions/毕节市/index.html")


def test_statistics_never_add_different_units(site):
    html = read(site, "stats/index.html")
    # 1200 人 + 800 人 with the same label and date are added; 300 人次 stays apart
    assert re.search(r'从业人数</th><td data-label="统计时间">2024-12</td><td data-label="合计">2000 人</td>'
                     r'<td data-label="品牌数">2 个</td>', html)
    assert re.search(r'培训人次</th><td data-label="统计时间">2024-12</td><td data-label="合计">300 人次</td>'
                     r'<td data-label="品牌数">1 个</td>', html)
    assert html.count('<svg class="lb-chart"') == 4
    assert html.count("<table class=\"lb-table") >= 5


def test_open_data_json_and_csv(site):
    text = read(site, "data/brands.json")
    data = json.loads(text)
    # written a brand at a time, exactly as json.dumps(indent=1) writes the whole
    assert text == json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    from site_builder.render.opendata import brands_json
    assert brands_json([], str) == (json.dumps({"count": 0, "brands": []}, indent=1) + "\n").encode()
    assert data["count"] == 4
    slugs = [b["slug"] for b in data["brands"]]
    assert slugs == sorted(slugs) and "shili-caogao" not in slugs
    first = next(b for b in data["brands"] if b["slug"] == "shili-chayi")
    assert first["url"] == SITE_URL + "brands/shili-chayi/"
    assert first["figures"][0]["value"] == 1200
    raw = (site / "data/brands.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte-order mark"
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:2] == ["网址名", "品牌名称"] and len(rows) == 5
    assert ["shili-zaocha", "示例·早茶点心师"] == rows[-1][:2]


def test_atom_feed_lists_brands_newest_first(site):
    xml = read(site, "feed.xml")
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(xml)
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert titles[0] == "示例·数控技工" and len(titles) == 4
    assert root.findtext("a:updated", namespaces=ns) == "2025-03-01T00:00:00Z"


def test_sitemap_and_canonical_and_open_graph(site):
    sitemap = read(site, "sitemap.xml")
    assert f"<loc>{SITE_URL}brands/shili-chayi/</loc>" in sitemap
    html = read(site, "brands/shili-chayi/index.html")
    assert f'<link rel="canonical" href="{SITE_URL}brands/shili-chayi/">' in html
    assert '<meta property="og:title" content="示例·山间茶艺师">' in html
    assert '<meta property="og:description" content="虚构的示例品牌' in html
    m = re.search(r'<meta property="og:image" content="([^"]+)">', html)
    assert m and m.group(1) == SITE_URL + "brands/shili-chayi/share.jpg"  # name over the cover
    assert '<meta property="og:image:width" content="1200">' in html
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert json.loads(ld.group(1))["name"] == "示例·山间茶艺师"


def test_images_resized_to_webp_with_fallback_and_dimensions(site):
    html = read(site, "brands/shili-chayi/index.html")
    pic = re.search(r'<picture><source type="image/webp" srcset="([^"]+)"[^>]*><img class="lb-cover"'
                    r' src="([^"]+)" srcset="[^"]+" sizes="[^"]+" width="(\d+)" height="(\d+)"'
                    r' alt="([^"]+)" loading="eager"', html)
    assert pic, "cover picture element"
    assert pic.group(3) == "1280" and pic.group(4) == "720"
    assert "cover-320.webp 320w" in pic.group(1) and "cover-1280.webp 1280w" in pic.group(1)
    for w in (320, 640, 1280):
        assert (site / f"brands/shili-chayi/cover-{w}.webp").is_file()
    # the older format for browsers without WebP: one middle width, the one src names
    assert pic.group(2) == "../../brands/shili-chayi/cover-640.jpg"
    assert sorted(p.name for p in (site / "brands/shili-chayi").glob("cover-*.jpg")) == ["cover-640.jpg"]
    assert (site / "brands/shili-chayi/logo-400.png").is_file()  # alpha keeps PNG, no upscaling
    assert 'loading="lazy"' in html
    assert not (site / "brands/shili-chayi/cover.jpg").exists()  # the large original stays out


def test_drafts_appear_nowhere(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".xml", ".csv", ".js", ".txt"}:
            assert DRAFT_MARKER not in path.read_text(encoding="utf-8", errors="ignore"), path
    assert not (site / "brands/shili-caogao").exists()


def test_brand_pages_are_not_in_every_page_navigation(site):
    """Keeps the site linear in the number of brands."""
    home = read(site, "index.html")
    stats_page = read(site, "stats/index.html")
    assert "brands/shili-jigong/" not in stats_page
    nav = re.search(r'<nav class="lb-tabs".*?</nav>', home, re.DOTALL).group(0)
    assert "shili-" not in nav


def test_no_foreign_resources_in_any_page(site):
    resource = re.compile(r'<(?:script|img|iframe|source|link)\b[^>]*?\b(?:src|href|srcset)="'
                          r"(https?:)?//", re.IGNORECASE)
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for m in resource.finditer(html):
            tag = html[m.start(): html.index(">", m.start()) + 1]
            assert 'rel="canonical"' in tag or "alternate" in tag, (page, tag)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_search_bundle_is_fragmented_and_local(site):
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and not (bundle / "pagefind-ui.js").exists()
    assert any((bundle / "fragment").iterdir())
