"""The MkDocs engine: the only module that imports MkDocs; a thin plugin and build/serve entry points over the core."""

from __future__ import annotations

import gc
import importlib.metadata
import json
import logging
import os
import re
import secrets
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..cache import PAGE_HTML, Kept, cache_dir
from ..diagnostics import has_errors
from ..diagnostics.output import format_diagnostics
from ..model import DOCS_DIR
from ..project import Project, load_project
from ..render.changes import PageTracker
from ..render.images import clean_copy
from ..render.pages import PageClash, head_text, render_site
from ..render.site import restore_html_blocks, stash_html_blocks
from ..render.theme import prune_theme_files
from ..validate.files import check_docs_files
from . import EngineFailed
from .foreign import is_unused, neutralise_file
from .pagefind import SearchIndexJob, SearchIndexService, ServiceJob, index_site

log = logging.getLogger("mkdocs.plugins.site_builder")

CONFIG_FILE = "mkdocs.yml"
DIRECT_BUILD_REFUSED = (
    "不能用 mkdocs build 发布：它直接写入 site/，构建出错时会留下半个站点，也不做发布前的安全检查"
    "（身份证号、手机号、脚本、其他网站的地址）；提示：运行 `site-builder build`（或 `make site`），"
    "它在临时文件夹中生成站点，全部检查通过后才替换 site/；预览请用 `mkdocs serve` 或 `make serve`。")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


class SiteBuilderPlugin(BasePlugin):
    """Adds the pages rendered by the core; `site-builder build` hands it a loaded project."""

    def __init__(self) -> None:
        super().__init__()
        self.preloaded: Project | None = None

    def use_project(self, project: Project) -> None:
        """Build this already loaded and validated project instead of loading it again."""
        self.preloaded = project

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across the rebuilds of `serve`, so it can
        # remember what it rendered last time and rebuild only the pages that changed.
        if getattr(self, "search_service", None) is not None:
            self.close_search()  # a preview before this one in the same process
        self.command = command
        self.serving = command == "serve"
        self.incremental = self.serving and dirty
        self.tracker = PageTracker()
        self.page_memo: dict = {}  # serve: pages rendered last time, by their inputs
        self.asset_sources: dict[str, tuple] = {}  # serve: the file each asset was copied from
        self.search_job: SearchIndexJob | ServiceJob | None = None
        self.search_service: SearchIndexService | None = None  # serve: kept between rebuilds
        self.written_pages: list[str] = []  # serve: the pages this rebuild writes again
        self.pages_on_disk: set[str] = set()  # serve: the pages the last finished build wrote
        self.pages_now: set[str] = set()  # the pages of this build
        self.defer_search = False
        self.compiled = _CompiledTemplates()  # serve: the theme's templates, compiled once
        self.neutralised: dict[str, tuple] = {}  # serve: theme files cleaned after a build
        self.built = False  # serve: a first build is done (MkDocs keeps this instance)

    def on_config(self, config):
        self.pause_gc = getattr(self, "incremental", False) and getattr(self, "built", False)
        if self.pause_gc:  # a rebuild: until on_post_build or on_build_error
            _pause_collection()
        root = Path(config.config_file_path).resolve().parent
        preloaded = self.preloaded is not None
        if self.preloaded is None and getattr(self, "command", "build") != "serve":
            # `mkdocs build` (or gh-deploy) would write straight into site/, half a site when a
            # template fails, with none of the checks that keep personal numbers, scripts and
            # other hosts off the public site: only `site-builder build` publishes.
            raise PluginError(DIRECT_BUILD_REFUSED)
        project = self.preloaded or load_project(root)
        self.preloaded = None
        if not project.ok:
            raise PluginError("品牌档案有错误，未生成站点：\n"
                              + format_diagnostics(project.diagnostics))
        for d in project.diagnostics:
            # Record warnings are MkDocs warnings, so `mkdocs build --strict` (and mkdocs.yml's
            # `strict: true`) fails on them exactly as `site-builder build --strict` does. A
            # project handed over by site-builder was already judged by its own --strict.
            (log.info if preloaded else log.warning)(d.format())
        self.project = project
        settings = project.settings
        # Material prints these into the page head and header unescaped
        config.site_name = head_text(settings.title)
        config.site_description = head_text(settings.description)
        url = settings.site_url
        if url:  # MkDocs adds the trailing slash only when it validates its own file
            config.site_url = url if url.endswith("/") else url + "/"
        return config

    def on_files(self, files: Files, config) -> Files:
        # The installed theme's own files (not the project's templates/theme): unused ones left
        # out, the others cleaned of other hosts' addresses after the build. Which folders are
        # the installed theme's is what MkDocs says (every theme folder but `custom_dir`), not
        # where they lie: a virtual environment inside the project holds the installed theme.
        theme_dirs = [Path(d).resolve() for d in installed_theme_dirs(config.theme)]
        self.theme_files = []
        for f in list(files):
            src = Path(f.abs_src_path).resolve() if f.abs_src_path else None
            if src and any(src.is_relative_to(d) for d in theme_dirs):
                if is_unused(f.dest_uri):
                    files.remove(f)
                else:
                    self.theme_files.append(f.dest_uri)
        try:
            rendered = render_site(self.project, self.page_memo if self.serving else None)
        except PageClash as e:
            raise PluginError(str(e)) from e
        self.rendered = rendered  # its images are encoded meanwhile: on_env waits for them
        # Hand-written pages are rendered by the core (render_site), under the same rules as a
        # brand's story: MkDocs never reads docs/*.md itself. Of the other files in docs/ (links
        # MkDocs followed included) only those that passed validate/files.py are published;
        # images are encoded again.
        docs_dir = os.path.abspath(config.docs_dir)
        accepted = _accepted_docs_files(self.project, docs_dir)
        for f in list(files):
            if f.src_dir is None or os.path.abspath(f.src_dir) != docs_dir or f.generated_by:
                continue
            src = Path(f.abs_src_path)
            if f.src_uri not in accepted:
                files.remove(f)
            elif src.suffix.lower() in IMAGE_SUFFIXES:
                files.remove(f)
                clean = clean_copy(src, cache_dir(), rendered.encoder)
                clean_file = File.generated(config, f.src_uri, abs_src_path=str(clean))
                files.append(clean_file if self.serving else _linked(clean_file))
        config.extra["lb"] = rendered.theme  # the showcase theme's values (templates/theme/)
        config.theme["favicon"] = rendered.theme["favicon"]
        self.token = "lb-" + secrets.token_hex(8)  # not guessable by record content
        self.stashed: dict[str, list[str]] = {}
        self.markdown_key = _markdown_settings(config)  # None: no page's conversion is kept
        settings_file = self.project.root / "settings.yml"
        shared = repr((config.nav, config.site_name, config.site_url, config.extra_css,
                       config.extra_javascript,  # the installed theme stays put
                       _mtimes(project_theme_dirs(config.theme)),
                       Path(config.config_file_path).read_bytes(), settings_file.read_bytes()))
        incremental = getattr(self, "incremental", False)
        same = self.tracker.unchanged(rendered.pages, shared) if incremental else set()
        self.written_pages, self.pages_now = [], set()
        for uri, content in rendered.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} 与自动生成的页面同名；提示：改名或删去 docs/{uri}。")
            f = File.generated(config, uri, content=content)
            if uri in same:
                f.is_modified = _unmodified  # serve: the page written last time is still right
            else:
                self.written_pages.append(f.dest_uri)
            self.pages_now.add(f.dest_uri)
            files.append(f)
        # An asset is copied again when its source is another file or was changed since: MkDocs'
        # own test (source newer than the copy) misses a cached image older than the copy, as
        # when an edit is undone and the earlier variant comes back from the cache.
        # (The images are still being written: on_env decides, once they are.)
        self.asset_files = []
        cache = os.path.join(cache_dir(), "")  # where the renderer writes what it encodes
        for uri, src in rendered.assets.items():
            f = File.generated(config, uri, abs_src_path=str(src))
            # (not in the preview: a link changes the cached file's change time, by which
            # the preview tells an asset to copy again)
            if not self.serving and f.abs_src_path.startswith(cache):
                _linked(f)
            self.asset_files.append((uri, f))
            files.append(f)
        for uri, data in rendered.files.items():
            files.append(File.generated(config, uri, content=data))
        return files

    def on_env(self, env, config, files):
        # MkDocs copies the other files next; the images encoded while it converted the pages
        # must all be written by then.
        self.rendered.finish()
        if getattr(self, "incremental", False):
            # MkDocs makes a new template environment for every build; a changed template is
            # compiled again (Jinja compares its source)
            env.bytecode_cache = self.compiled
        sources = {}
        for uri, f in self.asset_files:
            st = os.stat(f.abs_src_path)
            sources[uri] = (f.abs_src_path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            if getattr(self, "incremental", False):
                f.is_modified = _unmodified if self.asset_sources.get(uri) == sources[uri] \
                    else _modified
        self.asset_sources = sources
        return env

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by != "site_builder":
            return markdown
        text, blocks = stash_html_blocks(markdown, self.token)
        self.stashed[page.file.src_uri] = blocks
        if self.markdown_key is not None and headings_only(text, self.token):
            page.render = _KeptRender(page, self.token, self.markdown_key)
        return text

    def on_page_content(self, html, page, config, files):
        blocks = self.stashed.pop(page.file.src_uri, None)
        return restore_html_blocks(html, self.token, blocks) if blocks else html

    def on_post_build(self, config) -> None:
        site_dir = Path(config.site_dir)
        host = urlsplit(config.site_url or "").netloc or None
        done = getattr(self, "neutralised", {})
        self.neutralised = {}
        for uri in getattr(self, "theme_files", []):
            try:
                st = os.stat(site_dir / uri)
            except OSError:
                continue
            if done.get(uri) != (host, st.st_ino, st.st_size, st.st_mtime_ns):
                neutralise_file(site_dir / uri, host)
                st = os.stat(site_dir / uri)
            self.neutralised[uri] = (host, st.st_ino, st.st_size, st.st_mtime_ns)
        prune_theme_files(site_dir)  # Material's files that no page loads
        if getattr(self, "defer_search", False):  # site-builder build checks pages meanwhile
            self.search_job = SearchIndexJob(Path(config.site_dir))
        elif getattr(self, "serving", False):
            # A dirty build leaves the pages of brands removed, withdrawn or renamed since: they
            # go, so that neither the preview nor its search shows them.
            for uri in sorted(self.pages_on_disk - self.pages_now):
                (site_dir / uri).unlink(missing_ok=True)
            # The preview reloads at once; the search index follows a moment later, with only
            # the pages this rebuild wrote indexed again (all of them when pages came or went).
            same_pages = self.pages_now == self.pages_on_disk
            self.pages_on_disk = set(self.pages_now)
            self._finish_search()
            if self.search_service is None:
                self.search_service = SearchIndexService()
            self.search_job = self.search_service.update(
                site_dir, self.written_pages if same_pages else None, len(self.pages_now))
        else:
            index_site(Path(config.site_dir))
        self.built = True
        if getattr(self, "pause_gc", False):
            _resume_collection()

    def on_build_error(self, error) -> None:
        # the pages remembered as written may not have been: the next rebuild writes them all,
        # and the search index is made again from the whole site
        self.tracker = PageTracker()
        if getattr(self, "pause_gc", False):
            _resume_collection()

    def _finish_search(self) -> None:
        if self.search_job is not None and self.search_job.wait() is not None:
            log.warning(f"搜索索引未能更新：{self.search_job.error}")

    def on_shutdown(self) -> None:
        if getattr(self, "serving", False):
            self.close_search()

    def close_search(self) -> None:
        """Wait for the search index under way, then stop the preview's indexing service."""
        self._finish_search()
        if self.search_service is not None:
            self.search_service.close()
            self.search_service = None

    def on_serve(self, server, config, builder):
        root = self.project.root
        for name in ("brands", "evaluations", "templates", "settings.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory between the rebuilds of `serve`."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


# A preview keeps every record, page and image plan between its rebuilds, so Python's full
# garbage collection, which visits all of them, takes a few tenths of a second whenever it falls
# within a rebuild. It is held off while the site is rebuilt, and run once a second after it,
# when the browser has reloaded the page (unless the next rebuild has begun).
COLLECT_AFTER_S = 1.0


def _pause_collection() -> None:
    gc.disable()


def _resume_collection() -> None:
    gc.enable()
    timer = threading.Timer(COLLECT_AFTER_S, _collect_unless_paused)
    timer.daemon = True
    timer.start()


def _collect_unless_paused() -> None:
    if gc.isenabled():
        gc.collect()


def _linked(f: File) -> File:
    """`f`, a file of the cache folder, placed in the site as a hard link to it where the file
    system allows (else copied): thousands of image variants at the cost of one name each. The
    cache never writes a file again in place (`cache.write_atomic` replaces it), and nothing
    writes into a published image, so the two names keep the same bytes."""

    def copy_file(dirty: bool = False) -> None:
        if dirty and not f.is_modified():
            return
        out = f.abs_dest_path
        os.makedirs(os.path.dirname(out), exist_ok=True)
        try:
            if os.path.lexists(out):
                os.unlink(out)  # the link or copy of an earlier build (serve)
            os.link(f.abs_src_path, out)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(f.abs_src_path, out)

    f.copy_file = copy_file
    return f


def _accepted_docs_files(project: Project, docs_dir: str) -> set[str]:
    """The files beside the pages that passed their checks (validate/files.py). A docs_dir
    other than the project's docs/ (the demo's mkdocs.yml names the repository's) is checked
    here, by the same table."""
    if os.path.realpath(docs_dir) == os.path.realpath(project.root / DOCS_DIR):
        return project.files
    checked = check_docs_files(project.root, os.path.relpath(docs_dir, project.root))
    if has_errors(checked.diagnostics):
        raise PluginError("docs_dir 中有不能发布的文件，未生成站点：\n"
                          + format_diagnostics(checked.diagnostics))
    return checked.accepted


def project_theme_dirs(theme) -> list[str]:
    """The project's own theme folder (`theme.custom_dir` in mkdocs.yml), if it has one."""
    custom = theme.custom_dir
    return [custom] if custom else []


def installed_theme_dirs(theme) -> list[str]:
    """The folders of the installed theme (Material's, MkDocs' own templates): every folder the
    theme reads from except the project's `custom_dir`, wherever the package is installed."""
    own = {os.path.realpath(d) for d in project_theme_dirs(theme)}
    return [d for d in theme.dirs if os.path.realpath(d) not in own]


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


def _mtimes(dirs) -> list[tuple[str, int]]:
    out = []
    for d in dirs:
        for p in sorted(Path(d).rglob("*")):
            if p.is_file():
                out.append((str(p), p.stat().st_mtime_ns))
    return out


def build_with_mkdocs(project: Project, site_dir: Path, strict: bool = True,
                      defer_search: bool = False) -> SearchIndexJob | None:
    """Build the site with MkDocs into `site_dir`, reusing an already validated project.
    With `defer_search` the search index is still being built on return: wait for the job."""
    config = load_config(str(project.root / CONFIG_FILE), site_dir=str(site_dir), strict=strict)
    plugin = config.plugins.get("site_builder")
    if plugin is None:
        raise EngineFailed(f"{CONFIG_FILE} 的 plugins 中缺少 site_builder")
    config.plugins.on_startup(command="build", dirty=False)
    plugin.use_project(project)
    plugin.defer_search = defer_search
    warnings = _Collect()
    mk = logging.getLogger("mkdocs")
    mk.addHandler(warnings)
    try:
        mkdocs_build(config)
    except MkDocsException as e:  # MkDocs' own expected failures (strict warnings, config)
        # "Aborted with 1 warnings in strict mode!" names nothing: the warnings themselves do
        # (the file, the link), so they are the message.
        said = "".join(f"\n  {w}" for w in warnings.messages)
        raise EngineFailed(f"生成站点失败：{type(e).__name__}: {e}{said}") from e
    finally:
        mk.removeHandler(warnings)
        config.plugins.on_shutdown()
    return plugin.search_job if defer_search else None


class _Collect(logging.Handler):
    """The warnings and errors MkDocs logs during a build: what a failed build tells the editor
    (MkDocs itself ends with only "Aborted with N warnings in strict mode!")."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


class Preview:
    """What `serve` does between edits, without the web server: build, then rebuild."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root, self.site_dir, self.started = root, site_dir, False

    def build(self) -> None:
        config = load_config(str(self.root / CONFIG_FILE), site_dir=str(self.site_dir),
                             strict=False)
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=True)
            self.started = True
        mkdocs_build(config, dirty=True)
        self.plugin = config.plugins["site_builder"]

    def wait_for_search(self) -> None:
        if self.plugin.search_job is not None:
            self.plugin.search_job.wait()

    def close(self) -> None:
        """What `serve` does when it stops: the search index finished, its service stopped."""
        if self.started and hasattr(self, "plugin"):
            self.plugin.close_search()


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave stale navigation; the plugin renders every page
    again whenever navigation, settings or theme change, so the warning would only confuse."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def serve_with_mkdocs(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: rebuilds and reloads when records, docs, templates or settings change.
    A first build that fails for the editor's reasons (a record's error, already logged with its
    file and line; a broken mkdocs.yml) is an EngineFailed; the port is the caller's to check
    (an OSError when the server still cannot listen there)."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_DropDirtyWarning())
    mk = logging.getLogger("mkdocs")
    mk.addHandler(handler)
    mk.setLevel(logging.INFO)
    print(f"预览地址：http://{host}:{port}/ —— 修改品牌档案、评选、页面模板或 settings.yml 后，"
          "页面会自动刷新。按 Ctrl+C 退出。", flush=True)
    # "dirty": after an edit only the pages whose content changed are rendered again (the
    # plugin tracks that); a change to the navigation, settings or theme renders everything.
    # Not strict: a preview must show the page even while a warning is being fixed.
    try:
        serve(config_file=str(root / CONFIG_FILE), livereload=True, build_type="dirty",
              dev_addr=f"{host}:{port}", strict=False)
    except Abort as e:  # MkDocs logged why ("品牌档案有错误…"); its own words name nothing
        raise EngineFailed("预览未启动：请先改正上面列出的问题，再运行 site-builder serve") from e
    except MkDocsException as e:  # mkdocs.yml itself
        raise EngineFailed(f"预览未启动：{CONFIG_FILE} 有误：{e}") from e


# A generated page with its HTML blocks set aside is mostly headings between placeholders: what
# Markdown makes of it depends on its text and Markdown's settings alone (no link to resolve
# against other files), so it is kept between builds (`cache.Kept`) by both.
_KEPT_PAGES = Kept(PAGE_HTML)
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")  # Page.render reads its level
_PLAIN_HEADING = re.compile(r"#{1,6} [^\[\]()<>&`*_\\!{}|~^=:\x00-\x1f\x7f]*")


def headings_only(text: str, token: str) -> bool:
    """Whether every line is blank, a placeholder or an ATX heading of plain text: nothing a
    Markdown extension could read as a link, an image, HTML, emphasis, code or a table."""
    placeholder = re.compile(rf"<!--{re.escape(token)}:\d+-->")
    return all(not line.strip() or placeholder.fullmatch(line) or _PLAIN_HEADING.fullmatch(line)
               for line in text.split("\n"))


# Extensions whose code is versioned in the program's fingerprint (`cache._LIBRARIES`):
# Python-Markdown's own (named by their module, or by the short name Markdown itself
# registers) and the Python Markdown Extensions package Material documents.
_VERSIONED_EXTENSIONS = re.compile(r"markdown\.extensions\.[a-z_]+|pymdownx\.[a-z_]+")
_MARKDOWNS_OWN = {ep.name for ep in importlib.metadata.entry_points(group="markdown.extensions")
                  if ep.dist is not None and ep.dist.name.lower() == "markdown"}


def _markdown_settings(config) -> bytes | None:
    """MkDocs' Markdown settings as a key, or None when one is not plain data (an extension
    given as an object) or an extension comes from code whose version the key does not hold
    (a local module): such a site's pages are always converted."""
    names = config["markdown_extensions"]
    if not all(isinstance(n, str) and (n in _MARKDOWNS_OWN or _VERSIONED_EXTENSIONS.fullmatch(n))
               for n in names):
        return None
    try:
        return json.dumps([names, config["mdx_configs"] or {}], sort_keys=True,
                          ensure_ascii=False).encode()
    except (TypeError, ValueError):
        return None


class _KeptRender:
    """`Page.render` for a page of headings: what the conversion gave for the same text and
    settings in an earlier build, or the conversion itself (then kept). The page's random
    placeholder token is kept as \\0, which no heading holds."""

    def __init__(self, page: Page, token: str, settings: bytes) -> None:
        self.page, self.token, self.settings = page, token, settings

    def __call__(self, config, files) -> None:
        page = self.page
        if not headings_only(page.markdown, self.token):  # another plugin wrote more since
            Page.render(page, config, files)
            return
        text = page.markdown.replace(self.token, "\0").encode("utf-8", "surrogatepass")
        kept = _KEPT_PAGES.get(self.settings, text)
        if kept is not None and self._restore(kept):
            return
        Page.render(page, config, files)
        if page.links_to_anchors:  # not expected of headings; never kept
            return
        _KEPT_PAGES.put(json.dumps({
            "content": page.content.replace(self.token, "\0"),
            "toc": [_token(a) for a in page.toc], "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ())}, ensure_ascii=False),
            self.settings, text)

    def _restore(self, kept: str) -> bool:
        try:
            value = json.loads(kept)
            content, title, anchors = value["content"], value["title"], value["anchors"]
            if not isinstance(content, str) or not (title is None or isinstance(title, str)) \
                    or not isinstance(anchors, list) or not all(isinstance(a, str) for a in anchors):
                return False
            toc = get_toc([_checked_token(t) for t in value["toc"]])
        except (ValueError, KeyError, TypeError, RecursionError):
            return False  # not what an earlier build kept: convert again
        page = self.page
        page.content = content.replace("\0", self.token)
        page.toc = toc
        page._title_from_render = title
        page.present_anchor_ids = set(anchors)
        if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = {}
        return True


def _token(anchor) -> dict:
    return {"name": anchor.title, "id": anchor.id, "level": anchor.level,
            "children": [_token(c) for c in anchor.children]}


def _checked_token(t) -> dict:
    if not (isinstance(t, dict) and isinstance(t["name"], str) and isinstance(t["id"], str)
            and isinstance(t["level"], int) and not isinstance(t["level"], bool)):
        raise TypeError("not a table of contents entry")
    return {"name": t["name"], "id": t["id"], "level": t["level"],
            "children": [_checked_token(c) for c in t["children"]]}
