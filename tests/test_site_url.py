"""A site published under a sub-path (a GitHub Pages project site, https://org.github.io/repo/):
the 404 page's styles and links, the sitemap, the feed, canonical and Open Graph addresses all
carry the sub-path, checked by fetching them from a server that serves the site only there."""

from __future__ import annotations

import json
import re
import shutil
import urllib.error
import urllib.request
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from browser import serve_dir

from site_builder.cli import main

REPO = Path(__file__).resolve().parent.parent
SITE_URL = "https://org.github.io/repo/"
DATE = "2026-12-01"


def demo_copy(dest: Path, url: str) -> Path:
    """The demo project beside copies of what its mkdocs.yml inherits, with `site.url` = url."""
    shutil.copytree(REPO / "demo", dest / "demo")
    settings = dest / "demo" / "settings.yml"
    text = settings.read_text(encoding="utf-8")
    assert re.search(r"(?m)^  url: .*$", text), "the demo's settings no longer name site.url"
    # the demo's own (fictional) address replaced by this test's
    settings.write_text(re.sub(r"(?m)^  url: .*$", f'  url: "{url}"', text, count=1), encoding="utf-8")
    # the demo's brands carry covers (demo/make_images.py): their Open Graph images
    return dest / "demo"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = demo_copy(tmp_path_factory.mktemp("subpath"), SITE_URL)
    out = root.parent / "site"
    # settings win over --site-url (a Pages address) when site.url is filled in
    assert main(["--root", str(root), "build", "--site-dir", str(out), "--date", DATE,
                 "--site-url", "https://other.github.io/elsewhere"]) == 0
    return out


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def local(url: str, base: str) -> str:
    """The served address of one of the site's own absolute addresses."""
    assert url.startswith(SITE_URL), url
    return base + quote(url[len(SITE_URL):], safe="/%#?=&")


def pages(site: Path) -> list[str]:
    """The public pages (the form editor under admin/ is neither listed nor indexed)."""
    return sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html")
                  if not p.relative_to(site).as_posix().startswith(("pagefind/", "admin/")))


def test_404_page_works_at_any_depth_under_the_sub_path(site):
    with serve_dir(site, "/repo/") as base:
        assert base.endswith("/repo/")
        missing = base + "no/such/deep/page/"
        status, body = fetch(missing)
        assert status == 404 and "找不到这个页面".encode() in body
        html = body.decode("utf-8")
        refs = re.findall(r'<link[^>]+rel="(?:stylesheet|icon|alternate)"[^>]*href="([^"]+)"', html)
        refs += re.findall(r'<script[^>]+src="([^"]+)"', html)
        links = re.findall(r'<a[^>]+href="([^"]+)"', html)
        assert len(refs) >= 4 and any(r.endswith(".css") for r in refs), refs
        own = [unescape(h) for h in refs + links  # (a "#…" link stays on the page itself)
               if (not urlsplit(h).netloc or h.startswith(SITE_URL)) and not h.startswith(("#", "tel:", "mailto:"))]
        assert len(own) >= len(refs) + 3
        for href in own:
            assert href.startswith(("/repo/", SITE_URL)), href  # never relative to the depth
            url = urljoin(missing, href)
            url = local(url, base) if url.startswith(SITE_URL) else url
            status, _ = fetch(url)
            assert status == 200, (href, url, status)
        assert f'href="{SITE_URL}"' in html and f'href="{SITE_URL}brands/"' in html


def test_sitemap_lists_every_page_under_the_sub_path(site):
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    expected = [SITE_URL + (p + "/" if p != "." else "") for p in pages(site)]
    assert sorted(unquote(unescape(u)) for u in locs) == sorted(expected)
    with serve_dir(site, "/repo/") as base:
        for loc in locs:
            assert fetch(local(unescape(loc), base))[0] == 200, loc


def test_feed_links_are_absolute_with_the_sub_path(site):
    xml = (site / "feed.xml").read_text(encoding="utf-8")
    hrefs = [unescape(h) for h in re.findall(r'<link[^>]*href="([^"]+)"', xml)]
    assert f'xml:base="{SITE_URL}"' in xml
    assert hrefs[0] == SITE_URL + "feed.xml" and hrefs[1] == SITE_URL
    news = json.loads((site / "data" / "news.json").read_text(encoding="utf-8"))["count"]
    assert len(hrefs) == 2 + xml.count("<entry>") and xml.count("<entry>") == 8 + news  # brands, news
    with serve_dir(site, "/repo/") as base:
        for href in hrefs:
            assert href.startswith((SITE_URL + "brands/", SITE_URL + "news/")) or href in (
                SITE_URL, SITE_URL + "feed.xml")
            assert fetch(local(href, base))[0] == 200, href


def test_canonical_and_open_graph_addresses(site):
    images = 0
    with serve_dir(site, "/repo/") as base:
        for rel in pages(site):
            html = (site / rel / "index.html").read_text(encoding="utf-8")
            want = SITE_URL + (quote(rel) + "/" if rel != "." else "")
            assert re.search(r'<link rel="canonical" href="([^"]+)"', html).group(1) == want, rel
            assert f'<meta property="og:url" content="{want}">' in html, rel
            for image in re.findall(r'<meta property="og:image" content="([^"]+)"', html):
                assert fetch(local(unescape(image), base))[0] == 200, (rel, image)
                images += 1
    assert images >= 1


def test_site_url_option_is_used_when_settings_have_none(tmp_path):
    root = demo_copy(tmp_path, "")
    out = tmp_path / "site"
    assert main(["--root", str(root), "build", "--site-dir", str(out), "--date", DATE,
                 "--site-url", "https://org.github.io/repo"]) == 0
    xml = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://org.github.io/repo/</loc>" in xml
    assert 'href="https://org.github.io/repo/brands/"' in (out / "404.html").read_text("utf-8")


def test_a_wrong_site_url_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["build", "--site-url", "org.github.io/repo"])
    assert e.value.code == 2 and "https://" in capsys.readouterr().err
