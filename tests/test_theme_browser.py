"""The showcase theme in Chromium, for every page type of the demo and of the shipped site:
axe-core (WCAG 2.1 A and AA, every impact level) at 360 and 1366 px, nothing wider than a 320 px
screen, keyboard only, without JavaScript, search ranking, 长者模式, page weight; a screenshot of
every page type at both widths is saved in test-artifacts/screenshots/ for review.

Each project is built once per session (conftest.py); every request is routed, anything for
another origin is aborted and recorded.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import axe_violations, guarded_page, launch_browser, serve_dir
from conftest import DEMO_DATE, PLAIN, REPO, assert_built, with_404
from sitecopy import copy_demo

from site_builder.build import build_site

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
SHOTS = ARTIFACTS / "screenshots"
WIDTHS = {"phone": (360, 740), "desktop": (1366, 900)}

DEMO_PAGES = {
    "home": "",
    "directory": "brands/",
    "brand": "brands/shili-yunling-chayi/",
    "brand-plain": "brands/shili-bailu-dianshang/",
    "people": "people/",
    "venues": "venues/",
    "stats": "stats/",
    "category": "categories/" + quote("文化旅游类") + "/",
    "category-index": "categories/",
    "district": "districts/" + quote("云岭区") + "/",
    "program": "programs/" + quote("乡村工匠") + "/",
    "region": "regions/" + quote("远山州（虚构）") + "/",
    "policy": "policy/",
    "about": "about/",
    "search": "search/?q=" + quote("茶艺"),
    "rounds": "evaluations/",
    "round-notice": "evaluations/2026-bendi/",
    "round-final": "evaluations/2025-shiji/",
    "round-applications": "evaluations/2027-shiji/",
    "404": "no-such-page/",
    "news": "news/",
    "news-event": "news/2026-jiazheng-tuijiehui/",
    "news-item": "news/2026-chushi-xinwen/",
    "person": "people/shili-shigang-yuesao/zheng-shili/",
    "venue-map": "venues/map/",
    "brand-video": "brands/shili-qingxi-jiazheng/",
}
# The demo built with a public address: brand pages then carry the share poster panel.
PUBLIC_URL = "https://demo.example.org/"
PUBLIC_PAGES = {"brand-video-poster": "brands/shili-qingxi-jiazheng/"}


def _shipped() -> tuple[dict[str, str], list[tuple[str, str | tuple[str, ...]]]]:
    """The plain project's page types and searches (tests/fixtures/plain/, in place of the
    root project), taken from its own records and settings: its longest and shortest stories, the first category and area
    that have brands; searches for three brand names and for that area."""
    from site_builder.project import load_project

    published = sorted(load_project(PLAIN).published, key=lambda b: b.slug)
    by_story = sorted(published, key=lambda b: (len(b.body), b.slug))
    category = next(b.data["category"] for b in published if b.data.get("category"))
    district = next(d for b in published for d in b.data.get("districts") or [])
    pages = {
        "home": "",
        "directory": "brands/",
        "brand": f"brands/{by_story[-1].slug}/",
        "brand-short": f"brands/{by_story[0].slug}/",
        "people": "people/",
        "venues": "venues/",
        "stats": "stats/",
        "category": "categories/" + quote(category, safe="") + "/",
        "district": "districts/" + quote(district, safe="") + "/",
        "district-index": "districts/",
        "policy": "policy/",
        "about": "about/",
        "search": "search/?q=" + quote(published[0].data["name"]),
        "rounds": "evaluations/",
        "404": "no-such-page/",
    }
    in_district = tuple(b.slug for b in published if district in (b.data.get("districts") or []))
    searches = [(b.data["name"], b.slug) for b in published[:3]] + [(district, in_district)]
    return pages, searches


SHIPPED_PAGES, SHIPPED_QUERIES = _shipped()
CASES = [("demo", k, v) for k, v in DEMO_PAGES.items()] + [
    ("demo-public", k, v) for k, v in PUBLIC_PAGES.items()] + [
    ("shipped", k, v) for k, v in SHIPPED_PAGES.items()]


@pytest.fixture(scope="module")  # one Playwright at a time: other modules start their own
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def public_demo_site(tmp_path_factory) -> Path:
    """The demo built with a (fictional) public address, as a published site is."""
    root = copy_demo(tmp_path_factory.mktemp("public-demo") / "project", full=False)
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE, site_url=PUBLIC_URL))
    return root / "site"


@pytest.fixture(scope="module")
def sites(demo_site, plain_site, public_demo_site, tmp_path_factory):
    """The built sites served (gzip-compressed, as hosts serve them) from copies with a 404."""
    root = tmp_path_factory.mktemp("served")
    copies = {name: with_404(Path(shutil.copytree(site, root / name)))
              for name, site in (("demo", demo_site), ("shipped", plain_site),
                                 ("demo-public", public_demo_site))}
    with serve_dir(copies["demo"], compress=True) as demo, \
            serve_dir(copies["shipped"], compress=True) as shipped, \
            serve_dir(copies["demo-public"], compress=True) as public:
        yield {"demo": demo, "shipped": shipped, "demo-public": public}


def open_page(browser, base: str, uri: str, size=(360, 740), javascript: bool = True):
    page, guard = guarded_page(browser, base, size, javascript)
    page.goto(base + uri)
    page.wait_for_load_state("networkidle")
    if javascript and "?q=" in uri:
        page.locator(".lb-results li").first.wait_for(timeout=10000)
    return page, guard


def load_lazy_images(page) -> None:
    page.evaluate("""async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 400) {
            window.scrollTo(0, y); await new Promise(r => setTimeout(r, 30)); }
        window.scrollTo(0, 0); }""")
    page.wait_for_load_state("networkidle")


def assert_clean(guard, allow_404: bool = False) -> None:
    assert not guard.foreign, guard.foreign
    assert not guard.errors, guard.errors
    assert not guard.dialogs, guard.dialogs
    failed = [f for f in guard.failed if not (allow_404 and "no-such-page" in f)]
    assert not failed, failed


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("project,kind,uri", CASES, ids=[f"{p}-{k}" for p, k, _ in CASES])
def test_page_passes_axe_and_is_photographed(sites, browser, project, kind, uri, width):
    page, guard = open_page(browser, sites[project], uri, WIDTHS[width])
    load_lazy_images(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{project}-{kind}-{width}.png"), full_page=True)
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
    assert page.locator("h1").count() == 1
    assert_clean(guard, allow_404=kind == "404")
    page.context.close()


@pytest.mark.parametrize("project,kind,uri", CASES, ids=[f"{p}-{k}" for p, k, _ in CASES])
def test_nothing_scrolls_sideways_at_320_px(sites, browser, project, kind, uri):
    page, _guard = open_page(browser, sites[project], uri, (320, 640))
    for summary in page.locator("details > summary").all():
        if summary.is_visible():
            summary.click()  # open score sheets and the menu: they must fit as well
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(el => { const r = el.getBoundingClientRect(); return r.width && r.right > 321; })
        .map(el => el.tagName + '.' + el.className).slice(0, 8)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, wide
    assert wide == [], wide
    page.context.close()


def focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement;
        if (!el || el === document.body) return false;
        const s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    }""")


def tab_to(page, test: str, limit: int = 60) -> list[str]:
    """Press Tab until `test` (a JS expression over `el`) holds for the focused element; every
    element passed on the way must show its focus. Returns what was focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert focus_is_visible(page), f"no visible focus on {seen[-1:]}"
        here = page.evaluate("(() => { const el = document.activeElement; "
                             "return el.tagName + ':' + (el.textContent || el.value || '').trim().slice(0, 20); })()")
        seen.append(here)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return seen
    raise AssertionError(f"never reached {test}: {seen}")


@pytest.mark.parametrize("project", ["demo", "shipped"])
def test_keyboard_only_menu_search_and_result(sites, browser, project):
    page, guard = open_page(browser, sites[project], "", (360, 740))
    # The closed menu's links cannot be reached; the menu button can.
    seen = tab_to(page, "el.matches('summary.lb-menu__button')")
    assert not any(s.startswith("A:") and "征集评选" in s for s in seen)
    page.keyboard.press("Enter")
    assert page.locator(".lb-menu").evaluate("d => d.open")
    tab_to(page, "el.closest('.lb-menu__panel') && el.textContent.trim() === '搜索'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/")
    tab_to(page, "el.id === 'lb-search-input'")
    query = "示例·云岭茶艺师" if project == "demo" else SHIPPED_QUERIES[0][0]
    page.keyboard.type(query, delay=10)
    page.keyboard.press("Enter")
    page.locator(".lb-results li").first.wait_for(timeout=10000)
    assert "q=" in page.url
    tab_to(page, "el.closest('.lb-results')")
    page.keyboard.press("Enter")
    page.wait_for_url("**/brands/**")
    assert page.locator("h1").inner_text().replace("·", "") == query.replace("·", "")
    assert_clean(guard)
    page.context.close()


@pytest.mark.parametrize("project", ["demo", "shipped"])
def test_without_javascript_search_and_directory_still_lead_somewhere(sites, browser, project):
    page, guard = open_page(browser, sites[project], "", (360, 740), javascript=False)
    page.fill("#lb-home-q", "家政")
    page.locator(".lb-hero button[type=submit]").click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("noscript").count() == 1
    assert "请从品牌名录" in page.locator("article").inner_text()
    page.locator(".lb-search-browse a[href$='brands/']").first.click()
    page.wait_for_url("**/brands/")
    cards = page.locator(".lb-card")
    least = 8 if project == "demo" else len(list((PLAIN / "brands").glob("*.md")))  # all its brands
    assert cards.count() >= least and cards.first.is_visible()
    assert not page.locator(".lb-filters").is_visible()  # the filters need script: hidden
    cards.first.locator("a").click()
    assert page.locator("h1").inner_text()
    assert_clean(guard)
    page.context.close()


def test_phone_menu_is_a_plain_disclosure_without_javascript(sites, browser):
    page, _guard = open_page(browser, sites["demo"], "", (360, 740), javascript=False)
    assert not page.locator(".lb-menu__panel a").first.is_visible()
    page.locator("summary.lb-menu__button").click()
    page.locator(".lb-menu__panel a", has_text="征集评选").click()
    page.wait_for_url("**/evaluations/")
    page.context.close()


DEMO_QUERIES = [
    ("示例·云岭茶艺师", "shili-yunling-chayi"),
    ("示例·明湖厨师", "shili-minghu-chushi"),
    ("示例·青溪家政", "shili-qingxi-jiazheng"),
    ("示例·石港月嫂", "shili-shigang-yuesao"),
    ("示例·松涛数控技工", "shili-songtao-jigong"),
    ("示例·协作之家", "shili-xiezuo-zhijia"),
    ("示例·云岭竹编匠人", "shili-yunling-zhubian"),
    ("示例·白鹭电商达人", "shili-bailu-dianshang"),
    ("林示例", "shili-yunling-chayi"),                 # a person
    ("示例云岭茶文化体验馆", "shili-yunling-chayi"),     # a venue
    ("白鹭区", "shili-bailu-dianshang"),               # an area
    ("远山州", ("shili-songtao-jigong", "shili-xiezuo-zhijia")),  # a cooperation region (both)
    ("云岭茶艺帅", "shili-yunling-chayi"),             # a typo: 帅 for 师
]


@pytest.mark.parametrize("query,slug", DEMO_QUERIES)
def test_search_puts_the_brand_first(sites, browser, query, slug):
    page, guard = open_page(browser, sites["demo"], "search/?q=" + quote(query))
    first = page.locator(".lb-results li a").first
    slugs = slug if isinstance(slug, tuple) else (slug,)
    assert first.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] in slugs, \
        page.locator(".lb-results").inner_text()
    excerpts = page.locator(".lb-results p").all_inner_texts()
    assert not any(_spaced(x) for x in excerpts), excerpts  # no "增 城 妈 妈" in an excerpt
    assert_clean(guard)
    page.context.close()


def _spaced(text: str) -> bool:
    import re
    return re.search(r"(?:[\u3400-\u9fff] ){3,}", text) is not None


@pytest.mark.parametrize("query,slug", SHIPPED_QUERIES)  # an area: any brand of it
def test_shipped_search_puts_the_brand_first(sites, browser, query, slug):
    page, _guard = open_page(browser, sites["shipped"], "search/?q=" + quote(query))
    first = page.locator(".lb-results li a").first
    slugs = slug if isinstance(slug, tuple) else (slug,)
    assert len(slugs) >= 1
    assert first.get_attribute("href").rstrip("/").rsplit("/", 1)[-1] in slugs, \
        page.locator(".lb-results").inner_text()
    assert not any(_spaced(x) for x in page.locator(".lb-results p").all_inner_texts())
    page.context.close()


def test_elder_mode_is_remembered(sites, browser):
    page, _guard = open_page(browser, sites["demo"], "brands/shili-yunling-chayi/", (360, 740))
    size = lambda: page.evaluate("parseFloat(getComputedStyle(document.querySelector('.lb-summary')).fontSize)")
    before = size()
    assert before >= 16
    switch = page.locator("button[data-lb-elder]")
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert size() >= before * 1.15
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("data-lb-elder") is not None
    assert size() >= before * 1.15
    assert axe_violations(page) == []
    page.locator("button[data-lb-elder]").click()
    assert size() == before
    page.context.close()


@pytest.mark.parametrize("uri,tab", [("brands/shili-yunling-chayi/", "品牌名录"),
                                     ("districts/" + quote("云岭区") + "/", "品牌名录"),
                                     ("evaluations/2026-bendi/", "征集评选"), ("people/", "典型人物")])
def test_wayfinding_highlights_the_tab_and_shows_a_breadcrumb(sites, browser, uri, tab):
    page, _guard = open_page(browser, sites["demo"], uri, (1366, 900))
    current = page.locator(".lb-tabs a[aria-current=page]")
    assert current.count() == 1 and current.inner_text() == tab
    crumbs = page.locator("nav.lb-crumbs li")
    assert crumbs.first.inner_text() == "首页" and crumbs.count() >= 2
    page.context.close()


def measure(page) -> None:
    page._lb_bytes = 0

    def on_finished(request):
        sizes = request.sizes()
        page._lb_bytes += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])

    page.on("requestfinished", on_finished)


def test_page_weight_on_first_visit(sites, browser):
    """A brand page with its images, and a first search, as a phone on a first visit loads them."""
    figures = {}
    page, _guard = guarded_page(browser, sites["demo"], (360, 740))
    measure(page)
    page.goto(sites["demo"] + "brands/shili-yunling-chayi/")
    page.wait_for_load_state("networkidle")
    figures["brand page (demo, 360 px)"] = page._lb_bytes
    page.context.close()

    page, _guard = guarded_page(browser, sites["demo"], (360, 740))
    measure(page)
    page.goto(sites["demo"] + "search/")
    page.wait_for_load_state("networkidle")
    page.fill("#lb-search-input", "茶艺")
    page.locator(".lb-results li").first.wait_for(timeout=10000)
    page.wait_for_load_state("networkidle")
    figures["first search (demo, 360 px)"] = page._lb_bytes
    page.context.close()

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "page-weight.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1),
                                                encoding="utf-8")
    print(figures)
    assert figures["brand page (demo, 360 px)"] < 250 * 1024, figures
    assert figures["first search (demo, 360 px)"] < 150 * 1024, figures


def test_share_image_and_og_meta(demo_site):
    html = (demo_site / "brands/shili-yunling-chayi/index.html").read_text(encoding="utf-8")
    assert 'property="og:image" content="' in html and "share.jpg" in html
    from PIL import Image
    with Image.open(demo_site / "brands/shili-yunling-chayi/share.jpg") as im:
        assert im.size == (1200, 630)


def test_new_page_types_hold_their_measure(sites, browser):
    """News, a person's page, the venue map and a brand's videos and poster at both widths: a
    list two abreast on a desktop, no value squeezed into a few characters beside a photo, the
    map not blown up to the whole screen, a finger-sized poster control."""
    page, guard = open_page(browser, sites["demo"], DEMO_PAGES["news"], WIDTHS["desktop"])
    tops = page.eval_on_selector_all(".lb-news .lb-news-item", "els => els.map(e => e.getBoundingClientRect().top)")
    assert len(tops) >= 2 and tops[0] == tops[1], tops
    assert_clean(guard)
    page.context.close()
    page, guard = open_page(browser, sites["demo"], DEMO_PAGES["person"], WIDTHS["phone"])
    widths = page.eval_on_selector_all(".lb-person-page dd", "els => els.map(e => e.getBoundingClientRect().width)")
    assert widths and min(widths) >= 120, widths
    page.context.close()
    page, guard = open_page(browser, sites["demo"], DEMO_PAGES["venue-map"], WIDTHS["desktop"])
    box = page.locator(".lb-map-figure svg").bounding_box()
    assert 400 <= box["width"] <= 800, box
    page.context.close()
    page, guard = open_page(browser, sites["demo-public"], PUBLIC_PAGES["brand-video-poster"], WIDTHS["desktop"])
    video = page.locator(".lb-brand-main .lb-video video").first.bounding_box()
    assert video["width"] >= 500, video  # one a row in the main column, not a half-width thumbnail
    summary = page.locator("details.lb-poster > summary").bounding_box()
    assert summary["height"] >= 44, summary
    page.locator("details.lb-poster > summary").click()
    assert page.locator("details.lb-poster img").is_visible()
    assert_clean(guard)
    page.context.close()
