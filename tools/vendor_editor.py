"""Copy the form editor's built files (Decap CMS's bundle, the YAML library our format imports)
from node_modules into the package (site_builder/editor/vendor/), at the versions package-lock.json
pins, with their licences: an installed site-builder builds /admin/ without Node.js.

Run by `make vendor` after `npm ci`; tests/test_vendor.py checks the copy matches the pins.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.editor.cms import DECAP_DIST, VENDORED, YAML_DIST, vendored_files

# package name → the files beside its dist folder that carry its licence and version
PACKAGES = {"decap-cms": DECAP_DIST, "yaml": YAML_DIST}
LICENCE_FILES = ("LICENSE", "LICENSE.md", "package.json", "README.md")


def pinned() -> dict[str, str]:
    """The versions package-lock.json pins for the vendored packages."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))
    return {name: lock["packages"][f"node_modules/{name}"]["version"] for name in PACKAGES}


def main() -> int:
    nm = REPO / "node_modules"
    versions = pinned()
    for name in PACKAGES:
        meta = json.loads((nm / name / "package.json").read_text(encoding="utf-8"))
        if meta["version"] != versions[name]:
            print(f"node_modules/{name} 是 {meta['version']}，package-lock.json 固定的是 "
                  f"{versions[name]}：请先运行 npm ci", file=sys.stderr)
            return 1
    shutil.rmtree(VENDORED, ignore_errors=True)
    for rel, src in vendored_files(nm).items():
        dest = VENDORED / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for name in PACKAGES:  # the licence (Decap's package names MIT in package.json) and notices
        for f in LICENCE_FILES:
            if (nm / name / f).is_file():
                shutil.copyfile(nm / name / f, VENDORED / name / f)
    (VENDORED / "VERSIONS.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    total = sum(p.stat().st_size for p in VENDORED.rglob("*") if p.is_file())
    print(f"已复制到 {VENDORED.relative_to(REPO)}：{', '.join(f'{k} {v}' for k, v in versions.items())}"
          f"，共 {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
