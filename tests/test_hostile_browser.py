"""A deliberately hostile (and obviously fictional) project, built and opened in Chromium.

The records in tests/fixtures/hostile/brands/ pass validation but are full of script injection,
event handlers, `javascript:` addresses, quotes and angle brackets meant to break out of
<title>, meta tags and JSON-LD, and headings meant to take the page's own element ids. Every page
of the built site is opened in a real browser: no dialog may open, no injected script may run,
no request may leave the site. Drafts and withdrawn records carry marker strings that must
appear in no file of the output at all.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zlib
from pathlib import Path
from urllib.parse import quote

import pytest
from browser import guarded_page, launch_browser, serve_dir
from sitecopy import FIXTURE_SETTINGS, copy_engine_files

from site_builder.build import build_site
from site_builder.verify.leaks import scan_site

pytestmark = pytest.mark.browser  # Chromium: `-m 'not browser'` leaves these out

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hostile"
# Strings only the unpublished records hold (草稿 and 已撤下).
MARKERS = ("zqxj7731", "wdrn4482")
HOSTILE_SLUG = "shili-zhuru"
HOSTILE_NAME = '示例<script>alert("name")</script>"\'&amp;'
HOSTILE_SUMMARY = ("虚构示例\"><img src=x onerror=alert('summary')></script>"
                   "<script>alert('ld')</script><!--")
# Set by any injected script that manages to run (the payloads call alert(); this catches
# scripts that would not).
CANARY = "window.__lbInjected"
SITE_URL = "https://laowu.example.org/"


def make_hostile_project(dest: Path) -> Path:
    """The fictional test settings, the repository's templates and hand-written pages with the
    hostile records."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(FIXTURE_SETTINGS, dest / "settings.yml")
    copy_engine_files(dest)
    # With a site address the sitemap lists every page and the feed uses absolute addresses.
    settings = (dest / "settings.yml").read_text(encoding="utf-8")
    assert '  url: ""' in settings
    (dest / "settings.yml").write_text(settings.replace('  url: ""', f'  url: "{SITE_URL}"', 1),
                                       encoding="utf-8")
    shutil.copytree(FIXTURE / "brands", dest / "brands")
    # Photos as phones write them: the story's image and a hand-written page's image carry EXIF
    # (a GPS position, a description) and comments, none of which may be published.
    (dest / "brands" / HOSTILE_SLUG / "story.png").write_bytes(image_with_metadata("PNG", (200, 100)))
    (dest / "docs" / "photo.jpg").write_bytes(image_with_metadata("JPEG", (120, 80)))
    for name, text in HAND_WRITTEN.items():
        (dest / "docs" / name).write_text(text, encoding="utf-8")
    return dest


METADATA = "meta9913"  # in every metadata field of the hostile images, never in the output


def image_with_metadata(kind: str, size: tuple[int, int]) -> bytes:
    from PIL import Image, PngImagePlugin

    exif = Image.Exif()
    exif[0x010E] = f"虚构说明 {METADATA}"  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (23.0, 7.0, 30.0)
    buf = io.BytesIO()
    im = Image.new("RGB", size, (30, 110, 160))
    if kind == "PNG":
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", f"虚构注释 {METADATA}")
        im.save(buf, "PNG", exif=exif, pnginfo=info)
    else:
        im.save(buf, "JPEG", exif=exif, comment=f"虚构注释 {METADATA}".encode())
    return buf.getvalue()


# Hand-written pages: one published with a title meant to break out of <title> and attributes,
# a diagram that would make the theme load Mermaid from another host, headings meant to take
# the theme's ids and an image with metadata; a draft and a withdrawn one with the markers.
HAND_WRITTEN = {
    "hostile-page.md": (
        "---\ntitle: 示例页面 ' onmouseover=alert(1) x='\ndescription: 虚构的示例页面 ' /title x='\n---\n"
        "# __config\n\n## __search\n\n正文写着 `<script>alert(\"page\")</script>`，"
        "见[品牌名录](brands/index.md)。\n\n```mermaid\ngraph TD; A-->B\n```\n\n"
        "![示例活动现场的照片](photo.jpg)\n"),
    "draft-page.md": "---\ntitle: 草稿页 zqxj7731\nstatus: 草稿\n---\n草稿 zqxj7731。\n",
    "withdrawn-page.md": "---\ntitle: 撤下的页面\nstatus: 已撤下\n---\n已撤下 wdrn4482。\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = make_hostile_project(tmp_path_factory.mktemp("hostile"))
    result = build_site(root, root / "site")
    assert result.ok, ([d.format() for d in result.diagnostics] + result.problems
                       + [d.format() for d in getattr(result, "findings", [])])
    assert not result.diagnostics
    return root / "site"


def _contents(path: Path) -> bytes:
    """A file's bytes, decompressed when it is gzip (sitemap.xml.gz, Pagefind's index)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, 256 * 1024 * 1024)
    return data


def test_unpublished_records_appear_in_no_file(built):
    files = sorted(p for p in built.rglob("*") if p.is_file())
    assert len(files) > 50
    kinds = {p.suffix for p in files}
    assert {".html", ".xml", ".json", ".csv", ".pf_fragment"} <= kinds  # pages, sitemap, feed,
    # open data and the search index are all among the files searched
    for p in files:
        rel = p.relative_to(built).as_posix()
        data = _contents(p).lower()
        for marker in MARKERS:
            assert marker not in rel.lower(), f"{rel}: 文件名含有未发布档案的标记 {marker}"
            assert marker.encode() not in data, f"{rel}: 含有未发布档案的标记 {marker}"
    # Pages for a district only unpublished records name count no brand there.
    nansha = (built / "districts" / "南沙区" / "index.html")
    if nansha.exists():
        text = nansha.read_text(encoding="utf-8")
        assert "shili-" not in text.split('<div class="md-content"', 1)[-1].split("</article>")[0]


def test_no_image_carries_metadata(built):
    from PIL import Image

    images = [p for p in built.rglob("*") if p.suffix in (".png", ".jpg", ".jpeg", ".webp", ".gif")]
    assert {"story.png", "photo.jpg"} <= {p.name for p in images}
    for p in images:
        assert METADATA.encode() not in p.read_bytes(), p
        with Image.open(p) as im:
            assert not im.getexif() and not getattr(im, "text", None), p
            assert not {"exif", "comment", "xmp"} & set(im.info), p
    for p in built.rglob("*"):
        assert not p.is_file() or METADATA.encode() not in _contents(p), p


def test_hand_written_pages_keep_to_the_record_rules(built):
    page = (built / "hostile-page" / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    # The quotes stayed text: no element of the page got an attribute from the title.
    import html.parser

    class Attrs(html.parser.HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.names: set[str] = set()

        def handle_starttag(self, tag, attrs):
            self.names |= {k for k, _ in attrs}

    parser = Attrs()
    parser.feed(page)
    assert head.count("<title>") == 1 and not {n for n in parser.names if n.startswith("on")}
    assert 'class="mermaid"' not in page and "unpkg.com" not in page
    assert not (built / "draft-page").exists() and not (built / "withdrawn-page").exists()


def test_counts_and_lists_hold_only_published_records(built):
    data = json.loads((built / "data/brands.json").read_text(encoding="utf-8"))
    assert data["count"] == 2
    assert sorted(b["slug"] for b in data["brands"]) == ["shili-putong", HOSTILE_SLUG]
    csv_rows = (built / "data/brands.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(csv_rows) == 3  # header and two brands
    feed = (built / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<entry>") == 2
    sitemap = gzip.decompress((built / "sitemap.xml.gz").read_bytes()).decode()
    assert sitemap.count("/brands/") == 3  # the directory and two brand pages
    assert sorted(p.name for p in (built / "brands").iterdir() if p.is_dir()) == [
        "shili-putong", HOSTILE_SLUG]


def test_the_output_scan_finds_nothing(built):
    assert [d.format() for d in scan_site(built, SITE_URL, "site")] == []


def test_values_are_text_in_head_and_json_ld(built):
    page = (built / "brands" / HOSTILE_SLUG / "index.html").read_text(encoding="utf-8")
    head = page.split("</head>", 1)[0]
    # Nothing a record wrote became an element of the head: one title, the theme's own scripts.
    assert head.count("<title>") == 1 and head.count("</title>") == 1
    assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
    ld = head.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(ld)
    assert data["name"] == HOSTILE_NAME
    assert data["description"] == HOSTILE_SUMMARY


def _pages(site: Path) -> list[str]:
    """Every HTML page as a path under the site (directory pages end in '/')."""
    out = []
    for p in sorted(site.rglob("*.html")):
        rel = p.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "admin/")):  # the editor: tests/test_cms_browser.py
            continue
        if rel == "index.html":
            out.append("")
        elif rel.endswith("/index.html"):
            out.append(quote(rel[: -len("index.html")]))
        else:
            out.append(quote(rel))
    return out


@pytest.fixture(scope="module")
def served(built):
    with serve_dir(built) as base, launch_browser() as browser:
        yield base, browser


def _open(browser, base: str, uri: str):
    page, guard = guarded_page(browser, base)
    page.add_init_script(f"{CANARY} = undefined;")
    response = page.goto(base + uri, wait_until="load")
    assert response is not None and response.status == 200, uri
    page.wait_for_timeout(150)  # let deferred scripts (filters, search) run
    return page, guard


def test_every_page_runs_no_injected_script(built, served):
    base, browser = served
    pages = _pages(built)
    assert len(pages) >= 15 and f"brands/{HOSTILE_SLUG}/" in pages
    problems = []
    page, guard = guarded_page(browser, base)  # one tab for all pages: the guard's lists grow
    page.add_init_script(f"{CANARY} = undefined;")
    for uri in pages:
        seen = (len(guard.dialogs), len(guard.errors), len(guard.foreign))
        response = page.goto(base + uri, wait_until="load")
        assert response is not None and response.status == 200, uri
        page.wait_for_timeout(50)  # let deferred scripts (filters, search) run
        injected = page.evaluate(CANARY)
        dup_ids = page.evaluate("""() => {
            const seen = new Map();
            for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
            return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        }""")
        for what, items in (("对话框", guard.dialogs[seen[0]:]), ("脚本错误", guard.errors[seen[1]:]),
                            ("外站请求", guard.foreign[seen[2]:]), ("重复的 id", dup_ids),
                            ("注入脚本运行", [injected] if injected is not None else [])):
            problems += [f"/{uri}: {what}: {x}" for x in items]
    page.context.close()
    assert problems == []


def test_hostile_brand_page_shows_values_as_written(served):
    base, browser = served
    page, guard = _open(browser, base, f"brands/{HOSTILE_SLUG}/")
    assert page.title().startswith(HOSTILE_NAME + " - ")
    assert page.locator("h1").first.inner_text() == HOSTILE_NAME
    meta = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        'meta[name=description], meta[property^="og:"]')].map(m =>
        [m.getAttribute('name') || m.getAttribute('property'), m.getAttribute('content')]))""")
    assert meta["description"] == HOSTILE_SUMMARY
    assert meta["og:title"] == HOSTILE_NAME
    assert meta["og:description"] == HOSTILE_SUMMARY
    story = page.locator(".lb-story")
    # Headings meant to take the page's ids (MkDocs' __search toggle, its __config data, the
    # layout's lb-main) carry the story prefix: no id of the story is one outside it, and
    # no id on the page is taken twice.
    assert story.locator("h3").evaluate_all("els => els.map(e => e.id)") == [
        "lb-story-search", "lb-story-__search", "lb-story-__config"]
    assert page.evaluate("document.getElementById('__config')") is None
    assert page.evaluate("document.getElementById('__search')") is None
    assert page.evaluate("document.getElementById('lb-main').tagName") == "ARTICLE"
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert "<script>alert(\"code\")</script>" in story.inner_text()
    assert story.locator("script, iframe, style, [onerror], [onclick], [onload]").count() == 0
    hrefs = story.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == ["../", "https://example.com/", "mailto:demo@example.com",
                     "https://example.com/?a=1&b=2"]
    img = story.locator("img")
    assert img.count() == 1 and img.get_attribute("src") == "story.png"
    img.scroll_into_view_if_needed()  # story pictures load lazily, as the reader reaches them
    img.evaluate("i => i.decode()")
    assert img.evaluate("i => i.complete && i.naturalWidth") == 200  # copied with the page
    people = page.locator(".lb-person h3").first.inner_text()
    assert people.startswith('张三丰"><svg onload=alert(2)>')
    assert not guard.dialogs and not guard.errors and not guard.foreign
    page.context.close()


def test_search_results_show_hostile_names_as_text(served):
    base, browser = served
    page, guard = _open(browser, base, "search/?q=" + quote("示例"))
    results = page.locator(".lb-results li a")
    results.first.wait_for(timeout=10_000)
    texts = results.all_inner_texts()
    assert any(t.startswith("示例<script>") for t in texts), texts
    assert page.locator(".lb-results script, .lb-results img[onerror]").count() == 0
    assert page.evaluate(CANARY) is None
    assert not guard.dialogs and not guard.errors and not guard.foreign
    page.context.close()
