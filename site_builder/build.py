"""The build pipeline: load → validate → render (through the engine adapter) → check → swap in."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, sort_key
from .project import Project, load_project


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
            build_with_mkdocs(project, staging, strict=True)
        except Exception as e:  # the engine's own failures become one clear message
            return BuildResult(project, False, [f"生成站点失败：{type(e).__name__}: {e}"])
        findings = check_built_site(project, staging, site_dir)
        # Personal numbers, inline script or broken data files never go live either (outscan).
        unsafe = scan_staging(project, staging, site_dir)
        if findings or unsafe:  # a site with a broken link or a foreign font is never published
            return BuildResult(project, False, [
                f"生成的站点未通过发布前检查：{len(findings) + len(unsafe)} 个问题"],
                sorted(findings + unsafe, key=sort_key))
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        swap_in(staging, site_dir)
        staging = None
        return BuildResult(project, True)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def check_built_site(project: Project, staging: Path, site_dir: Path) -> list[Diagnostic]:
    """Post-build checks of the staging folder; findings name pages as they will be in `site_dir`."""
    from .check import check_site

    try:
        label = site_dir.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        label = str(site_dir)
    return check_site(staging, project.settings["site"].get("url") or None, label)


def scan_staging(project: Project, staging: Path, site_dir: Path) -> list[Diagnostic]:
    """The safety scan of the new site (outscan.py); foreign resources are check.py's job."""
    from .outscan import scan_site

    try:
        label = site_dir.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        label = str(site_dir)
    return scan_site(staging, project.settings["site"].get("url") or None, label,
                     resources=False)


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
