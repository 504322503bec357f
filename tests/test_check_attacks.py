"""Hostile files planted in a built demo site after the build: the post-build check must see what
a browser (or a web server) would, whatever the page pretends to be."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import copy_demo

from site_builder.build import build_site
from site_builder.verify import check_and_scan

_HEAD = ('<!doctype html><html><head><meta charset="utf-8">'
         '<meta name="generator" content="site-builder"><title>示例</title></head><body>')


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_demo(tmp_path_factory.mktemp("attacks") / "project")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root / "site"


@pytest.fixture
def site(built, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built, copy, symlinks=True)
    return copy


def _codes(site: Path, rel: str) -> set[str]:
    return {d.code for d in check_and_scan(site, None, "site") if d.path == f"site/{rel}"}


def _page(site: Path, body: str) -> set[str]:
    (site / "x").mkdir()
    (site / "x" / "index.html").write_text(_HEAD + body + "</body></html>", encoding="utf-8")
    return _codes(site, "x/index.html")


def test_demo_site_as_built_passes(built):
    assert check_and_scan(built, None, "site") == []


@pytest.mark.parametrize(("body", "code"), [
    ('<meta http-equiv="refresh" http-equiv="content-type" content="0;url=https://evil.example">',
     "P107"),
    ("<!-- x --!><script>alert(1)</script> -->", "P107"),
    ("<![CDATA[ x ><script>alert(1)</script> ]]>", "P107"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "P107"),
    ('<script src="data:text/javascript,alert(1)"></script>', "P104"),
    ('<svg><script href="data:text/javascript,alert(1)"></script></svg>', "P110"),
    ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>', "P104"),
    ('<svg><set attributeName="onmouseover" to="alert(1)"/></svg>', "P103"),
    ("<style>body{background:u\\72l(https://evil.example/x.png)}</style>", "C005"),
    ("<p>手机<b>138</b><b>0013</b><b>8000</b></p>", "P102"),
    ("<!-- 13800138000 --><p>示例</p>", "P102"),
    ('<p lang="13800138000">示例</p>', "P102"),
    ('<script type="application/json">{"tel":"13800138000"}</script>', "P102"),
    ('<style>p::after{content:"13800138000"}</style>', "P102"),
])
def test_hostile_page_is_flagged(site, body, code):
    assert code in _page(site, body)


def test_realistic_page_passes(site):
    body = ('<article><h1>示例劳务品牌</h1><p>成立于<b>2015</b>年，带动就业 <span>1200</span> 人。</p>'
            '<table><tr><td>2023</td><td>1380</td></tr></table>'
            '<p style="content-visibility:auto">联系电话：<a href="tel:01000000000">单位公开电话</a></p>'
            '</article>')
    assert _page(site, body) == set()


@pytest.mark.parametrize("rel", ["admin/vendor/a.svg", "admin/vendor/a.txt", "admin/x.js"])
def test_planted_file_under_admin_is_checked(site, rel):
    (site / rel).parent.mkdir(parents=True, exist_ok=True)
    (site / rel).write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
                            "<text>13800138000</text></svg>" if rel.endswith(".svg")
                            else "13800138000", encoding="utf-8")
    assert _codes(site, rel)


def test_symlinks_are_findings_and_not_followed(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("13800138000", encoding="utf-8")
    os.symlink(secret, site / "passwd.txt")
    os.symlink(tmp_path, site / "folder")
    os.symlink(site / "index.html", site / "x.html")
    found = check_and_scan(site, None, "site")
    by_file = {d.path: d.code for d in found}
    assert by_file == {"site/passwd.txt": "P114", "site/folder": "P114", "site/x.html": "P114"}


@pytest.mark.parametrize("name", ["a.phar", "a.php5", "a.pht", "a.htc", "a.cshtml", "a.asa",
                                  "a.py", "a.sh", ".user.ini", "a.html.", "a.svg "])
def test_forbidden_names(site, name):
    (site / name).write_text("x", encoding="utf-8")
    assert "P114" in _codes(site, name)


@pytest.mark.parametrize(("content", "code"), [
    ('<image href="https://evil.example/x.png"/>', "C005"),
    ("<style>@import url(https://evil.example/x.css);</style>", "C005"),
    ("<text><tspan>138</tspan><tspan>0013</tspan><tspan>8000</tspan></text>", "P102"),
    ('<set attributeName="onmouseover" to="alert(1)"/>', "P103"),
])
def test_hostile_svg(site, content, code):
    (site / "a.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg">{content}</svg>',
                                encoding="utf-8")
    assert code in _codes(site, "a.svg")


def test_feed_summary_as_text_html(site):
    (site / "feed.xml").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><summary type="text/html">'
        "&lt;img src=x onerror=alert(1)&gt;</summary></entry></feed>", encoding="utf-8")
    assert "P103" in _codes(site, "feed.xml")
