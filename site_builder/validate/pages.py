"""Rules a hand-written page must meet beyond its front matter's schema: the same personal-data,
Markdown and sanitising rules as a brand's story, and links to other pages that exist. The other
files under docs/ are judged in files.py."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit

from ..diagnostics import Code, Diagnostic, Reporter, has_errors
from ..load.brands import LoadedRecord, is_valid
from ..model import DOCS_DIR, Page
from ..text import clip
from .personal_data import check_front_matter_pii
from .story import _Locator, check_story, page_links


def validate_page(rec: LoadedRecord) -> Page | None:
    """The page when nothing is wrong with it (warnings aside), else None."""
    rep = rec.rep
    # A page is written by the site's maintainers and has no phone field: its office landlines
    # and 400/800 numbers (a 联系我们 page) are public by design; mobiles, identity and card
    # numbers stay refused.
    check_front_matter_pii(rec.root, rep, phones=False)
    check_story(rec.doc.body, rec.doc.body_line, rep, phones=False)
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
