"""Schedules fail closed: a brand past its `publish_until` (or taken down) while a final round
still lists it is not published, and the round names it as 已下线 without a link, instead of
failing every nightly build; a consent dated after the build date has not taken effect yet."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.project import load_project

# In the demo, 2025-shiji is final on DEMO_DATE and placed this brand first in its top tier.
ROUND = "2025-shiji"
BRAND = "shili-yunling-chayi"
NAME = "示例·云岭茶艺师"
PERSON_BRAND = "shili-songtao-jigong"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _schedule(root: Path, slug: str, line: str) -> None:
    _edit(root / "brands" / f"{slug}.md", "status: 已发布\n", f"status: 已发布\n{line}\n")


def _links_to(site: Path, slug: str) -> list[str]:
    """Every page with a link to the brand's page (however relative)."""
    pattern = re.compile(rf'href="[^"]*brands/{slug}/')
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
            if pattern.search(p.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def expired_site(tmp_path_factory) -> tuple[Path, list]:
    """The demo with the brand taken down on 2026-06-01, built on DEMO_DATE (2026-12-01)."""
    root = copy_demo(tmp_path_factory.mktemp("expired") / "p")
    _schedule(root, BRAND, "publish_until: 2026-06-01")
    result = build_site(root, root / "site", build_date=DEMO_DATE)
    assert_built(result)
    return root / "site", result.project.diagnostics


def test_the_build_succeeds_without_the_brand_page(expired_site):
    site, diags = expired_site
    assert not (site / "brands" / BRAND).exists()
    assert not [d for d in diags if d.path.endswith(f"{ROUND}.md")], [d.format() for d in diags]
    assert _links_to(site, BRAND) == []


def test_the_round_shows_it_as_withdrawn_without_a_link(expired_site):
    site, _ = expired_site
    html = (site / "evaluations" / ROUND / "index.html").read_text(encoding="utf-8")
    assert f"{NAME}（已下线）" in html
    # the winners, the results table and the tiers all name it, none links it
    assert html.count(f"{NAME}（已下线）") >= 3
    assert not re.search(rf"<a [^>]*>{re.escape(NAME)}</a>", html)
    # the other winners are still linked
    assert re.search(r'<a href="[^"]*brands/shili-songtao-jigong/">示例·松涛数控技工</a>', html)


def test_nothing_else_publishes_the_withdrawn_brand(expired_site):
    site, _ = expired_site
    for rel in ("brands/index.html", "data/brands.json", "data/brands.csv", "feed.xml",
                "index.html", "sitemap.xml"):
        path = site / rel
        if path.exists():
            assert NAME not in path.read_text(encoding="utf-8"), rel


def test_a_brand_taken_down_by_status_is_shown_the_same_way(tmp_path):
    root = copy_demo(tmp_path / "p", full=False)
    _edit(root / "brands" / f"{BRAND}.md", "status: 已发布\n", "status: 已撤下\n")
    project = load_project(root, DEMO_DATE)
    assert project.ok, [d.format() for d in project.diagnostics]
    assert [r.id for r in project.evaluations if r.id == ROUND and r.published] == [ROUND]


def test_the_day_before_it_comes_down_it_is_still_linked(tmp_path):
    root = copy_demo(tmp_path / "p", full=False)
    _schedule(root, BRAND, "publish_until: 2026-12-02")
    project = load_project(root, DEMO_DATE)
    assert project.ok and [b.published for b in project.brands if b.slug == BRAND] == [True]


def test_a_draft_in_a_published_round_is_still_an_error(tmp_path):
    root = copy_demo(tmp_path / "p", full=False)
    _edit(root / "brands" / f"{BRAND}.md", "status: 已发布\n", "status: 草稿\n")
    diags = [d for d in load_project(root, DEMO_DATE).diagnostics if d.code == "E006"]
    assert [(d.path, d.severity.value) for d in diags] == [(f"evaluations/{ROUND}.md", "error")]
    assert "草稿" in diags[0].message


def test_a_brand_not_live_yet_in_a_published_round_is_an_error(tmp_path):
    """Shown before its own publish_from, the round would publish the name early."""
    root = copy_demo(tmp_path / "p", full=False)
    _schedule(root, BRAND, "publish_from: 2027-01-10")
    diags = [d for d in load_project(root, DEMO_DATE).diagnostics if d.code == "E006"]
    assert [d.path for d in diags] == [f"evaluations/{ROUND}.md"]
    assert "2027-01-10" in diags[0].message and "提示：" in diags[0].message


def test_a_round_taken_down_keeps_the_levels_it_conferred(tmp_path):
    """The day a round comes down no brand's level is questioned (B016 would fail --strict)."""
    root = copy_demo(tmp_path / "p", full=False)
    _edit(root / "evaluations" / f"{ROUND}.md", "status: 已发布\n",
          "status: 已发布\npublish_until: 2026-10-01\n")
    project = load_project(root, DEMO_DATE)
    assert [r.published for r in project.evaluations if r.id == ROUND] == [False]
    assert not [d.format() for d in project.diagnostics if d.code == "B016"]


# -- consent dated after the build date ------------------------------------------------------

def test_a_consent_in_the_future_holds_the_person_back(tmp_path):
    root = copy_demo(tmp_path / "p")
    record = root / "brands" / f"{PERSON_BRAND}.md"
    text = record.read_text(encoding="utf-8")
    person = re.search(r"people:\n  - name: (\S+)", text)[1]
    _edit(record, "date: 2024-03-01", "date: 2027-03-01")
    result = build_site(root, root / "site", build_date=DEMO_DATE)
    assert_built(result)  # a warning: the rest of the record is published
    warns = [d for d in result.project.diagnostics if d.code == "B034"]
    assert [(d.path, d.severity.value, d.field) for d in warns] == [
        (f"brands/{PERSON_BRAND}.md", "warning", "people[0].consent.date")]
    assert warns[0].line == text.splitlines().index("people:") + 1
    assert "2027-03-01" in warns[0].message and "提示：" in warns[0].message
    site = root / "site"
    assert (site / "brands" / PERSON_BRAND / "index.html").exists()
    for p in sorted(site.rglob("*")):
        if p.is_file() and p.suffix in (".html", ".json", ".csv", ".xml"):
            assert person not in p.read_text(encoding="utf-8", errors="replace"), p
    # --strict (the CI's daily build) treats the warning as a failure, before anything is written
    strict = build_site(root, tmp_path / "strict", strict=True, build_date=DEMO_DATE)
    assert not strict.ok and not (tmp_path / "strict").exists()


def test_a_consent_from_that_day_is_valid(tmp_path):
    root = copy_demo(tmp_path / "p", full=False)
    _edit(root / "brands" / f"{PERSON_BRAND}.md", "date: 2024-03-01", f"date: {DEMO_DATE}")
    project = load_project(root, DEMO_DATE)
    assert project.ok and not [d for d in project.diagnostics if d.code == "B034"]
    brand = next(b for b in project.brands if b.slug == PERSON_BRAND)
    assert len(brand.data["people"]) == 1
    later = load_project(root, DEMO_DATE - dt.timedelta(days=1))
    brand = next(b for b in later.brands if b.slug == PERSON_BRAND)
    assert "people" not in brand.data
