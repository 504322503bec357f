"""The public site in a real browser: filters, shared addresses, search, requests and axe-core.

Every request is routed: anything not for the site's own origin is aborted and recorded.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import guarded_page, launch_browser, serious_axe_violations, serve_dir

pytestmark = pytest.mark.browser  # Chromium: `-m 'not browser'` leaves these out

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "",
    "directory": "brands/",
    "brand": "brands/shili-chayi/",
    "people": "people/",
    "venues": "venues/",
    "stats": "stats/",
    "category": "categories/" + quote("文化旅游类") + "/",
    "district": "districts/" + quote("海珠区") + "/",
    "district index": "districts/",
    "program": "programs/" + quote("粤菜师傅") + "/",
    "region": "regions/" + quote("毕节市") + "/",
    "policy": "policy/",
    "about": "about/",
    "search": "search/",
    "404": "no-such-page/",
}


@pytest.fixture(scope="module")
def served(showcase_site, tmp_path_factory):
    site = tmp_path_factory.mktemp("browser-site") / "site"
    shutil.copytree(showcase_site, site)  # the 404 page is added at a missing path
    with serve_dir(_with_404(site)) as base, launch_browser() as browser:
        yield base, browser


def _with_404(site: Path) -> Path:
    """http.server has no custom 404 page; serving 404.html at the missing path is what hosts do."""
    (site / "no-such-page").mkdir(exist_ok=True)
    (site / "no-such-page" / "index.html").write_bytes((site / "404.html").read_bytes())
    return site


def visible_names(page) -> list[str]:
    return sorted(page.locator(".lb-card:not([hidden]) .lb-card-title a").all_inner_texts())


def test_home_page_opens(served):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base)
    assert page.locator("h1").first.inner_text() == "示例市劳务品牌（测试）"
    assert page.locator(".lb-progress").is_visible()
    assert not guard.foreign and not guard.errors and not guard.failed
    page.context.close()


def test_directory_two_filters_then_reload_the_shared_address(served):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + "brands/")
    assert len(visible_names(page)) == 4
    page.select_option("select[name=category]", "文化旅游类")
    page.select_option("select[name=districts]", "海珠区")
    assert visible_names(page) == ["示例·早茶点心师"]
    assert "符合条件的品牌：1 个（共 4 个）" in page.locator("[data-lb-count]").inner_text()
    shared = page.url
    assert "category=" in shared and "districts=" in shared
    page.goto(shared)
    assert page.locator("select[name=category]").input_value() == "文化旅游类"
    assert visible_names(page) == ["示例·早茶点心师"]
    page.get_by_role("button", name="清除筛选").click()
    page.wait_for_function("document.querySelectorAll('.lb-card:not([hidden])').length === 4")
    assert "?" not in page.url
    assert not guard.foreign and not guard.errors
    page.context.close()


def test_open_a_brand_page(served):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + "brands/")
    page.get_by_role("link", name="示例·山间茶艺师").first.click()
    page.wait_for_url("**/brands/shili-chayi/")
    assert page.locator("h1").first.inner_text() == "示例·山间茶艺师"
    cover = page.locator("img.lb-cover")
    assert cover.evaluate("img => img.complete && img.naturalWidth > 0")
    assert not guard.foreign and not guard.errors and not guard.failed
    page.context.close()


@pytest.mark.parametrize("query,brand", [
    ("王示例", "示例·山间茶艺师"),          # a person's name
    ("示例茶艺非遗工坊", "示例·山间茶艺师"),  # a venue's name
    ("数控技工", "示例·数控技工"),          # a brand's name
    ("黄埔区", "示例·数控技工"),            # a district
])
def test_search_reaches_the_brand(served, query, brand):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + "search/")
    box = page.locator("#lb-search-input")
    box.wait_for()
    box.fill(query)
    results = page.locator(".lb-results li a")
    results.first.wait_for(timeout=10000)
    link = results.filter(has_text=brand).first
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == brand
    assert not guard.foreign and not guard.errors and not guard.failed
    page.context.close()


def test_search_from_the_home_form(served):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base)
    page.fill("#lb-home-q", "李示例")
    page.get_by_role("button", name="搜索").click()
    page.locator(".lb-results li a").first.wait_for(timeout=10000)
    assert "示例·家政姐妹" in page.locator(".lb-results").inner_text()
    assert not guard.foreign
    page.context.close()


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_every_page_type_stays_on_the_site_and_passes_axe(served, kind):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + PAGE_TYPES[kind])
    page.wait_for_load_state("networkidle")
    if kind == "search":
        page.locator("#lb-search-input").fill("示例")
        page.locator(".lb-results li a").first.wait_for(timeout=10000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "fits a 360 px screen"
    serious = serious_axe_violations(page)
    assert not serious, "\n".join(serious)
    assert not guard.foreign, guard.foreign
    assert not guard.errors, guard.errors
    assert not guard.dialogs
    failed = [f for f in guard.failed if "no-such-page" not in f]
    assert not failed, failed
    page.context.close()
