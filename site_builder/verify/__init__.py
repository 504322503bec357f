"""Verifying a built site before it is published: links, resources and leaks, each page read once."""

from __future__ import annotations

import os
import pickle
import posixpath
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Diagnostic, sort_key
from ..project import CHILD_GUARD
from ..system import release_memory
from .html import walk
from .leaks import new_scan
from .links import SiteChecker
from .memo import LinkMemo, PageMemo


def check_and_scan(site_dir: Path, site_url: str | None, label: str, select=None,
                   admin_origins=None, elsewhere=None, memo: Path | PageMemo | None = None,
                   links: str | None = None, listed=None) -> list[Diagnostic]:
    """The link and resource checks and the leak scan of the selected files, reading each page
    once; `admin_origins` are the repository host's API origins that /admin/ alone may use.
    `elsewhere` is (pages, collect): pages another process reads (`parse_pages`). `memo` is
    what the checks found in earlier builds (`memo.PageMemo`, or the folder of its entries:
    then the entry of the checks named `links`), written again at the end; with it, `links`
    names which checks these are, for what resolving the pages' addresses found to be kept
    there too (`memo.LinkMemo`). `listed` is `walk(site_dir)` when made already."""
    scan = new_scan(site_dir, site_url, label, resources=False)
    scan.select = lambda rel: (select is None or select(rel)) and not rel.endswith((".html", ".htm"))
    checker = SiteChecker(site_dir, site_url, label, select, admin_origins)
    checker.companion = scan
    checker.elsewhere = elsewhere
    checker.memo = scan.memo = memo if isinstance(memo, PageMemo) or memo is None else \
        _memo(memo, site_url, links or "")
    if checker.memo is not None and checker.memo.folder is not None and links is not None:
        checker.digests = {}
        checker.link_memo = LinkMemo(checker.memo.folder, "\0".join(
            [links, checker.memo.context.decode("utf-8", "surrogateescape"),
             *sorted(checker.admin_origins)]))
    # one listing of the site for both
    checker.listed = scan.listed = walk(Path(site_dir)) if listed is None else listed
    findings = sorted(checker.run() + scan.run(), key=sort_key)
    if checker.memo is not None:
        checker.memo.save()
    return findings


def parse_pages(site_dir: Path, site_url: str | None, label: str, rels: list[str],
                admin_origins, memo: Path | None = None) -> tuple[dict, list[Diagnostic], dict,
                                                                   dict]:
    """Read these pages as `check_and_scan` does (in a helper process): what each holds, for the
    checks that need every page, the leaks found in them, each page's digest, and (with a
    `memo` folder) what the calling process keeps of them (`PageMemo.adopt`)."""
    scan = new_scan(site_dir, site_url, label, resources=False)
    checker = SiteChecker(site_dir, site_url, label, None, admin_origins)
    checker.companion = scan
    checker.memo = None if memo is None else PageMemo(None)  # records what it reads, only
    checker.digests = {}
    for rel in rels:
        checker.parse_page(Path(site_dir) / rel, rel)
    made = {} if checker.memo is None else checker.memo.made()
    return checker.pages, checker.findings + scan.findings, checker.digests, made


# Below this many pages a helper process costs more than it saves.
HELPER_PAGES = 300
# The helper reads as many pages as this process, beside it: once this one has read its own,
# the helper gets this much longer (ten minutes, as the search indexer) before it is taken to
# be stuck, killed, and the build failed.
HELPER_TIMEOUT_S = 600
_PACKAGE = Path(__file__).resolve().parents[1]  # this program's own `site_builder` folder
# The helper's first lines, after `CHILD_GUARD`: the package this process runs, loaded from its
# own folder by file name, whatever other `site_builder` the interpreter could find; nothing
# is imported from the project or the working folder (the interpreter runs with -P, in the
# package's folder).
_BOOT = CHILD_GUARD + (
    "import importlib.util\n"
    "spec = importlib.util.spec_from_file_location('site_builder', sys.argv[1])\n"
    "sys.modules['site_builder'] = package = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(package)\n"
    "from site_builder.verify.helper import main\n"
    "main()\n")


class _Helper:
    """`parse_pages` in a fresh interpreter: it holds only what it reads, and works whatever
    program this one is (no module is imported again). It imports this very package and no
    module from the project or the working folder (where anyone who can add a file to the
    project could plant a `json.py`), ends with this process, and is killed when it takes too
    long."""

    def __init__(self, args: tuple) -> None:
        self.args = tempfile.TemporaryFile()  # noqa: SIM115  (closed once the helper is started)
        self.args.write(pickle.dumps(args))
        self.args.seek(0)
        # its messages go to a file: a pipe nobody reads yet could fill and stop it
        self.err = tempfile.TemporaryFile()  # noqa: SIM115  (closed by result())
        with self.args:
            self.proc = subprocess.Popen(
                [sys.executable, "-P", "-c", _BOOT, str(os.getpid()), str(_PACKAGE / "__init__.py")],
                stdin=self.args, stdout=subprocess.PIPE, stderr=self.err, cwd=_PACKAGE)

    def result(self) -> tuple[dict, list[Diagnostic], dict]:
        with self.err:
            try:
                out, _ = self.proc.communicate(timeout=HELPER_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.stop()
                raise RuntimeError(f"检查页面的辅助进程超过 {HELPER_TIMEOUT_S} 秒仍未完成，已停止它。"
                                   "请再运行一次；仍然超时的话，请加 --debug 运行并把输出交给维护人员。") from None
            if self.proc.returncode != 0:
                self.err.seek(0)
                raise RuntimeError("检查页面的辅助进程失败："
                                   + self.err.read().decode("utf-8", "replace")[-2000:])
        return pickle.loads(out)

    def stop(self) -> None:
        """Kill it if it still runs (its result was not asked for, or came too late)."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        self.err.close()


class _Under:
    """Selects the files under `folder/`, or (inside=False) every other file."""

    def __init__(self, folder: str, inside: bool) -> None:
        self.prefix, self.inside = folder + "/", inside

    def __call__(self, rel: str) -> bool:
        return rel.startswith(self.prefix) == self.inside


def verify_site(site_dir: Path, site_url: str | None, label: str, search_folder: str,
                wait_for_search: Callable[[], None], admin_origins=(),
                memo: Path | None = None) -> list[Diagnostic]:
    """Every finding in a new site: `verify_pages`, then `verify_search`."""
    findings = verify_pages(site_dir, site_url, label, search_folder, admin_origins, memo)
    return sorted(findings + verify_search(site_dir, site_url, label, search_folder,
                                           wait_for_search, admin_origins, memo), key=sort_key)


def verify_pages(site_dir: Path, site_url: str | None, label: str, search_folder: str,
                 admin_origins=(), memo: Path | None = None) -> list[Diagnostic]:
    """The findings in every file of a new site but its search index (`search_folder`), which
    is written afterwards. The pages are read by this process and a helper. A page unchanged
    since a build that kept it in `memo` (a folder) is not parsed again. The pages' values are
    given back at the end: the indexer, the build's largest process, starts next and runs with
    this one as small as it can be beside it."""
    outside = _Under(search_folder, False)
    listed = walk(Path(site_dir))  # (the checks' own listing: a page is a file, never a link)
    pages = [rel for rel, kind in listed if kind == "file" and outside(rel)
             and posixpath.splitext(rel)[1].lower() in (".html", ".htm")]
    kept = _memo(memo, site_url, "pages")
    # a page found kept here is not read again (`PageMemo.take`)
    fresh = pages if kept is None else [rel for rel in pages
                                        if not kept.look(Path(site_dir) / rel, rel)]
    if len(fresh) < HELPER_PAGES:
        findings = check_and_scan(site_dir, site_url, label, outside, admin_origins, memo=kept,
                                  links="pages", listed=listed)
    else:
        # Every other page to parse is read by a fresh helper process (not a fork: it holds
        # only what it reads), the rest here; the checks that need every page run here.
        handed = fresh[1::2]
        helper = _Helper((os.path.abspath(site_dir), site_url, label, handed,
                          list(admin_origins), None if memo is None else os.path.abspath(memo)))

        def collect() -> tuple[dict, list[Diagnostic], dict]:
            pages, found, digests, made = helper.result()
            if kept is not None:
                kept.adopt(made)
            return pages, found, digests

        try:
            findings = check_and_scan(site_dir, site_url, label, outside, admin_origins,
                                      elsewhere=(set(handed), collect), memo=kept,
                                      links="pages", listed=listed)
        finally:
            helper.stop()
    release_memory()
    return findings


def verify_search(site_dir: Path, site_url: str | None, label: str, search_folder: str,
                  wait_for_search: Callable[[], None], admin_origins=(),
                  memo: Path | None = None) -> list[Diagnostic]:
    """The findings in the search index: `wait_for_search` has it written (it returns when it
    is, or raises), then its files are checked."""
    wait_for_search()
    return check_and_scan(site_dir, site_url, label, _Under(search_folder, True),
                          admin_origins, memo=_memo(memo, site_url, "search"))


def _memo(folder: Path | None, site_url: str | None, part: str) -> PageMemo | None:
    """The entry of the checks given this site address, of this part of the site (the leak
    scan rides along without foreign resources: check_and_scan)."""
    if folder is None:
        return None
    return PageMemo(folder, f"{site_url or ''}\0resources=False", part)
