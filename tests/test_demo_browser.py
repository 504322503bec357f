"""The demo's selection-round pages in a real browser: same-origin only, 360 px wide, axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import guarded_page, launch_browser, serious_axe_violations, serve_dir

pytestmark = pytest.mark.browser  # Chromium: `-m 'not browser'` leaves these out

DEMO = Path(__file__).resolve().parent.parent / "demo"

PAGES = {
    "rounds index": "evaluations/",
    "round in notice": "evaluations/2026-bendi/",
    "final round": "evaluations/2025-shiji/",
    "round taking applications": "evaluations/2027-shiji/",
    "brand with honours": "brands/shili-yunling-chayi/",
}


@pytest.fixture(scope="module")
def served(demo_site):
    """The demo as `make demo` builds it (built once per session, conftest.py)."""
    with serve_dir(demo_site) as base, launch_browser() as browser:
        yield base, browser


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_round_pages_stay_on_the_site_and_pass_axe(served, kind):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + PAGES[kind])
    page.wait_for_load_state("networkidle")
    for summary in page.locator("details.lb-score-sheet > summary").all():
        summary.click()  # the score sheets are checked open, as a reader would see them
    # The page fits a 360 px screen (wide tables scroll inside their wrapper).
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    wide = page.evaluate("""() => [...document.querySelectorAll('.md-content *')]
        .filter(el => !el.closest('.lb-table-wrap') || el.matches('.lb-table-wrap'))
        .filter(el => el.getBoundingClientRect().right > 360)
        .map(el => el.tagName + '.' + el.className)""")
    assert wide == [], "fits a 360 px screen"
    serious = serious_axe_violations(page)
    assert not serious, "\n".join(serious)
    assert not guard.foreign, guard.foreign
    assert not guard.errors, guard.errors
    assert not guard.failed, guard.failed
    page.context.close()


def test_downloads_are_served_from_the_round_page(served):
    base, browser = served
    page, guard = guarded_page(browser, base)
    page.goto(base + "evaluations/2026-bendi/")
    href = page.get_by_role("link", name="评分结果（供程序读取的数据文件）").get_attribute("href")
    response = page.request.get(base + "evaluations/2026-bendi/" + href)
    assert response.ok and response.json()["round"] == "2026-bendi"
    assert not guard.foreign
    page.context.close()
