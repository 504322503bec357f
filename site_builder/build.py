"""The build pipeline: load → validate → render (through the engine adapter) → check → swap in."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, sort_key
from .project import Project, load_project
from .search_index import BUNDLE_DIR


@dataclass
class BuildResult:
    project: Project
    ok: bool
    problems: list[str] = field(default_factory=list)  # build failures that are not record diagnostics
    findings: list[Diagnostic] = field(default_factory=list)  # post-build checks of the new site

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


def build_site(root: Path, site_dir: Path, strict: bool = False,
               build_date: dt.date | None = None) -> BuildResult:
    """Build into a temporary folder beside `site_dir`; replace `site_dir` only if all passed."""
    project = load_project(root, build_date)
    failing = project.diagnostics if strict else [
        d for d in project.diagnostics if d.severity is Severity.ERROR]
    if project.settings is None or failing:
        return BuildResult(project, False)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.tmp-", dir=site_dir.parent))
    try:
        from .mkdocs_adapter import build_with_mkdocs  # the engine, imported only when building

        try:
            search = build_with_mkdocs(project, staging, strict=True, defer_search=True)
        except Exception as e:  # the engine's own failures become one clear message
            return BuildResult(project, False, [f"生成站点失败：{type(e).__name__}: {e}"])
        findings, problems = post_build_checks(project, staging, site_dir, search)
        if problems:
            return BuildResult(project, False, problems)
        if findings:  # a broken link, a foreign font, a personal number: never published
            return BuildResult(project, False, [
                f"生成的站点未通过发布前检查：{len(findings)} 个问题"], findings)
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        swap_in(staging, site_dir)
        staging = None
        return BuildResult(project, True)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _label(project: Project, site_dir: Path) -> str:
    try:
        return site_dir.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(site_dir)


class _Share:
    """Selects the files outside the search bundle, or (bundle=True) the files inside it."""

    def __init__(self, bundle: bool) -> None:
        self.bundle = bundle

    def __call__(self, rel: str) -> bool:
        return rel.startswith(f"{BUNDLE_DIR}/") == self.bundle


def _check(staging: Path, url: str | None, label: str, select, admin_origins=()
           ) -> list[Diagnostic]:
    from .check import check_and_scan

    return check_and_scan(staging, url, label, select, admin_origins)


def post_build_checks(project: Project, staging: Path, site_dir: Path, search
                      ) -> tuple[list[Diagnostic], list[str]]:
    """The link and resource checks (check.py) and the safety scan (outscan.py) of the new site,
    in one reading of each page, on one core while Pagefind indexes the site on the other; the
    search bundle is checked once written."""
    url = project.settings["site"].get("url") or None
    label = _label(project, site_dir)
    from .editor.cms import api_origins

    admin = api_origins(project.settings)  # what /admin/ alone may connect to
    ctx = multiprocessing.get_context("fork")  # no thread runs now: Pagefind is a child process
    with ctx.Pool(2) as pool:
        # One worker reads every page (an anchor check needs all pages' ids) while Pagefind
        # indexes the site on the other core.
        jobs = [pool.apply_async(_check, (staging, url, label, _Share(bundle=False), admin))]
        if search.wait() is not None:
            return [], [str(search.error)]
        jobs.append(pool.apply_async(_check, (staging, url, label, _Share(bundle=True), admin)))
        findings = [d for job in jobs for d in job.get()]
    return sorted(findings, key=sort_key), []


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new` by renames, so readers never see a half-written site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:  # put the previous site back rather than leave none
            os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
