"""Long listings stay small as the site grows: summaries on the section pages, the rest in pages.

The demo is built with the listing sizes made tiny, so that its few brands, people and venues
already need every summary and every page; the post-build checks then prove each "see all" link
and each page number resolves.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from conftest import DEMO, DEMO_DATE, assert_built

from site_builder.build import build_site
from site_builder.project import load_project
from site_builder.render import pages as render_pages


@pytest.fixture(scope="module")
def small_listings(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(render_pages, "PREVIEW", 1)
    patch.setattr(render_pages, "LISTING_PAGE", 1)
    patch.setattr(render_pages, "DIRECTORY_MAX", 2)
    try:
        out = tmp_path_factory.mktemp("listings") / "site"
        assert_built(build_site(DEMO, out, build_date=DEMO_DATE))
    finally:
        patch.undo()
    return out


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_pager_window_keeps_first_last_and_neighbours():
    P = render_pages.Pager
    assert P("x", 1, 1).window() == [1]
    assert P("x", 1, 4).window() == [1, 2, 3, 4]
    assert P("x", 6, 12).window() == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert P("x", 12, 12).window() == [1, None, 10, 11, 12]
    assert (P("a/b", 1, 3).url(1), P("a/b", 1, 3).url(3)) == ("a/b/", "a/b/3/")
    assert render_pages.in_pages([], 3) == [[]]
    assert render_pages.in_pages(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]


def test_people_summary_links_to_every_person_in_pages(small_listings):
    project = load_project(DEMO, DEMO_DATE)
    people = [(p, b) for b in project.published for p in b.get("people", []) if p.get("consent")]
    roles = {}
    for p, b in people:
        roles.setdefault(p["role"], []).append(p["name"])
    index = read(small_listings, "people/index.html")
    many = [r for r, names in roles.items() if len(names) > 1]
    assert many, "the demo needs a role with two people for this test"
    for role, names in roles.items():
        shown = [n for n in names if f">{n}</a></h3>" in index]  # each links to their page
        assert len(shown) == 1, (role, shown)  # PREVIEW is 1
        if len(names) > 1:
            assert f"查看全部 {len(names)} 位{role}" in index
            assert f'href="../people/{quote(role, safe="")}/"' in index
            found = []
            for n in range(1, len(names) + 1):
                rel = f"people/{role}/" + (f"{n}/" if n > 1 else "") + "index.html"
                html = read(small_listings, rel)
                found += re.findall(r"<h2><a [^>]*>([^<]+)</a></h2>", html.split("lb-people", 1)[1])
                assert f"第 {n} 页，共 {len(names)} 页" in html
                assert ('rel="prev"' in html) == (n > 1) and ('rel="next"' in html) == (n < len(names))
            assert sorted(found) == sorted(names)
        else:
            assert not (small_listings / "people" / role).exists()


def test_venues_summary_by_area_and_area_pages(small_listings):
    project = load_project(DEMO, DEMO_DATE)
    by_area = {}
    for b in project.published:
        for v in b.get("venues", []):
            by_area.setdefault(v["district"], []).append(v["name"])
    index = read(small_listings, "venues/index.html")
    for area, names in by_area.items():
        if len(names) > 1:
            assert f"查看{area}全部 {len(names)} 处文化体验场所" in index
            assert all(f">{n}</h4>" not in index for n in names)
            pages = [read(small_listings, f"venues/{area}/" + (f"{n}/" if n > 1 else "")
                          + "index.html") for n in range(1, len(names) + 1)]
            assert sorted(n for n in names if any(f">{n}</h3>" in h for h in pages)) == sorted(names)
        else:
            assert f">{names[0]}</h4>" in index


def test_taxonomy_pages_and_directory_summarised(small_listings):
    project = load_project(DEMO, DEMO_DATE)
    brands = project.published
    directory = read(small_listings, "brands/index.html")
    assert "data-lb-directory" not in directory and "lb-filters" not in directory
    assert f"共 {len(brands)} 个已发布的劳务品牌" in directory
    assert 'href="../districts/"' in directory
    by_cat = {}
    for b in brands:
        by_cat.setdefault(b.data["category"], []).append(b.name)
    for cat, names in by_cat.items():
        assert sum(f">{n}</a></h3>" in directory for n in names) == 1
        if len(names) > 1:
            assert f"查看全部 {len(names)} 个{cat}品牌" in directory
        last = read(small_listings, f"categories/{cat}/" + (f"{len(names)}/" if len(names) > 1
                                                             else "") + "index.html")
        assert f"共 <strong>{len(names)}</strong> 个劳务品牌" in last
        assert (small_listings / "categories" / cat / str(len(names) + 1)).exists() is False
        # site search finds a listing's first page only: the later ones repeat the brands' pages
        first = read(small_listings, f"categories/{cat}/index.html")
        assert "data-pagefind-body" in first
        assert len(names) == 1 or "data-pagefind-body" not in last


def test_small_sites_keep_one_page_each(demo_site):
    """With the real sizes the demo's listings are single pages: no pager, no summaries."""
    assert "lb-pager" not in read(demo_site, "categories/" + next(
        p.name for p in (demo_site / "categories").iterdir() if p.is_dir()) + "/index.html")
    assert "data-lb-directory" in read(demo_site, "brands/index.html")
    assert "查看全部" not in read(demo_site, "people/index.html")
    # no role's own listing: the only folders are the people's pages, under their brand's slug
    assert not any(p.is_dir() and not (demo_site / "brands" / p.name).is_dir()
                   for p in (demo_site / "people").iterdir())


LISTING_PAGES = {  # the summarised and paged listings of the small-listings build
    "people": "people/", "people-role-2": None, "venues": "venues/", "venues-area": None,
    "category-2": None, "directory": "brands/",
}


def _listing_uris(site) -> dict[str, str]:
    uris = dict(LISTING_PAGES)
    role = next(p for p in (site / "people").iterdir() if (p / "2" / "index.html").is_file())
    uris["people-role-2"] = f"people/{quote(role.name)}/2/"
    area = next(p for p in (site / "venues").iterdir() if p.is_dir())
    uris["venues-area"] = f"venues/{quote(area.name)}/"
    cat = next(p for p in (site / "categories").iterdir() if (p / "2" / "index.html").is_file())
    uris["category-2"] = f"categories/{quote(cat.name)}/2/"
    return uris


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1366])
def test_listing_pages_pass_axe_and_fit_a_phone(small_listings, width):
    from browser import axe_violations, guarded_page, launch_browser, serve_dir

    with launch_browser() as browser, serve_dir(small_listings) as base:
        for kind, uri in _listing_uris(small_listings).items():
            page, guard = guarded_page(browser, base, (width, 740))
            page.goto(base + uri)
            page.wait_for_load_state("networkidle")
            assert axe_violations(page) == [], (kind, uri)
            assert page.locator("h1").count() == 1, kind
            assert not (guard.foreign or guard.errors or guard.failed), (kind, guard)
            if width == 360:
                page.set_viewport_size({"width": 320, "height": 640})
                assert page.evaluate("document.documentElement.scrollWidth") <= 320, kind
            if "-2" in kind:  # a later page: its numbers lead back and to the first page
                pager = page.locator("nav.lb-pager")
                assert pager.locator("a[rel=prev]").count() == 1
                assert pager.locator("[aria-current=page]").inner_text() == "2"
            page.context.close()
