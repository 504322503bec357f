"""The MkDocs engine, for teams that want `mkdocs serve` and Material's theme: a thin plugin that
hands the core's site values (render/site.py) to MkDocs, and the only module importing MkDocs.
Public plugin events and constructors only: each page is a generated file (its front matter, then
the core's final HTML) whose body `on_page_content` hands through; assets and data files are
generated files. Nothing of MkDocs or Material is replaced or assigned (test_architecture.py)."""

from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
import threading
from logging.handlers import BufferingHandler
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..cache import cache_dir
from ..diagnostics.output import format_diagnostics
from ..project import Project, load_project
from ..render.changes import PageTracker
from ..render.pages import PageClash, head_text, render_site
from ..render.site import Site, SiteProblem, config_paths, site_values, split_front_matter
from ..render.theme import prune_theme_files
from . import EngineFailed
from .foreign import is_unused, neutralise_file
from .pagefind import SearchIndexJob, SearchIndexService, index_site

log = logging.getLogger("mkdocs.plugins.site_builder")
CONFIG_FILE = "mkdocs.yml"
DIRECT_BUILD_REFUSED = (
    "不能用 mkdocs build 发布：它直接写入 site/，构建出错时会留下半个站点，也不做发布前的安全检查"
    "（身份证号、手机号、脚本、其他网站的地址）；提示：运行 `site-builder build`（或 `make site`），"
    "它在临时文件夹中生成站点，全部检查通过后才替换 site/；预览请用 `mkdocs serve` 或 `make serve`。")
# A dirty build writes a page again when its source is newer than the page written last time
# (MkDocs' File.is_modified): the preview's page sources carry this time then, else 0.
REWRITE_NS = 4102444800 * 10**9  # 2100-01-01


class SiteBuilderPlugin(BasePlugin):
    """Adds the core's pages and files; `site-builder build` hands it a loaded project."""

    def __init__(self) -> None:
        super().__init__()
        self.preloaded: Project | None = None
        self.preloaded_site: Site | None = None
        self.search_job = self.search_service = self.sources = None
        self.serving = False
        self.on_startup(command="build", dirty=False)

    def use_project(self, project: Project, site: Site, defer_search: bool = False) -> None:
        """Build this project from its rendered `site`; `defer_search`: see `search_job`."""
        self.preloaded, self.preloaded_site, self.defer_search = project, site, defer_search

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across the rebuilds of `serve`.
        self.on_shutdown()  # a preview before this one in the same process
        self.serving, self.incremental = command == "serve", command == "serve" and dirty
        self.defer_search = self.pause_gc = self.built = False
        self.tracker, self.page_memo = PageTracker(), {}  # serve: what the last build rendered
        self.copied: dict[str, tuple] = {}  # serve: the source each asset was copied from
        self.pages_on_disk: set[str] = set()
        self.written_pages: list[str] = []
        if self.incremental:  # the preview's page sources (a dirty build)
            self.sources = Path(tempfile.mkdtemp(prefix="site-builder-pages-"))

    def on_config(self, config):
        self.pause_gc = self.incremental and self.built
        if self.pause_gc:  # a rebuild: until on_post_build or on_build_error
            gc.disable()
        if self.preloaded is None and not self.serving:  # no checks, half a site on a failure
            raise PluginError(DIRECT_BUILD_REFUSED)
        preloaded, project = self.preloaded is not None, self.preloaded
        site, self.preloaded_site = self.preloaded_site, None
        project = project or load_project(Path(config.config_file_path).resolve().parent)
        self.preloaded, self.project = None, project
        if not project.ok:
            raise PluginError("品牌档案有错误，未生成站点：\n" + format_diagnostics(project.diagnostics))
        for d in project.diagnostics:  # MkDocs warnings: `mkdocs serve --strict` fails on them
            (log.info if preloaded else log.warning)(d.format())
        # Material prints these into the page head and header unescaped
        config.site_name = head_text(project.settings.title)
        config.site_description = head_text(project.settings.description)
        if project.settings.site_url:  # MkDocs adds the slash only when it reads its own file
            config.site_url = project.settings.site_url.rstrip("/") + "/"
        try:  # the images are encoded meanwhile: on_env waits for them
            if site is None:  # mkdocs serve, or the preview: rendered here
                site = site_values(project, render_site(
                    project, self.page_memo if self.serving else None))
            self.site, self.rendered = site, site.rendered
        except (PageClash, SiteProblem) as e:
            raise PluginError(str(e)) from e
        config.extra["lb"] = self.site.theme  # the showcase theme's values (templates/theme/)
        config.theme["favicon"] = self.site.theme["favicon"]
        return config

    def on_files(self, files: Files, config) -> Files:
        # MkDocs' own files of docs/ go (the core renders its pages and publishes the files that
        # passed their checks), and the installed theme's unused ones; its others are cleaned of
        # other hosts' addresses after the build.
        docs_dir, self.theme_files = os.path.abspath(config.docs_dir), []
        theme_dirs = [Path(d).resolve() for d in installed_theme_dirs(config.theme)]
        for f in list(files):
            if f.generated_by or f.src_dir is None:
                continue
            installed = any(Path(f.abs_src_path).resolve().is_relative_to(d) for d in theme_dirs)
            if os.path.abspath(f.src_dir) == docs_dir or installed and is_unused(f.dest_uri):
                files.remove(f)
            elif installed:
                self.theme_files.append(f.dest_uri)
        tabs = set(self.site.sequence)
        self.bodies, self.headings, contents = {}, {}, {}
        for p in self.site.pages:
            source = self.rendered.pages[p.uri]
            meta, text = split_front_matter(source)
            self.bodies[p.uri] = p.body_html
            contents[p.uri] = source[:len(source) - len(text)] + p.body_html  # page.meta
            if "title" not in meta and p.url not in tabs:  # MkDocs' title: the first heading
                self.headings[p.uri] = text
        shared = repr((config.nav, config.site_name, config.site_url, config.extra_css,
                       config.extra_javascript, self.site.theme, Path(config.config_file_path)
                       .read_bytes(), (self.project.root / "settings.yml").read_bytes(),
                       [(str(p), p.stat().st_mtime_ns) for d in project_theme_dirs(config.theme)
                        for p in sorted(Path(d).rglob("*")) if p.is_file()]))
        same = self.tracker.unchanged(contents, shared) if self.incremental else set()
        self.written_pages, self.pages_now = [], set()
        for uri, content in contents.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} 与自动生成的页面同名；提示：改名或删去 docs/{uri}。")
            files.append(f := self._page_file(config, uri, content, uri in same))
            self.pages_now.add(f.dest_uri)
            if uri not in same:
                self.written_pages.append(f.dest_uri)
        # The cache folder's files (image variants) are linked into the site after the build;
        # the preview copies an asset again when its source is another file or was changed since
        # (MkDocs' own test, source newer than the copy, misses a source older than the copy).
        cache, self.linked = os.path.join(cache_dir(), ""), {}
        for uri, src in self.site.assets.items():
            if str(src).startswith(cache):
                self.linked[uri] = Path(src)
                continue
            if self.incremental and self.copied.get(uri) != _identity(src):
                Path(config.site_dir, uri).unlink(missing_ok=True)
                self.copied[uri] = _identity(src)
            files.append(File.generated(config, uri, abs_src_path=str(src)))
        for uri, data in self.site.files.items():
            files.append(File.generated(config, uri, content=data))
        return files

    def _page_file(self, config, uri: str, content: str, same: bool) -> File:
        if self.sources is None:
            return File.generated(config, uri, content=content)
        path = self.sources / uri  # the preview: a source file, written again only if changed
        if not (same and path.is_file()):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        os.utime(path, ns=(0, 0) if same else (REWRITE_NS, REWRITE_NS))
        return File.generated(config, uri, abs_src_path=str(path))

    def on_env(self, env, config, files):
        self.site.finish()  # the images encoded meanwhile: MkDocs copies files next
        return env

    def on_page_markdown(self, markdown, page, config, files):
        # Nothing to convert: the body is the core's (on_page_content). Only a page whose title
        # is its first heading keeps its Markdown, from which MkDocs takes that title.
        if page.file.generated_by != "site_builder":
            return markdown
        return self.headings.get(page.file.src_uri, "")

    def on_page_content(self, html, page, config, files):
        if page.file.generated_by != "site_builder":
            return html
        return self.bodies[page.file.src_uri]

    def on_post_build(self, config) -> None:
        site_dir, host = Path(config.site_dir), urlsplit(config.site_url or "").netloc or None
        for uri, src in self.linked.items():
            if self.copied.get(uri) != _identity(src) or not (site_dir / uri).exists():
                _link(src, site_dir / uri)
                self.copied[uri] = _identity(src)
        for uri in self.theme_files:
            neutralise_file(site_dir / uri, host)
        prune_theme_files(site_dir)  # Material's files that no page loads
        if self.defer_search:  # site-builder build checks the pages first
            self.search_job = SearchIndexJob(site_dir, start=False)
        elif self.serving:
            # A dirty build leaves the pages of brands removed or renamed since: they go. The
            # index follows the reload, with only the pages written again indexed again (all of
            # them when pages came or went).
            for uri in sorted(self.pages_on_disk - self.pages_now):
                (site_dir / uri).unlink(missing_ok=True)
            same_pages, self.pages_on_disk = self.pages_now == self.pages_on_disk, self.pages_now
            self._finish_search()
            self.search_service = self.search_service or SearchIndexService()
            self.search_job = self.search_service.update(
                site_dir, self.written_pages if same_pages else None, len(self.pages_now))
        else:
            index_site(site_dir)
        self.built = True
        self._resume_collection()

    def on_build_error(self, error) -> None:
        self.tracker, self.copied = PageTracker(), {}  # written? not sure: all of it next time
        self._resume_collection()

    def _resume_collection(self) -> None:
        # The preview keeps every record, page and image plan: Python's full collection, which
        # visits them all, is held off while it rebuilds and runs a second after.
        if self.pause_gc:
            gc.enable()
            timer = threading.Timer(1.0, lambda: gc.isenabled() and gc.collect())
            timer.daemon = True
            timer.start()

    def _finish_search(self) -> None:
        if self.search_job is not None and self.search_job.wait() is not None:
            log.warning(f"搜索索引未能更新：{self.search_job.error}")

    def on_shutdown(self) -> None:
        if self.serving:
            self.close_search()
        if self.sources is not None:
            shutil.rmtree(self.sources, ignore_errors=True)
            self.sources = None

    def close_search(self) -> None:
        """Wait for the search index under way, then stop the preview's indexing service."""
        self._finish_search()
        if self.search_service is not None:
            self.search_service.close()
            self.search_service = None

    def on_serve(self, server, config, builder):
        for name in ("brands", "evaluations", "templates", "settings.yml"):
            if (self.project.root / name).exists():
                server.watch(str(self.project.root / name))
        return server


def _identity(src) -> tuple:
    st = os.stat(src)
    return (str(src), st.st_ino, st.st_size, st.st_mtime_ns)


def _link(src: Path, dest: Path) -> None:
    """A file of the cache folder as a hard link to it where the file system allows (else a
    copy): thousands of image variants at the cost of one name each. The cache never writes a
    file again in place (`cache.write_atomic` replaces it)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.unlink(missing_ok=True)  # an earlier build's (serve), or a theme file of that name
    try:
        os.link(src, dest)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(src, dest)


def project_theme_dirs(theme) -> list[str]:
    """The project's own theme folder (`theme.custom_dir` in mkdocs.yml), if it has one."""
    return [theme.custom_dir] if theme.custom_dir else []


def installed_theme_dirs(theme) -> list[str]:
    """The installed theme's folders (Material's, MkDocs' own): every folder the theme reads
    from except the project's `custom_dir`, wherever the package is installed."""
    own = {os.path.realpath(d) for d in project_theme_dirs(theme)}
    return [d for d in theme.dirs if os.path.realpath(d) not in own]


def build_with_mkdocs(project: Project, site: Site, site_dir: Path, strict: bool = True,
                      defer_search: bool = False) -> SearchIndexJob | None:
    """The engine stage for build.py: `site` (the render stage's values) laid out by MkDocs +
    Material into `site_dir`. With `defer_search` the search index is left to the job returned
    (started when first waited for)."""
    config = load_config(**config_paths(project.root, site_dir), strict=strict)
    plugin = config.plugins.get("site_builder")
    if plugin is None:
        raise EngineFailed(f"{CONFIG_FILE} 的 plugins 中缺少 site_builder")
    config.plugins.on_startup(command="build", dirty=False)
    plugin.use_project(project, site, defer_search)
    warnings = BufferingHandler(10**6)  # what a failed build tells the editor
    warnings.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(warnings)
    try:
        mkdocs_build(config)
    except MkDocsException as e:  # strict warnings, config: "Aborted with 1 warnings in strict
        said = "".join(f"\n  {' '.join(r.getMessage().split())}"  # mode!" names nothing
                       for r in warnings.buffer)
        raise EngineFailed(f"生成站点失败：{type(e).__name__}: {e}{said}") from e
    finally:
        logging.getLogger("mkdocs").removeHandler(warnings)
        config.plugins.on_shutdown()
    return plugin.search_job if defer_search else None


class Preview:
    """What `serve` does between edits, without the web server: build, then rebuild."""

    def __init__(self, root: Path, site_dir: Path) -> None:
        self.root, self.site_dir, self.started = root, site_dir, False

    def build(self) -> None:
        config = load_config(**config_paths(self.root, self.site_dir), strict=False)
        if not self.started:
            config.plugins.on_startup(command="serve", dirty=True)
            self.started = True
        self.plugin = config.plugins["site_builder"]
        mkdocs_build(config, dirty=True)

    def wait_for_search(self) -> None:
        if self.plugin.search_job is not None:
            self.plugin.search_job.wait()

    def close(self) -> None:
        """What `serve` does when it stops: the search index finished, the plugin shut down."""
        if self.started and hasattr(self, "plugin"):
            self.plugin.on_shutdown()


def serve_with_mkdocs(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: rebuilds and reloads when records, docs, templates or settings change.
    A first build that fails for the editor's reasons is an EngineFailed; the port is the
    caller's to check (an OSError when the server still cannot listen there)."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    # MkDocs warns that a dirty build may leave stale navigation: the plugin writes every page
    # again whenever navigation, settings or theme change.
    handler.addFilter(lambda record: "'dirty' build" not in record.getMessage())
    logging.getLogger("mkdocs").addHandler(handler)
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    print(f"预览地址：http://{host}:{port}/ —— 修改品牌档案、评选、页面模板或 settings.yml 后，"
          "页面会自动刷新。按 Ctrl+C 退出。", flush=True)
    try:  # not strict: a preview must show the page while a warning is being fixed
        serve(config_file=str(root / CONFIG_FILE), livereload=True, build_type="dirty",
              dev_addr=f"{host}:{port}", strict=False)
    except Abort as e:  # MkDocs logged why ("品牌档案有错误…"); its own words name nothing
        raise EngineFailed("预览未启动：请先改正上面列出的问题，再运行 site-builder serve") from e
    except MkDocsException as e:  # mkdocs.yml itself
        raise EngineFailed(f"预览未启动：{CONFIG_FILE} 有误：{e}") from e
