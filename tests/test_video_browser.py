"""The demo's brand page and person page with a video and a share poster, in Chromium: light
until the reader presses play (no .mp4 and no poster image requested on load, within the page
budget), no foreign request, no axe-core violation at 360 and 1366 px; pressing play loads the
video."""

from __future__ import annotations

import json

import pytest
from browser import axe_violations, guarded_page, launch_browser, serve_dir
from conftest import DEMO_DATE, REPO, assert_built
from sitecopy import copy_demo

from site_builder.build import build_site

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts"
BRAND = "brands/shili-qingxi-jiazheng/"
PERSON = "people/shili-yunling-chayi/lin-shili/"  # 林示例: a photo, a video, a poster, news
BUDGET = 250 * 1024  # the brand page's budget (test_theme_browser.py's page weight)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo built with a public address (its own fictional one, so that its pages carry
    share posters), served gzip-compressed as hosts serve it."""
    root = copy_demo(tmp_path_factory.mktemp("video-browser") / "project")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE,
                            site_url="https://shili.example.org/"))
    with serve_dir(root / "site", compress=True) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


def _watched(browser, base, size):
    page, guard = guarded_page(browser, base, size)
    page._lb_bytes, page._lb_urls = 0, []

    def on_finished(request):
        sizes = request.sizes()
        page._lb_bytes += max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])

    page.on("request", lambda r: page._lb_urls.append(r.url))
    page.on("requestfinished", on_finished)
    return page, guard


@pytest.mark.parametrize("width, height", [(360, 740), (1366, 900)])
def test_the_video_page_is_light_until_play_is_pressed(served, browser, width, height):
    page, guard = _watched(browser, served, (width, height))
    page.goto(served + BRAND)
    page.wait_for_load_state("networkidle")
    loaded = list(page._lb_urls)
    weight = page._lb_bytes
    assert not [u for u in loaded if u.endswith(".mp4")], loaded
    assert not [u for u in loaded if u.endswith("share-poster.jpg")], loaded  # the closed panel
    assert any(u.endswith("intro-poster.jpg") for u in loaded)  # the poster frame shows
    assert weight < BUDGET, (weight, loaded)
    assert guard.foreign == [] and guard.errors == [] and guard.failed == []
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    figures_file = ARTIFACTS / "page-weight-video.json"
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
    figures[f"brand page with a video, before play ({width} px)"] = weight
    figures_file.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")

    video = page.locator("video")
    assert video.get_attribute("preload") == "none"
    video.focus()
    with page.expect_request(lambda r: r.url.endswith("/intro.mp4"), timeout=10000):
        # the reader presses play: the space bar on the focused player, a real user gesture
        # (headless Chromium's controls take no synthetic click on the picture)
        page.keyboard.press("Space")
    page.wait_for_function("!document.querySelector('video').paused")
    assert page.evaluate("document.querySelector('video').textTracks[0].language") == "zh-CN"
    page.context.close()


def test_opening_the_poster_panel_shows_and_offers_the_poster(served, browser):
    page, guard = _watched(browser, served, (360, 740))
    page.goto(served + BRAND)
    page.wait_for_load_state("networkidle")
    with page.expect_request(lambda r: r.url.endswith("share-poster.jpg"), timeout=10000):
        page.locator(".lb-poster summary").click()
    image = page.locator(".lb-poster img")
    image.wait_for()
    page.wait_for_function("document.querySelector('.lb-poster img').complete")
    assert page.evaluate("document.querySelector('.lb-poster img').naturalWidth") == 750
    assert page.locator(".lb-poster a[download]").inner_text() == "保存海报"
    assert axe_violations(page) == []
    assert guard.foreign == []
    page.context.close()


@pytest.mark.parametrize("width, height", [(360, 740), (1366, 900)])
def test_the_person_page_with_a_video_is_light_until_play_is_pressed(served, browser, width, height):
    page, guard = _watched(browser, served, (width, height))
    page.goto(served + PERSON)
    page.wait_for_load_state("networkidle")
    loaded = list(page._lb_urls)
    weight = page._lb_bytes
    assert not [u for u in loaded if u.endswith(".mp4")], loaded
    assert not [u for u in loaded if u.endswith("share-poster.jpg")], loaded
    assert any(u.endswith("lin-story-poster.jpg") for u in loaded)
    assert weight < BUDGET, (weight, loaded)
    assert guard.foreign == [] and guard.errors == [] and guard.failed == []
    assert axe_violations(page) == []
    assert page.locator(".lb-poster summary").inner_text() == "分享海报"
    ARTIFACTS.mkdir(exist_ok=True)
    figures_file = ARTIFACTS / "page-weight-video.json"
    figures = json.loads(figures_file.read_text(encoding="utf-8")) if figures_file.exists() else {}
    figures[f"person page with a video, before play ({width} px)"] = weight
    figures_file.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")

    video = page.locator("video")
    assert video.get_attribute("preload") == "none"
    video.focus()
    with page.expect_request(lambda r: r.url.endswith("/lin-story.mp4"), timeout=10000):
        page.keyboard.press("Space")  # as on the brand page: a real user gesture
    page.wait_for_function("!document.querySelector('video').paused")
    page.context.close()


@pytest.mark.parametrize("width, height", [(360, 740), (1366, 900)])
def test_a_venue_s_video_in_its_venue_card_loads_nothing_until_play(served, browser, width, height):
    page, guard = _watched(browser, served, (width, height))
    page.goto(served + "brands/shili-yunling-chayi/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page._lb_urls if u.endswith(".mp4")], page._lb_urls
    assert page._lb_bytes < BUDGET, page._lb_bytes
    card = page.locator(".lb-venue video")
    assert card.count() == 1 and card.get_attribute("preload") == "none"
    box, venue = card.bounding_box(), page.locator(".lb-venue").first.bounding_box()
    assert box["x"] >= venue["x"] and box["x"] + box["width"] <= venue["x"] + venue["width"] + 1
    assert guard.foreign == [] and guard.errors == [] and guard.failed == []
    assert axe_violations(page) == []
    page.context.close()
