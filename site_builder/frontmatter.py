"""Strict reading of a YAML-front-matter + Markdown file into YAML nodes, as editors mean it.

Every scalar stays the exact string the editor wrote (no YAML 1.1 guessing of booleans,
sexagesimal numbers or octals); the schema decides what a field's text means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Reporter

try:  # libyaml's parser; pure-Python fallback keeps the same behaviour, only slower
    from yaml import CBaseLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import BaseLoader as _Loader

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 20

STR_TAG = "tag:yaml.org,2002:str"
SEQ_TAG = "tag:yaml.org,2002:seq"
MAP_TAG = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {ScalarNode: STR_TAG, SequenceNode: SEQ_TAG, MappingNode: MAP_TAG}

_LEADING_TAB = re.compile(r"^ *\t", re.M)


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
        rep.add("Y002", "-", f"文件大小为 {len(data)} 字节，超过上限 {MAX_FILE_BYTES} 字节；"
                "提示：图片请放在品牌文件夹中，档案里只写路径。", 1)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        rep.add("Y001", "-", f"第 {e.start + 1} 个字节不是有效的 UTF-8 编码（可能是 GBK）；"
                "提示：在编辑器中选择“以 UTF-8 编码保存”。", line)
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    if first_line.rstrip() != "---":
        rep.add("Y003", "-", "文件第一行应为 `---`，实际为 "
                f"“{_clip(first_line)}”；提示：在文件开头加一行 `---`，"
                "写完字段后再加一行 `---`。", 1)
        return None
    m = _CLOSING.search(rest)
    if m is None:
        rep.add("Y004", "-", "front matter 以第 1 行的 `---` 开始，但没有找到结束的 `---`；"
                "提示：在最后一个字段之后加一行 `---`。", 1)
        return None
    fm_text = rest[: m.start()]
    close_line = fm_text.count("\n") + 2
    body = rest[m.end() + 1 :]
    rep.line_offset = 1
    root = parse_yaml(fm_text, rep)
    return Document(path, root, body, close_line + 1)


_CLOSING = re.compile(r"^---[ \t]*$", re.M)


def parse_yaml(fm_text: str, rep: Reporter) -> MappingNode | None:
    """Compose front matter text into a node tree with no implicit typing; report problems."""
    ok = True
    for m in _LEADING_TAB.finditer(fm_text):
        line = fm_text.count("\n", 0, m.start()) + 1
        rep.add("Y006", "-", "这一行的缩进里有制表符（Tab）；提示：YAML 只能用空格缩进，"
                "请把 Tab 换成两个空格。", line + rep.line_offset, m.end() - m.start())
        ok = False
    if not ok:
        return None
    if _flow_depth(fm_text) > MAX_DEPTH:
        rep.add("Y011", "-", f"方括号或花括号嵌套超过 {MAX_DEPTH} 层；"
                "提示：按字段参考的结构填写。", 1 + rep.line_offset)
        return None
    loader = _Loader(fm_text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = (mark.line + 1 if mark else 1) + rep.line_offset
        col = mark.column + 1 if mark else 1
        rep.add("Y005", "-", f"YAML 无法解析：{_yaml_problem(e)}；提示：检查这一行的冒号后是否有空格、"
                "引号是否成对、缩进是否与上一级对齐。", line, col)
        return None
    except yaml.YAMLError as e:
        rep.add("Y005", "-", f"YAML 无法解析：{_clip(str(e), 80)}；提示：删去不可见的控制字符。",
                1 + rep.line_offset)
        return None
    finally:
        loader.dispose()
    if root is None:
        return MappingNode(MAP_TAG, [], _Mark(0, 0), _Mark(0, 0))
    if "&" in fm_text or "*" in fm_text:
        _check_anchors(fm_text, rep)
    if not isinstance(root, MappingNode):
        rep.at_node(root, "Y007", "-", "front matter 应为“字段: 值”的字段表，实际是"
                    f"{_kind(root)}；提示：按字段参考逐行写 `name: …`。")
        return None
    if not check_tree(root, rep, 1):
        return None
    return root


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def _check_anchors(fm_text: str, rep: Reporter) -> bool:
    ok = True
    for tok in yaml.scan(fm_text, Loader=_Loader):
        if isinstance(tok, (yaml.AnchorToken, yaml.AliasToken)):
            kind = "锚点 &" if isinstance(tok, yaml.AnchorToken) else "别名 *"
            rep.at_node(tok, "Y009", "-", f"使用了{kind}{tok.value}；提示：不要用锚点和别名，"
                        "把内容直接写出来。")
            ok = False
    return ok


def check_tree(node: Node, rep: Reporter, depth: int) -> bool:
    """Report explicit tags and duplicate keys anywhere; False only when nesting is too deep,
    the one problem that stops the schema from reading the rest."""
    ok = True
    if node.tag != _DEFAULT_TAGS[type(node)]:
        rep.at_node(node, "Y010", "-", f"使用了标签 {node.tag}；提示：去掉 `!` 开头的标签，直接写值。")
    if depth > MAX_DEPTH:
        rep.at_node(node, "Y011", "-", f"嵌套超过 {MAX_DEPTH} 层；提示：按字段参考的结构填写。")
        return False
    if isinstance(node, MappingNode):
        seen: dict[str, Node] = {}
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                if k.value in seen:
                    first = seen[k.value].start_mark.line + 1 + rep.line_offset
                    rep.at_node(k, "Y008", k.value, f"字段“{k.value}”重复出现（第 {first} 行已写过）；"
                                "提示：删去其中一处。")
                else:
                    seen[k.value] = k
            ok = check_tree(k, rep, depth + 1) and ok
            ok = check_tree(v, rep, depth + 1) and ok
    elif isinstance(node, SequenceNode):
        for item in node.value:
            ok = check_tree(item, rep, depth + 1) and ok
    return ok


def _flow_depth(text: str) -> int:
    """Upper bound of flow-collection nesting, computed only when brackets are frequent."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0
    depth = best = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            best = max(best, depth)
        elif ch in "]}":
            depth = max(0, depth - 1)
        elif ch == "\n" and depth == 0:
            continue
    return best


_PROBLEMS = [
    ("mapping values are not allowed here", "这里不能出现“冒号+空格”（值里含冒号时请给整段值加引号）"),
    ("could not find expected ':'", "缺少冒号（字段名后要写“: ”）"),
    ("found character '\\t' that cannot start any token", "出现了制表符（Tab）"),
    ("found unexpected end of stream", "引号或括号没有闭合"),
    ("did not find expected key", "缩进不齐或缺少字段名"),
    ("did not find expected '-' indicator", "列表项缩进不齐"),
    ("expected <block end>, but found", "缩进不齐"),
    ("found undefined alias", "使用了未定义的别名"),
    ("while scanning a quoted scalar", "引号没有闭合"),
]


def _yaml_problem(e: yaml.MarkedYAMLError) -> str:
    text = f"{e.context or ''} {e.problem or ''}"
    for needle, zh in _PROBLEMS:
        if needle in text:
            return zh
    return _clip((e.problem or "未知问题").strip(), 60)


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "列表"
    if isinstance(node, MappingNode):
        return "字段表"
    return f"文字“{_clip(node.value)}”"


def _clip(s: str, n: int = 30) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"
