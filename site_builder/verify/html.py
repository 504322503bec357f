"""The HTML and CSS reading both post-build checks share: one tee parser, resource tables, srcset and CSS addresses."""

from __future__ import annotations

import errno
import html.parser
import os
import re
from pathlib import Path

# The form editor's folder, and the vendored CMS bundle in it: third-party code that no record
# can write into, governed by the editor page's Content-Security-Policy instead of the scans.
ADMIN = "admin"
ADMIN_VENDOR = "admin/vendor/"
# Exactly the vendored files the build copies there (editor/cms.py `admin_files`): Decap's bundle
# and its chunks (*decap-cms.js) and WebAssembly, directly in admin/vendor/decap/. Any other file
# under admin/ is checked like the rest of the site.
_VENDORED = re.compile(r"admin/vendor/decap/[^/]*(?:decap-cms\.js|\.wasm)")

from ..text import named_addresses  # noqa: F401  (the checks' one reading of addresses in code)


def is_vendored(rel: str) -> bool:
    """Whether `rel` is one of the vendored editor files the scans leave to the admin page's
    Content-Security-Policy."""
    return _VENDORED.fullmatch(rel) is not None

# <link rel=…> values that make the browser fetch the address by itself.
_RESOURCE_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "icon",
                  "apple-touch-icon", "apple-touch-icon-precomposed", "mask-icon", "manifest",
                  "preconnect", "dns-prefetch"}


# element → attributes the browser loads without a click.
_RESOURCE_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"),
    "iframe": ("src",), "frame": ("src",), "embed": ("src",), "object": ("data",),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "image": ("href", "xlink:href"), "use": ("href", "xlink:href"), "feimage": ("href",),
    # Old presentational attributes that browsers still load as background images.
    "body": ("background",), "table": ("background",), "thead": ("background",),
    "tbody": ("background",), "tfoot": ("background",), "tr": ("background",),
    "td": ("background",), "th": ("background",),
}


_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)


_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


# image-set() and -webkit-image-set() take plain strings as well as url(): each is loaded.
_CSS_IMAGE_SET = re.compile(r"(?:-webkit-)?image-set\(", re.IGNORECASE)
_CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")


# File types the site never publishes and a browser (or the web server) may run as code: XHTML
# and XSLT run script, .svgz is an SVG no scan reads, Flash, HTML applications and archives,
# server-side pages and includes; and the hosts' own configuration files (redirects, headers).
FORBIDDEN_SUFFIXES = frozenset({
    "htm", "xhtml", "xht", "xsl", "xslt", "svgz", "swf", "spl", "hta", "mht", "mhtml", "shtml",
    "shtm", "stm", "php", "php3", "php4", "php5", "php6", "php7", "php8", "phar", "pht", "phtml",
    "htc", "asp", "aspx", "asa", "cshtml", "jsp", "cgi", "pl", "py", "sh", "vbs", "wsf", "jar",
    "xap", "xbap", "xul"})
FORBIDDEN_NAMES = frozenset({".htaccess", ".htpasswd", "_redirects", "_headers", "web.config",
                             ".user.ini"})
# The pages the engine writes: a folder's index.html, and the 404 page at the site's root.
PAGE_NAME, ROOT_PAGES = "index.html", ("404.html",)


def unpublishable(rel: str, name: str | None = None) -> str | None:
    """What the file at `rel` (read as `name`, e.g. a .gz file's content) is, in Chinese, when
    the site never publishes such a file; None for every file a build writes."""
    name = name or rel.rsplit("/", 1)[-1]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if name != name.rstrip(". "):
        # Windows servers drop a trailing dot or space: "a.php." is served as "a.php".
        return f"名称以句点或空格结尾的文件“{name}”"
    if name.lower() in FORBIDDEN_NAMES:
        return f"网站服务器的配置文件 {name}"
    if suffix in FORBIDDEN_SUFFIXES:
        return f" .{suffix} 文件"
    if suffix == "html" and name != PAGE_NAME and not ("/" not in rel and name in ROOT_PAGES):
        return "生成的页面之外的 HTML 文件（生成的页面都是文件夹中的 index.html）"
    return None


def site_path(label: str, rel: str) -> str:
    """How a finding names the file at `rel` in a site the findings call `label`."""
    return f"{label}/{rel}" if label else rel


def _image_set_strings(css: str) -> list[tuple[int, str]]:
    out = []
    for m in _CSS_IMAGE_SET.finditer(css):
        depth, i = 1, m.end()
        while i < len(css) and depth:
            depth += {"(": 1, ")": -1}.get(css[i], 0)
            i += 1
        inner = css[m.end():i]
        inner_plain = re.sub(r"url\([^)]*\)", lambda u: " " * len(u.group()), inner, flags=re.IGNORECASE)
        for s in _CSS_STRING.finditer(inner_plain):
            out.append((m.end() + s.start(), s.group(1) if s.group(1) is not None else s.group(2)))
    return out


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


_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\f]?|\r\n|(.))", re.DOTALL)


def css_unescape(css: str) -> str:
    """The stylesheet as a browser reads its names and strings: "u\\72l(" is url( and "\\@import"
    @import. Escaped line breaks stay line breaks, so line numbers hold."""
    def one(m: re.Match) -> str:
        if m.group(1):
            code = int(m.group(1), 16)
            return chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        return m.group(2) if m.group(2) is not None else "\n"
    return _CSS_ESCAPE.sub(one, css)


def css_urls(css: str) -> list[tuple[int, str, str]]:
    """(offset, kind, url) for every url() and @import in a stylesheet (escapes read, comments
    excluded)."""
    css = css_unescape(_CSS_COMMENT.sub(lambda m: " " * len(m.group(0)), css))
    out = [(m.start(), "url()", next(g for g in m.groups() if g is not None))
           for m in _CSS_URL.finditer(css)]
    out += [(m.start(), "@import", m.group(1) if m.group(1) is not None else m.group(2))
            for m in _CSS_IMPORT.finditer(css)]
    out += [(offset, "image-set()", url) for offset, url in _image_set_strings(css)]
    return sorted(out)


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
            raw = self.get_starttag_text()  # the tag's source, as each would see it
            for t, method in calls:
                t.lineno, t.offset = lineno, offset
                t.tee_starttag = raw
                method(*args)
        return forward


def walk(root: Path) -> list[tuple[str, str]]:
    """Everything under `root` as `root.rglob("*")` lists it, by its path from `root` ("a/b.html")
    and sorted as those paths sort, each with what it is: "link" (a symbolic link, never
    followed: not even a linked folder is entered), "dir", "file" or "other" (a FIFO, a
    device…). One look at each entry (what the folder's listing says), where rglob and
    is_symlink/is_file looked three times: at 40,000 files, a second of every check of a whole
    site."""
    out: list[tuple[str, str]] = []
    todo = [("", os.fspath(root))]
    while todo:
        rel, folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as e:
            if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
                continue  # gone meanwhile, as rglob leaves it
            raise
        for entry in listed:
            name = rel + entry.name
            if entry.is_symlink():
                kind = "link"
            elif entry.is_dir(follow_symlinks=False):
                kind = "dir"
                todo.append((name + "/", entry.path))
            elif entry.is_file(follow_symlinks=False):
                kind = "file"
            else:
                kind = "other"
            out.append((name, kind))
    out.sort(key=lambda item: item[0].split("/"))  # as paths sort: by their parts
    return out
