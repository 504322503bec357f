"""Verifying a built site before it is published: links, resources and leaks, each page read once."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from .leaks import new_scan
from .links import SiteChecker
from .memo import PageMemo


def check_and_scan(site_dir: Path, site_url: str | None, label: str, select=None,
                   admin_origins=None, elsewhere=None, memo: Path | None = None
                   ) -> list[Diagnostic]:
    """The link and resource checks and the leak scan of the selected files, reading each page
    once; `admin_origins` are the repository host's API origins that /admin/ alone may use.
    `elsewhere` is (pages, collect): pages another process reads (`parse_pages`). `memo` is the
    folder of pages parsed in earlier builds (`memo.PageMemo`)."""
    scan = new_scan(site_dir, site_url, label, resources=False)
    scan.select = lambda rel: (select is None or select(rel)) and not rel.endswith((".html", ".htm"))
    checker = SiteChecker(site_dir, site_url, label, select, admin_origins)
    checker.companion = scan
    checker.elsewhere = elsewhere
    checker.memo = scan.memo = _memo(memo, site_url, scan)
    return sorted(checker.run() + scan.run(), key=sort_key)


def parse_pages(site_dir: Path, site_url: str | None, label: str, rels: list[str],
                admin_origins, memo: Path | None = None) -> tuple[dict, list[Diagnostic]]:
    """Read these pages as `check_and_scan` does (in a helper process): what each holds, for the
    checks that need every page, and the leaks found in them."""
    scan = new_scan(site_dir, site_url, label, resources=False)
    checker = SiteChecker(site_dir, site_url, label, None, admin_origins)
    checker.companion = scan
    checker.memo = _memo(memo, site_url, scan)
    for rel in rels:
        checker.parse_page(Path(site_dir) / rel, rel)
    return checker.pages, checker.findings + scan.findings


# Below this many pages a helper process costs more than it saves.
HELPER_PAGES = 300
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class _Helper:
    """`parse_pages` in a fresh interpreter (`python -m site_builder.verify.helper`): it holds
    only what it reads, and works whatever program this one is (no module is imported again)."""

    def __init__(self, args: tuple) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
        # its messages go to a file: a pipe nobody reads yet could fill and stop it
        self.err = tempfile.TemporaryFile()  # noqa: SIM115  (closed by result())
        self.proc = subprocess.Popen([sys.executable, "-m", "site_builder.verify.helper"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, env=env)
        self.proc.stdin.write(pickle.dumps(args))
        self.proc.stdin.close()

    def result(self) -> tuple[dict, list[Diagnostic]]:
        out = self.proc.stdout.read()
        with self.err:
            if self.proc.wait() != 0:
                self.err.seek(0)
                raise RuntimeError("检查页面的辅助进程失败："
                                   + self.err.read().decode("utf-8", "replace")[-2000:])
        return pickle.loads(out)


class _Under:
    """Selects the files under `folder/`, or (inside=False) every other file."""

    def __init__(self, folder: str, inside: bool) -> None:
        self.prefix, self.inside = folder + "/", inside

    def __call__(self, rel: str) -> bool:
        return rel.startswith(self.prefix) == self.inside


def verify_site(site_dir: Path, site_url: str | None, label: str, search_folder: str,
                wait_for_search: Callable[[], None], admin_origins=(),
                memo: Path | None = None) -> list[Diagnostic]:
    """Every finding in a new site. The pages are read in this process while the search index
    is still being written by its own (`wait_for_search` returns when it is, or raises); the
    index is checked once written. No worker is forked: a copy of this process beside the
    indexer would count its memory twice for a few seconds gained. A page unchanged since a
    build that kept it in `memo` (a folder) is not parsed again."""
    outside = _Under(search_folder, False)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in Path(site_dir).rglob("*.htm*")
                   if p.is_file() and p.suffix.lower() in (".html", ".htm"))
    pages = [rel for rel in pages if outside(rel)]
    kept = _memo(memo, site_url, new_scan(site_dir, site_url, label, resources=False))
    fresh = pages if kept is None else [rel for rel in pages if not _kept(kept, site_dir, rel)]
    if len(fresh) < HELPER_PAGES:
        findings = check_and_scan(site_dir, site_url, label, outside, admin_origins, memo=memo)
    else:
        # Every other page to parse is read by a fresh helper process (not a fork: it holds
        # only what it reads), the rest here; the checks that need every page run here.
        handed = fresh[1::2]
        helper = _Helper((str(site_dir), site_url, label, handed, list(admin_origins),
                          None if memo is None else str(memo)))
        findings = check_and_scan(site_dir, site_url, label, outside, admin_origins,
                                  elsewhere=(set(handed), helper.result), memo=memo)
    wait_for_search()
    findings += check_and_scan(site_dir, site_url, label, _Under(search_folder, True),
                               admin_origins, memo=memo)
    return sorted(findings, key=sort_key)


def _memo(folder: Path | None, site_url: str | None, scan) -> PageMemo | None:
    """The entries for checks given this site address and this scan's settings."""
    if folder is None:
        return None
    return PageMemo(folder, f"{site_url or ''}\0resources={scan.resources}")


def _kept(memo: PageMemo, site_dir: Path, rel: str) -> bool:
    try:
        text = (Path(site_dir) / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # the checks say why it cannot be read
    return memo.holds(rel, text.encode())
