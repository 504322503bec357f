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
from .pages import render_site, restore_html_blocks, stash_html_blocks
from .project import Project, load_project
from .search_index import index_site

log = logging.getLogger("mkdocs.plugins.site_builder")

CONFIG_FILE = "mkdocs.yml"


class SiteBuilderPlugin(BasePlugin):
    """Adds the pages rendered by the core; `site-builder build` hands it a loaded project."""

    preloaded: Project | None = None

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
        config.site_name = site["title"]
        config.site_description = site["description"]
        if site.get("url"):
            config.site_url = site["url"]
        return config

    def on_files(self, files: Files, config) -> Files:
        rendered = render_site(self.project)
        self.token = "lb-" + secrets.token_hex(8)  # not guessable by record content
        self.stashed: dict[str, list[str]] = {}
        for uri, content in rendered.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri} 与自动生成的页面同名；提示：改名或删去 docs/{uri}。")
            files.append(File.generated(config, uri, content=content))
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
        index_site(Path(config.site_dir))

    def on_serve(self, server, config, builder):
        root = self.project.root
        for name in ("brands", "evaluations", "templates", "settings.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server


def build_with_mkdocs(project: Project, site_dir: Path, strict: bool = True) -> None:
    """Build the site with MkDocs into `site_dir`, reusing an already validated project."""
    config = load_config(str(project.root / CONFIG_FILE), site_dir=str(site_dir), strict=strict)
    plugin = config.plugins.get("site_builder")
    if plugin is None:
        raise RuntimeError(f"{CONFIG_FILE} 的 plugins 中缺少 site_builder")
    plugin.preloaded = project
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def serve_with_mkdocs(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Live preview: rebuilds and reloads when records, docs, templates or settings change."""
    from mkdocs.commands.serve import serve

    serve(config_file=str(root / CONFIG_FILE), livereload=True, dev_addr=f"{host}:{port}")
