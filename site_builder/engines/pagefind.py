"""Site search: a Pagefind index built from the finished HTML, served from the site's own origin
and loaded in fragments, so a first search downloads a small part of the index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..render.theme import prune_search_files
from . import EngineFailed
from .foreign import neutralise_folder

BUNDLE_DIR = "pagefind"
TIMEOUT_S = 600


class SearchIndexError(EngineFailed):
    """Pagefind failed or took too long."""


class SearchIndexJob:
    """Pagefind running in its own process while the caller goes on; `wait()` for the result.

    A plain child process rather than a thread: the build checks the pages on the other core
    meanwhile, and Python's own work never waits for the indexer.
    """

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir
        self.error: SearchIndexError | None = None
        self._done = False
        cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
               "--output-subdir", BUNDLE_DIR, "--force-language", "zh", "--silent"]
        try:
            self.proc: subprocess.Popen | None = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        except OSError as e:
            self.proc = None
            self.error = SearchIndexError(f"生成搜索索引失败：{e}")

    def wait(self) -> SearchIndexError | None:
        if self._done or self.proc is None:
            return self.error
        self._done = True
        try:
            _, err = self.proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            self.error = SearchIndexError(f"生成搜索索引超过 {TIMEOUT_S} 秒，已停止。")
            return self.error
        if self.proc.returncode != 0 or not (self.site_dir / BUNDLE_DIR / "pagefind.js").is_file():
            detail = (err or "").strip()[-500:]
            self.error = SearchIndexError(
                f"生成搜索索引失败（pagefind 退出码 {self.proc.returncode}）：{detail}")
        else:
            neutralise_folder(self.site_dir / BUNDLE_DIR, None)  # translators' credit links
            prune_search_files(self.site_dir / BUNDLE_DIR)  # the interfaces no page loads
        return self.error


    def raise_error(self) -> None:
        """Wait for the index; raise its error, if any."""
        error = self.wait()
        if error is not None:
            raise error


def index_site(site_dir: Path) -> None:
    """Write the Pagefind bundle into `site_dir/pagefind/` (the extended build segments Chinese)."""
    error = SearchIndexJob(site_dir).wait()
    if error is not None:
        raise error
