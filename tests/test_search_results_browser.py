"""Search results that read well (issue 27), in Chromium over the fictional demo: each result
shows its title, what it is (品牌 / 人物 / 动态 / 评选 / 页面, from the page's own Pagefind
metadata, never guessed from its address) and a clean excerpt: Chinese punctuation, no Latin
". " joins, no "。 … ." runs, no card initials or page chrome."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from browser import guarded_page, launch_browser, serve_dir

pytestmark = pytest.mark.browser

TYPES = {"品牌", "人物", "动态", "评选", "页面"}
# What the page says of itself, by its folder in the demo: the type its search result shows.
EXPECTED = {"brands/shili-qingxi-jiazheng/": "品牌", "news/2026-jiazheng-tuijiehui/": "动态",
            "people/shili-shigang-yuesao/zheng-shili/": "人物", "evaluations/2025-shiji/": "评选"}
GARBAGE = [
    re.compile(r"[\u3400-\u9fff）》」』”]\.(\s|$)"),   # a Latin full stop joining Chinese text
    re.compile(r"[。，；：、][\s.…]*[.…]"),                # "。 … ." and the like
    re.compile(r"(?:[\u3400-\u9fff] ){3,}"),               # the per-character index terms
    re.compile(r"\[来源\]|查看全部|您的浏览器"),            # chrome, not content
    re.compile(r"[\u3400-\u9fff] [\u3400-\u9fff]"),        # a stray space inside Chinese text
]


@pytest.fixture(scope="module")
def served(demo_site):
    with serve_dir(demo_site, compress=True) as base, launch_browser() as browser:
        yield base, browser


def results(served, query: str):
    base, browser = served
    page, guard = guarded_page(browser, base, (1366, 900))
    page.goto(base + "search/?q=" + quote(query))
    page.locator(".lb-results li").first.wait_for(timeout=10000)
    rows = page.evaluate("""() => [...document.querySelectorAll('.lb-results li')].map(li => ({
        type: li.querySelector('.lb-result__type').textContent,
        title: li.querySelector('a').textContent,
        href: li.querySelector('a').getAttribute('href'),
        excerpt: li.querySelector('p').textContent }))""")
    assert not guard.foreign and not guard.errors and not guard.failed, (guard.foreign, guard.errors)
    page.context.close()
    return rows


@pytest.mark.parametrize("query", ["家政", "月嫂", "推介会", "云岭区", "评选"])
def test_each_result_has_a_title_a_type_and_a_clean_excerpt(served, query):
    rows = results(served, query)
    assert rows
    for r in rows:
        assert r["type"] in TYPES and r["title"].strip() and r["title"] != r["href"], r
        text = r["excerpt"]
        assert text.strip(), r
        for bad in GARBAGE:
            assert not bad.search(text), (bad.pattern, r)
        assert text.endswith(("。", "！", "？", "……")), r  # a sentence, or marked as cut
    first_other = next((i for i, r in enumerate(rows) if r["type"] != "品牌"), len(rows))
    assert all(r["type"] != "品牌" for r in rows[first_other:]), rows  # brands first


def test_the_type_comes_from_the_page_itself(served):
    rows = results(served, "家政")
    by_page = {r["href"].split("/", 3)[-1] if r["href"].startswith("http") else r["href"].lstrip("/"): r["type"]
               for r in rows}
    for uri, kind in EXPECTED.items():
        assert by_page.get(uri) == kind, (uri, rows)
    assert {r["type"] for r in rows} >= {"品牌", "人物", "动态", "评选", "页面"}


def test_pages_declare_their_type_in_the_html(demo_site):
    for uri, kind in EXPECTED.items():
        html = (demo_site / uri / "index.html").read_text(encoding="utf-8")
        assert f'data-pagefind-meta="type:{kind}"' in html, uri
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-meta=\"type:" not in home  # an ordinary page: shown as 页面
