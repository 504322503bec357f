"""The HTML and CSS reading both post-build checks share: one tee parser, resource tables, srcset and CSS addresses."""

from __future__ import annotations

import errno
import html.parser
import operator
import os
import re
from html import unescape
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
    # Paths sort by their parts: a folder's entries by name, each folder's own entries right
    # after it, before its next sibling ("a", "a/x", "a-b"). So each folder's listing is sorted
    # and a folder is entered where it is listed, not the whole list sorted by split paths at
    # the end (two thirds of a preview update's walk of 20,000 files).
    todo = [(iter(_listing(os.fspath(root))), "")]
    while todo:
        entries, rel = todo[-1]
        entry = next(entries, None)
        if entry is None:
            todo.pop()
            continue
        name = rel + entry.name
        if entry.is_symlink():
            out.append((name, "link"))
        elif entry.is_dir(follow_symlinks=False):
            out.append((name, "dir"))
            todo.append((iter(_listing(entry.path)), name + "/"))
        elif entry.is_file(follow_symlinks=False):
            out.append((name, "file"))
        else:
            out.append((name, "other"))
    return out


def _listing(folder: str) -> list[os.DirEntry]:
    """A folder's entries sorted by name; none when it is gone meanwhile (as rglob leaves it)."""
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return []
        raise
    listed.sort(key=_NAME)
    return listed


_NAME = operator.attrgetter("name")


# -- the fast reading of a page ----------------------------------------------------------------
# Python's html.parser reads a page one token at a time in Python, most of the checks' time.
# `feed_plain` reads the markup the generator writes (and only that) with one compiled regular
# expression per token and hands the parsers exactly the events, in the same order, at the same
# line and column, that html.parser would: each token form below is one html.parser reads in
# exactly one way (its source is quoted beside it). A page with anything else in it (a "<" that
# starts no such tag, an unquoted value with a "/", a processing instruction, CDATA, a
# declaration other than the doctype, a comment with "--" inside, a script never closed…) is
# left to html.parser itself, whole: nothing is read from a page until all of it is known to be
# of these forms.
_WS = "[ \t\n]"  # whitespace in a tag; \r, \f and other Unicode spaces send the page to html.parser
_PLAIN_TOKEN = re.compile(
    # text up to the next "<" (goahead: rawdata.find('<', i); one event, unescape()d)
    r"(?P<text>[^<]+)"
    # <name attr="v" attr='v' attr=v attr> or <name …/>: tagfind_tolerant, attrfind_tolerant and
    # locatestarttagend_tolerant all stop where this does (names are ASCII, values quoted or
    # without "/", quotes, "=", "<", ">" and spaces)
    rf"|<(?P<tag>[a-zA-Z][a-zA-Z0-9-]*)(?P<attrs>(?:{_WS}+[a-zA-Z_:@][a-zA-Z0-9_:.@-]*"
    r"""(?:="[^"]*"|='[^']*'|=[^\s"'=<>`/]+(?=[ \t\n>]))?)*)"""
    rf"{_WS}*(?P<close>/?)>"
    # </name> (endtagfind)
    r"|</(?P<end>[a-zA-Z][a-zA-Z0-9-]*)>"
    # <!-- … --> with no "--" inside, not begun by ">" or "-" nor ended by "-" (commentclose:
    # --\s*>; "<!-->" and "<!--->" are read otherwise by HTML5 and newer html.parsers)
    r"|<!--(?![->])(?P<comment>(?:[^-]|-(?!-))*)(?<!-)-->"
    # the doctype (parse_html_declaration: rawdata[i+2:gtpos])
    r"|<!(?P<decl>[dD][oO][cC][tT][yY][pP][eE][ a-zA-Z]*)>")
_PLAIN_ATTR = re.compile(r"""([a-zA-Z_:@][a-zA-Z0-9_:.@-]*)(?:=("[^"]*"|'[^']*'|[^\s"'=<>`/]+))?""")
# where a <script> or <style> ends in html.parser (set_cdata_mode): its text is one event, raw
_CDATA_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in ("script", "style")}


# the handler each event goes to, by its number in events
_HANDLERS = ("handle_data", "handle_starttag", "handle_startendtag", "handle_endtag",
             "handle_comment", "handle_decl")
_DATA, _START, _STARTEND, _END, _COMMENT, _DECL = range(len(_HANDLERS))


def _plain_events(text: str) -> list[tuple] | None:
    """(offset, handler's number in _HANDLERS, arguments, start tag source) of every event html.parser would give
    for `text`, or None when a part of it is not of the forms `feed_plain` reads."""
    events: list[tuple] = []
    add = events.append
    match = _PLAIN_TOKEN.match
    i, n = 0, len(text)
    while i < n:
        m = match(text, i)
        if m is None:
            return None
        kind = m.lastgroup
        if kind == "text":
            data = m.group("text")
            add((i, _DATA, (unescape(data) if "&" in data else data,), None))
        elif kind in ("attrs", "close", "tag"):
            tag = m.group("tag").lower()
            attrs = []
            for name, value in _PLAIN_ATTR.findall(m.group("attrs")):
                if not value:  # attrfind_tolerant: no "=…" gives None
                    attrs.append((name.lower(), None))
                    continue
                if value[0] in "\"'":
                    value = value[1:-1]
                attrs.append((name.lower(), unescape(value) if "&" in value else value))
            source = m.group()
            if m.group("close"):
                add((i, _STARTEND, (tag, attrs), source))
            else:
                add((i, _START, (tag, attrs), source))
                if tag in _CDATA_END:  # raw text up to its end tag, as one event
                    end = _CDATA_END[tag].search(text, m.end())
                    if end is None:
                        return None  # html.parser drops the rest: the slow path says so
                    if end.start() > m.end():
                        add((m.end(), _DATA, (text[m.end():end.start()],), None))
                    add((end.start(), _END, (tag,), None))
                    i = end.end()
                    continue
        elif kind == "end":
            add((i, _END, (m.group("end").lower(),), None))
        elif kind == "comment":
            add((i, _COMMENT, (m.group("comment"),), None))
        else:
            add((i, _DECL, (m.group("decl"),), None))
        i = m.end()
    return events


def feed_plain(text: str, *targets: html.parser.HTMLParser) -> bool:
    """Give each parser in `targets` the events html.parser would give it for `text`, each at
    its line and column (getpos), with the start tag's source as `tee_starttag`; False (and no
    event given) when the page is not plain markup and must be read by html.parser."""
    global _agrees
    if _agrees is None:
        _agrees = all(_recorded(probe, True) == _recorded(probe, False) for probe in _PROBES)
    events = _plain_events(text) if PLAIN_READING and _agrees else None
    if events is None:
        return False
    _give(text, events, targets)
    return True


def _give(text: str, events: list[tuple], targets) -> None:
    """Each event to each target in turn, at its line and column as html.parser counts them
    (updatepos: lines are "\n"s, the column is the characters after the last one)."""
    first, *others = targets
    calls = [getattr(first, name) for name in _HANDLERS]
    more = [[getattr(t, name) for t in others] for name in _HANDLERS]
    line, last_nl, at = 1, -1, 0
    count, rfind = text.count, text.rfind
    for offset, kind, args, source in events:
        lines = count("\n", at, offset)
        if lines:
            line += lines
            last_nl = rfind("\n", at, offset)
        at, col = offset, offset - last_nl - 1
        first.lineno, first.offset = line, col
        if source is not None:
            first.tee_starttag = source
        calls[kind](*args)
        for t, method in zip(others, more[kind]):
            t.lineno, t.offset = line, col
            if source is not None:
                t.tee_starttag = source
            method(*args)

# Off only to compare the two readings (tests, benchmarks).
PLAIN_READING = True
# Whether this Python's html.parser reads the probes below as `feed_plain` does (a newer one
# reads <title>, comments and the end of a script otherwise: then every page goes to it).
_agrees: bool | None = None
_PROBES = (
    ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n<title>示例 &amp; '
     '<b>标题</b></title><style>\na{b:c}</style ><script>if(a</b)x="</div>"</SCRIPT\n>'
     '<script src="a.js" defer></script><script></script></head>\n<body class=a  id=\'b\' '
     'data-x="1 &lt; 2 &#39;&quot;" hidden>\n<!-- 注释 a-b --><br/><br /><IMG SRC="x.png" '
     'ALT="&#x31;3800000000"><a href=x.html title="a>b">链接</a>\t文字 &amp;c &#12345;\n'
     '<textarea><b>\n</b></textarea><svg viewBox="0 0 1 1"><feImage xlink:href="#a"/></svg>'
     '</body></html>\n尾 &amp'),
    "<p>a</p>\n\n  <p>b</p>",
    "<!doctype>text<p>",
)


class _Recorder(html.parser.HTMLParser):
    """Every event a parser is given, with its position and start tag's source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []
        self.tee_starttag = None
        for name in _HANDLERS + ("handle_pi", "unknown_decl"):
            setattr(self, name, lambda *args, name=name: self.events.append(
                (self.getpos(), name, args, self.tee_starttag or self.get_starttag_text()
                 if name in ("handle_starttag", "handle_startendtag") else None)))


def _recorded(text: str, plain: bool) -> list[tuple] | None:
    recorder = _Recorder()
    if plain:
        events = _plain_events(text)
        if events is None:
            return None
        _give(text, events, (recorder,))
    else:
        recorder.feed(text)
        recorder.close()
    return recorder.events
