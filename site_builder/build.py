"""The build pipeline: load → validate → render (through the engine adapter) → check → swap in."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .project import Project, load_project


@dataclass
class BuildResult:
    project: Project
    ok: bool
    problems: list[str] = field(default_factory=list)  # build failures that are not record diagnostics

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics


def build_site(root: Path, site_dir: Path, strict: bool = False) -> BuildResult:
    """Build into a temporary folder beside `site_dir`; replace `site_dir` only if all passed."""
    project = load_project(root)
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
        staging.chmod(0o755)  # mkdtemp makes it private; a web server must be able to read it
        swap_in(staging, site_dir)
        staging = None
        return BuildResult(project, True)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with `new` by renames, so readers never see a half-written site."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
