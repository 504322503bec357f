"""A project: settings, every record and the diagnostics from reading them, gathered before any write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, sort_key
from .records import Brand, load_brands
from .settings import Settings, load_settings


@dataclass
class Project:
    root: Path
    settings: Settings | None
    brands: list[Brand] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.settings is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def published(self) -> list[Brand]:
        return [b for b in self.brands if b.published]


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards holding settings.yml (else the start)."""
    start = (start or Path.cwd()).resolve()
    for p in (start, *start.parents):
        if (p / "settings.yml").is_file():
            return p
    return start


def load_project(root: Path) -> Project:
    """load → validate: read the settings and every record, collecting every diagnostic."""
    settings, diags = load_settings(root)
    project = Project(root, settings, [], list(diags))
    if settings is None:
        return project
    brands, bdiags = load_brands(root, settings)
    project.brands = brands
    project.diagnostics.extend(bdiags)
    project.diagnostics.sort(key=sort_key)
    return project
