"""A pull request's preview when its check fails: the site built from a copy of the project with
the records and pages that have errors left out, every page saying so in a banner
("本预览未包含有问题的档案：…"), so that an editor still sees what the rest of the change looks
like. Only for previews: the check itself still fails, and nothing here is published on main.

    site-builder preview-without-failing --site-dir site [--report left-out.json]

Exit 0 with a site (the list of what was left out in the report), 1 when no site can be built
without the failing files (settings.yml, a template, the build itself): then there is no preview.
The build itself is given by the caller (cli.py: build.build_site), the stage above this one.
"""

from __future__ import annotations

import html
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..diagnostics import Severity
from .changes import read_record
from .cms import EditorUnavailable

# What a preview may leave out: a record or a hand-written page (a file of its own, whose
# absence the rest of the site survives). An error anywhere else stops the preview.
_LEAVABLE = {"brands": ".md", "evaluations": ".md", "docs": ".md"}
# Not copied: the repository's history, installed tools, sites built before.
_NOT_COPIED = {".git", ".venv", "node_modules", "site", "demo-site", "test-artifacts",
               "screenshots", "__pycache__"}
MAX_ROUNDS = 5  # leaving a record out can break another (a round naming it): try again, a bit
BANNER_CLASS = "lb-preview-left-out"


def leavable(path: str) -> str | None:
    """The file to leave out for a problem at `path`: the record itself, or the record whose
    folder holds the image (brands/<slug>/photo.jpg → brands/<slug>.md); None for any other file."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] not in _LEAVABLE:
        return None
    if len(parts) == 2 and parts[1].endswith(_LEAVABLE[parts[0]]):
        return path
    if parts[0] == "brands" and len(parts) >= 3:
        return f"brands/{parts[1]}.md"
    if parts[0] == "docs" and path.endswith(".md"):
        return path
    return None


def _copy_project(root: Path, dest: Path) -> Path:
    shutil.copytree(root, dest, symlinks=True,
                    ignore=lambda d, names: [n for n in names if Path(d) == root and n in _NOT_COPIED])
    if (root / "node_modules").is_dir():  # the form editor's packages, read where they are
        (dest / "node_modules").symlink_to((root / "node_modules").resolve())
    return dest


def _title(root: Path, rel: str) -> str:
    """The record's name (品牌名称 or a round's title) when its file still reads, else ""."""
    try:
        data = (root / rel).read_bytes()
    except OSError:
        return ""
    record = read_record(rel, data)
    if record is None:
        return ""
    fields = record[0]
    name = fields.get("name") or fields.get("title") or ""
    return name if isinstance(name, str) else ""


LeftOut = tuple[str, str, bool]  # (file, its name or "", left out only because it names another)


def left_out_words(left_out: list[LeftOut]) -> str:
    """'本预览未包含有问题的档案：…' as plain text (names come from the pull request: the caller
    escapes for where it writes)."""
    def items(cascaded: bool) -> str:
        return "、".join(f"{name}（{rel}）" if name else rel for rel, name, c in left_out
                        if c is cascaded)

    text = f"本预览未包含有问题的档案：{items(False)}"
    if any(c for _, _, c in left_out):
        text += f"；因引用了这些档案而一并未包含：{items(True)}"
    return text + "。"


def banner(left_out: list[LeftOut]) -> str:
    """The preview's notice at the top of a page, escaped."""
    return (f'<div class="{BANNER_CLASS}" role="note" style="margin:0;padding:.75em 1em;'
            'background:#fff4d6;color:#3d2a00;border-bottom:2px solid #c9a227;font-size:1rem;'
            f'line-height:1.6">{html.escape(left_out_words(left_out))}'
            "有问题的档案改正之前不能合并，问题见拉取请求中的评论。</div>")


_BODY = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def add_banner(site_dir: Path, left_out: list[LeftOut]) -> int:
    """The banner at the top of every page of the preview; the number of pages."""
    mark = banner(left_out).encode("utf-8")
    pages = 0
    for page in sorted(site_dir.rglob("*.html")):
        if page.is_symlink() or not page.is_file():
            continue
        data = page.read_bytes()
        m = _BODY.search(data)
        if m is None:
            continue
        page.write_bytes(data[:m.end()] + mark + data[m.end():])
        pages += 1
    return pages


def build_without_failing(root: Path, site_dir: Path, build_site: Callable
                          ) -> tuple[bool, list[LeftOut], str]:
    """(built, [(file, name) left out], why not built). Builds a copy of the project, leaving out
    the records and pages with errors, again while leaving them out makes new errors elsewhere."""
    left_out: list[LeftOut] = []
    with tempfile.TemporaryDirectory(prefix="partial-preview-") as tmp:
        copy = _copy_project(root.resolve(), Path(tmp) / "project")
        for attempt in range(MAX_ROUNDS):
            try:
                result = build_site(copy, site_dir)
            except EditorUnavailable as e:  # the form editor's packages are not installed
                return False, left_out, str(e)
            if result.ok:
                return True, left_out, ""
            failing = [d for d in result.diagnostics if d.severity is Severity.ERROR]
            failing += list(result.findings)
            files = {leavable(d.path) for d in failing}
            if not failing or None in files:
                others = sorted({d.path for d in failing if leavable(d.path) is None})
                why = ("；".join(result.problems) or
                       f"问题不在档案中（{'、'.join(others)}），无法除去后生成")
                return False, left_out, why
            for rel in sorted(f for f in files if f):
                if (copy / rel).is_file():
                    left_out.append((rel, _title(copy, rel), attempt > 0))
                    (copy / rel).unlink()
        return False, left_out, "除去有问题的档案后仍无法生成"
