"""Safety of record content: personal data, the story's Markdown as sanitised HTML, image bounds.

Every problem is reported at its file and line with a P code; the sanitiser is the last line of
defence and removes only what a diagnostic has already named.
"""

from __future__ import annotations

import html
import html.parser
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import Treeprocessor

from ..cache import STORY_HTML, Kept
from ..diagnostics.codes import Code
from ..diagnostics.report import Reporter
from ..schema.fields import alt_problem
from ..text import clip, line_col
from .images import image_problem
from .personal_data import report_pii

# ---------------------------------------------------------------------------------------------
# Personal data: resident identity numbers (GB 11643) and personal mobile numbers
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# The story: Markdown → HTML with a small allowlist
# ---------------------------------------------------------------------------------------------

STORY_FIELD = "正文"
ID_PREFIX = "lb-story-"
MAX_STORY_CHARS = 30_000
# Python-Markdown's link and image parsing is quadratic in unmatched brackets and angle brackets
# within a paragraph; real stories use a few dozen at most.
MAX_STORY_BRACKETS = 1_000
MAX_STORY_ANGLES = 1_000

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "del", "ins", "sup", "sub", "mark", "small", "abbr",
}
ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"}, "td": {"align"},
    "abbr": {"title"},
    **{f"h{i}": {"id"} for i in range(1, 7)},
}
# Every id in a story carries ID_PREFIX (headings get theirs from the toc extension), so no
# story can take the id of one of the page's own elements (Material's "__search", "__config"…).
LINK_SCHEMES = {"http", "https", "mailto"}
_URL_ATTRS = {("a", "href"), ("img", "src")}
_ADDED_ATTRS = {("img", "loading")}  # what the sanitiser adds itself

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_ATTR_LIST = re.compile(r"\{:?[ \t]*(?:[#.][^\s{}]+|[A-Za-z_:][\w:.\-]*[ \t]*=)[^{}\n]*\}")
# A link no check has anything to say about: `[text](address)` with plain text and an http or
# https address, or a relative one without a scheme, of plain characters only.
# Its `[` comes first, then the test that no `!` (an image) stands before it: the search skips
# to each `[` by table.
_PLAIN_LINK = re.compile(r"\[(?<!!\[)[^\[\]\\`<>&{}\n]*\]\((?:https?://)?[A-Za-z0-9._~/?#=%+,;@-]*\)")
# Anything else in a story that can turn into markup other than paragraphs, lists, tables,
# headings and emphasis: raw HTML, comments and autolinks, character references, other links,
# images and reference definitions, attribute lists (and backslash escapes, to be safe).
_MARKUP = re.compile(r"<[A-Za-z/!?]|&[#A-Za-z]|[\[{\\]")


# Nesting deep enough that Python-Markdown might run out of stack: dozens of list or quote
# markers on one line, or a line indented by dozens of levels. Such a story is converted at
# validation, so a failure is reported (P013) rather than met when the page is rendered.
_MAYBE_DEEP = re.compile(r"(?:(?:[-*+>]|\d{1,9}[.)])[ \t]+){30}|^[ \t]{120}", re.MULTILINE)


# What `_MAYBE_DEEP` needs, cheaper to look for: each of its thirty markers ends in one of these
# characters before a space or tab; its indent is 120 spaces and tabs (so a tab, or 120 spaces).
_MARKER_END = re.compile(r"[-*+>.)][ \t]")
_SPACES = " " * 120


def maybe_deep(body: str) -> bool:
    """`_MAYBE_DEEP.search(body)`, with a cheaper first test: most stories hold neither thirty
    list or quote markers on a line nor an indent of 120 blanks."""
    if len(_MARKER_END.findall(body)) < 30 and "\t" not in body and _SPACES not in body:
        return False
    return _MAYBE_DEEP.search(body) is not None


def plainly_safe(body: str) -> bool:
    """Whether Markdown can make nothing of the story that a rule below would report: plain
    text with plain links only. Such a story is converted once, when its page is rendered."""
    if maybe_deep(body):
        return False
    return not _MARKUP.search(_PLAIN_LINK.sub("", body) if "[" in body else body)


def _slugify(value: str, separator: str) -> str:
    return ID_PREFIX + slugify_unicode(value, separator)


class _ShiftHeadings(Treeprocessor):
    """The story sits under the page's “品牌故事” (h2): its top heading level becomes h3."""

    def run(self, root):
        heads = [el for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
        if heads:
            shift = 3 - min(int(el.tag[1]) for el in heads)
            for el in heads:
                el.tag = f"h{min(6, int(el.tag[1]) + shift)}"


class _StoryExtension(markdown.Extension):
    def extendMarkdown(self, md):  # Python-Markdown's API name
        md.treeprocessors.register(_ShiftHeadings(md), "lb_shift_headings", 10)


_local = threading.local()


def _instance(name: str, *extra) -> markdown.Markdown:
    """This thread's converter `name`, reset: the story's extensions plus `extra()` of each."""
    md = getattr(_local, name, None)
    if md is None:
        md = markdown.Markdown(extensions=[
            TableExtension(use_align_attribute=True),
            TocExtension(slugify=_slugify, marker="", permalink=False),
            "sane_lists",
            *(make() for make in extra),
        ], output_format="html")
        setattr(_local, name, md)
    md.reset()
    return md


def _markdown() -> markdown.Markdown:
    return _instance("md", _StoryExtension)


def _page_markdown_instance() -> markdown.Markdown:
    return _instance("page_md")


class StoryTooComplex(Exception):
    pass


def story_markdown(body: str) -> str:
    """The story as Python-Markdown renders it (raw HTML still in it); raises StoryTooComplex."""
    try:
        return _markdown().convert(body)
    except RecursionError as e:
        _local.md = None  # a half-run instance may hold state
        raise StoryTooComplex("嵌套过深") from e


def _keep_id(tag: str, attr: str, value: str) -> str | None:
    """Ids only with the story's prefix; images only from the brand's own folder (a relative
    path), so even unvalidated text cannot make the page load from another site."""
    if attr == "id":
        return value if value.startswith(ID_PREFIX) else None
    if tag == "img" and attr == "src":
        norm = normalise_url(value)
        if url_scheme(value) is not None or norm.startswith(("/", "\\")):
            return None
    return value


_cleaner: nh3.Cleaner | None = None


def _sanitiser() -> nh3.Cleaner:
    global _cleaner
    if _cleaner is None:
        _cleaner = nh3.Cleaner(
            tags=ALLOWED_TAGS,
            clean_content_tags={"script", "style"},
            # "*" empty: no attribute on every tag (ammonia would allow lang and title).
            attributes={"*": set()} | {k: set(v) for k, v in ALLOWED_ATTRS.items()},
            attribute_filter=_keep_id,
            strip_comments=True,
            link_rel=None,
            url_schemes=set(LINK_SCHEMES),
            set_tag_attribute_values={"img": {"loading": "lazy"}},
        )
    return _cleaner


def sanitise(fragment: str) -> str:
    """HTML reduced to the allowlist: no scripts, handlers, styles, frames or foreign ids."""
    return _sanitiser().clean(fragment)


# Each story is converted and sanitised once per distinct text: validation keeps the safe HTML
# it computed for the renderer, and a live preview re-renders every page after an edit, of which
# only the edited story is new. Keyed by the text itself; emptied if a long session outgrows it.
_SAFE_HTML: dict[str, str] = {}
_SAFE_HTML_MAX = 65536


def _remember(body: str, safe: str) -> str:
    if len(_SAFE_HTML) >= _SAFE_HTML_MAX:
        _SAFE_HTML.clear()
    _SAFE_HTML[body] = safe
    return safe


# Between builds, the cache folder keeps each story's safe HTML by its text: a build after an
# edit converts the edited story only.
_KEPT_HTML = Kept(STORY_HTML)


def story_html(body: str) -> str:
    """The brand's story as safe HTML for the brand page (validation has named every problem)."""
    safe = _SAFE_HTML.get(body)
    if safe is not None:
        return safe
    key = body.encode("utf-8", "surrogatepass")
    safe = _KEPT_HTML.get(key)
    if safe is None:
        try:
            safe = sanitise(story_markdown(body))
        except StoryTooComplex:  # how deep the stack was: never kept
            return _remember(body, "<p>" + html.escape(body) + "</p>")
        _KEPT_HTML.put(safe, key)
    return _remember(body, safe)


def page_html(body: str, rewrite_link=None) -> str:
    """A hand-written page's body as safe HTML: the story's rules, its headings at their own
    levels; `rewrite_link(href)` may change each link's and image's address (written from the
    page's source file, published from the page's own address)."""
    try:
        html_text = sanitise(_page_markdown_instance().convert(body))
    except RecursionError:
        _local.page_md = None
        return "<p>" + html.escape(body) + "</p>"
    if rewrite_link is None:
        return html_text
    return _HREF.sub(lambda m: f'{m.group(1)}="{html.escape(rewrite_link(html.unescape(m.group(2))))}"',
                     html_text)


_HREF = re.compile(r'\b(href|src)="([^"]*)"')


def heading_text(body: str) -> str | None:
    """The text of a page's first heading, for a page without a title."""
    for level, offset in heading_levels(body):
        line = body[offset:].split("\n", 1)[0]
        text = line.lstrip(" ").lstrip("#").strip().rstrip("#").strip()
        if text and level:
            return text
    return None


def page_images(body: str) -> list[str]:
    """Every image address a page's Markdown shows."""
    return story_images(body)


def page_links(body: str) -> list[str]:
    """Every link address a page's Markdown makes, in order."""
    if "](" not in body and "<" not in body and "]:" not in body:
        return []
    try:
        rendered = story_markdown(body)
    except StoryTooComplex:
        return []
    return [dict(t.attrs).get("href", "") for t in _collect(sanitise(rendered)).tags
            if t.tag == "a" and dict(t.attrs).get("href")]


_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))


def normalise_url(value: str) -> str:
    """An address as a browser reads it: entities decoded, tabs and newlines dropped, leading and
    trailing control characters and spaces stripped, lower case."""
    v = html.unescape(value)
    v = re.sub(r"[\t\n\r]", "", v)
    return v.strip(_C0_AND_SPACE).lower()


def url_scheme(value: str) -> str | None:
    m = _SCHEME.match(normalise_url(value))
    return m.group(1) if m else None


@dataclass
class _Tag:
    tag: str
    attrs: list[tuple[str, str]]
    raw: str


class _Collector(html.parser.HTMLParser):
    """Start tags (with decoded attributes) and the text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[_Tag] = []
        self.text: list[str] = []
        self.other: list[str] = []  # declarations, processing instructions
        self.ends: list[str] = []
        self.prose: list[str] = []  # text outside <code>
        self.in_code = 0

    def handle_endtag(self, tag):
        self.ends.append(tag)
        if tag == "code" and self.in_code:
            self.in_code -= 1

    def handle_starttag(self, tag, attrs):
        self.tags.append(_Tag(tag, [(k, v or "") for k, v in attrs], self.get_starttag_text() or ""))
        self.in_code += tag == "code"

    def handle_startendtag(self, tag, attrs):
        self.tags.append(_Tag(tag, [(k, v or "") for k, v in attrs], self.get_starttag_text() or ""))

    def handle_data(self, data):
        self.text.append(data)
        if not self.in_code:
            self.prose.append(data)

    def handle_decl(self, decl):
        self.other.append("<!" + decl + ">")

    def unknown_decl(self, data):
        self.other.append("<![" + data + "]>")

    def handle_pi(self, data):
        self.other.append("<?" + data + ">")


def _collect(fragment: str) -> _Collector:
    c = _Collector()
    try:
        c.feed(fragment)
        c.close()
    except (AssertionError, ValueError) as e:  # html.parser gives up on some `<!…` forms
        c.other.append(f"<!{type(e).__name__}>")
    return c


def _canonical(fragment: str | _Collector) -> tuple:
    c = _collect(fragment) if isinstance(fragment, str) else fragment
    tags = tuple((t.tag, tuple(sorted((k, v) for k, v in t.attrs if (t.tag, k) not in _ADDED_ATTRS)))
                 for t in c.tags)
    return tags, " ".join("".join(c.text).split()), tuple(c.other)


class _Locator:
    """Finds where a piece of the rendered story was written in the Markdown source."""

    def __init__(self, body: str, body_line: int) -> None:
        self.body, self.lower, self.body_line = body, body.lower(), body_line
        self.cursor = 0  # elements are looked up in document order

    def offset(self, *needles: str) -> int:
        needles = tuple(n.lower() for n in needles if n)
        for start in (self.cursor, 0):
            for needle in needles:
                i = self.lower.find(needle, start)
                if i >= 0:
                    self.cursor = i
                    return i
        return self.cursor

    def line_col(self, offset: int) -> tuple[int, int]:
        return line_col(self.body, offset, self.body_line)

    def at(self, *needles: str) -> tuple[int, int]:
        return self.line_col(self.offset(*needles))


def check_story(body: str, body_line: int, rep: Reporter, folder: Path | None = None,
                phones: bool = True) -> None:
    """Report everything in a story that is not plain, safe Markdown, at its line in the file.

    `folder` is the brand's image folder; images the story shows must be there. `phones`: office
    landlines and 400/800 numbers are refused too (a brand's go in contact.phone)."""
    loc = _Locator(body, body_line)
    report_pii(rep, STORY_FIELD, body, loc.line_col, phones=phones)
    check_heading_levels(body, body_line, rep)
    check_markdown_slips(body, body_line, rep)
    m = _HIDDEN_IN_BODY.search(body)
    if m:
        line, col = loc.line_col(m.start())
        rep.add(Code.Y012, STORY_FIELD, f"含有看不见的字符 U+{ord(m.group()):04X}"
                f"（{unicodedata.name(m.group(), '控制字符')}）", line, col, hint="")
    if len(body) > MAX_STORY_CHARS:
        rep.add(Code.P013, STORY_FIELD, f"品牌故事有 {len(body)} 个字符，超过上限 {MAX_STORY_CHARS}；"
                "提示：精简正文，详细材料可作为资料来源链接。", body_line)
        return
    brackets, angles = body.count("["), body.count("<")
    if brackets > MAX_STORY_BRACKETS or angles > MAX_STORY_ANGLES:  # also in plain text
        what, limit = (f"方括号 [ 有 {brackets} 个", MAX_STORY_BRACKETS) if brackets > MAX_STORY_BRACKETS \
            else (f"尖括号 < 有 {angles} 个", MAX_STORY_ANGLES)
        rep.add(Code.P013, STORY_FIELD, f"品牌故事中{what}，超过上限 {limit}，无法在限定时间内"
                "安全处理；提示：删去多余的符号。", body_line)
        return
    if plainly_safe(body):
        return  # nothing to report: it is converted and sanitised when its page is rendered
    before = len(rep.items)
    try:
        rendered = story_markdown(body)
    except StoryTooComplex:
        rep.add(Code.P013, STORY_FIELD, "品牌故事的列表或引用嵌套过深，无法处理；提示：减少嵌套层数。",
                body_line)
        return
    found = _collect(rendered)
    # Attribute lists are not enabled, so one shows up as literal text outside code.
    for piece in found.prose:
        for m in _ATTR_LIST.finditer(piece):
            line, col = loc.at(m.group())
            rep.add(Code.P007, STORY_FIELD, f"不支持属性列表写法“{clip(m.group(), 40, squeeze=True)}”；提示：删去花括号部分，"
                    "正文不能给元素加 id、class 或事件属性。", line, col)
    for other in found.other:
        if other.endswith("Error>"):
            line, col = loc.at("<!", "<")
            rep.add(Code.P004, STORY_FIELD, "正文中有无法解析的 HTML（`<!` 开头的写法不完整）；"
                    "提示：删去它，只用 Markdown 书写。", line, col)
            continue
        line, col = loc.at(other[:12])
        rep.add(Code.P004, STORY_FIELD, f"不允许的 HTML 声明“{clip(other, 40, squeeze=True)}”；提示：删去它。", line, col)
    for t in found.tags:
        _check_tag(t, loc, rep, folder)
    opened = {t.tag for t in found.tags}
    for tag in dict.fromkeys(found.ends):  # a stray closing tag could close the page's own
        if tag not in ALLOWED_TAGS and tag not in opened:
            line, col = loc.at("</" + tag)
            rep.add(Code.P004, STORY_FIELD, f"不允许的 HTML 结束标签 </{tag}>（可能打乱页面结构）；"
                    "提示：删去它。", line, col)
    safe = _remember(body, sanitise(rendered))  # what the brand page will show
    # Markdown alone writes only well-formed allowed elements, which the rules above have
    # judged; only HTML written into the story (a tag may start with a letter, /, ! or ?) can
    # be rebuilt by the sanitiser in ways no rule names.
    if (len(rep.items) == before and _RAW_TAG.search(body)
            and _canonical(found) != _canonical(safe)):
        # The sanitiser would change something no rule above named: say so rather than drop it.
        rep.add(Code.P009, STORY_FIELD, "品牌故事中有内容会在发布时被删除（不安全或不支持的 HTML）；"
                "提示：只用 Markdown 写正文，不要夹带 HTML。", body_line)



_RAW_TAG = re.compile(r"<[A-Za-z/!?]")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Control characters and the direction embeddings, overrides and isolates that make text read
# otherwise than it is stored (the first one is reported).
_HIDDEN_IN_BODY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r" {0,3}(```|~~~)")


def heading_levels(body: str) -> list[tuple[int, int]]:
    """(level, offset) of every Markdown heading in a text, code blocks left out."""
    out, offset, fenced, prev = [], 0, False, ""
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and not line.startswith(("    ", "\t")):
            m = _ATX.match(line)
            if m:
                out.append((len(m.group(1)), offset))
            elif prev.strip() and not _ATX.match(prev) and _SETEXT.match(line) and \
                    not prev.lstrip().startswith(("-", "*", "+", ">", "|")):
                out.append((1 if line.strip()[0] == "=" else 2, offset - len(prev) - 1))
        prev = line if not fenced else ""
        offset += len(line) + 1
    return out


def check_heading_levels(body: str, body_line: int, rep: Reporter) -> None:
    """Warn where a heading skips a level (## then ####): readers who navigate by headings lose
    the structure. The first heading may be of any level; the story's top level becomes h3."""
    if "#" not in body and "==" not in body and "--" not in body:
        return
    levels = heading_levels(body)
    if not levels:
        return
    top = min(level for level, _ in levels)
    prev = top - 1
    for i, (level, offset) in enumerate(levels):
        if level > prev + 1:
            line, col = line_col(body, offset, body_line)
            what = (f"第一个标题是 {'#' * level}，而正文中最高一级的标题是 {'#' * top}" if i == 0
                    else f"标题从 {'#' * prev} 跳到了 {'#' * level}")
            rep.add(Code.B031, STORY_FIELD, f"{what}（跳过了一级）", line, col, hint="")
        prev = level
# A block marker escaped at a line's start (what a rich-text editor writes for a typed "## " or
# "- "), and a list item: the marker, then a space and text.
_ESCAPED_MARKER = re.compile(r" {0,3}(\\(?:#{1,6}|[-*+>])|\d{1,9}\\[.)])(?=[ \t]|$)")
_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S")
_BLOCK_START = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|>|[-*+][ \t]|\d{1,9}[.)][ \t]|\||```|~~~)")


def check_markdown_slips(body: str, body_line: int, rep: Reporter) -> None:
    """Warn where the story shows Markdown's symbols instead of what they mark: an escaped
    heading, list or quote marker at a line's start (B070), and a list written on the line after
    a paragraph's text, which Python-Markdown keeps in the paragraph while GitHub and the form's
    preview show a list (B071; we warn rather than render differently from every other page)."""
    if "\\" not in body and "\n" not in body:
        return
    offset, fenced, prev = 0, False, ""
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and not line.startswith(("    ", "\t")):
            m = _ESCAPED_MARKER.match(line)
            if m:
                ln, col = line_col(body, offset + m.start(1), body_line)
                marker = m.group(1)
                rep.add(Code.B070, STORY_FIELD, f"这一行开头写着“{marker}”，反斜杠让网页原样显示"
                        f"“{marker.replace(chr(92), '')}”", ln, col,
                        hint=f"删去反斜杠，写成“{marker.replace(chr(92), '')} …”；确实要显示这个符号时可以忽略")
            elif (_LIST_ITEM.match(line) and prev.strip() and not _BLOCK_START.match(prev)
                  and not prev.startswith(("    ", "\t")) and not _SETEXT.match(prev)):
                ln, col = line_col(body, offset, body_line)
                rep.add(Code.B071, STORY_FIELD, f"列表“{clip(line.strip(), 20)}”紧跟在文字"
                        f"“{clip(prev.strip(), 12)}”的下一行，网站会把它们连成一段", ln, col,
                        hint="")
        prev = "" if fenced else line
        offset += len(line) + 1


_ALLOWED_LIST = "、".join(sorted(ALLOWED_TAGS - _HEADINGS))


def _check_tag(t: _Tag, loc: _Locator, rep: Reporter, folder: Path | None) -> None:
    tag = t.tag
    if tag not in ALLOWED_TAGS:
        line, col = loc.at(t.raw[:30], "<" + tag)
        if tag in ("script", "style", "iframe", "frame", "object", "embed", "form", "input",
                   "button", "textarea", "select", "base", "link", "meta", "svg", "math"):
            why = "可能运行脚本、改变页面样式或嵌入其他网站"
        else:
            why = "不在允许的标签之内"
        rep.add(Code.P004, STORY_FIELD, f"不允许的 HTML 标签 <{tag}>（{why}）；提示：用 Markdown 写正文；"
                f"可以直接写的 HTML 标签只有：{_ALLOWED_LIST}。", line, col)
    elif tag in _HEADINGS and not dict(t.attrs).get("id", "").startswith(ID_PREFIX):
        # Markdown headings always get a prefixed id; one without is written as raw HTML.
        line, col = loc.at(t.raw[:30], "<" + tag)
        rep.add(Code.P004, STORY_FIELD, f"标题不能用 HTML 标签 <{tag}> 书写；提示：用 Markdown 写标题，"
                "例如 `## 发展历程`。", line, col)
    for name, value in t.attrs:
        if name.startswith("on"):
            line, col = loc.at(name + "=", t.raw[:30])
            rep.add(Code.P005, STORY_FIELD, f"<{tag}> 上有事件属性 {name}（会运行脚本）；提示：删去该属性。",
                    line, col)
        elif name == "id" and tag in ALLOWED_TAGS and not value.startswith(ID_PREFIX) and \
                tag not in _HEADINGS:
            line, col = loc.at("id=", t.raw[:30])
            rep.add(Code.P005, STORY_FIELD, f"<{tag}> 上不能自定 id=“{clip(value, 20, squeeze=True)}”（可能与页面自身的元素"
                    "冲突）；提示：删去 id，标题会自动获得锚点。", line, col)
        elif tag in ALLOWED_TAGS and name not in ALLOWED_ATTRS.get(tag, ()) and \
                (tag, name) not in _ADDED_ATTRS:
            line, col = loc.at(name + "=", name, t.raw[:30])
            extra = "（样式可能遮盖页面）" if name == "style" else ""
            rep.add(Code.P005, STORY_FIELD, f"<{tag}> 上不允许属性 {name}{extra}；提示：删去该属性。",
                    line, col)
    if tag in ALLOWED_TAGS:
        for name, value in t.attrs:
            if (tag, name) in _URL_ATTRS:
                _check_url(tag, name, value, t, loc, rep, folder)


def _check_url(tag: str, attr: str, value: str, t: _Tag, loc: _Locator, rep: Reporter,
               folder: Path | None) -> None:
    raw = re.search(re.escape(attr) + r"\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", t.raw)
    raw_value = raw.group(1).strip("\"'") if raw else value
    first = raw_value.replace("&amp;", "&")[:40].split("\n")[0]
    # Raw HTML is in the source as written; a Markdown link or image as `](address`.
    needles = (t.raw[:30], "](" + first, "]( " + first, "]: " + first, first,
               value[:40].split("\n")[0])
    scheme = url_scheme(value)
    norm = normalise_url(value)
    where = loc.at(*needles)  # always, so that later elements are looked up after this one
    if tag == "a":
        if scheme is not None and scheme not in LINK_SCHEMES:
            line, col = where
            rep.add(Code.P006, STORY_FIELD, f"链接地址“{clip(value, 30, squeeze=True)}”使用了 {scheme}: 协议（只允许 "
                    "http、https、mailto 或站内相对地址）", line, col, hint="")
        return
    # img: only files in the brand's own folder; nothing is loaded from other sites.
    if scheme is not None or norm.startswith(("//", "\\\\", "/\\")):
        line, col = where
        code = Code.P008 if scheme in ("http", "https", None) else Code.P006
        rep.add(code, STORY_FIELD, f"图片地址“{clip(value, 30, squeeze=True)}”不是品牌文件夹中的文件"
                + (f"（{scheme}: 协议）" if scheme else "") + "；提示：把图片放进品牌文件夹，写文件名，"
                "例如 `![说明](photo.jpg)`。", line, col)
        return
    alt = dict(t.attrs).get("alt", "")
    if not alt.strip():
        line, col = where
        rep.add(Code.B014, STORY_FIELD, f"正文图片“{clip(value, 30, squeeze=True)}”缺少替代文字；提示：写成 "
                "`![图片内容的描述](文件名)`。", line, col)
    elif alt_problem(alt, value):
        line, col = where
        rep.add(Code.B030, STORY_FIELD, f"正文图片“{clip(value, 30, squeeze=True)}”的替代文字“{clip(alt, 20)}”"
                f"{alt_problem(alt, value)}；提示：写成 `![图片内容的描述](文件名)`。", line, col)
    if folder is None:
        return

    bad = image_problem(folder, value)
    if bad:
        line, col = where
        rep.add(bad[0], STORY_FIELD, bad[1], line, col)


_IMG = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def story_images(body: str) -> list[str]:
    """Relative image files the story shows (validated to lie in the brand's folder)."""
    if "<" not in body and "![" not in body:
        return []
    out = []
    for m in _SAFE_IMG_SRC.finditer(story_html(body)):
        src = html.unescape(m.group(1))
        if src and url_scheme(src) is None and not src.startswith(("/", "\\")):
            out.append(src)
    return sorted(set(out))


# An image's address in the sanitiser's output, which quotes every attribute with " and
# escapes the value (`&quot;`), so a quoted value never holds a " of its own.
_SAFE_IMG_SRC = re.compile(r'<img\b(?:[^>"]|"[^"]*")*?\ssrc="([^"]*)"')



# ---------------------------------------------------------------------------------------------
# Images: bounded size and pixel dimensions, read from the header only
# ---------------------------------------------------------------------------------------------


