"""`site-builder check`: a clean built site has no findings; each planted problem is found once,
naming the page and the target; plain outbound links are not findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.diagnostics import Code
from site_builder.verify.html import css_urls, parse_srcset
from site_builder.verify.links import check_site


@pytest.fixture(scope="module")
def built(plain_site) -> Path:
    """The repository's own project, built once per run (conftest.py)."""
    return plain_site


def _pages(site: Path) -> tuple[Path, Path]:
    """A brand page and another top-level section page of a built site."""
    brand = next(p for p in sorted(site.glob("brands/*/index.html")))
    other = next(p for p in sorted(site.glob("*/index.html")) if p.parent.name != "brands")
    return brand, other


def _append(path: Path, marker: str, text: str) -> None:
    s = path.read_text(encoding="utf-8")
    assert marker in s, f"{path} has no {marker}"
    path.write_text(s.replace(marker, text + marker, 1), encoding="utf-8")


@pytest.fixture
def planted(built, tmp_path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    brand_page, other = _pages(site)
    # The four problems the issue names …
    _append(site / "index.html", "</body>",
            '<a href="brands/no-such-brand/">断链</a>'
            '<a href="brands/#no-such-anchor">缺锚点</a>'
            '<a href="#also-missing">本页缺锚点</a>'
            # … and what must not be a finding: outbound links, mail, existing pages and anchors.
            '<a href="https://www.example.com/news">外部链接</a>'
            '<a href="mailto:someone@example.com">邮件</a>'
            '<a href="brands/">名录</a><a href="./">首页</a>')
    _append(brand_page, "</body>", '<img src="../../assets/no-such-photo.png" alt="缺图">')
    css = site / "assets" / "fonts-planted.css"
    css.write_text('/* url(https://commented.example.com/x.woff2) is a comment, not a load */\n'
                   '@font-face { font-family: "示例"; '
                   'src: url("https://fonts.gstatic.com/s/demo/v1/demo.woff2") format("woff2"); }\n'
                   '@import "https://fonts.googleapis.com/css2?family=Noto+Sans+SC";\n'
                   '.x { background: url(data:image/png;base64,AAAA) }\n', encoding="utf-8")
    # Every other way a page can pull something from another host.
    _append(other, "</head>",
            '<link rel="stylesheet" href="https://cdn.example.com/a.css">'
            '<link rel="preload" as="font" href="//cdn.example.com/f.woff2">'
            '<link rel="icon" href="https://cdn.example.com/favicon.ico">'
            '<link rel="manifest" href="https://cdn.example.com/app.webmanifest">'
            '<link rel="stylesheet" href="../assets/fonts-planted.css">')
    _append(other, "</body>",
            '<script src="https://cdn.example.com/x.js"></script>'
            '<img srcset="../assets/emblem.svg 1x, https://img.example.com/b.png 2x" '
            'src="../assets/emblem.svg" alt="">'
            '<iframe src="https://map.example.com/embed"></iframe>'
            '<div style="background:url(\'https://img.example.com/bg.png\')"></div>')
    page_404 = site / "404.html"
    s = page_404.read_text(encoding="utf-8")
    start, end = s.index("<title>"), s.index("</title>") + len("</title>")
    page_404.write_text(s[:start] + s[end:], encoding="utf-8")
    return site


def test_clean_built_site_has_no_findings(built):
    assert check_site(built) == []
    assert main(["--root", str(built.parent), "check", str(built)]) == 0


def test_planted_problems_are_each_found_once(planted):
    brand, other = (f"site/{p.relative_to(planted).as_posix()}" for p in _pages(planted))
    found = [(d.path, d.code, d.field) for d in check_site(planted, label="site")]
    expected = [
        ("site/index.html", "C001", "brands/no-such-brand/"),  # broken link
        ("site/index.html", "C002", "brands/#no-such-anchor"),  # missing anchor on another page
        ("site/index.html", "C002", "#also-missing"),  # missing anchor on the same page
        (brand, "C003", "../../assets/no-such-photo.png"),  # missing image
        ("site/assets/fonts-planted.css", "C005",
         "https://fonts.gstatic.com/s/demo/v1/demo.woff2"),  # foreign font
        ("site/assets/fonts-planted.css", "C005",
         "https://fonts.googleapis.com/css2?family=Noto+Sans+SC"),  # foreign @import
        (other, "C005", "https://cdn.example.com/a.css"),
        (other, "C005", "//cdn.example.com/f.woff2"),
        (other, "C005", "https://cdn.example.com/favicon.ico"),
        (other, "C005", "https://cdn.example.com/app.webmanifest"),
        (other, "C005", "https://cdn.example.com/x.js"),
        (other, "C005", "https://img.example.com/b.png"),
        (other, "C005", "https://map.example.com/embed"),
        (other, "C005", "https://img.example.com/bg.png"),
        ("site/404.html", "C004", "<title>"),
    ]
    assert sorted(found) == sorted(expected)


def test_findings_name_page_line_and_target(planted):
    by_target = {d.field: d for d in check_site(planted, label="site")}
    broken = by_target["brands/no-such-brand/"]
    assert broken.line > 1
    assert "找不到 brands/no-such-brand/index.html" in broken.message
    assert "#no-such-anchor 在 brands/index.html 中不存在" in by_target["brands/#no-such-anchor"].message
    font = by_target["https://fonts.gstatic.com/s/demo/v1/demo.woff2"]
    assert font.line == 2 and "其他网站 fonts.gstatic.com" in font.message
    for d in by_target.values():
        assert d.code.startswith("C") and d.code in Code.__members__ and "提示" in d.message


def test_cli_check_fails_and_writes_a_full_summary(planted, tmp_path, capsys):
    summary = tmp_path / "summary.md"
    assert main(["--root", str(planted.parent), "check", str(planted), "--format", "github",
                 "--summary", str(summary)]) == 1
    out = capsys.readouterr().out.splitlines()
    # 15 from the link checks, and the safety scan's P108 for the planted <iframe>.
    assert len(out) == 16 and all(line.startswith("::error file=") for line in out)
    assert sum("title=P108 " in line for line in out) == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 发布前检查：❌ 未通过：16 个错误、0 个警告（已检查 ")
    for target in ("brands/no-such-brand/", "#no-such-anchor", "no-such-photo.png",
                   "fonts.gstatic.com", "map.example.com", "&lt;title&gt;"):
        assert target in text


def test_cli_check_needs_a_built_site(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "check", str(tmp_path / "missing")]) == 2
    assert "找不到站点目录" in capsys.readouterr().err


def test_site_url_host_is_the_sites_own(tmp_path):
    (tmp_path / "brands").mkdir()
    (tmp_path / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "index.html").write_text(
        "<html><head><title>首页</title>"
        '<link rel="canonical" href="https://example.gov.cn/laowu/">'
        '<link rel="icon" href="https://example.gov.cn/laowu/logo.png"></head><body>'
        '<img src="/laowu/logo.png" alt=""><a href="/laowu/brands/">坏</a>'
        '<a href="/elsewhere/">站外路径</a></body></html>', encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(
        "<urlset><url><loc>https://example.gov.cn/laowu/</loc></url>"
        "<url><loc>https://example.gov.cn/laowu/brands/gone/</loc></url></urlset>", "utf-8")
    found = {(d.code, d.field) for d in check_site(tmp_path, "https://example.gov.cn/laowu/")}
    assert found == {("C001", "/laowu/brands/"), ("C001", "/elsewhere/"),
                     ("C001", "https://example.gov.cn/laowu/brands/gone/")}
    # Without the site's address, its own absolute addresses count as another host.
    assert ("C005", "https://example.gov.cn/laowu/logo.png") in {
        (d.code, d.field) for d in check_site(tmp_path)}


def test_srcset_and_css_parsing():
    assert parse_srcset("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert parse_srcset("a.png, b.png 480w") == ["a.png", "b.png"]
    assert parse_srcset(" data:image/png;base64,AAA= 1x") == ["data:image/png;base64,AAA="]
    css = "/* url(x.png) */ a{b:url( 'y.png' )} @import 'z.css'; c{d:url(w.woff2)}"
    assert [u for _, _, u in css_urls(css)] == ["y.png", "z.css", "w.woff2"]


_CHAIN_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>第{n}页</title>'
               '</head><body><h1 id="top">第{n}页</h1>{body}</body></html>')


def _chain_of_pages(last: int, foreign: str) -> dict[str, str]:
    """Pages p0 … p{last}, each linking to the next one's #top; p3 names an anchor p4 lacks, p4
    holds a mobile number, p5 holds `foreign` (a file from another host)."""
    files = {f"p{n}/index.html": _CHAIN_PAGE.format(n=n, body=f'<a href="../p{n + 1}/#top">下一页</a>')
             for n in range(last)}
    files[f"p{last}/index.html"] = _CHAIN_PAGE.format(n=last, body='<p id="top">末页</p>')
    files["p3/index.html"] = _CHAIN_PAGE.format(n=3, body='<a href="../p4/#nowhere">坏锚点</a>')
    files["p4/index.html"] = _CHAIN_PAGE.format(n=4, body="<p>值班 13812345678</p>")
    files["p5/index.html"] = _CHAIN_PAGE.format(n=5, body=foreign)
    return files


def test_pages_read_by_a_helper_process_give_the_same_findings(tmp_path, monkeypatch):
    """A large site's pages are read half here, half in a helper process; an anchor on a page
    the other half read, a mobile number, a foreign script are found either way, once."""
    from sitecopy import write_site

    from site_builder import verify

    files = _chain_of_pages(12, '<script src="https://cdn.example.net/x.js"></script>')
    files["index.html"] = _CHAIN_PAGE.format(n=0, body='<a href="p0/">开始</a>')
    site = write_site(tmp_path, files)

    def run(helper_pages):
        monkeypatch.setattr(verify, "HELPER_PAGES", helper_pages)
        return [(d.path, d.line, d.col, d.code, d.field) for d in
                verify.verify_site(site, None, "site", "pagefind", lambda: None, ())]

    alone, helped = run(10**6), run(1)
    assert helped == alone
    assert sorted({c for *_, c, _ in alone}) == ["C002", "C005", "P102"]
    assert [p for p, *_ in alone] == ["site/p3/index.html", "site/p4/index.html",
                                      "site/p5/index.html"]


def test_pages_kept_from_an_earlier_build_give_the_same_findings(tmp_path, monkeypatch):
    """A page unchanged since a build that kept what the checks read in it is not parsed
    again, and the build finds exactly what parsing it would: its own leaks, and what needs
    every page (an anchor on another page). A changed page, an entry that cannot be read and a
    new version of the checking program are parsed again."""
    from sitecopy import write_site

    from site_builder import cache, verify
    from site_builder.verify import leaks

    page = _CHAIN_PAGE
    files = _chain_of_pages(8, '<img src="https://cdn.example.net/x.png" alt="">')
    site = write_site(tmp_path / "built", files)
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "拍摄于示例路 1 号")
    Image.new("RGB", (8, 8), "white").save(site / "p2" / "photo.png", pnginfo=info)
    kept = tmp_path / "cache" / "checked-pages"
    parsed = []
    scan_html = leaks._Scan.html
    monkeypatch.setattr(leaks._Scan, "html", lambda self, rel, *a, **k: (
        parsed.append(rel), scan_html(self, rel, *a, **k))[1])

    def run(with_memo=True, helper_pages=10**6, site_url=None):
        parsed.clear()
        monkeypatch.setattr(verify, "HELPER_PAGES", helper_pages)
        return [d.as_dict() for d in verify.verify_site(
            site, site_url, "site", "pagefind", lambda: None, (), kept if with_memo else None)]

    fresh = run(with_memo=False)
    assert sorted({d["code"] for d in fresh}) == ["C002", "C005", "P102", "P111"]
    # the first build keeps every page, half of them read by the helper process, in one entry
    assert run(helper_pages=1) == fresh
    assert len(list(kept.rglob("*.checked"))) == 1

    def no_helper(*a):
        raise AssertionError("no page is left to hand to a helper")

    monkeypatch.setattr(verify, "_Helper", no_helper)
    assert run(helper_pages=1) == fresh and parsed == []

    (site / "p4/index.html").write_text(page.format(n=4, body="<p>值班电话已撤下</p>"), "utf-8")
    (site / "p6/index.html").write_text(page.format(
        n=6, body='<a href="../p7/#top">下一页</a><p>身份证 110101199003074514</p>'), "utf-8")
    changed = run(with_memo=False)
    assert run() == changed and sorted(parsed) == ["p4/index.html", "p6/index.html"]
    assert sorted({d["code"] for d in changed}) == ["C002", "C005", "P101", "P111"]

    [entry] = kept.rglob("*.checked")
    good = entry.read_bytes()
    # an entry cut off, altered, or not sealed: every page is read again, and kept anew
    for bad in (good[:-1], good[:100], good.replace("第4页".encode(), "第5页".encode()),
                good.partition(b"\n")[2], b""):
        assert bad != good
        entry.write_bytes(bad)
        assert run() == changed and len(parsed) == len(files), bad[:80]
    assert entry.read_bytes() == good
    assert run() == changed and parsed == []
    # kept under another label, the findings name the files under that label
    relabelled = [d.as_dict() for d in verify.verify_site(
        site, None, "public", "pagefind", lambda: None, (), kept)]
    assert parsed == [] and relabelled == [
        d | {"path": d["path"].replace("site/", "public/", 1)} for d in changed]

    # another address for the site, another version of the checks: every page read again
    elsewhere = run(with_memo=False, site_url="https://example.gov.cn/")
    assert run(site_url="https://example.gov.cn/") == elsewhere and len(parsed) == len(files)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"another version of the checks")
    assert run() == changed and len(parsed) == len(files)
