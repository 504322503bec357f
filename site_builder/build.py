"""The build pipeline: load → validate → evaluate → render → engine → verify → publish.

Everything is gathered and checked before anything is written; the new site is built in a
temporary folder and replaces the old one only when every check passed.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import CHECKED_PAGES, KEPT, prune_other_versions, versioned
from .diagnostics import Diagnostic, has_errors, sort_key
from .editor.cms import api_origins
from .engines import EngineFailed
from .project import Project, load_project
from .publish.swap import BUSY, lock_site, new_staging, remove_stale, site_dir_problem, swap_in
from .verify import verify_site


@dataclass
class BuildResult:
    project: Project
    ok: bool
    problems: list[str] = field(default_factory=list)  # build failures that are not record diagnostics
    findings: list[Diagnostic] = field(default_factory=list)  # post-build checks of the new site

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


ENGINES = ("mkdocs", "native")
DEFAULT_ENGINE = "mkdocs"


def build_site(root: Path, site_dir: Path, strict: bool = False,
               build_date: dt.date | None = None, site_url: str | None = None,
               engine: str = DEFAULT_ENGINE) -> BuildResult:
    """Build into a temporary folder beside `site_dir`; replace `site_dir` only if all passed.
    `site_url` (e.g. the GitHub Pages address) is the site's address when settings have none.
    `engine` writes the pages: "mkdocs" (MkDocs + Material) or "native" (the project's own
    layout, no MkDocs). Expected failures come back in the result; a bug raises with its
    traceback."""
    from .engines.pagefind import BUNDLE_DIR

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")

    for kept in KEPT:  # what other versions of this program kept
        prune_other_versions(kept)
    project = load_project(root, build_date)  # load → validate → evaluate
    if site_url and project.settings is not None:
        project.settings.default_site_url(site_url)
    if project.settings is None or has_errors(project.diagnostics, strict):
        return BuildResult(project, False)
    problem = site_dir_problem(root, site_dir)  # a build replaces the whole folder
    if problem is not None:
        return BuildResult(project, False, [problem])
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_site(site_dir)  # held until this build has swapped its site in or given up
    if lock is None:
        return BuildResult(project, False, [BUSY.format(site_dir)])
    staging = search = None
    try:
        remove_stale(site_dir)  # what builds killed before cleaning up left behind
        staging = new_staging(site_dir)
        try:
            if engine == "native":  # render → engine, each imported only when building
                from .engines.native import build_with_native

                search = build_with_native(project, staging, defer_search=True)
            else:
                from .engines.mkdocs import build_with_mkdocs

                search = build_with_mkdocs(project, staging, defer_search=True)
            findings = verify_site(staging, project.settings.site_url, _label(project, site_dir),
                                   BUNDLE_DIR, search.raise_error,
                                   api_origins(project.settings),
                                   versioned(CHECKED_PAGES))  # verify
        except EngineFailed as e:
            return BuildResult(project, False, [str(e)])
        findings = at_page_sources(project, _label(project, site_dir), findings)
        if findings:  # a broken link, a foreign font, a personal number: never published
            return BuildResult(project, False, [
                f"生成的站点未通过发布前检查：{len(findings)} 个问题"], findings)
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        swap_in(staging, site_dir)  # publish
        staging = None
        return BuildResult(project, True)
    finally:
        if search is not None:
            search.stop()  # a check failed unexpectedly before the index was waited for
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        lock.close()


def at_page_sources(project: Project, label: str, findings: list[Diagnostic]) -> list[Diagnostic]:
    """A finding in a page made from a hand-written page (a broken link, a missing image) is
    reported where the editor wrote it: the file in docs/ and the line of the address."""
    from .render.pages import page_dir_url, page_link
    from .validate.story import _Locator, page_images, page_links

    by_output = {f"{label}/{page_dir_url(p.uri)}index.html".lstrip("/"): p
                 for p in project.pages if p.published}
    out = []
    for d in findings:
        page = by_output.get(d.path)
        if page is None:
            out.append(d)
            continue
        written = {page_link(page.uri, href): href
                   for href in page_links(page.body) + page_images(page.body)}
        source = written.get(d.field, d.field)
        line, col = _Locator(page.body, page.body_line).at("](" + source, source) \
            if source in page.body else (page.body_line, 1)
        out.append(replace(d, path=page.path, line=line, col=col, field=source))
    return sorted(out, key=sort_key)


def _label(project: Project, site_dir: Path) -> str:
    try:
        return site_dir.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(site_dir)
