"""A showcase that holds with little data: nothing empty is linked or shown (sections, filters,
rows, "0" figures, a deadline passed with nothing recognised), category artwork instead of
monograms, plain public copy, and the same brand count on every page.

Built from the fictional showcase records (tests/showcase.py), made sparse here: no people,
venues or rounds, levels and stages left out on some brands, one brand of two categories.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import assert_built
from showcase import BRANDS, make_project

from site_builder.build import build_site


def _sparse_brands() -> dict[str, str]:
    out = {}
    for slug, text in BRANDS.items():
        # no people or venues: the people and venues sections are empty
        text = re.sub(r"^people:\n(?:  .*\n|    .*\n)+", "", text, flags=re.MULTILINE)
        text = re.sub(r"^venues:\n(?:  .*\n|    .*\n)+", "", text, flags=re.MULTILINE)
        text = re.sub(r"^media:\n(?:  .*\n)+", "", text, flags=re.MULTILINE)  # no pictures either
        if slug == "shili-jiazheng":  # a brand of two categories, counted once
            text = text.replace("category: 高品质服务型\n",
                                "category: 高品质服务型\nsecondary_category: 民生保障型\n")
        if slug == "shili-zaocha":  # no level: its row is not "未填写", it is left out
            text = text.replace("level: 本地劳务品牌\n", "")
        out[slug] = text
    return out


@pytest.fixture(scope="module")
def sparse(tmp_path_factory) -> Path:
    root = make_project(tmp_path_factory.mktemp("sparse"), brands=_sparse_brands())
    # the plan's deadline (2025-12-31) long past, and no brand holds a target level
    for path in (root / "brands").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^level: (市级|本地)劳务品牌$", "level: 培育中", text, flags=re.MULTILINE)
        text = re.sub(r"^stage: .*$", "stage: 发展提升", text, flags=re.MULTILINE)  # one stage for all
        path.write_text(text, encoding="utf-8")
    result = build_site(root, root / "site", build_date=dt.date(2026, 12, 1))
    assert_built(result)
    return root / "site"


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in site.rglob("index.html")}


def visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>|<head>.*?</head>", "", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def flat(html: str) -> str:
    """The page's text without any white space (spans split "4 个" from what follows)."""
    return re.sub(r"\s+", "", visible_text(html))


def test_no_page_links_to_an_empty_section(sparse):
    for rel, html in pages(sparse).items():
        for href in re.findall(r'href="([^"]+)"', html):
            target = href.split("#")[0].split("?")[0]
            assert not re.search(r"(?:^|/)(people|venues|evaluations)/$", target), (rel, href)


def test_nothing_empty_or_zero_is_shown(sparse):
    for rel, html in pages(sparse).items():
        text = visible_text(html)
        assert "未填写" not in text, rel
        assert not re.search(r"(?<![\d.])0 个", text), (rel, re.findall(r".{20}(?<![\d.])0 个", text))
        for select in re.findall(r"<select\b.*?</select>", html, flags=re.DOTALL):
            assert len(re.findall(r"<option\b", select)) >= 2, (rel, select)  # not 全部 alone
    directory = (sparse / "brands/index.html").read_text(encoding="utf-8")
    assert 'data-lb-filter="stage"' not in directory  # every brand in one stage: nothing to filter
    assert 'data-lb-filter="level"' in directory  # 培育中, which one brand lacks, still narrows
    home = visible_text((sparse / "index.html").read_text(encoding="utf-8"))
    assert "建设进展" not in home and "已过" not in home  # no deadline passed with nothing to show


def test_counts_agree_and_a_brand_of_two_categories_is_counted_once(sparse):
    published = 4  # the four fictional published brands (the draft is not)
    home = flat((sparse / "index.html").read_text(encoding="utf-8"))
    directory = flat((sparse / "brands/index.html").read_text(encoding="utf-8"))
    stats = flat((sparse / "stats/index.html").read_text(encoding="utf-8"))
    assert f"{published}个劳务品牌" in home and f"全部{published}个品牌" in home
    assert f"共{published}个已发布的劳务品牌" in directory
    assert f"本站共收录{published}个劳务品牌" in stats
    # the two-category brand has a card in both groups, with the same data-brand
    html = (sparse / "brands/index.html").read_text(encoding="utf-8")
    assert html.count('data-brand="shili-jiazheng"') == 2
    assert len(set(re.findall(r'data-brand="([^"]+)"', html))) == published


def test_cards_without_pictures_show_category_artwork(sparse):
    html = (sparse / "brands/index.html").read_text(encoding="utf-8")
    assert "lb-card__initial" not in html
    arts = set(re.findall(r'<img class="lb-card-art" src="\.\./(assets/art/category-\d+\.svg)" alt=""', html))
    assert len(arts) >= 2  # different categories, different pictures
    for art in arts:
        svg = (sparse / art).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "<script" not in svg and "href" not in svg


def test_public_copy_has_no_editorial_or_method_notes(sparse):
    for rel, html in pages(sparse).items():
        text = visible_text(html)
        for phrase in ("编辑部", "报道未写统计时间", "[来源]", "最近审核", "用自己的话"):
            assert phrase not in text, (rel, phrase)
        # no raw address as a link's text
        assert not re.search(r">https?://[^<]*</a>", html), rel


def test_stats_chart_is_drawn_at_its_own_size(sparse):
    html = (sparse / "stats/index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<svg class="lb-chart"[^>]*viewBox="0 0 (\d+) (\d+)" width="(\d+)" height="(\d+)"', html)
    assert charts and all(w == vw and h == vh for vw, vh, w, h in charts)
    assert all(int(w) <= 600 for _, _, w, _ in charts)
