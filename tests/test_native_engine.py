"""The native engine against MkDocs + Material: the demo and the province built by both have the
same page bodies, links, titles and search index, every other file byte for byte, and the
native build passes the post-build checks without Material's files, and without MkDocs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DEMO_DATE, assert_built
from sitecopy import REPO, copy_demo

from site_builder.build import build_site

SITE_URL = "https://showcase.example.org/sub/"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# What the layouts themselves load differently: the engine's stylesheet.
STYLESHEETS = {"mkdocs": "assets/stylesheets/main.", "native": "assets/layout.css"}


class _Page(HTMLParser):
    """A built page's main content (the element the layout puts the body in), its links and
    its title."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.main: list[str] = []
        self.links: set[tuple[str, str]] = set()
        self.title: str | None = None
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "href" in a and "md-skip" not in (a.get("class") or ""):  # Material's hidden link
            self.links.add((tag, a["href"] or ""))
        if tag == "script" and a.get("src"):
            self.links.add((tag, a["src"]))
        if tag == "title":
            self.in_title, self.title = True, ""
        if self.depth:
            self.main.append(self.get_starttag_text())
            if tag not in VOID:
                self.depth += 1
        elif tag == "article" and a.get("id") == "lb-main":
            self.depth = 1

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.depth > 1 and tag not in VOID:
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if self.depth and tag not in VOID:
            self.depth -= 1
            if self.depth:
                self.main.append(f"</{tag}>")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.depth:
            self.main.append(data)


def read_page(path: Path) -> tuple[str, set[tuple[str, str]], str | None]:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    links = {(tag, href) for tag, href in p.links
             if not any(s in href for s in STYLESHEETS.values())}
    return " ".join("".join(p.main).split()), links, p.title


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def compare(mkdocs_site: Path, native_site: Path) -> tuple[int, list[str]]:
    """(pages whose body, links and title are the same, every difference found)."""
    a, b = files_of(mkdocs_site), files_of(native_site)
    problems = [f"only in the MkDocs build: {n}" for n in sorted(set(a) - set(b))
                if not n.startswith("assets/stylesheets/")]
    problems += [f"only in the native build: {n}" for n in sorted(set(b) - set(a))
                 if n != STYLESHEETS["native"]]
    same_pages = 0
    for name in sorted(set(a) & set(b)):
        x, y = a[name].read_bytes(), b[name].read_bytes()
        if not name.endswith(".html"):
            if x != y:  # data, images, feeds, sitemaps, the search index (its text)
                problems.append(f"{name}: the bytes differ")
            continue
        (main_a, links_a, title_a), (main_b, links_b, title_b) = read_page(a[name]), read_page(b[name])
        if x == y:
            continue  # a file the engines copy (the form editor's page)
        if not main_a:
            problems.append(f"{name}: no main content in the MkDocs build")
        if main_a != main_b:
            at = next((i for i, (c, d) in enumerate(zip(main_a, main_b)) if c != d),
                      min(len(main_a), len(main_b)))
            problems.append(f"{name}: main content differs at {at}: "
                            f"{main_a[max(0, at - 60):at + 60]!r} vs {main_b[max(0, at - 60):at + 60]!r}")
        if links_a != links_b:
            problems.append(f"{name}: links differ: only MkDocs {sorted(links_a - links_b)}, "
                            f"only native {sorted(links_b - links_a)}")
        if title_a != title_b:
            problems.append(f"{name}: title {title_a!r} vs {title_b!r}")
        if main_a == main_b and links_a == links_b and title_a == title_b:
            same_pages += 1
    return same_pages, problems


def build_both(root: Path, out: Path, **kw) -> tuple[Path, Path]:
    for engine in ("mkdocs", "native"):
        result = build_site(root, out / engine, engine=engine, **kw)
        assert_built(result)  # for the native build: the post-build checks passed too
        assert not result.findings
    return out / "mkdocs", out / "native"


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("native-demo")
    root = copy_demo(base / "project")
    settings = root / "settings.yml"  # the demo's own fictional address would win over SITE_URL
    settings.write_text(re.sub(r"(?m)^  url: .*$", '  url: ""', settings.read_text(encoding="utf-8"),
                               count=1), encoding="utf-8")
    return build_both(root, base, build_date=DEMO_DATE, site_url=SITE_URL)


@pytest.fixture(scope="module")
def province_builds(province_project, tmp_path_factory) -> tuple[Path, Path]:
    return build_both(province_project, tmp_path_factory.mktemp("native-province"), strict=True)


@pytest.mark.parametrize("which", ["demo_builds", "province_builds"])
def test_both_engines_write_the_same_pages(which, request):
    mkdocs_site, native_site = request.getfixturevalue(which)
    same, problems = compare(mkdocs_site, native_site)
    assert not problems, "\n".join(problems)
    pages = [n for n in files_of(native_site) if n.endswith(".html") and not n.startswith("admin/")]
    assert same == len(pages) > 20


def test_the_native_site_has_none_of_materials_files(demo_builds):
    _, native_site = demo_builds
    names = files_of(native_site)
    assert not [n for n in names if n.startswith(("assets/stylesheets/", "assets/javascripts/"))]
    assert "assets/layout.css" in names
    page = (native_site / "brands" / "index.html").read_text(encoding="utf-8")
    assert "md-typeset" in page and "data-md-component" not in page and "<script>" not in page
    sitemap = (native_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}brands/</loc>" in sitemap


def test_page_values_come_from_the_core(demo_builds):
    """render_site's pages as plain values: titles, sections, breadcrumbs, links as MkDocs
    writes them (a link to another page's .md file becomes its folder)."""
    from site_builder.render.site import Converter, read_site_config

    config = read_site_config(REPO)
    assert [i.url for i in config.nav][:2] == ["", "brands/"]
    conv = Converter(config)
    body, heading = conv.convert("join.md", "# 加入\n\n见[关于](about/index.md#x)和[图](a/b.png)。\n\n"
                                           "<div class=\"x\">\n<p>保留</p>\n</div>\n")
    assert heading == "加入"
    assert 'href="../about/#x"' in body and 'src' not in body and 'href="../a/b.png"' in body
    assert '<div class="x">\n<p>保留</p>\n</div>' in body
    assert '<h1 id="_1">加入</h1>' in body


NO_MKDOCS = """
import sys, importlib.abc
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("mkdocs", "material"):
            raise ImportError("blocked: " + name)
        return None
sys.meta_path.insert(0, Blocker())
import datetime as dt
from pathlib import Path
from site_builder.build import build_site
r = build_site(Path(sys.argv[1]), Path(sys.argv[2]), build_date=dt.date(2026, 12, 1),
               engine="native")
assert r.ok, (r.problems, [d.format() for d in r.diagnostics + r.findings])
assert not [m for m in sys.modules if m.split(".")[0] in ("mkdocs", "material")]
print("built without mkdocs")
"""


def test_the_native_engine_needs_no_mkdocs(tmp_path):
    root = copy_demo(tmp_path / "project")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", NO_MKDOCS, str(root), str(tmp_path / "site")],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "built without mkdocs" in done.stdout
    assert (tmp_path / "site" / "brands" / "index.html").is_file()


LAYOUTS = ("site_builder/templates/theme/main.html", "site_builder/templates/native/base.html")
PARTIALS = {"partials/lb_header.html": 'class="lb-header"',
            "partials/lb_footer.html": 'class="lb-footer"'}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_both_layouts_include_the_shared_header_and_footer(layout):
    """The showcase chrome is written once, in templates/theme/partials/ (the MkDocs theme's
    folder, which the native engine's loader also searches): each layout includes each partial
    and writes none of its markup itself."""
    text = (REPO / layout).read_text(encoding="utf-8")
    for partial, markup in PARTIALS.items():
        assert f'{{% include "{partial}" %}}' in text, f"{layout} does not include {partial}"
        assert markup not in text, f"{layout} writes {markup} itself"
        own = (REPO / "site_builder" / "templates" / "theme" / partial).read_text(encoding="utf-8")
        assert markup in own and "{% autoescape true" in own
