"""Site search: a Pagefind index built from the finished HTML, served from the site's own origin
and loaded in fragments, so a first search downloads a small part of the index."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BUNDLE_DIR = "pagefind"


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path) -> None:
    """Write the Pagefind bundle into `site_dir/pagefind/` (the extended build segments Chinese)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir),
           "--output-subdir", BUNDLE_DIR, "--force-language", "zh", "--silent"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise SearchIndexError(f"生成搜索索引失败：{e}") from e
    if proc.returncode != 0 or not (site_dir / BUNDLE_DIR / "pagefind.js").is_file():
        detail = (proc.stderr or proc.stdout).strip()[-500:]
        raise SearchIndexError(f"生成搜索索引失败（pagefind 退出码 {proc.returncode}）：{detail}")
