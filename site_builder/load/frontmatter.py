"""Strict reading of a YAML-front-matter + Markdown file into YAML nodes, as editors mean it.

Every scalar stays the exact string the editor wrote (no YAML 1.1 guessing of booleans,
sexagesimal numbers or octals); the schema decides what a field's text means.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics.codes import Code
from ..diagnostics.report import Reporter
from ..schema.brand import BRAND
from ..schema.fields import STR_TAG, Rejected, kind_of
from ..schema.page import PAGE
from ..schema.round import ROUND
from ..text import CONTROL_CHARS, FORMAT_CHARS, clip
from .firsttest import format_char

try:  # libyaml's parser; pure-Python fallback keeps the same behaviour, only slower
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 20

SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {ScalarNode: STR_TAG, SequenceNode: SEQ_TAG, MappingNode: MAP_TAG}

_LEADING_TAB = re.compile(r"^ *\t", re.MULTILINE)


class _StrictLoader(_Loader):
    """No implicit typing at all: every node gets its kind's default tag. The same answer as
    BaseResolver.resolve without its per-node Python work, which the composer calls for each node."""

    def resolve(self, kind, value, implicit):
        return _DEFAULT_TAGS[kind]

    # The composer calls these two around every node; without path resolvers (none is ever
    # added) BaseResolver's do nothing. Builtins that take the same arguments and do nothing
    # either spare a Python call per node: descend_resolver(parent, index), ascend_resolver().
    descend_resolver = slice
    ascend_resolver = tuple


@dataclass
class Document:
    """A parsed record file: the front matter's root node (or None) and the Markdown body."""

    path: str
    root: MappingNode | None
    body: str
    body_line: int  # 1-based line number of the body's first line in the file


def read_document(path: str, data: bytes, rep: Reporter) -> Document | None:
    """Decode and split a record file; report every problem with its line; never raise."""
    if len(data) > MAX_FILE_BYTES:
        rep.add(Code.Y002, "-", f"文件大小为 {len(data)} 字节，超过上限 {MAX_FILE_BYTES} 字节；"
                "提示：图片请放在品牌文件夹中，档案里只写路径。", 1)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        rep.add(Code.Y001, "-", f"第 {e.start + 1} 个字节不是有效的 UTF-8 编码（可能是 GBK）",
                line, hint="")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        rep.add(Code.Y003, "-", "文件第一行应为 `---`，实际为"
                f"“{clip(first_line)}”；提示：在文件开头加一行 `---`，"
                "写完字段后再加一行 `---`。", 1)
        return None
    m = search_at_line_starts(_CLOSING, rest, ("---",))
    if m is None:
        rep.add(Code.Y004, "-", "front matter 以第 1 行的 `---` 开始，但没有找到结束的 `---`", 1,
                hint="")
        return None
    fm_text = rest[: m.start()]
    close_line = fm_text.count("\n") + 2
    body = rest[m.end() + 1 :]
    rep.line_offset = 1
    separator = _document_separator(fm_text)
    if separator is not None:  # what follows would be another YAML document, not these fields
        line, mark = separator
        rep.add(Code.Y014, "-", f"front matter 中的这一行以 `{mark}` 开头，它是 YAML 的文档分隔符，"
                "其后的内容不会作为本档案的字段", line + rep.line_offset, hint="")
        return Document(path, None, body, close_line + 1)
    root = parse_yaml(fm_text, rep)
    _check_second_front_matter(body, close_line + 1, rep)
    _check_closed_early(body, close_line, rep)
    return Document(path, root, body, close_line + 1)


# A document marker: `---` or `...` at the start of a line, alone or before a space. Inside the
# front matter (whose closing `---` is the first line that is only `---`) it starts another
# YAML document; libyaml would report it lines later, or (`...` at the end) not at all.
_DOCUMENT_MARKER = re.compile(r"^(---|\.\.\.)(?:[ \t]|$)", re.MULTILINE)


def _document_separator(fm_text: str) -> tuple[int, str] | None:
    """(line within the front matter, marker) of the first document marker, if any."""
    m = search_at_line_starts(_DOCUMENT_MARKER, fm_text, ("---", "..."))
    return (fm_text.count("\n", 0, m.start()) + 1, m.group(1)) if m else None


def search_at_line_starts(pattern: re.Pattern, text: str, heads: tuple[str, ...]) -> re.Match | None:
    """`pattern.search(text)` for a MULTILINE pattern that can match only at the start of a line
    beginning with one of `heads`: tried only there (found by `str.find`), not at every
    character of the text."""
    best = None
    for head in heads:
        at = 0 if text.startswith(head) else _next_line_start(text, head, 0)
        while at is not None and (best is None or at < best.start()):
            m = pattern.match(text, at)
            if m is not None:
                best = m
                break
            at = _next_line_start(text, head, at)
    return best


def _next_line_start(text: str, head: str, at: int) -> int | None:
    """Where the first line after position `at` that begins with `head` starts, if any."""
    i = text.find("\n" + head, at)
    return None if i < 0 else i + 1


_SECOND_FRONT_MATTER = re.compile(r"(?:[ \t]*\n)*(---)[ \t]*(?:\n|$)")
_FIRST_KEY = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*[ \t]*[\"']?([^\s:\"'#][^:\n\"']*)[\"']?[ \t]*:(?:[ \t]|$)",
                        re.MULTILINE)


def _check_second_front_matter(body: str, body_line: int, rep: Reporter) -> None:
    """A `---` line right after the front matter: a second front matter, whose `key: value`
    lines Markdown would publish as text (a heading), not read as fields; or a stray `---`.
    Either way the body may not start with one: reported at the first field it would publish,
    else at the `---` line."""
    m = _SECOND_FRONT_MATTER.match(body)
    if not m:
        return
    line = body_line + body.count("\n", 0, m.start(1))
    key = _FIRST_KEY.match(body, m.end())
    if key:
        rep.add(Code.Y013, key.group(1).strip(), "front matter 结束后紧接着又有一行 `---`，"
                f"其后的“{clip(key.group(1).strip())}: …”会被当作正文公开，而不是字段",
                body_line + body.count("\n", 0, key.start(1)), hint="")
    else:
        rep.add(Code.Y013, "-", "front matter 结束后紧接着又有一行 `---`，正文不能以它开头", line,
                hint="")


# The record fields an editor writes at the top of a file: a story opening with one of them is
# the rest of the front matter, not the story.
RECORD_FIELDS = frozenset(BRAND.fields) | frozenset(PAGE.fields) | frozenset(ROUND.fields)
_FIELD_LINE = re.compile(r"[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?[ \t]*:(?:[ \t]|$)")
_RULE_LINE = re.compile(r"-{3,}[ \t]*")
_YAML_LINE = re.compile(r"[ \t]|-[ \t]|-$|#")  # indented, a list item or a comment
_EARLY_CLOSE_LINES = 200


def _check_closed_early(body: str, close_line: int, rep: Reporter) -> None:
    """A story that opens with `field: value` lines (a record field first) followed by a `---`
    line: the front matter was closed early (a `---` written before its last fields), and
    Markdown would publish those fields as a heading. Reported at the first of them."""
    lines = body.split("\n", _EARLY_CLOSE_LINES)[:_EARLY_CLOSE_LINES]
    start = next((i for i, text in enumerate(lines) if text.strip()), None)
    if start is None:
        return
    first = _FIELD_LINE.match(lines[start])
    if first is None or first.group(1) not in RECORD_FIELDS:
        return
    for text in lines[start + 1:]:
        if _RULE_LINE.fullmatch(text):
            key = first.group(1)
            rep.add(Code.Y013, key, f"正文以“{key}: …”开头，其后又有一行 `---`：front matter 在第 "
                    f"{close_line} 行的 `---` 处提前结束了，这些字段不会被读取，而会被当作正文（标题）公开",
                    close_line + 1 + start,
                    hint="把这些字段移到第 1 行和第 "
                    f"{close_line} 行的两个 `---` 之间，删去多余的 `---`。")
            return
        if text.strip() and not _YAML_LINE.match(text) and not _FIELD_LINE.match(text):
            return


_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


def parse_yaml(fm_text: str, rep: Reporter) -> MappingNode | None:
    """Compose front matter text into a node tree with no implicit typing; report problems."""
    ok = True
    for m in _LEADING_TAB.finditer(fm_text) if "\t" in fm_text else ():
        line = fm_text.count("\n", 0, m.start()) + 1
        rep.add(Code.Y006, "-", "这一行的缩进里有制表符（Tab）；提示：YAML 只能用空格缩进，"
                "请把 Tab 换成两个空格。", line + rep.line_offset, m.end() - m.start())
        ok = False
    if not ok:
        return None
    for m in _fullwidth_colons(fm_text):
        line = fm_text.count("\n", 0, m.start()) + 1
        rep.add(Code.Y005, m.group(1), f"字段名“{m.group(1)}”后用了全角冒号“：”；提示：改成半角冒号"
                "加一个空格，写成 `" + m.group(1) + ": …`。", line + rep.line_offset,
                m.end() - m.start())
        ok = False
    if not ok:
        return None
    too_deep = _flow_too_deep(fm_text)
    if too_deep is not None:
        rep.add(Code.Y011, "-", f"方括号或花括号嵌套超过 {MAX_DEPTH} 层；"
                "提示：按字段参考的结构填写。", too_deep[0] + rep.line_offset, too_deep[1])
        return None
    loader = _StrictLoader(fm_text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        what, hint, at_context = _yaml_problem(e, fm_text)
        mark = (e.context_mark if at_context else None) or e.problem_mark or e.context_mark
        line = (mark.line + 1 if mark else 1) + rep.line_offset
        col = mark.column + 1 if mark else 1
        rep.add(_yaml_code(e), _key_on_line(fm_text, line - rep.line_offset),
                f"YAML 无法解析：{what}；提示：{hint}。", line, col)
        return None
    except yaml.reader.ReaderError as e:
        pos = _char_index(fm_text, e.position)
        line = fm_text.count("\n", 0, pos) + 1
        col = pos - (fm_text.rfind("\n", 0, pos) + 1) + 1
        rep.add(Code.Y005, "-", f"含有不可见的控制字符 U+{e.character:04X}；提示：删去这个字符"
                "（常见于从网页或文档中复制来的文字）。", line + rep.line_offset, col)
        return None
    except yaml.YAMLError as e:
        rep.add(Code.Y005, "-", f"YAML 无法解析：{clip(str(e), 80)}；提示：删去不可见的控制字符。",
                1 + rep.line_offset)
        return None
    finally:
        loader.dispose()
    if root is None:
        return MappingNode(MAP_TAG, [], _Mark(0, 0), _Mark(0, 0))
    if "&" in fm_text or "*" in fm_text or "!" in fm_text:
        _check_tokens(fm_text, rep)
    if not isinstance(root, MappingNode):
        rep.at_node(root, Code.Y007, "-", "front matter 应为“字段: 值”的字段表，实际是"
                    f"{kind_of(root)}；提示：按字段参考逐行写 `name: …`。")
        return None
    if not check_tree(root, rep, 1, set() if "*" in fm_text else None):
        return None
    if "\\" in fm_text or format_char(fm_text):  # escapes, or invisible characters
        check_hidden_characters(root, rep)
    return root


# The zero-width joiner belongs inside emoji sequences; every other format character is hidden.
_ALLOWED_FORMAT = {"\u200d"}


def hidden_character(text: str) -> str | None:
    """The first control or format character in `text` (a tab or line break is neither)."""
    m = CONTROL_CHARS.search(text)
    if m:
        return m.group()
    for m in FORMAT_CHARS.finditer(text):
        if m.group() not in _ALLOWED_FORMAT:
            return m.group()
    return None


def check_hidden_characters(root: Node, rep: Reporter) -> None:
    """Report every key or value holding a control character (written as a YAML escape such as
    `"\\x01"`) or an invisible format character (direction overrides, zero-width spaces)."""
    stack: list[tuple[Node, str]] = [(root, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, ScalarNode):
            ch = hidden_character(node.value)
            if ch is not None:
                name = unicodedata.name(ch, "控制字符")
                rep.at_node(node, Code.Y012, where or "-", f"含有看不见的字符 U+{ord(ch):04X}（{name}）",
                            hint="")
        elif isinstance(node, MappingNode):
            for k, v in reversed(node.value):
                key = k.value if isinstance(k, ScalarNode) else "?"
                stack.append((v, f"{where}.{key}" if where else key))
                stack.append((k, where))
        elif isinstance(node, SequenceNode):
            for i, item in reversed(list(enumerate(node.value))):
                stack.append((item, f"{where}[{i}]"))


def _char_index(text: str, position: int) -> int:
    """libyaml reports a reader error's position in bytes of UTF-8; Python's reader in characters."""
    if _Loader.__name__.startswith("C"):
        return len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    return position


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def _check_tokens(fm_text: str, rep: Reporter) -> None:
    """Report anchors, aliases and explicit tags (`!x`, `!!int`), which editors should not use."""
    for tok in yaml.scan(fm_text, Loader=_Loader):
        if isinstance(tok, (yaml.AnchorToken, yaml.AliasToken)):
            kind = "锚点 &" if isinstance(tok, yaml.AnchorToken) else "别名 *"
            rep.at_node(tok, Code.Y009, "-", f"使用了{kind}{tok.value}；提示：不要用锚点和别名，"
                        "把内容直接写出来。")
        elif isinstance(tok, yaml.TagToken):
            handle, suffix = tok.value
            rep.at_node(tok, Code.Y010, "-", f"使用了标签 {handle or ''}{suffix}", hint="")


def check_tree(node: Node, rep: Reporter, depth: int, seen_nodes: set[int] | None) -> bool:
    """Report duplicate keys anywhere and replace alias uses by `Rejected`; False only when
    nesting is too deep, the one problem that stops the schema from reading the rest.

    `seen_nodes` is None when the text has no `*`, so it cannot hold an alias. Scalars are
    handled inline (they only need the depth check): this walk runs on every node of every file.
    """
    if depth > MAX_DEPTH:
        _too_deep(node, rep)
        return False
    inner = depth + 1
    if isinstance(node, MappingNode) and inner <= MAX_DEPTH and seen_nodes is None:
        # The common case, the same walk: no alias to replace, and a scalar child needs nothing
        # (it is not too deep), so only the duplicate keys and the nested nodes are looked at.
        seen: dict[str, Node] = {}
        for k, v in node.value:
            if k.__class__ is ScalarNode:
                if k.value in seen:
                    first = seen[k.value].start_mark.line + 1 + rep.line_offset
                    rep.at_node(k, Code.Y008, k.value, f"字段“{k.value}”重复出现（第 {first} 行已写过）；"
                                "提示：删去其中一处。")
                else:
                    seen[k.value] = k
            elif not isinstance(k, ScalarNode) and not check_tree(k, rep, inner, None):
                return False
            if not isinstance(v, ScalarNode) and not check_tree(v, rep, inner, None):
                return False
    elif isinstance(node, MappingNode):
        seen = {}
        pairs = node.value
        for i, (k, v) in enumerate(pairs):
            if seen_nodes is not None:
                k2, v2 = _unalias(k, seen_nodes), _unalias(v, seen_nodes)
                if k2 is not k or v2 is not v:
                    pairs[i] = (k2, v2)
                    k, v = k2, v2
            if k.__class__ is ScalarNode:  # not a Rejected alias
                if k.value in seen:
                    first = seen[k.value].start_mark.line + 1 + rep.line_offset
                    rep.at_node(k, Code.Y008, k.value, f"字段“{k.value}”重复出现（第 {first} 行已写过）；"
                                "提示：删去其中一处。")
                else:
                    seen[k.value] = k
            for child in (k, v):
                if isinstance(child, ScalarNode):
                    if inner > MAX_DEPTH:
                        _too_deep(child, rep)
                        return False
                elif not check_tree(child, rep, inner, seen_nodes):
                    return False
    elif isinstance(node, SequenceNode):
        items = node.value
        for i, item in enumerate(items):
            if seen_nodes is not None:
                item = items[i] = _unalias(item, seen_nodes)
            if isinstance(item, ScalarNode):
                if inner > MAX_DEPTH:
                    _too_deep(item, rep)
                    return False
            elif not check_tree(item, rep, inner, seen_nodes):
                return False
    return True


def _too_deep(node: Node, rep: Reporter) -> None:
    rep.at_node(node, Code.Y011, "-", f"嵌套超过 {MAX_DEPTH} 层；提示：按字段参考的结构填写。")


def _unalias(node: Node, seen_nodes: set[int]) -> Node:
    """The composer gives an alias the very node object of its anchor: a second visit is an alias."""
    if isinstance(node, Rejected):
        return node
    if id(node) in seen_nodes:
        return Rejected(node)
    seen_nodes.add(id(node))
    return node


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) of the first bracket nested past the limit, checked only when brackets are
    frequent; libyaml would otherwise recurse deeply before we could say anything useful."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        else:
            depth = max(0, depth - 1)
    return None


_BRACKETS = re.compile(r"[\[\]{}]")
_FULLWIDTH_COLON = re.compile(r"^[ ]*(?:- )?([A-Za-z_][A-Za-z0-9_]*)[ ]*：", re.MULTILINE)


def _fullwidth_colons(text: str) -> list[re.Match]:
    """`_FULLWIDTH_COLON.finditer(text)`, tried only at the start of the lines that hold a
    full-width colon (a match is one line from its start, so at most one per line)."""
    out, pos, last = [], text.find("："), -1
    while pos >= 0:
        start = text.rfind("\n", 0, pos) + 1
        if start != last:
            last = start
            m = _FULLWIDTH_COLON.match(text, start)
            if m:
                out.append(m)
        end = text.find("\n", pos)
        if end < 0:
            break
        pos = text.find("：", end)
    return out
_KEY = re.compile(r"[ ]*(?:- )?([A-Za-z_][A-Za-z0-9_]*)[ ]*:")


def _key_on_line(text: str, line: int) -> str:
    """The field a YAML error's line starts with, so the message names it ("-" if none)."""
    lines = text.split("\n")
    m = _KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return m.group(1) if m else "-"


_GENERIC_HINT = "检查这一行及上一行：冒号后是否有空格、引号是否成对、缩进是否与上一级对齐"

# (libyaml's words, what went wrong, how to fix it, report where the construct began rather than
# where libyaml gave up); the first match wins.
_PROBLEMS = [
    ("mapping values are not allowed", "这里出现了不该有的“冒号+空格”",
     "值里含有“: ”时请给整段值加引号；也可能是上一行的冒号后缺少空格，或这一行缩进不齐", False),
    ("could not find expected ':'", "缺少冒号", "字段名后要写“: ”（冒号加一个空格）", False),
    ("found character that cannot start any token", "{char} 不能出现在值的开头",
     "给整段值加上引号，例如 \"{char}……\"", False),
    ("did not find expected alphabetic or numeric character",
     "值以 {char} 开头，被当成了锚点或别名", "给整段值加上引号，例如 \"{char}……\"", False),
    ("found unknown escape character", "双引号里的反斜杠 \\ 后面是无效字符",
     "改用单引号，或把 \\ 写成 \\\\", False),
    ("found unexpected end of stream", "从这里开始的引号没有闭合", "在值的末尾补上同样的引号", True),
    ("did not find expected ',' or ']'", "从这里开始的方括号没有闭合，或两项之间缺少逗号",
     "写成 `[甲, 乙]`，用英文逗号分隔，并补上 `]`", True),
    ("did not find expected ',' or '}'", "从这里开始的花括号没有闭合，或两项之间缺少逗号",
     "写成 `{path: logo.png, alt: 说明}`，用英文逗号分隔，并补上 `}`", True),
    ("did not find expected '-' indicator", "缩进不齐",
     "同一列表的每一项 `- ` 要上下对齐，同一项里的各个字段也要左对齐", False),
    ("did not find expected key", "缩进不齐或缺少字段名",
     "同一级的字段要左对齐，子字段比上一级多缩进两个空格", False),
    ("block sequence entries are not allowed", "这里不能开始列表",
     "列表项 `- ` 要另起一行并缩进；值本身以 `- ` 开头时请加引号", False),
    ("did not find expected node content", "这里缺少值", "检查是否多写了 `]`、`}` 或逗号", False),
    ("found a tab character", "出现了制表符（Tab）", "用空格代替 Tab", False),
    ("did not find expected comment or line break", "`|` 或 `>` 后面不能接文字",
     "在 `|` 后换行，多行文字另起一行并缩进", False),
    ("found undefined tag handle", "使用了未定义的标签", "去掉 `!` 开头的标签，直接写值", False),
    ("did not find expected <document start>",
     "front matter 中出现了 `%` 开头的指令或多余的 `---`", "删去这一行", False),
    ("expected <block end>", "缩进不齐", "同一级的字段要左对齐", False),
]

_DEPTH_PROBLEM = "exceeded maximum nesting depth"


def _yaml_code(e: yaml.MarkedYAMLError) -> str:
    return Code.Y011 if _DEPTH_PROBLEM in (e.problem or "") else Code.Y005


def _yaml_problem(e: yaml.MarkedYAMLError, text: str) -> tuple[str, str, bool]:
    """What went wrong, how to fix it (Chinese, from libyaml's English) and whether to report
    where the construct began."""
    problem = e.problem or ""
    if _DEPTH_PROBLEM in problem:
        return f"嵌套超过上限（上限 {MAX_DEPTH} 层）", "按字段参考的结构填写", False
    # an anchor or alias is reported after its `&`/`*`; other problems at the character itself
    scanning_name = (e.context or "").startswith(("while scanning an alias", "while scanning an anchor"))
    mark = e.context_mark if scanning_name else e.problem_mark
    char = ""
    if mark is not None and 0 <= mark.index < len(text):
        char = text[mark.index]
    for needle, what, hint, at_context in _PROBLEMS:
        if needle in problem:
            # plain replace: some hints show YAML braces, which str.format would take for fields
            return what.replace("{char}", f"“{char}”"), hint.replace("{char}", char), at_context
    return f"{clip(problem.strip() or '未知问题', 60)}", _GENERIC_HINT, False


