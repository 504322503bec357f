"""Verifying a built site before it is published: links, resources and leaks, each page read once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from .leaks import new_scan
from .links import SiteChecker


def check_and_scan(site_dir: Path, site_url: str | None, label: str, select=None,
                   admin_origins=None) -> list[Diagnostic]:
    """The link and resource checks and the leak scan of the selected files, reading each page
    once; `admin_origins` are the repository host's API origins that /admin/ alone may use."""
    scan = new_scan(site_dir, site_url, label, resources=False)
    scan.select = lambda rel: (select is None or select(rel)) and not rel.endswith((".html", ".htm"))
    checker = SiteChecker(site_dir, site_url, label, select, admin_origins)
    checker.companion = scan
    return sorted(checker.run() + scan.run(), key=sort_key)


class _Under:
    """Selects the files under `folder/`, or (inside=False) every other file."""

    def __init__(self, folder: str, inside: bool) -> None:
        self.prefix, self.inside = folder + "/", inside

    def __call__(self, rel: str) -> bool:
        return rel.startswith(self.prefix) == self.inside


def verify_site(site_dir: Path, site_url: str | None, label: str, search_folder: str,
                wait_for_search: Callable[[], None], admin_origins=()) -> list[Diagnostic]:
    """Every finding in a new site. The pages are read in this process while the search index
    is still being written by its own (`wait_for_search` returns when it is, or raises); the
    index is checked once written. No worker is forked: a copy of this process beside the
    indexer would count its memory twice for a few seconds gained."""
    findings = check_and_scan(site_dir, site_url, label, _Under(search_folder, False),
                              admin_origins)
    wait_for_search()
    findings += check_and_scan(site_dir, site_url, label, _Under(search_folder, True),
                               admin_origins)
    return sorted(findings, key=sort_key)
