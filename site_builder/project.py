"""A project: settings, every record and the diagnostics from reading them, gathered before any write."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, sort_key
from .evaluations import Round, check_levels, load_rounds
from .records import Brand, load_brands
from .settings import Settings, load_settings


@dataclass
class Project:
    root: Path
    settings: Settings | None
    brands: list[Brand] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    evaluations: list[Round] = field(default_factory=list)  # valid selection rounds, any status
    build_date: dt.date = field(default_factory=lambda: resolve_build_date())

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


# The build date is a calendar date in China Standard Time (UTC+8, no daylight saving).
BUILD_TZ = dt.timezone(dt.timedelta(hours=8))


def resolve_build_date(explicit: dt.date | None = None) -> dt.date:
    """The date a build is for: `explicit` (from --date), else SOURCE_DATE_EPOCH, else today.
    Selection rounds move from phase to phase by this date, so fixing it makes builds repeatable."""
    if explicit is not None:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), BUILD_TZ).date()
    return dt.datetime.now(BUILD_TZ).date()


def load_project(root: Path, build_date: dt.date | None = None) -> Project:
    """load → validate: read the settings and every record, collecting every diagnostic."""
    settings, diags = load_settings(root)
    project = Project(root, settings, [], list(diags), build_date=resolve_build_date(build_date))
    if settings is None:
        return project
    brands, bdiags = load_brands(root, settings)
    project.brands = brands
    project.diagnostics.extend(bdiags)
    # selection rounds, after the brands they name; then brand levels against their results
    rounds, rdiags = load_rounds(root, settings, brands, project.build_date)
    project.evaluations = rounds
    project.diagnostics.extend(rdiags)
    project.diagnostics.extend(check_levels(brands, rounds, settings))
    project.diagnostics.sort(key=sort_key)
    return project
