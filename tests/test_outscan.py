"""The scan of a built site before it goes live (site_builder/outscan.py).

Small hand-made site folders show each kind of finding; a real build of the shipped project has
none; a build whose hand-written page leaks a mobile number fails and leaves site/ untouched.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from sitecopy import write_site

from site_builder.build import build_site
from site_builder.verify.leaks import scan_site

REPO = Path(__file__).resolve().parent.parent
ID_EXAMPLE = "11010519491231002X"  # the example number printed in GB 11643
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>示例</title>
<link rel="stylesheet" href="assets/site.css"></head>
<body>
{body}
</body></html>
"""


def site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    return write_site(tmp_path, files)


def findings(root: Path, **kw) -> list[tuple[str, int, str, str]]:
    return [(d.path, d.line, d.code, d.field) for d in scan_site(root, label="site", **kw)]


def pagefind_fragment(data: dict) -> bytes:
    return gzip.compress(b"pagefind_dcd" + json.dumps(data, ensure_ascii=False).encode())


def test_a_clean_site_has_no_findings(tmp_path):
    root = site(tmp_path, {
        "index.html": PAGE.format(body='<p>咨询电话 020-12345678，热线 12345，2024 年培训 13800 人次。</p>'
                                       '<a href="https://example.com/">外部链接</a>'
                                       '<img src="brands/a/logo-320.png" alt="标志">'
                                       '<svg viewBox="0 0 100 100"><path d="M13 8 0 0 0 12 34 56 78 9"/></svg>'),
        "assets/site.css": 'body{background:url("data:image/svg+xml;charset=utf-8,<svg xmlns=\'http://www.w3.org/2000/svg\'/>")}',
        "data/brands.json": json.dumps({"brands": [{"name": '名称<img src=x onerror=alert(1)>',
                                                    "summary": "javascript:alert(1) 只是文字",
                                                    "url": "https://example.org/brands/a/"}]}),
        "data/brands.csv": "\ufeff名称,页面地址\r\n\"'=文字\",https://example.org/brands/a/\r\n",
        "feed.xml": '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                    '<title>示例&lt;script&gt;</title><summary>&lt;img onerror=x&gt;</summary></feed>',
        "sitemap.xml.gz": gzip.compress(b'<?xml version="1.0"?><urlset><url><loc>https://example.org/'
                                        b'</loc></url></urlset>'),
        "pagefind/fragment/zh_1.pf_fragment": pagefind_fragment(
            {"url": "/brands/a/", "content": "示例<script>alert(1)</script> 的文字",
             "meta": {"title": "示例<script>"}}),
    })
    assert findings(root, site_url="https://example.org/") == []


def test_each_kind_of_finding_names_file_and_what(tmp_path):
    root = site(tmp_path, {
        "index.html": PAGE.format(body=(
            f"<p>联系人身份证 {ID_EXAMPLE}</p>\n"
            '<p>手机 1\u200b38 0000 1234</p>\n'
            '<img src="x.png" alt="照片" onerror="alert(1)">\n'
            '<a href=" JaVaScRiPt:alert(1)">a</a>\n'
            '<a href="&#106;avascript:alert(1)">b</a>\n'
            '<a href="data:text/html,<script>alert(1)</script>">c</a>\n'
            '<iframe src="https://evil.example/"></iframe>\n'
            '<script src="https://cdn.example.com/x.js"></script>\n'
            '<script type="application/ld+json">{"name": "x"}</script><script>alert(1)</script>"}</script>\n'
            '<img src="a.png" alt="证件 110105-19491231-002X">')),
        "assets/extra.css": "@import 'https://fonts.example.com/a.css';\n.a{background:url(//evil.example/a.png)}",
    })
    got = findings(root)
    assert ("site/index.html", 4, "P101", "页面文字") in got
    assert ("site/index.html", 5, "P102", "页面文字") in got
    assert ("site/index.html", 6, "P103", "<img onerror>") in got
    assert [f for f in got if f[2] == "P104"] == [
        ("site/index.html", 7, "P104", "<a href>"), ("site/index.html", 8, "P104", "<a href>"),
        ("site/index.html", 9, "P104", "<a href>")]
    assert ("site/index.html", 10, "P108", "<iframe>") in got
    assert ("site/index.html", 10, "P105", "<iframe src>") in got
    assert ("site/index.html", 11, "P105", "<script src>") in got
    assert not [f for f in got if f[2] == "P106"]  # it parsed; what follows is another script
    assert ("site/index.html", 13, "P101", "<img alt>") in got
    assert ("site/assets/extra.css", 1, "P105", "CSS @import") in got
    assert ("site/assets/extra.css", 2, "P105", "CSS url()") in got
    # check.py reports foreign resources in the build; the build's scan leaves them to it.
    assert not [f for f in findings(root, resources=False) if f[2] == "P105"]


def test_json_ld_that_a_value_broke_out_of(tmp_path):
    root = site(tmp_path, {"a/index.html": PAGE.format(
        body='<script type="application/ld+json">{"name": "x</script><script>alert(1)</script>"}'
             '</script>')})
    assert ("site/a/index.html", 4, "P106", "JSON-LD") in findings(root)


def test_data_files_search_index_sitemap_and_feeds(tmp_path):
    root = site(tmp_path, {
        "data/brands.json": json.dumps({"brands": [{"bio": "手机 13800001234",
                                                    "url": "javascript:alert(1)"}]}),
        "data/brands.csv": f"名称,简介\r\n=HYPERLINK(\"x\"),身份证 {ID_EXAMPLE}\r\n-x(1),-12.5\r\n",
        "data/broken.json": "{not json",
        "search/search_index.json": json.dumps({"docs": [{"text": '<img src=x onerror="alert(1)">'}]}),
        "pagefind/fragment/zh_2.pf_fragment": pagefind_fragment({"content": "电话 15000005678"}),
        "sitemap.xml.gz": gzip.compress(f"<urlset><url><loc>https://example.org/{ID_EXAMPLE}/</loc>"
                                        "</url></urlset>".encode()),
        "feed.xml": '<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">'
                    '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;&lt;b onclick=x&gt;b&lt;/b&gt;'
                    '</content><link href="javascript:alert(2)"/></entry></feed>',
        "rss.xml": "<rss><channel><title>a & b</title></channel></rss>",
    })
    got = {(path, code) for path, _, code, _ in findings(root)}
    assert got == {
        ("site/data/brands.json", "P102"), ("site/data/brands.json", "P104"),
        ("site/data/brands.csv", "P109"), ("site/data/brands.csv", "P101"),
        ("site/data/broken.json", "P107"),
        ("site/search/search_index.json", "P103"),
        ("site/pagefind/fragment/zh_2.pf_fragment", "P102"),
        ("site/sitemap.xml.gz", "P101"),
        ("site/feed.xml", "P103"), ("site/feed.xml", "P104"),
        ("site/rss.xml", "P107"),
    }
    csv_rows = [f for f in findings(root) if f[0] == "site/data/brands.csv" and f[2] == "P109"]
    assert [r[1] for r in csv_rows] == [2, 3]  # "=HYPERLINK" and "-x(1)"; "-12.5" is a number


def test_the_plain_site_scans_clean(plain_site):
    assert [d.format() for d in scan_site(plain_site, None, "site")] == []


@pytest.mark.parametrize("page, where", [
    ("# 联系我们\n\n值班手机：138 0000 1234\n", ("docs/leak.md", 3, "P002")),
    # MkDocs and Material would print a hand-written page's front matter title unescaped.
    ("---\ntitle: 关于</title><script>alert(1)</script>\n---\n\n正文\n", ("docs/leak.md", 2, "B005")),
])
def test_a_leak_in_a_hand_written_page_fails_the_build(tmp_path, page, where):
    # Hand-written pages are held to the records' rules: the page is refused at its line, before
    # anything is built, and the old site stays.
    from sitecopy import copy_demo

    root = copy_demo(tmp_path / "project")  # the fictional demo's own settings and records
    (root / "site").mkdir()
    (root / "site" / "marker.txt").write_text("旧站点", encoding="utf-8")
    (root / "docs" / "leak.md").write_text(page, encoding="utf-8")
    result = build_site(root, root / "site")
    assert not result.ok
    assert [(d.path, d.line, d.code) for d in result.diagnostics] == [where]
    assert (root / "site" / "marker.txt").read_text(encoding="utf-8") == "旧站点"
    assert not [p for p in root.iterdir() if p.name.startswith(".site.tmp-")]
    shutil.rmtree(root / "site")


def test_the_check_command_runs_the_scan_too(tmp_path, capsys):
    from site_builder.cli import main

    root = site(tmp_path, {"index.html": PAGE.format(body="<p>值班手机 13800001234</p>"),
                           "assets/site.css": "body{}"})
    assert main(["--root", str(tmp_path), "check", str(root)]) == 1
    out = capsys.readouterr().out
    assert "error[P102]" in out and "138******34" in out and "13800001234" not in out


def test_an_inline_script_the_theme_does_not_write_is_a_finding(tmp_path):
    from site_builder.verify.leaks import KNOWN_INLINE_SCRIPTS

    known = min(KNOWN_INLINE_SCRIPTS)
    theme = (f"<script>{known}</script>"
             '<script id="__config" type="application/json">{"a": 1}</script>'
             '<script src="assets/x.js"></script>')
    root = site(tmp_path, {
        "ok/index.html": PAGE.format(body=theme),
        "leak/index.html": PAGE.replace("<title>示例</title>", "<title>关于</title><script>alert(1)"
                                        "</script></title>").format(body=theme),
        # Beginning as the theme's script does is not being it; an alias type still runs.
        "prefix/index.html": PAGE.format(body=f"<script>{known};alert(1)</script>"),
        "jscript/index.html": PAGE.format(body='<script type="text/jscript">alert(1)</script>'),
        "param/index.html": PAGE.format(body='<script type=" Module ">alert(1)</script>'),
    })
    assert findings(root) == [("site/jscript/index.html", 4, "P110", "<script>"),
                              ("site/leak/index.html", 1, "P110", "<script>"),
                              ("site/param/index.html", 4, "P110", "<script>"),
                              ("site/prefix/index.html", 4, "P110", "<script>")]
