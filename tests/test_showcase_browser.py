"""The finished showcase in Chromium, on the fictional demo: the story's measure on a desktop,
the Chinese font actually drawn, 长者模式 at ×1.5 with 44 px controls, read-aloud with the
browser's own speech synthesis, the print stylesheet, the gallery that enlarges, and the same
brand count on the home page, in the directory (after its script ran) and in the statistics.
"""

from __future__ import annotations

import re

import pytest
from browser import axe_violations, guarded_page, launch_browser, serve_dir

pytestmark = pytest.mark.browser

BRAND = "brands/shili-yunling-chayi/"  # a long story, a gallery, people, venues, sources


@pytest.fixture(scope="module")
def served(demo_site):
    with serve_dir(demo_site) as base, launch_browser() as browser:
        yield base, browser


def open_page(served, uri, size=(1366, 900), init_script=None):
    base, browser = served
    page, guard = guarded_page(browser, base, size)
    if init_script:
        page.add_init_script(init_script)
    page.goto(base + uri)
    page.wait_for_load_state("networkidle")
    return page, guard


def test_story_reads_at_36_to_40_characters_a_line_on_a_desktop(served):
    page, _ = open_page(served, BRAND)
    per_line = page.evaluate("""() => {
        const p = [...document.querySelectorAll('.lb-story p')]
            .sort((a, b) => b.textContent.length - a.textContent.length)[0];
        const node = [...p.childNodes].find(n => n.nodeType === 3 && n.textContent.length > 45);
        const range = document.createRange();
        const tops = [];
        for (let i = 0; i < node.textContent.length; i++) {
            range.setStart(node, i); range.setEnd(node, i + 1);
            tops.push(Math.round(range.getBoundingClientRect().top));
        }
        const first = tops[0];
        return tops.filter(t => t === first).length; }""")
    assert 36 <= per_line <= 40, per_line
    # the facts stand beside the story, not under it
    story = page.locator(".lb-brand-main").bounding_box()
    side = page.locator(".lb-brand-side--top").bounding_box()
    assert side["x"] > story["x"] + story["width"] - 1 and side["y"] < story["y"] + 200
    page.context.close()


def test_body_text_is_drawn_in_the_chinese_font(served):
    page, _ = open_page(served, BRAND, (360, 740))
    family = page.evaluate("getComputedStyle(document.querySelector('.lb-story p')).fontFamily")
    first = family.split(",")[0].strip().strip('"')
    assert first in ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC"), family
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    doc = cdp.send("DOM.getDocument")
    node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"],
                                          "selector": ".lb-figures strong"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    # digits and Chinese from one CJK face, not a Latin face's metrics (where one is installed)
    names = [f["familyName"] for f in fonts]
    if any("CJK" in n or "PingFang" in n or "YaHei" in n for n in names):
        assert all(("CJK" in n or "PingFang" in n or "YaHei" in n) for n in names), names
    italic = page.evaluate("""() => [...document.querySelectorAll('.md-typeset *')]
        .filter(el => getComputedStyle(el).fontStyle === 'italic').map(el => el.tagName)""")
    assert italic == []
    page.context.close()


@pytest.mark.parametrize("size", [(360, 740), (1366, 900)])
def test_elder_mode_is_one_and_a_half_times_with_44_px_controls(served, size):
    page, _ = open_page(served, BRAND, size)
    sizes = lambda: page.evaluate("""() => ['.lb-summary', '.lb-story p', '.lb-card-summary']
        .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
    before = sizes()
    page.locator("button[data-lb-elder]").click()
    after = sizes()
    for b, a in zip(before, after, strict=True):
        assert a / b == pytest.approx(1.5, abs=0.01), (before, after)
    small = page.evaluate("""() => [...document.querySelectorAll(
            'button, summary, select, input, .lb-tabs a, .lb-footer a, .lb-crumbs a, a.lb-map')]
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
        .map(el => [el.tagName + '.' + el.className + ':' + el.textContent.trim().slice(0, 8),
                    el.getBoundingClientRect().height])
        .filter(([, h]) => h < 44)""")
    assert small == [], small
    assert axe_violations(page) == []
    page.context.close()


RECORD_SPEECH = """
window.__spoken = [];
const fake = { speak: u => window.__spoken.push({text: u.text, lang: u.lang}), cancel: () => {},
               speaking: false, getVoices: () => [] };
Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
"""


def test_read_aloud_uses_the_browsers_own_speech(served):
    page, guard = open_page(served, BRAND, (360, 740), init_script=RECORD_SPEECH)
    button = page.locator("button[data-lb-read]")
    assert button.is_visible()
    button.click()
    spoken = page.evaluate("window.__spoken")
    text = "".join(s["text"] for s in spoken)
    assert spoken and {s["lang"] for s in spoken} == {"zh-CN"}
    assert "示例·云岭茶艺师" in text and "品牌故事" in text
    assert "相关品牌" not in text  # the chrome and cards are not read
    assert all(len(s["text"]) <= 260 for s in spoken)
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert button.get_attribute("aria-pressed") == "false"
    assert not guard.foreign
    page.context.close()


def test_read_aloud_is_hidden_where_the_browser_has_no_speech(served):
    page, _ = open_page(served, BRAND, (360, 740),
                        init_script="delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
    assert page.evaluate("'speechSynthesis' in window") is False
    assert not page.locator("button[data-lb-read]").is_visible()
    page.context.close()


def test_print_hides_the_controls_and_prints_source_addresses(served):
    page, _ = open_page(served, BRAND)
    page.emulate_media(media="print")
    for sel in (".lb-utility__actions", ".lb-tabs", ".lb-menu", ".lb-bar__search", ".lb-related",
                ".lb-crumbs"):
        assert page.locator(sel).first.evaluate("el => getComputedStyle(el).display") == "none", sel
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 4, pages  # the demo's longest brand: cover, story, people, venues, sources
    page.context.close()
    page, _ = open_page(served, "policy/")  # a link to another site: its address is printed
    page.emulate_media(media="print")
    after = page.locator(".lb-policy-doc a").first.evaluate(
        "el => getComputedStyle(el, '::after').content")
    assert "https://" in after, after
    page.emulate_media(media="screen")
    assert page.locator(".lb-policy-doc a").first.evaluate(
        "el => getComputedStyle(el, '::after').content") == "none"
    page.context.close()


def test_gallery_picture_opens_larger_and_closes(served):
    page, _ = open_page(served, BRAND, (360, 740))
    page.locator(".lb-gallery a.lb-gallery__open").first.click()
    box = page.locator(".lb-lightbox:target")
    assert box.is_visible()
    width = box.locator("img").evaluate("el => el.getBoundingClientRect().width")
    thumb = page.locator(".lb-gallery img").first.evaluate("el => el.getBoundingClientRect().width")
    assert width > thumb * 1.5
    page.keyboard.press("Escape")
    assert page.locator(".lb-lightbox:target").count() == 0
    page.context.close()


def test_counts_agree_across_home_directory_and_statistics(served):
    numbers = {}
    page, _ = open_page(served, "")
    numbers["home"] = int(page.locator(".lb-hero-stats strong").first.inner_text())
    page.goto(served[0] + "brands/")
    page.wait_for_load_state("networkidle")
    numbers["directory"] = int(re.search(r"共\s*(\d+)\s*个", page.locator("[data-lb-count]").inner_text())[1])
    numbers["distinct cards"] = page.evaluate(
        "new Set([...document.querySelectorAll('.lb-card')].map(c => c.dataset.brand)).size")
    page.goto(served[0] + "stats/")
    numbers["stats"] = int(re.search(r"共收录\s*(\d+)\s*个", page.locator(".lb-lead").inner_text())[1])
    assert len(set(numbers.values())) == 1, numbers
    page.context.close()
