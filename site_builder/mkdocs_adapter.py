"""The only module that imports MkDocs: a thin plugin and build/serve entry points over the core."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .diagnostics import format_diagnostics
from .pages import (content_hash, head_text, render_site, restore_html_blocks,
                    stash_html_blocks)
from .project import Project, load_project
from .render.theme import prune_theme_files
from .search_index import SearchIndexJob, index_site

log = logging.getLogger("mkdocs.plugins.site_builder")

CONFIG_FILE = "mkdocs.yml"


class SiteBuilderPlugin(BasePlugin):
    """Adds the pages rendered by the core; `site-builder build` hands it a loaded project."""

    preloaded: Project | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across the rebuilds of `serve`, so it can
        # remember what it rendered last time and rebuild only the pages that changed.
        self.serving = command == "serve"
        self.incremental = self.serving and dirty
        self.last_pages: dict[str, str] = {}
        self.last_global = ""
        self.search_job: SearchIndexJob | None = None
        self.defer_search = False

    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        project = self.preloaded or load_project(root)
        self.preloaded = None
        if not project.ok:
            raise PluginError("品牌档案有错误，未生成站点：\n"
                              + format_diagnostics(project.diagnostics))
        for d in project.diagnostics:  # record warnings fail only with site-builder --strict,
            log.info(d.format())        # not through MkDocs' own strict mode
        self.project = project
        site = project.settings["site"]
        # Material prints these into the page head and header unescaped
        config.site_name = head_text(site["title"])
        config.site_description = head_text(site["description"])
        if site.get("url"):  # MkDocs adds the trailing slash only when it validates its own file
            config.site_url = site["url"] if site["url"].endswith("/") else site["url"] + "/"
        return config

    def on_files(self, files: Files, config) -> Files:
        rendered = render_site(self.project)
        config.extra["lb"] = rendered.theme  # the showcase theme's values (templates/theme/)
        config.theme["favicon"] = rendered.theme["favicon"]
        self.token = "lb-" + secrets.token_hex(8)  # not guessable by record content
        self.stashed: dict[str, list[str]] = {}
        hashes = {uri: content_hash(text) for uri, text in rendered.pages.items()}
        settings_file = self.project.root / "settings.yml"
        global_key = content_hash(repr((
            sorted(hashes), config.nav, config.site_name, config.site_url, config.extra_css,
            config.extra_javascript, _mtimes(config.theme.dirs),
            Path(config.config_file_path).read_bytes(), settings_file.read_bytes())))
        reuse = getattr(self, "incremental", False) and global_key == self.last_global
        for uri, content in rendered.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} 与自动生成的页面同名；提示：改名或删去 docs/{uri}。")
            f = File.generated(config, uri, content=content)
            if reuse and self.last_pages.get(uri) == hashes[uri]:
                f.is_modified = _unmodified  # serve: the page written last time is still right
            files.append(f)
        if getattr(self, "incremental", False):
            self.last_pages, self.last_global = hashes, global_key
        for uri, src in rendered.assets.items():
            files.append(File.generated(config, uri, abs_src_path=str(src)))
        for uri, data in rendered.files.items():
            files.append(File.generated(config, uri, content=data))
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.generated_by != "site_builder":
            return markdown
        text, blocks = stash_html_blocks(markdown, self.token)
        self.stashed[page.file.src_uri] = blocks
        return text

    def on_page_content(self, html, page, config, files):
        blocks = self.stashed.pop(page.file.src_uri, None)
        return restore_html_blocks(html, self.token, blocks) if blocks else html

    def on_post_build(self, config) -> None:
        prune_theme_files(Path(config.site_dir))  # Material's files that no page loads
        if getattr(self, "defer_search", False):  # site-builder build checks pages meanwhile
            self.search_job = SearchIndexJob(Path(config.site_dir))
        elif getattr(self, "serving", False):
            # The preview reloads at once; the search index follows a few seconds later.
            self._finish_search()
            self.search_job = SearchIndexJob(Path(config.site_dir))
        else:
            index_site(Path(config.site_dir))

    def _finish_search(self) -> None:
        if self.search_job is not None and self.search_job.wait() is not None:
            log.warning(f"搜索索引未能更新：{self.search_job.error}")

    def on_shutdown(self) -> None:
        if getattr(self, "serving", False):
            self._finish_search()

    def on_serve(self, server, config, builder):
        root = self.project.root
        for name in ("brands", "evaluations", "templates", "settings.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server


def _unmodified() -> bool:
    return False


def _mtimes(dirs: list[str]) -> list[tuple[str, int]]:
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
        raise RuntimeError(f"{CONFIG_FILE} 的 plugins 中缺少 site_builder")
    config.plugins.on_startup(command="build", dirty=False)
    plugin.preloaded = project
    plugin.defer_search = defer_search
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return plugin.search_job if defer_search else None


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


class _DropDirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may leave stale navigation; the plugin renders every page
    again whenever navigation, settings or theme change, so the warning would only confuse."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def serve_with_mkdocs(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: rebuilds and reloads when records, docs, templates or settings change."""
    from mkdocs.commands.serve import serve

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
    serve(config_file=str(root / CONFIG_FILE), livereload=True, build_type="dirty",
          dev_addr=f"{host}:{port}", strict=False)
