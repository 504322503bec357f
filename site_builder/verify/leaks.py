"""The last look before a site goes live: personal numbers, inline script, unsafe addresses,
embedded frames, foreign resources and broken data files anywhere in the built folder."""

from __future__ import annotations

import bisect
import csv
import html.parser
import io
import json
import re
import zlib
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

from PIL import Image

from ..diagnostics import Code, Diagnostic, make_diagnostic, sort_key
from ..text import clip, csv_formula_cells, line_at
from ..validate.personal_data import _HINT as _PII_HINT
from ..validate.personal_data import find_pii
from ..validate.story import normalise_url, url_scheme
from .html import (
    _CSS_COMMENT,
    _CSS_IMPORT,
    _CSS_URL,
    _RESOURCE_ATTRS,
    _RESOURCE_RELS,
    TeeParser,
    css_unescape,
    feed_plain,
    is_vendored,
    parse_srcset,
    site_path,
    unpublishable,
    walk,
)
from .links import file_digest

MAX_FILE_BYTES = 64 * 1024 * 1024
_IMAGE_SUFFIXES = {"jpg", "jpeg", "png", "webp", "gif"}
# The files whose text the scan reads (the findings in which memo.py may keep)
_READ_SUFFIXES = frozenset({"html", "htm", "json", "webmanifest", "xml", "atom", "rss", "csv",
                            "txt", "css", "gz", "pf_fragment", "js", "mjs", "svg", "map",
                            "vtt"})  # a video's captions: text a reader sees
# Image metadata Pillow reads into `info`: EXIF (GPS position, camera), comments, XMP, Photoshop
# and PNG text chunks.
_METADATA_KEYS = {"exif", "comment", "comments", "xmp", "xml:com.adobe.xmp", "photoshop",
                  "description", "author", "title", "copyright", "software", "gps"}  # also the limit for a decompressed .gz or Pagefind fragment
_PAGEFIND_MAGIC = b"pagefind_dcd"

# Attributes whose value is text a reader (or a crawler) sees; URLs are checked separately.
_TEXT_ATTRS = {"alt", "title", "content", "aria-label", "aria-description", "placeholder", "value",
               "label", "summary", "href", "src", "datetime", "download"}
# Attributes holding an address; a script address in any of them runs when followed or loaded.
_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite",
              "background", "ping", "manifest", "srcset", "imagesrcset"}
# data: addresses are harmless as images; as a page to navigate to or embed they can run script.
_NAVIGATING = {("a", "href"), ("area", "href"), ("form", "action"), ("button", "formaction"),
               ("input", "formaction"), ("iframe", "src"), ("frame", "src"), ("object", "data"),
               ("embed", "src"), ("base", "href")}
_EMBEDS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
_SCRIPT_SCHEMES = {"javascript", "vbscript", "livescript"}
# Elements whose source runs as script or as a page of its own: a data:, blob: or filesystem:
# source there is script the page carries with it.
_EXEC_ELEMENTS = {"script", "iframe", "frame", "object", "embed", "portal", "fencedframe"}
_LOCAL_SCHEMES = {"data", "blob", "filesystem"}
# SVG animation elements: they set another attribute of their parent to their values.
_ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "animatecolor"}
# Markup our generator never writes, which a browser reads otherwise than Python's html.parser
# (no HTML5-conformant parser is installed): "--!>" ends a comment in a browser, "<![CDATA[" is a
# bogus comment ending at the first ">", and <xmp>, <noembed>, <noframes> and <plaintext> hold
# raw text in a browser where the scan would see tags ("mutation XSS"). Each is a finding: what
# the scan cannot read as a browser does is not published. <noscript> (which the search page and
# the editor's use) is raw text too: a "</" in a tag's own source (where the generator always
# writes &lt;) or in a comment could end it where the scan sees an attribute value.
_DIVERGENT_TAGS = {"xmp", "noembed", "noframes", "plaintext", "listing"}
# <title> and <textarea> end only at their own end tag in a browser: a tag inside is text there,
# and text that hides a tag from the scan.
_RCDATA_TAGS = {"title", "textarea"}
# Elements that start a new line of rendered text; the text of any other (<b>, <span>…) runs on,
# so a number split across them is one number to the reader.
_BLOCK_TAGS = {"address", "article", "aside", "blockquote", "br", "dd", "details", "dialog",
               "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
               "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option",
               "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
               "tr", "ul", "title", "caption", "head", "body", "html", "img", "input", "button",
               "select", "textarea", "label", "svg", "math", "template", "script", "style",
               "meta", "link", "iframe", "video", "audio", "canvas", "object", "embed"}
# What the rendered text holds where a block ends or starts: a paragraph's end to `find_pii`
# (one line break is a space there, as Markdown joins two lines).
_BLOCK_BREAK = "\n\n"
# A `content:` declaration: its strings are text the reader sees (other strings in a stylesheet,
# data: images above all, are not text).
_CSS_CONTENT = re.compile(r"""(?<![\w-])content\s*:((?:[^;}"']|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')*)""",
                          re.IGNORECASE)
# <meta http-equiv> values a page may carry (the editor's page has a Content-Security-Policy);
# any other, "refresh" above all (however written), can send every page to another host.
_HTTP_EQUIV_ALLOWED = {"content-type", "content-security-policy", "x-ua-compatible",
                       "content-language"}
# Elements of an SVG or other XML file that run script or hold a page of their own.
_XML_SCRIPT_ELEMENTS = {"script", "handler"}
_XML_EMBEDS = _EMBEDS | {"foreignobject"}
# SVG animation attributes that set another attribute (an href) to their value.
_XML_ANIMATION_VALUES = {"to", "from", "by", "values"}

_LOOKS_HTML = re.compile(r"<[A-Za-z!/]")
# a run of the whitespace a browser shows as one space
_RENDERED_SPACE = re.compile(r"[ \t\n\r\f]+")
# Types a browser does not run: a <script> of any other type (text/jscript, text/livescript,
# "module", "importmap", a type with parameters…) is treated as code.
_DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
# The inline scripts the theme writes on purpose (Material for MkDocs 9.x), exactly: any other
# inline script on a page got there by accident or by injection, e.g. through a hand-written
# page's title, even one that starts as these do. A script the templates add on purpose goes in
# its own file or into this list.
KNOWN_INLINE_SCRIPTS = frozenset({
    ('var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-sche'
    'me)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),in'
    'put=document.querySelector(media.matches?"[data-md-color-media=\'(prefers-color-schem'
    'e: light)\']":"[data-md-color-media=\'(prefers-color-scheme: dark)\']");palette.color.m'
    'edia=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribu'
    'te("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-p'
    'rimary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key'
    ',value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+'
    'key,value)}'),
    ('var target=document.getElementById(location.hash.slice(1));target&&target.name&&(tar'
    'get.checked=target.name.startsWith("__tabbed_"))'),
})
# The first script sets the theme's storage scope to the site's root: relative to the page, or
# the site address's path when one is set.
_KNOWN_SCOPE_SCRIPT = re.compile(
    r'__md_scope=new URL\("(?:\.|\.\.(?:/\.\.)*|/(?:[A-Za-z0-9._~%!$\'()*+,;=:@-]+/)*)",location\)'
    + re.escape(
        ',__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=local'
        'Storage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=local'
        'Storage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}'
        '}'))

# Keys of JSON values that are addresses (open data, JSON-LD, Pagefind, web manifests).
_ADDRESS_KEYS = {"url", "href", "src", "link", "location", "image", "logo", "@id", "sameas",
                 "start_url", "scope", "raw_url"}
_CSV_ADDRESS_COLUMNS = {"页面地址", "url", "网址"}
# MkDocs' own search index keeps each section as HTML that the search box shows as HTML.
_SEARCH_HTML_KEYS = frozenset({"text"})


class _Scan:
    """Findings for one site; each check adds to it and none stops the others."""

    def __init__(self, root: Path, site_url: str | None, label: str, resources: bool) -> None:
        self.root, self.label, self.resources = root, label.rstrip("/"), resources
        u = urlsplit(site_url or "")
        self.host = u.netloc.lower() if u.scheme in ("http", "https") else None
        self.findings: list[Diagnostic] = []
        self.select = None  # `select(rel)` limits which files are read (all by default)
        self.memo = None  # a memo.PageMemo: what was found in files read in an earlier build
        self.listed: list[tuple[str, str]] | None = None  # `walk` of the site, when made already

    def add(self, rel: str, line: int, col: int, code: Code, what: str, message: str) -> None:
        """A finding in the built site; its hint is the code's own fix."""
        self.findings.append(make_diagnostic(site_path(self.label, rel), line, col, code, what,
                                             message, hint=""))

    # -- personal numbers ------------------------------------------------------------------------
    def pii(self, rel: str, text: str, where: str, pos=lambda offset: (1, 1)) -> None:
        if text.isascii() and _PII_HINT.search(text) is None:
            return  # find_pii's own first test (`normalise` leaves ASCII text as it is), sooner
        for p in find_pii(text):
            code, kind = {"id": (Code.P101, "身份证号"), "card": (Code.P115, "银行卡号")}.get(
                p.kind, (Code.P102, "手机号"))
            line, col = pos(p.start)
            self.add(rel, line, col, code, where, f"{where}中有疑似{kind}“{p.masked}”")

    # -- addresses -------------------------------------------------------------------------------
    def url(self, rel: str, line: int, col: int, tag: str, attr: str, value: str) -> None:
        if ":" not in value and "&" not in value:
            return  # no scheme, however read (normalise_url only decodes entities and drops)
        values = parse_srcset(value) if attr.endswith("srcset") else [value]
        for v in values:
            scheme = url_scheme(v)
            if scheme in _SCRIPT_SCHEMES or (scheme == "data" and (tag, attr) in _NAVIGATING) or (
                    scheme in _LOCAL_SCHEMES and tag in _EXEC_ELEMENTS):
                self.add(rel, line, col, Code.P104, f"<{tag} {attr}>",
                         f"<{tag}> 的 {attr} 是 {scheme}: 地址“{clip(v, 40, squeeze=True)}”")

    def resource(self, rel: str, line: int, col: int, what: str, value: str) -> None:
        if not self.resources:
            return
        v = value.strip()
        if not v or url_scheme(v) not in (None, "http", "https"):
            return  # relative, or data:/blob: (script schemes are reported by url())
        norm = normalise_url(v).replace("\\", "/")
        netloc = urlsplit(norm).netloc if norm.startswith(("http:", "https:", "//")) else ""
        if netloc and netloc != self.host:
            self.add(rel, line, col, Code.P105, what, f"{what} 从其他网站 {netloc} 加载“{clip(v, 40, squeeze=True)}”")

    def css(self, rel: str, text: str, line0: int = 1) -> None:
        """A stylesheet, read as a browser reads it (escapes decoded): what it loads, and the
        personal numbers in its strings (`content: "…"` is text the reader sees)."""
        text = css_unescape(_CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text))
        for m in _CSS_CONTENT.finditer(text):
            line = line0 + text.count("\n", 0, m.start())
            self.pii(rel, m.group(1), "样式中的文字", lambda _o, line=line: (line, 1))
        for rx, kind in ((_CSS_URL, "CSS url()"), (_CSS_IMPORT, "CSS @import")):
            for m in rx.finditer(text):
                value = next((g for g in m.groups() if g is not None), "")
                self.resource(rel, line0 + text.count("\n", 0, m.start()), 1, kind, value)

    # -- file kinds ------------------------------------------------------------------------------
    def html(self, rel: str, text: str, where: str = "页面", also=None) -> bool:
        """Scan a page; `also` is another parser (check.py's) fed by the same parse."""
        parser = _PageScanner(self, rel)
        targets = (parser,) if also is None else (parser, also)
        try:
            if not feed_plain(text, *targets):  # markup the generator never writes
                driver = parser if also is None else TeeParser(parser, also)
                driver.feed(text)
                driver.close()
        except (AssertionError, ValueError) as e:  # html.parser gives up on some broken markup
            self.add(rel, 1, 1, Code.P107, "HTML", f"{where}无法解析：{type(e).__name__}")
            return False
        parser.finish(where)
        return True

    def json_text(self, rel: str, text: str, what: str,
                  html_keys: frozenset[str] = frozenset()) -> None:
        try:
            data = json.loads(text)
        except ValueError as e:
            self.add(rel, 1, 1, Code.P107, what, f"{what}不是合法的 JSON：{clip(str(e), 60, squeeze=True)}")
            return
        self.json_value(rel, data, what, html_keys=html_keys)

    def json_value(self, rel: str, data, what: str, line: int = 1,
                   html_keys: frozenset[str] = frozenset()) -> None:
        """Every string of a JSON document: text (its `<` is a character, not markup), an address
        when its key says so, HTML only under `html_keys`."""
        stack = [(data, "", "")]
        while stack:
            value, path, key = stack.pop()
            if isinstance(value, dict):
                stack.extend((v, f"{path}.{k}" if path else str(k), str(k)) for k, v in value.items())
            elif isinstance(value, list):
                stack.extend((v, f"{path}[{i}]", key) for i, v in enumerate(value))
            elif isinstance(value, str):
                self.string(rel, value, f"{what} {path or '值'}", line,
                            address=key.lower() in _ADDRESS_KEYS, as_html=key in html_keys)
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                # A number field's value is published as a JSON number: a phone number too.
                self.pii(rel, str(value), f"{what} {path or '值'}", lambda _o: (line, 1))

    def string(self, rel: str, value: str, where: str, line: int = 1, address: bool = False,
               as_html: bool = False) -> None:
        """A value of a data file: personal numbers; script addresses where the value is an
        address; inline handlers and the rest where the value is HTML."""
        self.pii(rel, value, where, lambda _o: (line, 1))
        scheme = url_scheme(value) if address else None
        if scheme in _SCRIPT_SCHEMES or scheme == "data":
            self.add(rel, line, 1, Code.P104, where, f"{where}是 {scheme}: 地址“{clip(value, 40, squeeze=True)}”")
        if as_html and _LOOKS_HTML.search(value):
            sub = _PageScanner(self, rel, line0=line, text_pii=False)
            try:
                sub.feed(value)
                sub.close()
            except (AssertionError, ValueError):
                return
            sub.finish(where)

    def http_equiv(self, rel: str, line: int, col: int, value: str, content: str) -> None:
        """A <meta http-equiv>: only the harmless ones; "refresh" in any case or spacing sends
        the reader elsewhere."""
        kind = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
        if kind not in _HTTP_EQUIV_ALLOWED:
            self.add(rel, line, col, Code.P112, f"<meta http-equiv={clip(value, 20, squeeze=True)}>",
                     f"有 <meta http-equiv=“{clip(value, 20, squeeze=True)}”> 指令，"
                     f"内容“{clip(content, 40, squeeze=True)}”")

    def pi(self, rel: str, line: int, col: int, data: str) -> None:
        """A processing instruction: <?xml-stylesheet?> makes a browser load XSLT or CSS."""
        target = data.split(None, 1)[0].lower() if data.strip() else ""
        if target == "xml-stylesheet":
            self.add(rel, line, col, Code.P113, "<?xml-stylesheet?>",
                     f"有 <?{clip(data, 50, squeeze=True)}?> 指令")

    def xml(self, rel: str, data: bytes) -> None:
        """An XML file (sitemap, feed, SVG): its addresses, personal numbers and text; no
        script, event handler, embedded page, redirect or style sheet instruction."""
        parser = ElementTree.XMLPullParser(events=("start", "pi"))
        try:
            parser.feed(data)
            parser.close()
        except ElementTree.ParseError as e:
            line = e.position[0] if getattr(e, "position", None) else 1
            self.add(rel, line, 1, Code.P107, "XML", f"XML 文件格式损坏：{clip(str(e), 60, squeeze=True)}")
            return
        root = None
        for event, el in parser.read_events():
            if event == "pi":
                self.pi(rel, 1, 1, el.text or "")
            elif root is None:
                root = el
        for el in root.iter() if root is not None else ():
            tag = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else "?"
            self.xml_element(rel, tag, el.attrib)
            if tag == "text":  # SVG text: its <tspan>s are read as one line
                self.pii(rel, re.sub(r"\s+", " ", "".join(el.itertext())), "<text>")
            elif tag == "style" and el.text:
                self.css(rel, el.text)
            for name, value in el.attrib.items():
                name = name.rsplit("}", 1)[-1]
                if name in ("href", "src", "url"):
                    scheme = url_scheme(value)
                    if scheme in _SCRIPT_SCHEMES or scheme == "data":
                        self.add(rel, 1, 1, Code.P104, f"<{tag} {name}>",
                                 f"<{tag}> 的 {name} 是 {scheme}: 地址“{clip(value, 40, squeeze=True)}”")
                self.pii(rel, value, f"<{tag} {name}>")
            # Atom marks HTML with type="html"; RSS descriptions are HTML by convention.
            as_html = el.attrib.get("type", "").strip().lower() in ("html", "xhtml", "text/html") \
                or tag == "description"
            for text in (el.text, el.tail):
                if text and text.strip():
                    self.string(rel, text, f"<{tag}>", address=tag in ("loc", "link", "id"),
                                as_html=as_html and text is el.text)

    def xml_element(self, rel: str, tag: str, attrib: dict[str, str]) -> None:
        """One element of an XML file (SVG, an Atom feed's XHTML): script, handlers, embedded
        pages, a <meta> redirect and animations that set an address."""
        low = tag.lower()
        if low in _XML_SCRIPT_ELEMENTS:
            self.add(rel, 1, 1, Code.P110, f"<{tag}>", f"XML 文件中有 <{tag}> 脚本元素")
        if low in _XML_EMBEDS:
            self.add(rel, 1, 1, Code.P108, f"<{tag}>", f"XML 文件中有 <{tag}> 元素")
        attrs = {name.rsplit("}", 1)[-1].lower(): value for name, value in attrib.items()}
        if low == "meta" and "http-equiv" in attrs:
            self.http_equiv(rel, 1, 1, attrs["http-equiv"], attrs.get("content", ""))
        for name, value in attrs.items():
            if name.startswith("on"):
                self.add(rel, 1, 1, Code.P103, f"<{tag} {name}>",
                         f"<{tag}> 上有内联事件属性 {name}=“{clip(value, 40, squeeze=True)}”")
        self.animation(rel, 1, 1, tag, attrs)

    def animation(self, rel: str, line: int, col: int, tag: str, attrs: dict[str, str]) -> None:
        """An SVG animation (in an SVG file or inline in a page) that sets an event handler, or
        sets an address to a script or data: address."""
        target = re.sub(r"[\s\x00-\x1f]+", "", attrs.get("attributename", "")).lower()
        if target.startswith("on"):
            self.add(rel, line, col, Code.P103, f"<{tag} attributeName>",
                     f"<{tag}> 动画设置内联事件属性 {target}")
        for name in _XML_ANIMATION_VALUES & attrs.keys():
            for v in attrs[name].split(";"):
                scheme = url_scheme(v)
                if scheme in _SCRIPT_SCHEMES or scheme == "data":
                    self.add(rel, line, col, Code.P104, f"<{tag} {name}>",
                             f"<{tag}> 的 {name} 是 {scheme}: 地址“{clip(v, 40, squeeze=True)}”")

    def symlink(self, rel: str) -> None:
        """A symbolic link in the built site: a build writes none, and a web server would
        publish what it leads to (a file or folder anywhere on the computer)."""
        self.add(rel, 1, 1, Code.P114, rel, "站点中有符号链接，它可能把本机的其他文件或文件夹一起发布出去")

    def forbidden(self, rel: str, name: str) -> bool:
        """A file the site never publishes (html.unpublishable): reported, and not read."""
        what = unpublishable(rel, name)
        if what is not None:
            self.add(rel, 1, 1, Code.P114, rel, f"站点中有{what}，它可能运行脚本或改变网站的行为")
        return what is not None

    def csv(self, rel: str, text: str) -> None:
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error as e:
            self.add(rel, 1, 1, Code.P107, "CSV", f"CSV 文件格式损坏：{clip(str(e), 60, squeeze=True)}")
            return
        header = rows[0] if rows else []
        for r, row in enumerate(rows, start=1):
            for c, cell in enumerate(row):
                col = header[c] if r > 1 and c < len(header) else f"第 {c + 1} 列"
                where = f"第 {r} 行“{clip(col, 12, squeeze=True)}”"
                self.string(rel, cell, where, r, address=col in _CSV_ADDRESS_COLUMNS)
        for line, c, cell in csv_formula_cells(text):  # the rule docs/ files pass (text.py)
            where = f"第 {line} 行第 {c} 列"
            self.add(rel, line, c, Code.P109, where, f"{where}是公式（以 {cell.strip()[:1]!r} 开头）："
                     f"“{clip(cell, 40, squeeze=True)}”")

    # -- the run ---------------------------------------------------------------------------------
    def image(self, path: Path, rel: str) -> None:
        """A published image holds pixels only (`image_problems`). With a memo, the image's
        bytes are read and hashed, and what an image of these bytes was found to hold is taken
        from it (hashing the bytes costs a fifth of opening them with Pillow)."""
        problems = None
        if self.memo is not None:
            try:
                data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
            except OSError:
                data = None  # opened by name below, to say why it cannot be read
            if data is not None:
                digest = file_digest(data)
                problems = self.memo.image(digest)
                if problems is None:
                    problems = image_problems(io.BytesIO(data))
                    self.memo.put_image(digest, problems)
        for code, message in image_problems(path) if problems is None else problems:
            self.add(rel, 1, 1, code, rel, message)

    def file(self, path: Path, rel: str, name: str, data: bytes | None = None) -> None:
        if is_vendored(rel):
            return
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if self.forbidden(rel, name):
            return
        if suffix in _IMAGE_SUFFIXES and data is None:
            self.image(path, rel)
            return
        if suffix not in _READ_SUFFIXES:
            return
        if data is None:
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    self.add(rel, 1, 1, Code.P107, rel, f"文件超过 {MAX_FILE_BYTES // 1048576} MB，无法检查")
                    return
                data = path.read_bytes()
            except OSError as e:
                self.add(rel, 1, 1, Code.P107, rel, f"无法读取：{type(e).__name__}")
                return
        if suffix in ("gz", "pf_fragment"):
            raw = _gunzip(data)
            if raw is None:
                self.add(rel, 1, 1, Code.P107, rel, "压缩文件损坏或解压后过大")
                return
            if suffix == "pf_fragment":
                self.file(path, rel, "fragment.json", raw.removeprefix(_PAGEFIND_MAGIC))
            else:
                self.file(path, rel, name[:-3], raw)
            return
        if suffix in ("xml", "svg"):
            self.xml(rel, data)
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add(rel, 1, 1, Code.P107, rel, "不是 UTF-8 编码的文本")
            return
        if suffix in ("html", "htm"):
            self.html(rel, text)
        elif suffix in ("json", "webmanifest"):
            search = "pagefind" in rel or "search" in rel
            self.json_text(rel, text, "搜索索引" if search else "JSON",
                           _SEARCH_HTML_KEYS if name == "search_index.json" else frozenset())
        elif suffix in ("atom", "rss"):
            self.xml(rel, data)
        elif suffix == "csv":
            self.csv(rel, text)
        elif suffix == "css":
            self.css(rel, text)
        else:
            self.pii(rel, text, "文本文件", lambda offset: (line_at(text, offset), 1))

    def run(self) -> list[Diagnostic]:
        for rel, kind in self.listed if self.listed is not None else walk(self.root):
            if self.select is not None and not self.select(rel):
                continue
            if kind == "link":  # never followed: it may lead anywhere on this computer
                self.symlink(rel)
            elif kind == "file":
                self._file_or_memo(self.root / rel, rel)
        self.findings.sort(key=sort_key)
        return self.findings

    def _file_or_memo(self, p: Path, rel: str) -> None:
        """`file`, or what it found in these bytes at this address in an earlier build (an
        image is looked up by its bytes alone: `image`)."""
        suffix = p.suffix.lower().lstrip(".")
        if self.memo is None or suffix not in _READ_SUFFIXES or is_vendored(rel):
            self.file(p, rel, p.name)  # (files it does not read come back at once)
            return
        try:
            data = p.read_bytes() if p.stat().st_size <= MAX_FILE_BYTES else None
        except OSError:
            data = None  # `file` says why it cannot be read
        if data is None:
            self.file(p, rel, p.name)
            return
        path, digest = site_path(self.label, rel), file_digest(data)
        kept = self.memo.get(rel, digest, path)
        if kept is not None:
            self.findings += kept[1]
            return
        before = len(self.findings)
        self.file(p, rel, p.name, data)
        self.memo.put(rel, digest, path, None, self.findings[before:])


def image_problems(source) -> list[tuple[Code, str]]:
    """What an image (a path or a file object) holds besides pixels: EXIF (a photo's place and
    camera), text, comment or XMP that a camera, phone or editor wrote; or why it cannot be
    read. Pillow reads the bytes alone (never the name): the same bytes, the same problems."""
    try:
        with Image.open(source) as im:
            found = sorted(k for k in im.info if str(k).lower() in _METADATA_KEYS)
            if getattr(im, "text", None):
                found.append("text")
            if im.getexif():
                found.append("EXIF")
    except Image.DecompressionBombError:
        return []  # bounded at validation; nothing to read here
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        return [(Code.P107, f"图片无法读取：{type(e).__name__}")]
    return [(Code.P111, f"图片带有元数据：{'、'.join(dict.fromkeys(found))}")] if found else []


class _PageScanner(html.parser.HTMLParser):
    """One HTML document (or fragment inside a data file), scanned as it is parsed."""

    def __init__(self, scan: _Scan, rel: str, line0: int = 1, text_pii: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.scan, self.rel, self.line0, self.text_pii = scan, rel, line0, text_pii
        self.text: list[str] = []
        self.text_at: list[int] = []  # offset in the joined text where each piece starts
        self.text_line: list[int] = []
        self.length = 0
        self.raw_kind: str | None = None  # "ld+json", "style", "script" while inside one
        self.raw: list[str] = []
        self.raw_line = 1
        self.rcdata: str | None = None  # "title" or "textarea" while inside one

    def pos(self) -> tuple[int, int]:
        line, col = self.getpos()
        return self.line0 + line - 1, col + 1

    def divergent(self, what: str, message: str) -> None:
        """Markup a browser reads otherwise than this scan (see _DIVERGENT_TAGS)."""
        line, col = self.pos()
        self.scan.add(self.rel, line, col, Code.P107, what,
                      f"页面中有浏览器与检查读法不同的写法：{message}")

    def handle_starttag(self, tag, attrs):
        line, col = self.pos()
        scan, rel = self.scan, self.rel
        a: dict[str, str] = {}
        for k, v in attrs:  # a browser keeps the first of two attributes of one name
            if k.lower() in a:
                self.divergent(f"<{tag} {k}>", f"<{tag}> 有两个 {k} 属性")
            a.setdefault(k.lower(), v or "")
        if tag in _DIVERGENT_TAGS:
            self.divergent(f"<{tag}>", f"<{tag}> 元素")
        if "</" in (getattr(self, "tee_starttag", None) or self.get_starttag_text() or ""):
            self.divergent(f"<{tag}>", f"<{tag}> 标签中有未转义的“</”")
        if self.rcdata is not None:
            self.divergent(f"<{tag}>", f"<{self.rcdata}> 中有 <{tag}> 标签")
        elif tag in _RCDATA_TAGS:
            self.rcdata = tag
        if tag in _BLOCK_TAGS:
            self.flow_break()
        if tag == "script" and ("href" in a or "xlink:href" in a):
            scan.add(rel, line, col, Code.P110, "<script href>",
                     f"页面中有用 href 加载的脚本“{clip(a.get('href') or a['xlink:href'], 40, squeeze=True)}”")
        if tag in _ANIMATIONS:
            scan.animation(rel, line, col, tag, a)
        if tag in _EMBEDS:
            scan.add(rel, line, col, Code.P108, f"<{tag}>", f"页面中有 <{tag}> 元素")
        if tag == "meta" and "http-equiv" in a:
            scan.http_equiv(rel, line, col, a["http-equiv"], a.get("content", ""))
        for name, value in a.items():
            if name.startswith("on"):
                scan.add(rel, line, col, Code.P103, f"<{tag} {name}>",
                         f"<{tag}> 上有内联事件属性 {name}=“{clip(value, 40, squeeze=True)}”")
            if name in _URL_ATTRS:
                scan.url(rel, line, col, tag, name, value)
            if name == "style":
                scan.css(rel, value, line)
            # every value: an id, a class or a lang is published as surely as a title (pii's
            # first test here, before its message is made)
            if not value.isascii() or _PII_HINT.search(value) is not None:
                scan.pii(rel, value, f"<{tag} {name}>", lambda _o: (line, col))
        for attr in _RESOURCE_ATTRS.get(tag, ()):
            if attr in a and not (tag == "input" and a.get("type", "").lower() != "image"):
                for v in (parse_srcset(a[attr]) if attr.endswith("srcset") else [a[attr]]):
                    scan.resource(rel, line, col, f"<{tag} {attr}>", v)
        if tag == "link" and set(a.get("rel", "").lower().split()) & _RESOURCE_RELS:
            scan.resource(rel, line, col, f"<link rel={a.get('rel')}>", a.get("href", ""))
        if tag in ("script", "style") and self.raw_kind is None:
            kind = a.get("type", "").lower().strip()
            if kind == "application/ld+json":
                self.raw_kind = "ld+json"
            elif tag == "script" and "src" not in a and kind not in _DATA_SCRIPT_TYPES:
                self.raw_kind = "inline"  # code that runs where it stands
            else:
                self.raw_kind = tag
            self.raw, self.raw_line = [], line

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.raw_kind = None

    def handle_pi(self, data):
        line, col = self.pos()
        self.scan.pi(self.rel, line, col, data.rstrip("?"))

    def handle_comment(self, data):
        # A browser ends a comment at "--!>", and "<!-->" / "<!--->" are whole comments there.
        if "--!>" in data or data.startswith((">", "->")) or "</" in data:
            self.divergent("<!--", "注释中有 --!> 或 </，或注释以 <!--> 开头")
        line, _col = self.pos()
        self.scan.pii(self.rel, data, "页面注释", lambda _o: (line, 1))

    def unknown_decl(self, data):
        self.divergent("<![", f"<![{clip(data, 20, squeeze=True)}]>")

    def handle_decl(self, decl):
        if not decl.lower().startswith("doctype"):
            self.divergent("<!", f"<!{clip(decl, 20, squeeze=True)}>")

    def handle_endtag(self, tag):
        if tag == self.rcdata:
            self.rcdata = None
        if tag in _BLOCK_TAGS:
            self.flow_break()
        if tag not in ("script", "style") or self.raw_kind is None:
            return
        body = "".join(self.raw)
        if self.raw_kind == "ld+json":
            try:
                data = json.loads(body)
            except ValueError as e:
                self.scan.add(self.rel, self.raw_line, 1, Code.P106, "JSON-LD",
                              f"JSON-LD 不是合法的 JSON（{clip(str(e), 50, squeeze=True)}）")
            else:
                self.scan.json_value(self.rel, data, "JSON-LD", self.raw_line)
        elif self.raw_kind == "style":
            self.scan.css(self.rel, body, self.raw_line)
        elif self.raw_kind == "script":  # JSON, a template…: published text all the same
            self.scan.pii(self.rel, body, "<script> 中的数据",
                          lambda offset: (self.raw_line + body.count("\n", 0, offset), 1))
        elif self.raw_kind == "inline" and body.strip() and not is_known_script(body):
            self.scan.add(self.rel, self.raw_line, 1, Code.P110, "<script>",
                          f"页面中有不认识的内联脚本“{clip(body.strip(), 50, squeeze=True)}”")
        self.raw_kind = None

    def handle_data(self, data):
        if self.raw_kind is not None:
            self.raw.append(data)
            return
        if self.text_pii and data:
            # as a browser renders it: whitespace collapsed, inline elements run together
            piece = _RENDERED_SPACE.sub(" ", data)
            self.text_at.append(self.length)
            self.text_line.append(self.pos()[0])
            self.text.append(piece)
            self.length += len(piece)

    def flow_break(self) -> None:
        """A block element starts or ends: the rendered text goes on in a new block, read as
        a new paragraph (a blank line): a number is never joined across two cells, items or
        paragraphs ("…01998" in one cell, "9.60" in the next), only across inline elements."""
        if self.text and self.text[-1] != _BLOCK_BREAK:
            self.text_at.append(self.length)
            self.text_line.append(self.text_line[-1])
            self.text.append(_BLOCK_BREAK)
            self.length += len(_BLOCK_BREAK)

    def finish(self, where: str) -> None:
        if self.raw_kind == "ld+json":  # never closed: the value broke out of the element
            self.scan.add(self.rel, self.raw_line, 1, Code.P106, "JSON-LD", "JSON-LD 的 <script> 没有结束")
        elif self.raw_kind is not None:
            # html.parser gives nothing of a <style> or <script> never closed, nor of what follows
            # it; a browser still applies such a style sheet (its @import loads)
            tag = "style" if self.raw_kind == "style" else "script"
            self.scan.add(self.rel, self.raw_line, 1, Code.P107, f"<{tag}>",
                          f"页面中有浏览器与检查读法不同的写法：<{tag}> 没有结束，其后的内容检查读不到")
        if not any(t.strip() for t in self.text):
            return
        joined = "".join(self.text)

        def pos(offset: int) -> tuple[int, int]:
            i = max(0, bisect.bisect_right(self.text_at, offset) - 1)
            return self.text_line[i], 1

        self.scan.pii(self.rel, joined, f"{where}文字", pos)


def is_known_script(body: str) -> bool:
    """Whether an inline script is, character for character, one the theme writes."""
    code = body.strip()
    return code in KNOWN_INLINE_SCRIPTS or _KNOWN_SCOPE_SCRIPT.fullmatch(code) is not None


def _gunzip(data: bytes) -> bytes | None:
    """Decompress at most MAX_FILE_BYTES; None when broken or larger."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(data, MAX_FILE_BYTES + 1)
    except zlib.error:
        return None
    return None if len(out) > MAX_FILE_BYTES else out


def new_scan(site_dir: Path, site_url: str | None, label: str, resources: bool = True) -> _Scan:
    return _Scan(Path(site_dir), site_url, label, resources)


def scan_site(site_dir: Path, site_url: str | None = None, label: str | None = None,
              resources: bool = True, select=None) -> list[Diagnostic]:
    """Every finding in a built site folder; `label` names the folder in findings (default: its
    path). With `resources=False` foreign resources are left to the link checker (check.py)."""
    site_dir = Path(site_dir)
    scan = _Scan(site_dir, site_url, str(site_dir) if label is None else label, resources)
    scan.select = select
    return scan.run()
