"""Post-build checks of a built site: links, anchors, missing files, titles and foreign hosts."""

from __future__ import annotations

import hashlib
import html
import html.parser
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

from ..diagnostics import Code, Diagnostic, make_diagnostic, sort_key
from ..text import line_col
from .html import (
    _RESOURCE_ATTRS,
    _RESOURCE_RELS,
    ADMIN,
    css_unescape,
    css_urls,
    feed_plain,
    is_vendored,
    named_addresses,
    parse_srcset,
    site_path,
    unpublishable,
    walk,
)

_ORIGIN_ONLY_RELS = {"preconnect", "dns-prefetch"}  # name a host, not a file
_NAV_RELS = {"canonical", "alternate", "next", "prev", "first", "last", "up", "help", "license"}
_SAFE_SCHEMES = {"data", "blob", "about"}

# Script calls that fetch or run code from a literal address: importScripts('https://…') etc.
# Addresses in the sitemap and in Atom/RSS feeds: <loc>…</loc>, <link href="…"/>, <link>…</link>.
_XML_LINK = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>|<link\b[^>]*?\bhref=\"([^\"]+)\"|<link>\s*([^<\s]+)\s*</link>")

# The form editor's folder: its page may connect to the repository host's API (settings.yml
# `editor`), no public page may refer to it, and Decap's vendored bundle under vendor/ is not
# scanned for literal addresses (the page's Content-Security-Policy governs it instead).
_LOOPBACK_ORIGINS = {"http://127.0.0.1", "http://localhost"}


def _in_admin(rel: str) -> bool:
    return rel == ADMIN or rel.startswith(ADMIN + "/")


# The editor's own page and the scripts the build copies beside it (editor/cms.py
# `admin_files`): any other page or script under admin/ is held to the rules of every other.
_ADMIN_PAGE = ADMIN + "/index.html"


def _admin_script(rel: str) -> bool:
    return is_vendored(rel) or rel in (ADMIN + "/strict-frontmatter.js", ADMIN + "/form.js") or (
        rel.startswith(ADMIN + "/yaml/") and rel.endswith(".js"))


def _is_loopback(source: str) -> bool:
    """A local backend (decap-server) on this computer: http://127.0.0.1:PORT or localhost."""
    return re.fullmatch(r"http://(127\.0\.0\.1|localhost)(:\d+)?/?", source) is not None


# A string in a script that begins with another site's address ("https://unpkg.com/…"). XML
# namespace names and the reserved example domains are names, not addresses anything fetches.
_JS_HOST = re.compile(r"""["'`]((?:https?:)?//([A-Za-z0-9.-]+)(?::\d+)?(?:[/?#][^"'`\s]*)?)["'`]""")
_JS_HOST_ALLOWED = {"www.w3.org", "example.com", "example.org", "example.net"}

# What each engine's layout writes into every page it renders (templates/native/base.html,
# templates/theme/main.html): a site whose home page carries one is one of ours, and then every
# page must carry the same.
_THEME_GENERATORS = ("site-builder", "mkdocs-")
_THEMED_HOME = re.compile(r'<meta name="generator" content="(site-builder"|mkdocs-)')
# The search index's folder holds this file; its own scripts are named pagefind*.js.
_SEARCH_ENTRY = "pagefind-entry.json"


def _generated_by(generator: str, themed: str) -> bool:
    """Whether a page's generator is the home page's engine: "site-builder" exactly, or
    "mkdocs-" and its version."""
    return generator == themed if themed == "site-builder" else generator.startswith(themed)


def file_digest(data: bytes) -> str:
    """What names a file's bytes in the checks' memo (memo.PageMemo, memo.LinkMemo)."""
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Page:
    """What one HTML page holds: its title, its ids and every address it refers to."""

    title: str | None = None
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # line, col, kind, what, url
    css: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, inline css
    scripts: list[tuple[int, int, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # robots, content-security-policy


class _PageParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()
        self._in: str | None = None  # "title", "style" or "script" while inside one
        self._text: list[str] = []
        self._start = (1, 0)

    def _ref(self, kind: str, what: str, url: str) -> None:
        line, col = self.getpos()
        self.page.refs.append((line, col + 1, kind, what, url))

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.page.ids.add(a["name"])
        if tag == "script" and a.get("type", "").strip().lower() == "application/ld+json":
            pass  # structured data names schema.org as its vocabulary, loads nothing
        elif tag in ("title", "style", "script") and self._in is None:
            self._in, self._text, self._start = tag, [], self.getpos()
        if a.get("style"):
            line, col = self.getpos()
            self.page.css.append((line, col + 1, a["style"]))
        if tag in ("a", "area") and "href" in a:
            self._ref("link", f"<{tag} href>", a["href"])
        elif tag == "link" and "href" in a:
            rels = set(a.get("rel", "").lower().split())
            if rels & _ORIGIN_ONLY_RELS:
                self._ref("origin", "<link rel=" + " ".join(sorted(rels)) + ">", a["href"])
            elif rels & _RESOURCE_RELS:
                self._ref("resource", "<link rel=" + " ".join(sorted(rels)) + ">", a["href"])
            elif rels & _NAV_RELS:
                self._ref("link", "<link rel=" + " ".join(sorted(rels)) + ">", a["href"])
        if tag == "link" and "imagesrcset" in a:
            for url in parse_srcset(a["imagesrcset"]):
                self._ref("resource", "<link imagesrcset>", url)
        if tag == "meta" and a.get("name", "").lower() == "robots":
            self.page.meta["robots"] = a.get("content", "")
        if tag == "meta" and a.get("name", "").lower() == "generator":
            self.page.meta["generator"] = a.get("content", "")
        if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy":
            self.page.meta["csp"] = a.get("content", "")
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.IGNORECASE)
            if m:
                self._ref("link", "<meta refresh>", m.group(1).strip())
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if attr not in a or (tag == "input" and a.get("type", "").lower() != "image"):
                continue
            urls = parse_srcset(a[attr]) if attr.endswith("srcset") else [a[attr]]
            for url in urls:
                self._ref("resource", f"<{tag} {attr}>", url)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self._in == tag:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self._in is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag != self._in:
            return
        text = "".join(self._text)
        line, col = self._start
        if tag == "title":
            self.page.title = (self.page.title or "") + text
        elif tag == "style":
            self.page.css.append((line, col + 1, text))
        else:
            self.page.scripts.append((line, col + 1, text))
        self._in = None


def _places(places: list, length: int) -> bool:
    """Whether every one of `places` is a place in a list of `length` items."""
    return not places or (min(places) >= 0 and max(places) < length)


class SiteChecker:
    """Checks every page and stylesheet of a built site; collects findings, never stops early."""

    def __init__(self, site_dir: Path, site_url: str | None = None, label: str | None = None,
                 select=None, admin_origins=None):
        self.root = Path(site_dir)
        # the repository host's API, the one outside address /admin/ (and nothing else) may use:
        # from settings.yml when given, else from the editor configuration written into the site
        if admin_origins is None:
            from ..editor.cms import configured_origins

            admin_origins = configured_origins(self.root)
        self.admin_origins = {o.lower().rstrip("/") for o in admin_origins}
        self.select = select
        self.companion = None  # an outscan scan that reads each page in the same parse
        self.listed: list[tuple[str, str]] | None = None  # `walk` of the site, when made already
        self.memo = None  # a memo.PageMemo: pages parsed in an earlier build (with a companion)
        # (pages, collect): pages read by another process; collect() returns what it found
        self.elsewhere: tuple[set[str], Callable[[], tuple[dict, list]]] | None = None
        self.label = (label if label is not None else str(site_dir)).rstrip("/")
        u = urlsplit(site_url or "")
        self.host = u.netloc.lower() if u.scheme in ("http", "https") else None
        self.prefix = "/" + u.path.strip("/") + "/" if u.path.strip("/") else "/"
        self.findings: list[Diagnostic] = []
        self.pages: dict[str, _Page] = {}
        self.loaded_scripts: set[str] = set()  # files a page loads with <script src>
        # (memo.LinkMemo) what resolving each page's addresses found in the last build; with
        # it, `digests` holds each page's digest, and `_lookups` what the page being checked
        # asks of the site's listing
        self.link_memo = None
        self.digests: dict[str, str] | None = None
        self._lookups: tuple[list, list, list] | None = None

    # -- reporting ---------------------------------------------------------------------------
    def _add(self, rel: str, line: int, col: int, code: Code, target: str, message: str) -> None:
        self.findings.append(make_diagnostic(site_path(self.label, rel), line, col, code, target,
                                             message))

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        listed = self.listed if self.listed is not None else walk(self.root)
        self._symlinks([self.root / rel for rel, kind in listed if kind == "link"])  # not followed
        self._files = {rel for rel, kind in listed if kind == "file"}
        self._dirs = {""} | {rel for rel, kind in listed if kind == "dir"}
        files = [(rel, self.root / rel) for rel, kind in listed if kind == "file" and (
            self.select is None or self.select(rel))]
        elsewhere, collect = self.elsewhere or (set(), None)
        themed = self._themed()
        for rel, p in files:
            if p.suffix.lower() in (".html", ".htm"):
                self._unpublishable(rel, unpublishable(rel))  # (the leak scan reads no page)
                if rel not in elsewhere:
                    self.parse_page(p, rel)
        if collect is not None:  # the pages another process parsed (verify.parse_pages)
            pages, findings, digests = collect()
            self.pages.update(pages)
            self.findings += findings
            if self.digests is not None:
                self.digests.update(digests)
        kept = self._kept_links()
        checked: dict[str, tuple] = {}
        for rel, page in self.pages.items():
            if kept is None:
                self._check_page(rel, page)
            else:
                checked[rel] = self._check_page_kept(rel, page, kept)
            if themed and rel != _ADMIN_PAGE and \
                    not _generated_by(page.meta.get("generator", ""), themed):
                self._unpublishable(rel, "不是本站模板生成的页面")
        for rel, p in files:
            suffix = p.suffix.lower()
            if themed and suffix in (".js", ".mjs") and not self._known_script(p, rel):
                self._unpublishable(rel, "没有任何页面加载的脚本文件")
            if suffix == ".css":
                text = self._read(p, rel)
                if text is not None:
                    self._check_css(rel, text, 1, 1)
            elif suffix in (".js", ".mjs", ".svg") and not is_vendored(rel):
                # Decap's own bundle names services our configuration never uses (Netlify); what
                # it may reach is limited by the admin page's policy, checked in _check_admin.
                text = self._read(p, rel)
                if text is not None:
                    self._check_script(rel, text, 1, 1)
                    if suffix == ".svg":
                        self._check_svg(rel, text)
            elif suffix == ".webmanifest" or p.name == "manifest.json":
                self._check_manifest(p, rel)
            elif suffix == ".xml":
                text = self._read(p, rel)
                if text is not None:
                    self._check_xml(rel, text)
        if self.link_memo is not None:
            self.link_memo.save(checked)
        self.findings.sort(key=sort_key)
        return self.findings

    def _kept_links(self) -> tuple | None:
        """What the last build kept (`memo.LinkMemo`): its pages, and which of the lookups and
        anchors it recorded get another answer in this site (None: no memo)."""
        if self.link_memo is None:
            return None
        pages = self.link_memo.load()
        try:
            changed = ({i for i, (norm, trailing, found) in enumerate(self.link_memo.lookups)
                        if self._resolve(norm, trailing) != found},
                       {i for i, (found, fragment, missing) in enumerate(self.link_memo.anchors)
                        if self._anchor_missing(found, fragment) != missing})
        except (TypeError, ValueError):
            return {}, (set(), set())  # not what this program keeps: every page checked
        return pages, changed

    def _check_page_kept(self, rel: str, page: _Page, kept: tuple) -> tuple:
        """`_check_page`, or its findings as the last build kept them (`memo.LinkMemo`) when
        the page's bytes are the same and each lookup it made gets the same answer now. What
        to keep of this page, and whether it was checked again."""
        pages, (lookups_changed, anchors_changed) = kept
        digest = self.digests.get(rel) if self.digests is not None else None
        entry = pages.get(rel)
        if digest is not None and entry is not None and entry[0] == digest:
            try:
                _, findings, lookups, anchors, scripts = entry
                if lookups_changed.isdisjoint(lookups) and anchors_changed.isdisjoint(anchors) \
                        and _places(lookups, len(self.link_memo.lookups)) \
                        and _places(anchors, len(self.link_memo.anchors)):
                    path = site_path(self.label, rel)
                    self.findings += [make_diagnostic(path, line, col, Code[code], field, message)
                                      for line, col, code, field, message in findings]
                    self.loaded_scripts.update(scripts)
                    return entry, False
            except (TypeError, ValueError, KeyError):
                pass  # not what this program keeps: checked again
        before, self._lookups = len(self.findings), ({}, {}, set())
        try:
            self._check_page(rel, page)
            lookups, anchors, scripts = self._lookups
        finally:
            self._lookups = None
        findings = [[d.line, d.col, d.code, d.field, d.message]
                    for d in self.findings[before:]]
        return ([digest, findings, [[*k, v] for k, v in lookups.items()],
                 [[*k, v] for k, v in anchors.items()], sorted(scripts)]
                if digest is not None else None), True

    def _resolve(self, norm: str, trailing: bool) -> str | None:
        """The file an address resolved to `norm` names in the site, or None."""
        if norm in self._dirs:
            index = f"{norm}/index.html" if norm else "index.html"
            return index if index in self._files else None
        return norm if norm in self._files and not trailing else None

    def _anchor_missing(self, found: str, fragment: str) -> bool:
        return found in self.pages and fragment not in self.pages[found].ids

    def _themed(self) -> str | None:
        """The generator of the site's home page when one of our layouts rendered it, else None
        (a site made by hand, as in tests of single checks, is held to the page and script
        rules below only then)."""
        try:
            with open(self.root / "index.html", encoding="utf-8", errors="replace") as f:
                m = _THEMED_HOME.search(f.read(65536))
        except OSError:
            return None
        return None if m is None else m.group(1).rstrip('"')

    def _symlinks(self, links: list[Path]) -> None:
        """Symbolic links, reported here when the leak scan riding along does not read them
        (it reads no page) or none does."""
        scan = self.companion
        for p in links:
            rel = p.relative_to(self.root).as_posix()
            if (self.select is None or self.select(rel)) and (
                    scan is None or (scan.select is not None and not scan.select(rel))):
                self._unpublishable(rel, "符号链接（它可能把本机的其他文件或文件夹一起发布出去）")

    def _known_script(self, p: Path, rel: str) -> bool:
        """A script some page loads, the search index's own, or the form editor's (whose page
        lets it load only this site's scripts: _check_admin)."""
        return (rel in self.loaded_scripts or _admin_script(rel)
                or (p.name.startswith("pagefind") and (p.parent / _SEARCH_ENTRY).is_file()))

    def _unpublishable(self, rel: str, what: str | None) -> None:
        if what is not None:
            self._add(rel, 1, 1, Code.P114, rel, f"站点中有{what}，它可能运行脚本或改变网站的行为；"
                      "提示：" + Code.P114.fix)

    def parse_page(self, p: Path, rel: str) -> None:
        """Read one page: what it holds (self.pages), and its leaks if a scan rides along (then
        taken from `memo` when this page, these bytes at this address, was parsed before, and
        kept there when not)."""
        if p.is_symlink():
            return  # reported by run(), never read
        scan, memo = self.companion, self.memo if self.companion is not None else None
        if memo is None:
            text = self._read(p, rel)
            if text is None:
                return
        else:
            path = site_path(self.label, rel)
            kept = memo.take(rel, path)  # found kept before (`verify_pages`): not read again
            if kept is None:
                data = self._read_bytes(p, rel)
                if data is None:
                    return
                digest = file_digest(data)
                kept = memo.get(rel, digest, path)
                kept = None if kept is None else (digest, *kept)
            else:
                digest = kept[0]
            if self.digests is not None:
                self.digests[rel] = digest
            if kept is not None:
                _, page, findings = kept
                scan.findings += findings
                if page is not None:
                    self.pages[rel] = page
                return
            text = self._text(data, rel)
            if text is None:
                return
        parser, before = _PageParser(), len(scan.findings) if scan is not None else 0
        if scan is None:
            if not feed_plain(text, parser):  # markup the generator never writes
                parser.feed(text)
                parser.close()
            page = parser.page
        else:
            page = parser.page if scan.html(rel, text, also=parser) else None
            if memo is not None:
                memo.put(rel, digest, path, page, scan.findings[before:])
        if page is not None:
            self.pages[rel] = page

    def _read_bytes(self, p: Path, rel: str) -> bytes | None:
        try:
            return p.read_bytes()
        except OSError as e:
            self._unreadable(rel, e)
            return None

    def _text(self, data: bytes, rel: str) -> str | None:
        """`data` as `_read` reads a file: UTF-8, every line ending made a "\\n"."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            self._unreadable(rel, e)
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    def _unreadable(self, rel: str, e: Exception) -> None:
        self._add(rel, 1, 1, Code.C006, rel, f"无法以 UTF-8 读取：{type(e).__name__}；提示："
                  + Code.C006.fix)

    def _read(self, p: Path, rel: str) -> str | None:
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self._unreadable(rel, e)
            return None

    def _check_admin(self, rel: str, page: _Page) -> None:
        """An editor page: kept out of search engines, and connecting only where it must."""
        problems = []
        if "noindex" not in page.meta.get("robots", "").lower():
            problems.append('缺少 <meta name="robots" content="noindex">')
        policy = {}
        for part in page.meta.get("csp", "").split(";"):
            words = part.split()
            if words:
                policy[words[0].lower()] = words[1:]
        if not policy:
            problems.append("缺少内容安全策略（Content-Security-Policy）")
        else:
            allowed = {"'self'", "blob:", "data:"} | self.admin_origins | _LOOPBACK_ORIGINS
            if policy.get("default-src") != ["'self'"]:
                problems.append("default-src 应只有 'self'")
            extra = [s for s in policy.get("connect-src", ["*"])
                     if s.lower().rstrip("/") not in allowed and not _is_loopback(s)]
            if extra:
                problems.append("connect-src 中有未配置的地址 " + " ".join(extra))
            bad = [s for s in policy.get("script-src", ["*"])
                   if s not in ("'self'", "'unsafe-eval'", "'wasm-unsafe-eval'")]
            if bad:
                problems.append("script-src 只能是本站，实际还有 " + " ".join(bad))
        for p in problems:
            self._add(rel, 1, 1, Code.C008, rel, f"编辑器页面{p}；提示：" + Code.C008.fix)

    def _check_page(self, rel: str, page: _Page) -> None:
        if _in_admin(rel):
            self._check_admin(rel, page)
        if page.title is None or not page.title.strip():
            self._add(rel, 1, 1, Code.C004, "<title>",
                      "应有非空的 <title>，实际" + ("没有 <title>" if page.title is None
                                                 else "是空的") + "；提示：" + Code.C004.fix)
        for line, col, kind, what, url in page.refs:
            self._check_ref(rel, line, col, kind, what, url)
        for line, col, css in page.css:
            self._check_css(rel, css, line, col)
        for line, col, js in page.scripts:
            self._check_script(rel, js, line, col)

    def _check_css(self, rel: str, css: str, line0: int, col0: int) -> None:
        found = css_urls(css)
        css = css_unescape(css)  # offsets are close enough for the line shown
        for offset, kind, url in found:
            line, col = line_col(css, offset, line0, col0)
            self._check_ref(rel, line, col, "resource", f"CSS {kind}", url)
        self._check_script(rel, css, line0, col0, "样式中的地址",
                           frozenset(url.strip() for _, _, url in found))

    def _check_script(self, rel: str, js: str, line0: int, col0: int,
                      what: str = "脚本中的地址", skip: frozenset[str] = frozenset()) -> None:
        """Every address a script names may be loaded, on some path or other: none may be on
        another host (comments and XML namespace names aside)."""
        for offset, url in named_addresses(js):
            if url not in skip:
                line, col = line_col(js, offset, line0, col0)
                self._check_ref(rel, line, col, "origin", what, url)

    def _check_svg(self, rel: str, text: str) -> None:
        """What an SVG image loads: <image>, <use> and <feImage> addresses and its style sheets
        (inline in a page they are read by the page's own parse)."""
        try:
            root = ElementTree.fromstring(text)
        except ElementTree.ParseError:
            return  # the leak scan reports it
        for el in root.iter():
            tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
            attrs = {k.rsplit("}", 1)[-1].lower(): v for k, v in el.attrib.items()}
            if tag in ("image", "use", "feimage") and attrs.get("href"):
                self._check_ref(rel, 1, 1, "resource", f"<{tag} href>", attrs["href"])
            if tag == "style" and el.text:
                self._check_css(rel, el.text, 1, 1)
            if attrs.get("style"):
                self._check_css(rel, attrs["style"], 1, 1)

    def _check_xml(self, rel: str, text: str) -> None:
        """The sitemap's and feeds' links to the site's own pages must resolve."""
        for m in _XML_LINK.finditer(text):
            url = html.unescape(next(g for g in m.groups() if g is not None))
            line, col = line_col(text, m.start())
            self._check_ref(rel, line, col, "link", "站点地图或订阅中的链接", url)

    def _check_manifest(self, p: Path, rel: str) -> None:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            self._add(rel, 1, 1, Code.C006, rel, f"无法读取网页清单：{type(e).__name__}")
            return
        for key in ("icons", "screenshots"):
            for item in data.get(key, []) if isinstance(data, dict) else []:
                if isinstance(item, dict) and isinstance(item.get("src"), str):
                    self._check_ref(rel, 1, 1, "resource", f"manifest {key}", item["src"])

    # -- one address -------------------------------------------------------------------------
    def _check_ref(self, rel: str, line: int, col: int, kind: str, what: str, url: str) -> None:
        url = url.strip()
        if not url:
            return
        u = urlsplit(url)
        scheme = u.scheme.lower()
        if scheme and scheme not in ("http", "https"):
            if kind == "link" or scheme in _SAFE_SCHEMES:
                return  # mailto:, tel:, data: …
            self._add(rel, line, col, Code.C005, url,
                      f"{what} 应引用本站的文件，实际使用了 {scheme}: 地址；提示："
                      + Code.C005.fix)
            return
        if u.netloc:  # absolute or protocol-relative
            if (_in_admin(rel) and kind == "origin" and
                    f"{scheme or 'https'}://{u.netloc.lower()}" in self.admin_origins):
                return  # the editor's own script calling the repository host's API
            if self.host is None or u.netloc.lower() != self.host:
                if kind != "link":
                    self._add(rel, line, col, Code.C005, url,
                              f"{what} 应只从本站加载，实际引用了其他网站 {u.netloc}；提示："
                              + Code.C005.fix)
                return
            path = u.path or "/"
            if not path.startswith(self.prefix) and path + "/" != self.prefix:
                self._missing(rel, line, col, kind, what, url, f"{path}（在站点地址 {self.prefix} 之外）")
                return
            target = path[len(self.prefix):] if path.startswith(self.prefix) else ""
        elif u.path.startswith("/"):
            if not u.path.startswith(self.prefix) and u.path + "/" != self.prefix:
                self._missing(rel, line, col, kind, what, url, f"{u.path}（在站点地址 {self.prefix} 之外）")
                return
            target = u.path[len(self.prefix):] if u.path.startswith(self.prefix) else ""
        else:
            target = posixpath.join(posixpath.dirname(rel), u.path) if u.path else rel
        if kind == "origin":
            return  # an address on the site's own host
        self._check_local(rel, line, col, kind, what, url, unquote(target), unquote(u.fragment),
                          bool(u.path) or bool(u.netloc))

    def _check_local(self, rel, line, col, kind, what, url, target, fragment, has_path) -> None:
        trailing = target.endswith("/") or target == ""
        norm = posixpath.normpath(target) if target else "."
        if norm == ".." or norm.startswith(("../", "/")):
            self._missing(rel, line, col, kind, what, url, f"{target}（在站点目录之外）")
            return
        norm = "" if norm == "." else norm
        if _in_admin(norm) and not _in_admin(rel):
            self._add(rel, line, col, Code.C007, url, f"{what} 指向编辑器 {ADMIN}/（公开页面不应链接或加载"
                      "编辑器的文件）；提示：" + Code.C007.fix)
            return
        found = self._resolve(norm, trailing)
        lookups = self._lookups
        if lookups is not None:
            lookups[0][norm, trailing] = found
        if found is None:
            expect = (f"{norm}/index.html" if norm else "index.html") if trailing else norm
            self._missing(rel, line, col, kind, what, url, expect)
            return
        if what == "<script src>":
            self.loaded_scripts.add(found)
            if lookups is not None:
                lookups[2].add(found)
        missing = bool(fragment) and kind == "link" and self._anchor_missing(found, fragment)
        if lookups is not None and fragment and kind == "link":
            lookups[1][found, fragment] = missing
        if missing:
            where = "本页" if found == rel and not has_path else found
            self._add(rel, line, col, Code.C002, url,
                      f"{what} 指向的锚点 #{fragment} 在 {where} 中不存在；提示："
                      + Code.C002.fix)

    def _missing(self, rel, line, col, kind, what, url, expect) -> None:
        code = Code.C001 if kind == "link" else Code.C003
        self._add(rel, line, col, code, url,
                  f"{what} 指向的文件不存在：找不到 {expect}；提示：" + code.fix)


def check_site(site_dir: Path, site_url: str | None = None,
               label: str | None = None, select=None, admin_origins=None) -> list[Diagnostic]:
    """Every finding in a built site; `label` is how the folder is named in findings.
    `select(rel)` limits which files are read (all of them by default); `admin_origins` are the
    repository host's API origins that /admin/ alone may connect to."""
    return SiteChecker(site_dir, site_url, label, select, admin_origins).run()
