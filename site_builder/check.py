"""Post-build checks of a built site: links, anchors, missing files, titles and foreign hosts."""

from __future__ import annotations

import html
import html.parser
import json
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .diagnostics import CODES, Diagnostic, Severity, sort_key


# The post-build checks' codes (C001–C006) live in diagnostics.CODES with every other code.
CHECK_CODES = {k: c for k, c in CODES.items() if k.startswith("C")}

# <link rel=…> values that make the browser fetch the address by itself.
_RESOURCE_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "icon",
                  "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "manifest",
                  "preconnect", "dns-prefetch"}
_ORIGIN_ONLY_RELS = {"preconnect", "dns-prefetch"}  # name a host, not a file
# element → attributes the browser loads without a click.
_RESOURCE_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "image": ("href", "xlink:href"), "use": ("href", "xlink:href"), "feimage": ("href",),
}
_NAV_RELS = {"canonical", "alternate", "next", "prev", "first", "last", "up", "help", "license"}
_SAFE_SCHEMES = {"data", "blob", "about"}

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# Script calls that fetch or run code from a literal address: importScripts('https://…') etc.
# Addresses in the sitemap and in Atom/RSS feeds: <loc>…</loc>, <link href="…"/>, <link>…</link>.
_XML_LINK = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>|<link\b[^>]*?\bhref=\"([^\"]+)\"|<link>\s*([^<\s]+)\s*</link>")
_JS_LOAD = re.compile(
    r"""(?:importScripts|import|fetch|Worker|SharedWorker|EventSource|WebSocket|sendBeacon)"""
    r"""\s*\(\s*(["'`])((?:https?:|wss?:)?//[^"'`\s]+)\1""")


# A string in a script that begins with another site's address ("https://unpkg.com/…"). XML
# namespace names and the reserved example domains are names, not addresses anything fetches.
_JS_HOST = re.compile(r"""["'`]((?:https?:)?//([A-Za-z0-9.-]+)(?::\d+)?(?:[/?#][^"'`\s]*)?)["'`]""")
_JS_HOST_ALLOWED = {"www.w3.org", "example.com", "example.org", "example.net"}


@dataclass
class _Page:
    """What one HTML page holds: its title, its ids and every address it refers to."""

    title: str | None = None
    ids: set[str] = field(default_factory=set)
    refs: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # line, col, kind, what, url
    css: list[tuple[int, int, str]] = field(default_factory=list)  # line, col, inline css
    scripts: list[tuple[int, int, str]] = field(default_factory=list)


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
        if tag in ("title", "style", "script") and self._in is None:
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


def parse_srcset(value: str) -> list[str]:
    """The addresses in a srcset value (candidates are `url [descriptor]`, comma-separated)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while i < n and value[i] != ",":  # skip the descriptor
                i += 1
        if url:
            urls.append(url)
    return urls


def css_urls(css: str) -> list[tuple[int, str, str]]:
    """(offset, kind, url) for every url() and @import in a stylesheet, comments excluded."""
    css = _CSS_COMMENT.sub(lambda m: " " * len(m.group(0)), css)
    out = [(m.start(), "url()", next(g for g in m.groups() if g is not None))
           for m in _CSS_URL.finditer(css)]
    out += [(m.start(), "@import", m.group(1) if m.group(1) is not None else m.group(2))
            for m in _CSS_IMPORT.finditer(css)]
    return sorted(out)


def _line_col(text: str, offset: int, line0: int = 1, col0: int = 1) -> tuple[int, int]:
    before = text[:offset]
    nl = before.count("\n")
    if nl == 0:
        return line0, col0 + offset
    return line0 + nl, offset - before.rfind("\n")


class TeeParser(html.parser.HTMLParser):
    """Parses a page once and hands every event to several parsers, each seeing the position it
    would see had it parsed the page itself (getpos() reads lineno and offset)."""

    def __init__(self, *targets: html.parser.HTMLParser) -> None:
        super().__init__(convert_charrefs=True)
        self.targets = targets
        for name in ("handle_starttag", "handle_startendtag", "handle_endtag", "handle_data",
                     "handle_comment", "handle_decl", "handle_pi", "unknown_decl"):
            setattr(self, name, self._forward([(t, getattr(t, name)) for t in targets]))

    def _forward(self, calls):
        def forward(*args):
            lineno, offset = self.lineno, self.offset
            for t, method in calls:
                t.lineno, t.offset = lineno, offset
                method(*args)
        return forward


class SiteChecker:
    """Checks every page and stylesheet of a built site; collects findings, never stops early."""

    def __init__(self, site_dir: Path, site_url: str | None = None, label: str | None = None,
                 select=None):
        self.root = Path(site_dir)
        self.select = select
        self.companion = None  # an outscan scan that reads each page in the same parse
        self.label = (label if label is not None else str(site_dir)).rstrip("/")
        u = urlsplit(site_url or "")
        self.host = u.netloc.lower() if u.scheme in ("http", "https") else None
        self.prefix = "/" + u.path.strip("/") + "/" if u.path.strip("/") else "/"
        self.findings: list[Diagnostic] = []
        self.pages: dict[str, _Page] = {}

    # -- reporting ---------------------------------------------------------------------------
    def _add(self, rel: str, line: int, col: int, code: str, target: str, message: str) -> None:
        path = f"{self.label}/{rel}" if self.label else rel
        self.findings.append(Diagnostic(path, line, col, Severity.ERROR, code, target, message))

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        every = list(self.root.rglob("*"))
        self._files = {p.relative_to(self.root).as_posix() for p in every if p.is_file()}
        self._dirs = {""} | {p.relative_to(self.root).as_posix() for p in every if p.is_dir()}
        files = sorted(p for p in every if p.is_file() and (
            self.select is None or self.select(p.relative_to(self.root).as_posix())))
        for p in files:
            rel = p.relative_to(self.root).as_posix()
            if p.suffix.lower() in (".html", ".htm"):
                text = self._read(p, rel)
                if text is None:
                    continue
                parser = _PageParser()
                if self.companion is None:
                    parser.feed(text)
                    parser.close()
                elif not self.companion.html(rel, text, also=parser):
                    continue
                self.pages[rel] = parser.page
        for rel, page in self.pages.items():
            self._check_page(rel, page)
        for p in files:
            rel = p.relative_to(self.root).as_posix()
            suffix = p.suffix.lower()
            if suffix == ".css":
                text = self._read(p, rel)
                if text is not None:
                    self._check_css(rel, text, 1, 1)
            elif suffix in (".js", ".mjs"):
                text = self._read(p, rel)
                if text is not None:
                    self._check_script(rel, text, 1, 1)
            elif suffix == ".webmanifest" or p.name == "manifest.json":
                self._check_manifest(p, rel)
            elif suffix == ".xml":
                text = self._read(p, rel)
                if text is not None:
                    self._check_xml(rel, text)
        self.findings.sort(key=sort_key)
        return self.findings

    def _read(self, p: Path, rel: str) -> str | None:
        try:
            return p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            self._add(rel, 1, 1, "C006", rel, f"无法以 UTF-8 读取：{type(e).__name__}；提示："
                      + CHECK_CODES["C006"].fix)
            return None

    def _check_page(self, rel: str, page: _Page) -> None:
        if page.title is None or not page.title.strip():
            self._add(rel, 1, 1, "C004", "<title>",
                      "应有非空的 <title>，实际" + ("没有 <title>" if page.title is None
                                                 else "是空的") + "；提示：" + CHECK_CODES["C004"].fix)
        for line, col, kind, what, url in page.refs:
            self._check_ref(rel, line, col, kind, what, url)
        for line, col, css in page.css:
            self._check_css(rel, css, line, col)
        for line, col, js in page.scripts:
            self._check_script(rel, js, line, col)

    def _check_css(self, rel: str, css: str, line0: int, col0: int) -> None:
        for offset, kind, url in css_urls(css):
            line, col = _line_col(css, offset, line0, col0)
            self._check_ref(rel, line, col, "resource", f"CSS {kind}", url)

    def _check_script(self, rel: str, js: str, line0: int, col0: int) -> None:
        for m in _JS_LOAD.finditer(js):
            line, col = _line_col(js, m.start(2), line0, col0)
            self._check_ref(rel, line, col, "origin", "脚本中的地址", m.group(2))
        # In a script file, any other string that is another site's address: a script may load
        # it by a route the pattern above cannot see (Material's bundle loads polyfills from
        # unpkg.com this way). Inline scripts are the theme's and JSON-LD (schema.org names).
        for m in _JS_HOST.finditer(js) if rel.endswith((".js", ".mjs")) else ():
            host = m.group(2).lower()
            if "." not in host or host in _JS_HOST_ALLOWED or host.endswith(".example"):
                continue
            if m.start(1) in {x.start(2) for x in _JS_LOAD.finditer(js, max(0, m.start() - 80), m.end())}:
                continue  # already checked as a load
            line, col = _line_col(js, m.start(1), line0, col0)
            self._check_ref(rel, line, col, "origin", "脚本中的其他网站地址", m.group(1))

    def _check_xml(self, rel: str, text: str) -> None:
        """The sitemap's and feeds' links to the site's own pages must resolve."""
        for m in _XML_LINK.finditer(text):
            url = html.unescape(next(g for g in m.groups() if g is not None))
            line, col = _line_col(text, m.start())
            self._check_ref(rel, line, col, "link", "站点地图或订阅中的链接", url)

    def _check_manifest(self, p: Path, rel: str) -> None:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as e:
            self._add(rel, 1, 1, "C006", rel, f"无法读取网页清单：{type(e).__name__}")
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
            self._add(rel, line, col, "C005", url,
                      f"{what} 应引用本站的文件，实际使用了 {scheme}: 地址；提示："
                      + CHECK_CODES["C005"].fix)
            return
        if u.netloc:  # absolute or protocol-relative
            if self.host is None or u.netloc.lower() != self.host:
                if kind != "link":
                    self._add(rel, line, col, "C005", url,
                              f"{what} 应只从本站加载，实际引用了其他网站 {u.netloc}；提示："
                              + CHECK_CODES["C005"].fix)
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
        found: str | None = None
        if norm in self._dirs:
            index = f"{norm}/index.html" if norm else "index.html"
            if index in self._files:
                found = index
        elif norm in self._files and not trailing:
            found = norm
        if found is None:
            expect = (f"{norm}/index.html" if norm else "index.html") if trailing else norm
            self._missing(rel, line, col, kind, what, url, expect)
            return
        if (fragment and kind == "link" and found in self.pages
                and fragment not in self.pages[found].ids):
            where = "本页" if found == rel and not has_path else found
            self._add(rel, line, col, "C002", url,
                      f"{what} 指向的锚点 #{fragment} 在 {where} 中不存在；提示："
                      + CHECK_CODES["C002"].fix)

    def _missing(self, rel, line, col, kind, what, url, expect) -> None:
        code = "C001" if kind == "link" else "C003"
        self._add(rel, line, col, code, url,
                  f"{what} 指向的文件不存在：找不到 {expect}；提示：" + CHECK_CODES[code].fix)


def check_and_scan(site_dir: Path, site_url: str | None, label: str, select=None
                   ) -> list[Diagnostic]:
    """The link and resource checks and the safety scan (outscan.py), reading each page once."""
    from .outscan import new_scan

    scan = new_scan(site_dir, site_url, label, resources=False)
    scan.select = lambda rel: (select is None or select(rel)) and not rel.endswith((".html", ".htm"))
    checker = SiteChecker(site_dir, site_url, label, select)
    checker.companion = scan
    return sorted(checker.run() + scan.run(), key=sort_key)


def check_site(site_dir: Path, site_url: str | None = None,
               label: str | None = None, select=None) -> list[Diagnostic]:
    """Every finding in a built site; `label` is how the folder is named in findings.
    `select(rel)` limits which files are read (all of them by default)."""
    return SiteChecker(site_dir, site_url, label, select).run()
