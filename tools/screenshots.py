"""Phone-width screenshots of the pages a pull request changes, taken from the built preview.

Usage: python tools/screenshots.py SITE_DIR PAGES_FILE OUT_DIR
PAGES_FILE lists site paths, one a line (`site-builder changes --pages`). The site is served on
loopback and every request to another origin is aborted, as in the browser tests.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import unquote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from browser import guarded_page, launch_browser, serve_dir

PHONE = (390, 844)


def shoot(site: Path, pages: list[str], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots = []
    with serve_dir(site) as base, launch_browser() as browser:
        for i, rel in enumerate(pages, 1):
            if not (site / unquote(rel) / "index.html").is_file() and rel:
                continue  # a page the change removed
            page, _guard = guarded_page(browser, base, viewport=PHONE)
            page.goto(base + rel)
            name = unquote(rel).strip("/").replace("/", "_") or "home"
            path = out / f"{i:02d}-{name}.png"
            page.screenshot(path=str(path), full_page=True)
            page.context.close()
            shots.append(path)
    return shots


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    site, pages_file, out = map(Path, argv)
    pages = [p.strip() for p in pages_file.read_text(encoding="utf-8").splitlines() if p.strip()]
    shots = shoot(site, pages[:30], out)
    print(f"已截图 {len(shots)} 个页面（手机宽度 {PHONE[0]} px）：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
