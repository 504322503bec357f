"""Scheduled publishing: a brand or a round names the day it goes live and the day it comes down;
the build on each date honours it, and nothing scheduled reaches any output file early."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import DEMO, assert_built

from site_builder.build import build_site
from site_builder.project import load_project

BRAND = "shili-dingqi-shangxian"
NAME = "示例·定期上线品牌"
RECORD = f"""---
slug: {BRAND}
name: {NAME}
summary: 虚构的演示品牌，只用于测试按日期上线和下线。
status: 已发布
publish_from: 2027-01-10
publish_until: 2027-02-01
category: 民生保障型
districts: [白鹭区]
updated: 2026-11-20
---
本品牌为虚构，仅用于测试。
"""
LIVE, DOWN = "2027-01-10", "2027-02-01"


def _output_mentions(site: Path, text: str) -> list[str]:
    """Every output file that names `text` (pages, search fragments, sitemap, feed, open data)."""
    hits = []
    needle = text.encode("utf-8")
    for p in sorted(site.rglob("*")):
        if p.is_file() and needle in p.read_bytes():
            hits.append(p.relative_to(site).as_posix())
    return hits


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The demo with one brand scheduled to go live on LIVE and come down on DOWN."""
    repo = tmp_path_factory.mktemp("schedule")  # demo/ uses the package's theme and docs
    root = repo / "demo"
    shutil.copytree(DEMO, root)
    (root / "brands" / f"{BRAND}.md").write_text(RECORD, encoding="utf-8")
    return root


@pytest.mark.parametrize("day, live", [
    ("2027-01-09", False),  # the day before it goes live
    (LIVE, True),           # its first day
    ("2027-01-31", True),   # its last day
    (DOWN, False),          # the day it comes down
])
def test_the_build_on_each_date_honours_the_schedule(project, tmp_path, day, live):
    site = tmp_path / "site"
    assert_built(build_site(project, site, build_date=dt.date.fromisoformat(day)))
    mentions = _output_mentions(site, NAME)
    if live:
        assert {f"brands/{BRAND}/index.html", "brands/index.html", "data/brands.json",
                "data/brands.csv", "feed.xml"} <= set(mentions), mentions
    else:
        assert mentions == [], f"{day}：未上线或已下线的品牌出现在 {mentions}"
        assert not _output_mentions(site, BRAND), day


def test_coming_down_before_going_live_is_reported(project, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(project, root)
    record = root / "brands" / f"{BRAND}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        f"publish_until: {DOWN}", "publish_until: 2027-01-10"), encoding="utf-8")
    diags = [d for d in load_project(root, dt.date(2027, 1, 15)).diagnostics if d.code == "B021"]
    assert [(d.path, d.field) for d in diags] == [(f"brands/{BRAND}.md", "publish_until")]
    assert "不晚于上线日期 2027-01-10" in diags[0].message and "提示：" in diags[0].message


def test_a_round_is_scheduled_like_a_brand(project, tmp_path):
    root = tmp_path / "p"
    shutil.copytree(project, root)
    rounds = sorted((root / "evaluations").glob("*.md"))
    first = next(p for p in rounds if p.name.lower() != "readme.md")
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("status: 已发布\n", "status: 已发布\npublish_from: 2030-01-01\n", 1),
                     encoding="utf-8")
    before = load_project(root, dt.date(2026, 12, 1))
    after = load_project(root, dt.date(2030, 1, 1))
    rid = first.stem
    assert [r.published for r in before.evaluations if r.id == rid] == [False]
    assert [r.published for r in after.evaluations if r.id == rid] == [True]
