"""Rules a hand-written page must meet beyond its front matter's schema: the same personal-data,
Markdown and sanitising rules as a brand's story, links to other pages that exist, and no file
under docs/ that would be published without those rules (raw HTML, links leaving the folder)."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import Code, Diagnostic, Reporter, has_errors
from ..load.brands import LoadedRecord, is_valid
from ..load.pages import REFUSED_SUFFIXES, docs_files
from ..model import DOCS_DIR, Page
from ..text import clip
from .images import _UNSAFE_NAME, image_file_problem
from .personal_data import check_front_matter_pii
from .story import _Locator, check_story, page_links


def validate_page(rec: LoadedRecord) -> Page | None:
    """The page when nothing is wrong with it (warnings aside), else None."""
    rep = rec.rep
    check_front_matter_pii(rec.root, rep)
    check_story(rec.doc.body, rec.doc.body_line, rep)
    if not is_valid(rec.value) or has_errors(rep.items):
        return None
    uri = rec.relpath.removeprefix(DOCS_DIR + "/")
    return Page(rec.relpath, uri, dict(rec.value), rec.doc.body, rec.doc.body_line)


def check_page_links(pages: list[Page], all_pages: set[str]) -> list[Diagnostic]:
    """Links from a page to another hand-written page (`other.md`) must find it published; the
    post-build check follows every other link (and reports it at the page's line)."""
    published = {p.uri for p in pages if p.published}
    out: list[Diagnostic] = []
    for page in pages:
        if not page.published:
            continue
        rep = Reporter(page.path)
        loc = _Locator(page.body, page.body_line)
        for href in page_links(page.body):
            u = urlsplit(href)
            if u.scheme or u.netloc or not u.path.endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.uri), unquote(u.path)))
            if target in published or target not in all_pages:
                continue  # a generated page's source (brands/index.md): the post-build check
            line, col = loc.at("](" + href, href)
            why = "未发布（草稿或已撤下）"
            rep.add(Code.P014, "正文", f"链接“{clip(href, 40)}”指向的页面 {DOCS_DIR}/{target} {why}；"
                    "提示：改正链接，或先发布被链接的页面。", line, col)
        out.extend(rep.items)
    return out


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


def check_docs_files(root: Path) -> list[Diagnostic]:
    """Files under docs/ that would be published without the page rules, or from outside it."""
    out: list[Diagnostic] = []
    real_docs = os.path.realpath(root / DOCS_DIR)
    for rel in docs_files(root):
        rep = Reporter(rel)
        path = root / rel
        if rel.lower().endswith(REFUSED_SUFFIXES):
            rep.add(Code.P014, "-", f"{rel} 会原样发布，绕过页面的安全检查；提示：改用 Markdown（.md）"
                    "书写页面，图标请用 PNG。", 1)
        elif os.path.commonpath([os.path.realpath(path), real_docs]) != real_docs:
            rep.add(Code.P014, "-", f"{rel} 是指向 {DOCS_DIR}/ 以外的链接；提示：把文件本身复制到 "
                    f"{DOCS_DIR}/ 中。", 1)
        elif rel.lower().endswith(IMAGE_SUFFIXES):  # encoded again when published: readable?
            if _UNSAFE_NAME.search(rel):
                rep.add(Code.B032, "-", f"图片文件名“{clip(rel)}”含有空格或 # % ? 等在网址中有特殊含义的"
                        "字符", 1, hint="")
            bad = image_file_problem(path)
            if bad:
                rep.add(bad[0], "-", bad[1], 1)
        out.extend(rep.items)
    return out
