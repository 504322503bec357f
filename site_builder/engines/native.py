"""The native engine: the site's values (render/site.py) laid out with the project's own Jinja2
layout (templates/native/) and written straight into the output folder; no MkDocs, no Material.

Two operations, called only from build.py (the build and the live preview): `build(site,
out_dir)` writes a whole site; `serve(out_dir, host, port)` serves the preview's folder on
loopback with live reload, the folder kept up to date by `update(site, out_dir, written)`,
which writes only the files whose bytes changed."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import http.server
import io
import os
import posixpath
import secrets
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import jinja2
from markupsafe import escape

from ..cache import cache_dir
from ..project import Project
from ..render.changes import content_hash
from ..render.pages import PACKAGE_ROOT
from ..render.site import Site, SitePage
from . import EngineFailed
from .pagefind import BUNDLE_DIR, SearchIndexJob, index_site
from .recycle import Recycled, SpareNotEmptied, delete_file, remove_folder, set_mode

TEMPLATES_DIR = "templates/native"
THEME_DIR = "templates/theme"  # the MkDocs theme override, whose partials the layout includes
LAYOUT_CSS = "assets/layout.css"  # templates/native/layout.css, published here


def relative_url(target: str, page_url: str) -> str:
    """`target` (from the site's root) as seen from the page at `page_url`, written as MkDocs'
    `url` filter writes it (so both engines give the same links)."""
    if urlsplit(target).scheme or urlsplit(target).netloc or target.startswith(("/", "#")):
        return target
    other = page_url
    head, tail = posixpath.split(other)
    if "." in tail:
        other = head
    rel = _relpath("/" + (target or "."), "/" + other)
    return rel + "/" if target.endswith("/") else rel


@functools.lru_cache(maxsize=8192)
def _parts(path: str) -> tuple[str, ...]:
    """The folders of an absolute path as `posixpath.relpath` splits it."""
    return tuple(x for x in posixpath.abspath(path).split("/") if x)


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath(path, start)` of two absolute paths: every page asks for the same few
    targets, each split once (`_parts`)."""
    to, here = _parts(path), _parts(start)
    i, n = 0, min(len(to), len(here))
    while i < n and to[i] == here[i]:
        i += 1
    return "/".join(("..",) * (len(here) - i) + to[i:]) or "."


def _env(root: Path) -> jinja2.Environment:
    # templates/theme after templates/native: the showcase header and footer partials
    # (templates/theme/partials/lb_*.html) are shared with the MkDocs theme.
    dirs = tuple(str(p) for p in (root / TEMPLATES_DIR, PACKAGE_ROOT / TEMPLATES_DIR,
                                  root / THEME_DIR, PACKAGE_ROOT / THEME_DIR) if p.is_dir())
    return _layout_env(dirs)


@functools.lru_cache(maxsize=16)
def _layout_env(dirs: tuple[str, ...]) -> jinja2.Environment:
    """One environment per set of template folders: a live preview lays out with the same one
    each time, and Jinja compiles again only a template whose file changed (at 1,000 brands a
    tenth of a second of every update)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(list(dirs)), autoescape=True,
                              undefined=jinja2.ChainableUndefined)


def _named(path: Path, e: OSError) -> OSError:
    """`e` with the file it was writing (a failed write() names none): a full disk or a lost
    permission is then told at the folder it happened in."""
    if e.filename is None and e.errno is not None:
        return OSError(e.errno, e.strerror, str(path))
    return e


def _write(path: Path, data: bytes) -> None:
    try:  # most pages go into a folder made for an earlier one
        path.write_bytes(data)
        return
    except OSError:
        pass  # no folder yet (or a real failure, met again below)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as e:
        raise _named(path, e) from e


def _make_folders(out_dir: Path, uris, made: Collection[str] = ()) -> None:
    """Every folder the files at `uris` go into, each made once, parents first (a folder per
    file was 12,000 calls at 1,000 brands), but those `made` already."""
    folders: set[str] = set(made)
    for uri in uris:
        folder = posixpath.dirname(uri)
        while folder and folder not in folders:
            folders.add(folder)
            folder = posixpath.dirname(folder)
    top = os.fspath(out_dir)
    for folder in sorted(folders.difference(made)):  # a folder's name begins its own folders' names
        path = os.path.join(top, folder)
        try:
            os.mkdir(path)
        except FileExistsError:
            pass  # a file in the way: told by the write into it
        except OSError as e:
            raise _named(Path(path), e) from e


def _copy(src: Path, dest: Path, link: bool, folder_made: bool = False) -> None:
    """A file of the cache folder is hard-linked where the file system allows (it is never
    written again in place); any other is copied."""
    if not folder_made:
        dest.parent.mkdir(parents=True, exist_ok=True)
    if link:
        try:
            os.link(src, dest)
            return
        except OSError:
            pass
    try:
        shutil.copyfile(src, dest)
    except OSError as e:
        raise _named(dest, e) from e


@dataclass
class Output:
    """What the engine writes for a site: `files` (site path → bytes) and `assets` (site path →
    file to copy), the pages among the files in `pages`. With a memo (`lay_out`), a page laid
    out as last time is None in `files`, the digest of its bytes in `kept`, and `again(path)`
    lays it out when its bytes are needed after all."""

    files: dict[str, bytes | None] = field(default_factory=dict)
    assets: dict[str, Path] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    kept: dict[str, bytes] = field(default_factory=dict)
    again: Callable[[str], bytes] | None = None


def lay_out(site: Site, root: Path, memo: dict | None = None, keep: bool = False) -> Output:
    """Every file of `site` as the engine writes it, without writing anything. The assets are
    named, not read (`site.finish()` before copying them). `memo` (a live preview's, kept
    between updates) holds the digest of each page as last laid out: a page whose values,
    neighbours, site values and templates are the same is not laid out again (at 1,000 brands
    3 s of an edit's preview update), and comes back as None in `files` (see `Output`).
    `keep` (a build): a page laid out by an earlier build from the same values is taken from the
    cache folder (render/kept.py `LaidOut`)."""
    env = _env(root)
    try:
        layout = env.get_template("base.html")
        missing = env.get_template("404.html")
        css = env.loader.get_source(env, "layout.css")[0]
    except jinja2.TemplateNotFound as e:
        raise EngineFailed(f"找不到版式文件 {TEMPLATES_DIR}/{e.name}") from e
    out = Output()
    taken = set(site.files) | set(site.assets)
    if LAYOUT_CSS in taken:
        raise EngineFailed(f"{LAYOUT_CSS} 与版式的样式表同名；提示：改名或删去它。")
    nav_urls = site.sequence
    order = {url: i for i, url in enumerate(nav_urls)}
    shared = kept_pages = None
    if keep and memo is None:
        from ..render.kept import LaidOut

        kept_pages = LaidOut(root, env, site)
    if memo is not None:  # everything a page's layout reads besides the page and its neighbours
        sources = [env.loader.get_source(env, t)[0] for t in sorted(env.list_templates())]
        shared = content_hash(repr((site.name, site.description, site.url, site.nav, site.theme,
                                    site.css, site.scripts, sources)))
    for p in site.pages:
        if p.dest in taken:
            raise EngineFailed(f"{p.dest} 与自动生成的页面同名；提示：改名或删去它。")
        if shared is None and kept_pages is not None:
            at = order.get(p.url)
            out.files[p.dest] = kept_pages.page(p, (at, nav_urls[at - 1] if at else None, nav_urls[
                at + 1] if at is not None and at + 1 < len(nav_urls) else None), functools.partial(
                _laid_out, layout, site, p, order, nav_urls))
        elif shared is None:
            out.files[p.dest] = _page(layout, site, p, order, nav_urls).encode("utf-8")
        else:
            at = order.get(p.url)
            # compared, not hashed: a page the render stage kept is the same values (its body
            # the same string), told equal at once, where hashing its text took a third of a
            # second at 1,000 brands
            key = (shared, p, at, nav_urls[at - 1] if at else None,
                   nav_urls[at + 1] if at is not None and at + 1 < len(nav_urls) else None)
            kept = memo.get(p.dest)
            if kept is not None and kept[0] == key:  # only its digest is kept: the bytes are
                out.files[p.dest], out.kept[p.dest] = None, kept[1]  # in the preview's folder
            else:
                data = out.files[p.dest] = _page(layout, site, p, order, nav_urls).encode("utf-8")
                memo[p.dest] = (key, _digest(data))
        out.pages.append(p.dest)
    if kept_pages is not None:
        kept_pages.flush()
    if out.kept:
        by_dest = {p.dest: p for p in site.pages}
        out.again = lambda dest: _page(layout, site, by_dest[dest], order, nav_urls).encode("utf-8")
    base = urlsplit(site.url or "/").path
    root_url = site.url or (("/" + base.strip("/") + "/").replace("//", "/"))
    not_found = missing.render(site=site, page=None, meta={}, section="", canonical=None,
                               previous=None, next=None, base=base, root=root_url,
                               layout_css=LAYOUT_CSS,
                               url=lambda t: relative_url(t, "") if t.startswith(("/", "#"))
                               or urlsplit(t).scheme else posixpath.join(base, t or "."))
    out.files["404.html"] = not_found.encode("utf-8")
    out.files.update(site.files)
    out.files[LAYOUT_CSS] = css.encode("utf-8")
    out.assets.update(site.assets)
    out.files.update(_sitemap(site))
    return out


def build(site: Site, out_dir: Path, root: Path, defer_search: bool = False
          ) -> SearchIndexJob | None:
    """Write `site` into `out_dir`, then its search index. `out_dir` is absent, empty, or an
    earlier site (the spare a build is made in, engines/recycle.py): only the files whose bytes
    differ are written, and what the new site lacks is deleted. That site's search index is
    set aside for the search stage (`SearchIndexJob.previous`). With `defer_search` the index
    is left to the job returned (started when first waited for)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = lay_out(site, root, keep=True)
    earlier = Recycled(out_dir, aside=(BUNDLE_DIR,))
    previous = _set_aside(out_dir / BUNDLE_DIR, earlier)
    try:
        _write_site(site, out, out_dir, earlier)
    except BaseException:
        if previous is not None:  # (the staging folder is deleted or kept by its owner)
            shutil.rmtree(previous, ignore_errors=True)
        raise
    if defer_search:
        return SearchIndexJob(out_dir, start=False, previous=previous)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    index_site(out_dir)
    return None


def _write_site(site: Site, out: Output, out_dir: Path, earlier: Recycled) -> None:
    """Every file of `out` in `out_dir`, over what `earlier` found there."""
    made = earlier.keep_only([*out.files, *out.assets])
    _make_folders(out_dir, [*out.files, *out.assets], made)
    sitemaps = {}
    for uri, data in out.files.items():
        if uri.startswith("sitemap.xml"):
            sitemaps[uri] = data  # written last, as before
            continue
        if not earlier.holds(uri, data):
            _write(out_dir / uri, data)
    site.finish()  # the images encoded meanwhile
    cache = os.path.join(cache_dir(), "")
    for uri, src in out.assets.items():
        linked = str(src).startswith(cache)
        if not earlier.holds_copy(uri, Path(src), linked):
            _copy(Path(src), out_dir / uri, linked, folder_made=True)
    for uri, data in sitemaps.items():
        if not earlier.holds(uri, data):
            _write(out_dir / uri, data)


def _set_aside(bundle: Path, earlier: Recycled) -> Path | None:
    """An earlier site's search index, moved out of the site to a name beside it that only a
    build gives (so a killed build's is deleted by the next, `swap.remove_stale`), with a new
    folder's mode; or None (one that is not a folder as a new one would be is deleted)."""
    try:
        st = os.stat(bundle, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        delete_file(os.fspath(bundle))  # never followed, never a bundle
        return None
    if not earlier.like_new(os.fspath(bundle), st):
        remove_folder(os.fspath(bundle))
        return None
    set_mode(os.fspath(bundle), earlier.dir_mode)  # (a folder is moved only when writable)
    aside = bundle.parent.with_name(f"{bundle.parent.name}_search")
    if os.path.lexists(aside):
        shutil.rmtree(aside, ignore_errors=True)
    try:
        os.rename(bundle, aside)
    except OSError as e:  # (made immutable)
        raise SpareNotEmptied(e.errno, e.strerror, os.fspath(bundle)) from e
    return aside


def _laid_out(layout: jinja2.Template, site: Site, page: SitePage, order: dict, nav_urls: list
              ) -> bytes:
    return _page(layout, site, page, order, nav_urls).encode("utf-8")


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


def _sitemap(site: Site) -> dict[str, bytes]:
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
    stamp = int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp())
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, filename="sitemap.xml.gz", mode="wb", mtime=stamp) as gz:
        gz.write(data)
    return {"sitemap.xml": data, "sitemap.xml.gz": packed.getvalue()}


def build_with_native(project: Project, site: Site, site_dir: Path, defer_search: bool = False
                      ) -> SearchIndexJob | None:
    """The engine stage for build.py: `site` (the render stage's values) written into
    `site_dir` by the native engine."""
    return build(site, site_dir, project.root, defer_search)


# -- the live preview -------------------------------------------------------------------------

def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _asset_key(src: Path | str) -> tuple:
    st = os.stat(src)
    return (os.fspath(src), st.st_ino, st.st_size, st.st_mtime_ns)


def _replace(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all (the preview's server may be reading it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass
class Written:
    """What the preview's folder holds, as the engine wrote it: a key per file (a digest of the
    bytes written, or the source file copied with its inode, size and change time)."""

    keys: dict[str, object] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)


@dataclass
class Update:
    written: list[str]  # the files written again, in site order
    removed: list[str]  # the files that are no longer part of the site


def update(site: Site, out_dir: Path, root: Path, last: Written, memo: dict | None = None
           ) -> tuple[Update, Written]:
    """Bring `out_dir` from what `last` says it holds to `site`: write only the files whose
    bytes (or source file) changed, remove those that are no longer part of the site. Files
    the engine did not write (the search bundle) are left alone. `memo`: see `lay_out`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out = lay_out(site, root, memo)
    now = Written(pages=set(out.pages))
    written = []
    # paths as text: ten thousand files looked at per update, pathlib's parsing of each was a
    # fifth of a second at 1,000 brands
    top = os.path.join(out_dir, "")
    isfile = os.path.isfile
    for uri, data in out.files.items():
        key = now.keys[uri] = _digest(data) if data is not None else out.kept[uri]
        if last.keys.get(uri) != key or not isfile(top + uri):
            _replace(out_dir / uri, data if data is not None else out.again(uri))
            written.append(uri)
    site.finish()  # the images encoded meanwhile
    for uri, src in out.assets.items():
        key = now.keys[uri] = _asset_key(src)
        if last.keys.get(uri) != key or not isfile(top + uri):
            dest = out_dir / uri
            tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
            _copy(Path(src), tmp, False)
            os.replace(tmp, dest)
            written.append(uri)
    removed = sorted(set(last.keys) - set(now.keys))
    for uri in removed:
        path = out_dir / uri
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != out_dir and folder.is_relative_to(out_dir):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
            folder = folder.parent
    return Update(written, removed), now


PREVIEW_PATH = "/__preview__/"  # the preview's own addresses: never a file of the site
RELOAD_SCRIPT = "reload.js"  # templates/native/reload.js
LONG_POLL_S = 20.0  # how long a version request waits for a change before answering


class PreviewServer:
    """The preview's web server on loopback: the output folder as a static site, every HTML page
    given the preview's reload script (added as it is sent: the folder holds what a build
    writes). The script asks for the site's version, a request answered when the version
    changes (or after LONG_POLL_S), and reloads the page when it has."""

    def __init__(self, out_dir: Path, host: str, port: int, root: Path) -> None:
        env = _env(root)
        try:
            self.script = env.loader.get_source(env, RELOAD_SCRIPT)[0].encode("utf-8")
        except jinja2.TemplateNotFound as e:
            raise EngineFailed(f"找不到版式文件 {TEMPLATES_DIR}/{e.name}") from e
        self.out_dir = Path(out_dir).resolve()
        self._changed = threading.Condition()
        self._prefix = secrets.token_hex(4)  # a restarted preview is another version
        self._count = 0
        self._closing = False
        handler = type("Handler", (_PreviewHandler,), {"preview": self})
        # an OSError here (the port taken meanwhile) is the caller's to tell
        self.httpd = _QuietServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="preview-http",
                                        daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def version(self) -> str:
        return f"{self._prefix}-{self._count}"

    def reload(self) -> None:
        """The site changed: every open page reloads."""
        with self._changed:
            self._count += 1
            self._changed.notify_all()

    def wait_for_change(self, since: str, timeout: float) -> str:
        with self._changed:
            self._changed.wait_for(lambda: self.version != since or self._closing, timeout)
            return self.version

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(10)


class _QuietServer(http.server.ThreadingHTTPServer):
    """A browser that leaves a page (or reloads it) while an answer is on its way closes the
    connection: nothing the editor needs to hear of. Any other error is still printed."""

    def handle_error(self, request, client_address) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # broken pipe, reset, aborted
            return
        super().handle_error(request, client_address)


class _PreviewHandler(http.server.SimpleHTTPRequestHandler):
    preview: PreviewServer

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(self.preview.out_dir), **kwargs)

    def log_message(self, *args) -> None:  # the terminal is for the editor's messages
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # an edit is seen at the next load
        super().end_headers()

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        u = urlsplit(self.path)
        if u.path == PREVIEW_PATH + RELOAD_SCRIPT:
            self._send(200, self.preview.script, "text/javascript; charset=utf-8")
            return
        if u.path == PREVIEW_PATH + "version":
            since = (parse_qs(u.query).get("since") or [""])[0]
            version = self.preview.wait_for_change(since, LONG_POLL_S)
            self._send(200, version.encode("ascii"), "text/plain; charset=utf-8")
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not u.path.endswith("/"):
                self._static()  # the redirect to the folder's own address
                return
            path = path / "index.html"
        if not path.is_file():
            page = self.preview.out_dir / "404.html"
            body = page.read_bytes() if page.is_file() else b"not found"
            self._send(404, self._with_script(body), "text/html; charset=utf-8")
            return
        if path.suffix == ".html":
            try:
                body = path.read_bytes()
            except OSError:
                self.send_error(404)
                return
            self._send(200, self._with_script(body), "text/html; charset=utf-8")
            return
        self._static()

    do_HEAD = do_GET

    def _static(self) -> None:
        if self.command == "HEAD":
            super().do_HEAD()
        else:
            super().do_GET()

    def list_directory(self, path):  # a folder without its page is not listed
        self.send_error(404)

    def _with_script(self, body: bytes) -> bytes:
        tag = (f'<script src="{PREVIEW_PATH}{RELOAD_SCRIPT}?v={self.preview.version}">'
               "</script>").encode("ascii")
        at = body.rfind(b"</body>")
        return body[:at] + tag + body[at:] if at >= 0 else body + tag


def serve(out_dir: Path, host: str, port: int, root: Path) -> PreviewServer:
    """Serve the preview's folder at http://host:port/ (started on return; `close()` it);
    `reload()` after each update."""
    return PreviewServer(out_dir, host, port, root)
