"""The native engine: the site's values (render/site.py) laid out with the project's own Jinja2
layout (templates/native/) and written straight into the output folder; no MkDocs, no Material.

Two operations: `build(site, out_dir)` and (not yet) `serve`. Called only from build.py."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import posixpath
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import escape

from ..cache import cache_dir
from ..project import Project
from ..render.pages import PACKAGE_ROOT, PageClash, render_site
from ..render.site import Site, SitePage, SiteProblem, site_values
from . import EngineFailed
from .pagefind import SearchIndexJob, index_site

TEMPLATES_DIR = "templates/native"
LAYOUT_CSS = "assets/layout.css"  # templates/native/layout.css, published here


def render_values(project: Project) -> Site:
    """render → the site as values; the core's expected failures as an EngineFailed."""
    try:
        return site_values(project, render_site(project))
    except (PageClash, SiteProblem) as e:
        raise EngineFailed(str(e)) from e


def relative_url(target: str, page_url: str) -> str:
    """`target` (from the site's root) as seen from the page at `page_url`, written as MkDocs'
    `url` filter writes it (so both engines give the same links)."""
    if urlsplit(target).scheme or urlsplit(target).netloc or target.startswith(("/", "#")):
        return target
    other = page_url
    head, tail = posixpath.split(other)
    if "." in tail:
        other = head
    rel = posixpath.relpath("/" + (target or "."), "/" + other)
    return rel + "/" if target.endswith("/") else rel


def _env(root: Path) -> jinja2.Environment:
    dirs = [str(p) for p in (root / TEMPLATES_DIR, PACKAGE_ROOT / TEMPLATES_DIR) if p.is_dir()]
    return jinja2.Environment(loader=jinja2.FileSystemLoader(dirs), autoescape=True,
                              undefined=jinja2.ChainableUndefined)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy(src: Path, dest: Path, link: bool) -> None:
    """A file of the cache folder is hard-linked where the file system allows (it is never
    written again in place); any other is copied."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(src, dest)
            return
        except OSError:
            pass
    shutil.copyfile(src, dest)


def build(site: Site, out_dir: Path, root: Path, defer_search: bool = False
          ) -> SearchIndexJob | None:
    """Write `site` into `out_dir` (empty or absent), then its search index. With
    `defer_search` the index is still being built on return: wait for the job."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = _env(root)
    try:
        layout = env.get_template("base.html")
        missing = env.get_template("404.html")
        css = env.loader.get_source(env, "layout.css")[0]
    except jinja2.TemplateNotFound as e:
        raise EngineFailed(f"找不到版式文件 {TEMPLATES_DIR}/{e.name}") from e
    files = {LAYOUT_CSS: css.encode("utf-8")}
    taken = set(site.files) | set(site.assets)
    if LAYOUT_CSS in taken:
        raise EngineFailed(f"{LAYOUT_CSS} 与版式的样式表同名；提示：改名或删去它。")
    nav_urls = site.sequence
    order = {url: i for i, url in enumerate(nav_urls)}
    for p in site.pages:
        if p.dest in taken:
            raise EngineFailed(f"{p.dest} 与自动生成的页面同名；提示：改名或删去它。")
        html = _page(layout, site, p, order, nav_urls)
        _write(out_dir / p.dest, html.encode("utf-8"))
    base = urlsplit(site.url or "/").path
    root_url = site.url or (("/" + base.strip("/") + "/").replace("//", "/"))
    not_found = missing.render(site=site, page=None, meta={}, section="", canonical=None,
                               previous=None, next=None, base=base, root=root_url,
                               layout_css=LAYOUT_CSS,
                               url=lambda t: relative_url(t, "") if t.startswith(("/", "#"))
                               or urlsplit(t).scheme else posixpath.join(base, t or "."))
    _write(out_dir / "404.html", not_found.encode("utf-8"))
    for uri, data in {**site.files, **files}.items():
        _write(out_dir / uri, data)
    site.finish()  # the images encoded meanwhile
    cache = os.path.join(cache_dir(), "")
    for uri, src in site.assets.items():
        _copy(Path(src), out_dir / uri, str(src).startswith(cache))
    _sitemap(site, out_dir)
    if defer_search:
        return SearchIndexJob(out_dir)
    index_site(out_dir)
    return None


def _page(layout: jinja2.Template, site: Site, page: SitePage, order: dict, nav_urls: list
          ) -> str:
    at = order.get(page.url)  # MkDocs links the pages of its navigation as previous and next
    previous = nav_urls[at - 1] if at else None
    following = nav_urls[at + 1] if at is not None and at + 1 < len(nav_urls) else None
    canonical = urljoin(site.url, page.url) if site.url else None
    base = relative_url("", page.url)
    return layout.render(site=site, page=page, meta=page.meta, section=page.section,
                         canonical=canonical, previous=previous, next=following, base=base,
                         layout_css=LAYOUT_CSS, url=lambda t: relative_url(t, page.url))


def _build_date() -> dt.datetime:
    """The date MkDocs gives every page in the sitemap: SOURCE_DATE_EPOCH, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return dt.datetime.now(dt.UTC)
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def _sitemap(site: Site, out_dir: Path) -> None:
    """sitemap.xml and sitemap.xml.gz as MkDocs writes them: every page's address when the site
    has one (none without), each with the build's date."""
    day = _build_date().strftime("%Y-%m-%d")
    rows = []
    if site.url:
        for p in site.pages:
            rows.append(f"\n    <url>\n         <loc>{escape(urljoin(site.url, p.url))}</loc>"
                        f"\n         <lastmod>{day}</lastmod>\n    </url>")
    text = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            + "".join(rows) + "\n</urlset>")
    data = text.encode("utf-8")
    _write(out_dir / "sitemap.xml", data)
    stamp = int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())
    with open(out_dir / "sitemap.xml.gz", "wb") as f, \
            gzip.GzipFile(fileobj=f, filename="sitemap.xml.gz", mode="wb", mtime=stamp) as gz:
        gz.write(data)


def build_with_native(project: Project, site_dir: Path, defer_search: bool = False
                      ) -> SearchIndexJob | None:
    """render → engine for build.py: the project's site written by the native engine."""
    return build(render_values(project), site_dir, project.root, defer_search)
