"""Safety of record content: personal data, the story's Markdown as sanitised HTML, image bounds.

Every problem is reported at its file and line with a P code; the sanitiser is the last line of
defence and removes only what a diagnostic has already named.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import html
import html.parser
import re
import threading
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import Treeprocessor
from PIL import Image, UnidentifiedImageError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Reporter

# ---------------------------------------------------------------------------------------------
# Personal data: resident identity numbers (GB 11643) and personal mobile numbers
# ---------------------------------------------------------------------------------------------

# Invisible characters an editor (or a copy from a chat app) can leave between digits.
_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff"
_STRIP_INVISIBLE = str.maketrans("", "", _INVISIBLE)
_HAS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# Spaces and hyphens that may separate groups of digits ("138 1234 5678", "138-1234-5678").
_SEP = "[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
# A run of digit groups (any script's decimal digits, e.g. full-width) joined by 1-3 separators;
# an identity number may end in X.
_RUN = re.compile(rf"\d+(?:{_SEP}{{1,3}}\d+)*[XxＸｘ]?")
_GROUP = re.compile(r"\d+[XxＸｘ]?")
_WORD = re.compile(r"[A-Za-z_]")  # a run of digits touching a Latin letter is part of a token
# Cheap test first: eleven digits close together are needed for any finding.
_HINT = re.compile(rf"\d(?:{_SEP}{{0,3}}\d){{10}}")
_HINT_PHONE = re.compile(rf"\d(?:{_SEP}{{0,3}}\d){{9}}")  # 400/800 and some landlines: 10 digits

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Province-level codes that open a resident identity number (GB/T 2260), plus 83 for Taiwan
# residents' mainland permits, which use the same format.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
_MOBILE = re.compile(r"1[3-9]\d{9}")
# Public landlines and service numbers: area code + number, 400/800 numbers.
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")
_SERVICE = re.compile(r"[48]00\d{7}")
_PAREN_LANDLINE = re.compile(r"[(（]\s*0[1-9]\d{1,2}\s*[)）]\s*\d{3,4}" + _SEP + r"?\d{4}")


@dataclass(frozen=True)
class PiiMatch:
    """A personal (or misplaced public) number found in a text: what, where, shown masked."""

    kind: str  # "id", "mobile" or "phone"
    start: int  # offsets in the original text
    end: int
    masked: str


def is_resident_id(digits: str) -> bool:
    """An 18-character resident identity number: region, a real birth date and the check digit."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[17] not in "0123456789X":
        return False
    if int(digits[:2]) not in _PROVINCES:
        return False
    y, m, d = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    if not (1900 <= y <= 2099 and 1 <= m <= 12 and 1 <= d <= 31):
        return False
    try:
        _dt.date(y, m, d)
    except ValueError:
        return False
    total = sum(int(c) * w for c, w in zip(digits[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == digits[17]


def mask(digits: str) -> str:
    """Show only the first three and last two characters of a number in messages."""
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def _ascii_digits(group: str) -> str:
    return "".join("X" if c in "XxＸｘ" else str(unicodedata.decimal(c)) for c in group)


def find_pii(text: str, phones: bool = False) -> list[PiiMatch]:
    """Identity and mobile numbers in `text`, also written with spaces, hyphens, full-width digits
    or invisible characters; with `phones`, public landline and 400/800 numbers as well."""
    clean = text.translate(_STRIP_INVISIBLE) if _HAS_INVISIBLE.search(text) else text
    hint = _HINT_PHONE if phones else _HINT
    if not hint.search(clean) and not (phones and _PAREN_LANDLINE.search(clean)):
        return []
    removed_clean: list[int] | None = None

    def orig(pos: int) -> int:
        """An offset in `clean` as an offset in `text` (invisible characters put back)."""
        nonlocal removed_clean
        if clean is text:
            return pos
        if removed_clean is None:
            removed = [m.start() for m in _HAS_INVISIBLE.finditer(text)]
            removed_clean = [i - k for k, i in enumerate(removed)]
        return pos + bisect.bisect_right(removed_clean, pos)

    found: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, s: int, e: int, digits: str) -> None:
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(PiiMatch(kind, orig(s), orig(e - 1) + 1, mask(digits)))

    for run in _RUN.finditer(clean):
        if _WORD.match(clean, run.start() - 1) if run.start() else False:
            continue  # part of a token such as a hexadecimal id ("…4b19-3215-5384-9cb0")
        if _WORD.match(clean, run.end()):
            continue
        groups = [(g.start() + run.start(), g.end() + run.start(), _ascii_digits(g.group()))
                  for g in _GROUP.finditer(run.group())]
        if sum(len(g[2]) for g in groups) < 10:
            continue
        # Every window of whole groups is a candidate: "138 1234 5678" and "2024 13812345678".
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 18:
                    break
                s, e = groups[i][0], groups[j][1]
                if len(digits) == 18 and is_resident_id(digits):
                    add("id", s, e, digits)
                elif "X" in digits:
                    continue
                elif _MOBILE.fullmatch(digits):
                    add("mobile", s, e, digits)
                elif len(digits) in (13, 15) and digits.startswith(("86", "0086")) and \
                        _MOBILE.fullmatch(digits[-11:]):
                    add("mobile", s, e, digits[-11:])
                elif phones and j > i and (_LANDLINE.fullmatch(digits) and
                                           len(groups[i][2]) in (3, 4) or _SERVICE.fullmatch(digits)):
                    # Only numbers written as phone numbers ("020-12345678", "400 123 4567"):
                    # a bare digit string starting with 0 is as often a code or a serial number.
                    add("phone", s, e, digits)
    if phones:
        for m in _PAREN_LANDLINE.finditer(clean):
            add("phone", m.start(), m.end(), re.sub(r"\D", "", m.group()))
    found.sort(key=lambda p: p.start)
    return found


# Fields meant for an organisation's public phone number; the schema's pattern admits only
# landlines, 400/800 and short service numbers there.
_PHONE_FIELDS = re.compile(r"contact\.phone|venues\[\d+\]\.phone")
# Registration numbers and addresses hold long digit strings that are not phone numbers.
_NO_PHONE_CHECK = re.compile(r"trademarks\[\d+\]\.number|sources\[\d+\]\.url|contact\.(url|email)")

_PII_TEXT = {
    "id": ("P001", ("发现疑似居民身份证号“{m}”（地区码、出生日期和校验位都对得上）；提示：公开内容中"
                    "不能出现身份证号，请删去。")),
    "mobile": ("P002", ("发现疑似个人手机号“{m}”；提示：个人手机号不能公开，请删去；对外联系请在 "
                        "contact.phone 或 venues[].phone 填写单位的公开电话。")),
    "phone": ("P003", ("发现电话号码“{m}”；提示：单位的公开电话只能写在 contact.phone（联系方式）"
                       "或 venues[].phone（场所电话）中，请移到那里，正文和其他字段中不要写电话。")),
}


def report_pii(rep: Reporter, field: str, text: str, line_col, phones: bool = True) -> int:
    """Report every number `find_pii` finds; `line_col(offset)` places it in the file."""
    n = 0
    for p in find_pii(text, phones=phones):
        code, msg = _PII_TEXT[p.kind]
        line, col = line_col(p.start)
        rep.add(code, field, msg.format(m=p.masked), line, col)
        n += 1
    return n


def _scalar_position(node: ScalarNode, line_offset: int):
    """offset in a scalar's value → (line, col) in the file, exact for plain and literal text."""
    line0 = node.start_mark.line + 1 + line_offset
    col0 = node.start_mark.column + 1
    style = node.style

    def at(offset: int) -> tuple[int, int]:
        before = node.value[:offset]
        if style == "|":  # literal block: content starts on the next line
            return line0 + 1 + before.count("\n"), 1
        if style in ("'", '"'):
            return line0, col0 + 1 + offset
        if style == ">":
            return line0 + 1, 1
        return line0, col0 + offset

    return at


# Number fields: their digits are quantities or coordinates, never a phone or identity number.
_NUMBER_FIELDS = re.compile(r"figures\[\d+\]\.value|venues\[\d+\]\.(lat|lng)")


def might_hold_numbers(texts: list[str]) -> bool:
    """False when no text holds ten digits close together (nor a bracketed area code): then
    `find_pii` finds nothing in any of them. One regex over all texts, for speed."""
    joined = "\n".join(texts)  # a newline never joins two values into one number
    if _HAS_INVISIBLE.search(joined):
        joined = joined.translate(_STRIP_INVISIBLE)
    return bool(_HINT_PHONE.search(joined) or _PAREN_LANDLINE.search(joined))


def _scalars(root: Node) -> list[str]:
    """Every text value, leaving out phone fields (which hold public numbers by design)."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            out.append(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(v for k, v in node.value if k.value != "phone")
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return out


def check_front_matter_pii(root: MappingNode, rep: Reporter) -> None:
    """Personal data in every text value of the front matter, reported at its line."""
    if not might_hold_numbers(_scalars(root)):
        return

    def walk(node: Node, where: str) -> None:
        if isinstance(node, ScalarNode):
            if not node.value or _PHONE_FIELDS.fullmatch(where) or _NUMBER_FIELDS.fullmatch(where):
                return
            report_pii(rep, where or "-", node.value, _scalar_position(node, rep.line_offset),
                       phones=not _NO_PHONE_CHECK.fullmatch(where))
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, ScalarNode) else "?"
                walk(v, f"{where}.{key}" if where else key)
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]")

    walk(root, "")


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
# Anything in a story that can turn into markup other than plain paragraphs, lists and headings.
_NEEDS_FULL_CHECK = re.compile(r"[<&{:\[]")
# Nesting deep enough that Python-Markdown might run out of stack: dozens of list or quote
# markers on one line, or a line indented by dozens of levels. Such a story is converted at
# validation, so a failure is reported (P013) rather than met when the page is rendered.
_MAYBE_DEEP = re.compile(r"(?:(?:[-*+>]|\d{1,9}[.)])[ \t]+){30}|^[ \t]{120}", re.MULTILINE)


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


def _markdown() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=[
            TableExtension(use_align_attribute=True),
            TocExtension(slugify=_slugify, marker="", permalink=False),
            "sane_lists",
            _StoryExtension(),
        ], output_format="html")
        _local.md = md
    md.reset()
    return md


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


def story_html(body: str) -> str:
    """The brand's story as safe HTML for the brand page (validation has named every problem)."""
    try:
        return sanitise(story_markdown(body))
    except StoryTooComplex:
        return "<p>" + html.escape(body) + "</p>"


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


def _canonical(fragment: str) -> tuple:
    c = _collect(fragment)
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
        before = self.body[:offset]
        nl = before.count("\n")
        return self.body_line + nl, offset - before.rfind("\n") if nl else offset + 1

    def at(self, *needles: str) -> tuple[int, int]:
        return self.line_col(self.offset(*needles))


def check_story(body: str, body_line: int, rep: Reporter, folder: Path | None = None) -> None:
    """Report everything in a story that is not plain, safe Markdown, at its line in the file.

    `folder` is the brand's image folder; images the story shows must be there."""
    loc = _Locator(body, body_line)
    report_pii(rep, STORY_FIELD, body, loc.line_col)
    if len(body) > MAX_STORY_CHARS:
        rep.add("P013", STORY_FIELD, f"品牌故事有 {len(body)} 个字符，超过上限 {MAX_STORY_CHARS}；"
                "提示：精简正文，详细材料可作为资料来源链接。", body_line)
        return
    if not _NEEDS_FULL_CHECK.search(body) and not _MAYBE_DEEP.search(body):
        return  # plain paragraphs, lists, emphasis and headings only: nothing to sanitise
    brackets, angles = body.count("["), body.count("<")
    if brackets > MAX_STORY_BRACKETS or angles > MAX_STORY_ANGLES:
        what = f"方括号 [ 有 {brackets} 个" if brackets > MAX_STORY_BRACKETS else f"尖括号 < 有 {angles} 个"
        rep.add("P013", STORY_FIELD, f"品牌故事中{what}，超过上限 {MAX_STORY_BRACKETS}，无法在限定时间内"
                "安全处理；提示：删去多余的符号。", body_line)
        return
    before = len(rep.items)
    try:
        rendered = story_markdown(body)
    except StoryTooComplex:
        rep.add("P013", STORY_FIELD, "品牌故事的列表或引用嵌套过深，无法处理；提示：减少嵌套层数。",
                body_line)
        return
    found = _collect(rendered)
    # Attribute lists are not enabled, so one shows up as literal text outside code.
    for piece in found.prose:
        for m in _ATTR_LIST.finditer(piece):
            line, col = loc.at(m.group())
            rep.add("P007", STORY_FIELD, f"不支持属性列表写法“{_clip(m.group())}”；提示：删去花括号部分，"
                    "正文不能给元素加 id、class 或事件属性。", line, col)
    for other in found.other:
        if other.endswith("Error>"):
            line, col = loc.at("<!", "<")
            rep.add("P004", STORY_FIELD, "正文中有无法解析的 HTML（`<!` 开头的写法不完整）；"
                    "提示：删去它，只用 Markdown 书写。", line, col)
            continue
        line, col = loc.at(other[:12])
        rep.add("P004", STORY_FIELD, f"不允许的 HTML 声明“{_clip(other)}”；提示：删去它。", line, col)
    for t in found.tags:
        _check_tag(t, loc, rep, folder)
    opened = {t.tag for t in found.tags}
    for tag in dict.fromkeys(found.ends):  # a stray closing tag could close the page's own
        if tag not in ALLOWED_TAGS and tag not in opened:
            line, col = loc.at("</" + tag)
            rep.add("P004", STORY_FIELD, f"不允许的 HTML 结束标签 </{tag}>（可能打乱页面结构）；"
                    "提示：删去它。", line, col)
    if len(rep.items) == before and _canonical(rendered) != _canonical(sanitise(rendered)):
        # The sanitiser would change something no rule above named: say so rather than drop it.
        rep.add("P009", STORY_FIELD, "品牌故事中有内容会在发布时被删除（不安全或不支持的 HTML）；"
                "提示：只用 Markdown 写正文，不要夹带 HTML。", body_line)


def _clip(s: str, n: int = 40) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
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
        rep.add("P004", STORY_FIELD, f"不允许的 HTML 标签 <{tag}>（{why}）；提示：用 Markdown 写正文；"
                f"可以直接写的 HTML 标签只有：{_ALLOWED_LIST}。", line, col)
    elif tag in _HEADINGS and not dict(t.attrs).get("id", "").startswith(ID_PREFIX):
        # Markdown headings always get a prefixed id; one without is written as raw HTML.
        line, col = loc.at(t.raw[:30], "<" + tag)
        rep.add("P004", STORY_FIELD, f"标题不能用 HTML 标签 <{tag}> 书写；提示：用 Markdown 写标题，"
                "例如 `## 发展历程`。", line, col)
    for name, value in t.attrs:
        if name.startswith("on"):
            line, col = loc.at(name + "=", t.raw[:30])
            rep.add("P005", STORY_FIELD, f"<{tag}> 上有事件属性 {name}（会运行脚本）；提示：删去该属性。",
                    line, col)
        elif name == "id" and tag in ALLOWED_TAGS and not value.startswith(ID_PREFIX) and \
                tag not in _HEADINGS:
            line, col = loc.at("id=", t.raw[:30])
            rep.add("P005", STORY_FIELD, f"<{tag}> 上不能自定 id=“{_clip(value, 20)}”（可能与页面自身的元素"
                    "冲突）；提示：删去 id，标题会自动获得锚点。", line, col)
        elif tag in ALLOWED_TAGS and name not in ALLOWED_ATTRS.get(tag, ()) and \
                (tag, name) not in _ADDED_ATTRS:
            line, col = loc.at(name + "=", name, t.raw[:30])
            extra = "（样式可能遮盖页面）" if name == "style" else ""
            rep.add("P005", STORY_FIELD, f"<{tag}> 上不允许属性 {name}{extra}；提示：删去该属性。",
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
            rep.add("P006", STORY_FIELD, f"链接地址“{_clip(value, 30)}”使用了 {scheme}: 协议（只允许 "
                    "http、https、mailto 或站内相对地址）；提示：改为以 https:// 开头的网址，或删去链接。",
                    line, col)
        return
    # img: only files in the brand's own folder; nothing is loaded from other sites.
    if scheme is not None or norm.startswith(("//", "\\\\", "/\\")):
        line, col = where
        code = "P008" if scheme in ("http", "https", None) else "P006"
        rep.add(code, STORY_FIELD, f"图片地址“{_clip(value, 30)}”不是品牌文件夹中的文件"
                + (f"（{scheme}: 协议）" if scheme else "") + "；提示：把图片放进品牌文件夹，写文件名，"
                "例如 `![说明](photo.jpg)`。", line, col)
        return
    alt = dict(t.attrs).get("alt", "")
    if not alt.strip():
        line, col = where
        rep.add("B014", STORY_FIELD, f"正文图片“{_clip(value, 30)}”缺少替代文字；提示：写成 "
                "`![图片内容的描述](文件名)`。", line, col)
    if folder is None:
        return
    from .records import BRANDS_DIR, image_path_problem  # records imports this module

    stem = folder.name
    problem = image_path_problem(value)
    if problem:
        line, col = where
        rep.add("B011", STORY_FIELD, f"图片路径“{_clip(value, 30)}”{problem}；提示：把图片放进 "
                f"{BRANDS_DIR}/{stem}/，这里只写文件名。", line, col)
        return
    target = folder / value
    if not target.is_file():
        line, col = where
        rep.add("B010", STORY_FIELD, f"找不到图片 {BRANDS_DIR}/{stem}/{value}；提示：把图片放进 "
                f"{BRANDS_DIR}/{stem}/，并核对文件名（包括大小写和扩展名）。", line, col)
        return
    import os

    real = os.path.realpath(folder)
    if os.path.commonpath([os.path.realpath(target), real]) != real:
        line, col = where
        rep.add("B011", STORY_FIELD, f"图片“{_clip(value, 30)}”是指向品牌文件夹以外的链接；"
                f"提示：把图片本身复制到 {BRANDS_DIR}/{stem}/。", line, col)
        return
    bad = image_file_problem(target)
    if bad:
        line, col = where
        rep.add(bad[0], STORY_FIELD, bad[1], line, col)


_IMG = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")


def story_images(body: str) -> list[str]:
    """Relative image files the story shows (validated to lie in the brand's folder)."""
    if "<" not in body and "![" not in body:
        return []
    try:
        rendered = story_markdown(body)
    except StoryTooComplex:
        return []
    out = []
    for t in _collect(sanitise(rendered)).tags:
        if t.tag == "img":
            src = dict(t.attrs).get("src", "")
            if src and url_scheme(src) is None and not src.startswith(("/", "\\")):
                out.append(src)
    return sorted(set(out))


def check_record_content(root_node: MappingNode, body: str, body_line: int, folder: Path,
                         rep: Reporter) -> None:
    """Everything this module checks in one record: front matter text, then the story."""
    check_front_matter_pii(root_node, rep)
    check_story(body, body_line, rep, folder)


# ---------------------------------------------------------------------------------------------
# Images: bounded size and pixel dimensions, read from the header only
# ---------------------------------------------------------------------------------------------

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SIDE = 12_000
# MPO is how Pillow names the JPEG files many phone cameras write.
IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
# Pillow refuses (DecompressionBombError) above twice this; we report above it ourselves.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def image_file_problem(path: Path) -> tuple[str, str] | None:
    """(code, Chinese message) when an image file is too big, too large in pixels or not a
    JPEG/PNG/WebP/GIF image; None when it is fine. Reads at most the file's header."""
    try:
        size = path.stat().st_size
    except OSError as e:
        return "P012", f"无法读取图片 {path.name}：{type(e).__name__}；提示：重新保存图片文件。"
    if size > MAX_IMAGE_BYTES:
        return "P010", (f"图片 {path.name} 有 {size / 1048576:.1f} MB，超过上限 "
                        f"{MAX_IMAGE_BYTES // 1048576} MB；提示：缩小图片（长边 2000 像素左右足够）"
                        "后再放入。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                fmt, (w, h) = im.format, im.size
    except Image.DecompressionBombError:
        return "P011", (f"图片 {path.name} 的像素数超过上限 {MAX_IMAGE_PIXELS:,}；提示：缩小图片"
                        "（长边 2000 像素左右足够）。")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        return "P012", (f"{path.name} 不是可以读取的图片（{type(e).__name__}）；提示：用 JPEG、PNG、"
                        "WebP 或 GIF 格式重新保存。")
    if fmt not in IMAGE_FORMATS:
        return "P012", (f"{path.name} 是 {fmt} 格式，不支持；提示：另存为 JPEG、PNG、WebP 或 GIF。")
    if w * h > MAX_IMAGE_PIXELS or w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w < 1 or h < 1:
        return "P011", (f"图片 {path.name} 为 {w}×{h} 像素，超过上限（每边不超过 {MAX_IMAGE_SIDE}，"
                        f"总像素不超过 {MAX_IMAGE_PIXELS:,}）；提示：缩小图片（长边 2000 像素左右足够）。")
    return None
