"""Diagnostics: the stable error codes, the Diagnostic value and its three output formats."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """One stable diagnostic code, documented in the editors' guide."""

    code: str
    title: str
    explain: str
    example: str
    fix: str


# Every code the builder can emit. Codes are never renumbered: retire a code instead.
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        # Y: reading the file and its YAML front matter
        Code("Y001", "文件不是 UTF-8 编码", "档案必须以 UTF-8 编码保存。",
             "用 GBK 编码保存的 .md 文件", "在编辑器中选择“以 UTF-8 编码保存”。"),
        Code("Y002", "文件过大", "单个档案文件超过大小上限，可能误放了图片或大段数据。",
             "2 MB 的 .md 文件", "删去多余内容；图片放在品牌自己的文件夹中并用路径引用。"),
        Code("Y003", "缺少开头的 front matter", "档案第一行必须是 `---`，之后是 YAML 字段。",
             "第一行直接写“品牌故事……”", "在文件开头加一行 `---`，写字段，再用一行 `---` 结束。"),
        Code("Y004", "front matter 没有结束", "front matter 必须以单独一行 `---` 结束。",
             "字段写完后直接开始正文", "在最后一个字段之后加一行 `---`。"),
        Code("Y005", "YAML 语法错误", "YAML 无法解析，常见原因是冒号后缺空格、引号不成对或缩进不齐。",
             "`name:羊城家政`", "冒号后加一个空格，检查引号和缩进。"),
        Code("Y006", "缩进中使用了制表符", "YAML 只允许用空格缩进。",
             "行首是 Tab 字符", "把行首的 Tab 换成两个空格。"),
        Code("Y007", "front matter 不是字段表", "front matter 必须是“字段: 值”的形式。",
             "front matter 里只有一个列表 `- a`", "改写为 `name: …` 这样的字段。"),
        Code("Y008", "字段重复", "同一层中同一字段写了两次，无法判断以哪个为准。",
             "两行 `name:`", "删去其中一行。"),
        Code("Y009", "使用了锚点或别名", "`&锚点` 和 `*别名` 会让内容难以核对，不允许使用。",
             "`districts: *same`", "把内容直接写出来。"),
        Code("Y010", "使用了自定义标签", "`!标签` 会改变值的含义，不允许使用。",
             "`count: !!int 5`", "去掉 `!` 开头的标签，直接写值。"),
        Code("Y011", "嵌套过深", "列表或字段表的嵌套层数超过上限。",
             "`[[[[[…]]]]]`", "按字段参考的结构填写，不要多层嵌套。"),
        # B: brand record fields
        Code("B001", "缺少必填字段", "该字段必须填写。", "没有 `name`", "按提示补上该字段。"),
        Code("B002", "未知字段", "字段名不在字段参考中，可能拼写错误。",
             "`catagory: 高品质服务型`", "按提示改为正确的字段名，例如 `category`。"),
        Code("B003", "类型不符", "该字段需要的是文字、列表或字段表，填写的类型不对。",
             "`districts: 海珠区`（应为列表）", "按字段参考改写，例如 `districts: [海珠区]`。"),
        Code("B004", "取值不在可选范围", "该字段只能取 settings.yml 中列出的值。",
             "`districts: [增城]`", "改为可选值之一，例如 `增城区`。"),
        Code("B005", "文字过长或格式不符", "文字超过长度上限，或不符合要求的格式。",
             "120 字以上的 summary；`slug: Yang_Cheng`", "按提示缩短或改写。"),
        Code("B006", "数字格式不对", "数字字段只能写阿拉伯数字，可带小数点，不要写单位或多余的 0。",
             "`value: 1,200人`、`value: 1.10`、`value: 007`", "写成 `value: 1200`，单位写在 `unit`。"),
        Code("B007", "日期不对", "日期必须是真实存在的日期，格式为 YYYY-MM-DD（部分字段允许 YYYY 或 YYYY-MM）。",
             "`updated: 2024-02-30`", "改为真实日期，例如 `2024-02-29`。"),
        Code("B008", "文件名与 slug 不一致", "档案文件名必须是 `<slug>.md`。",
             "文件 `yangcheng.md` 中 `slug: yangcheng-jiazheng`", "把文件改名，或改 slug，使二者一致。"),
        Code("B009", "名称或 slug 重复", "两个档案使用了同一个品牌名称或 slug。",
             "两个档案都叫“羊城家政”", "合并档案，或改用不同的名称。"),
        Code("B010", "图片不存在", "引用的图片在品牌文件夹中找不到。",
             "`path: logo.png` 但 `brands/<slug>/logo.png` 不存在", "把图片放入 `brands/<slug>/`，并检查文件名大小写。"),
        Code("B011", "图片路径越界", "图片只能放在品牌自己的文件夹 `brands/<slug>/` 中。",
             "`path: ../other/logo.png`", "把图片复制到本品牌的文件夹，写相对路径。"),
        Code("B012", "来源编号找不到", "关键数据的 `source` 必须对应 `sources` 中某条资料的 `id`。",
             "`source: rb2023` 但 sources 中没有这个 id", "在 `sources` 中补上这条资料，或改正编号。"),
        Code("B013", "编号重复", "同一档案中的资料来源 id 重复。", "两条 `id: xinhua`", "给每条资料一个不同的 id。"),
        Code("B014", "缺少替代文字", "每张图片都要写 `alt`，为读屏用户描述图片内容。",
             "`logo: {path: logo.png}`", "补上 `alt: 羊城家政标志`。"),
        Code("B015", "列表项数不对", "列表至少要有规定的项数，或有重复项。",
             "`districts: []`", "至少填写一项，并删去重复项。"),
        Code("B016", "层级与评选结果不符", "档案写了市级劳务品牌，但没有已公布的评选授予它。",
             "`level: 市级劳务品牌`", "核对评选结果；尚未评定的写 `培育中`。"),
        # S: settings.yml
        Code("S001", "站点设置有误", "settings.yml 的某个设置缺失或格式不对。",
             "`districts:` 为空", "按 settings.yml 中的注释改正。"),
    ]
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in one file, at one place, about one field."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    field: str
    message: str

    def format(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col}: {self.severity.value}[{self.code}]: "
            f"{self.field}: {self.message}"
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def format_github(self) -> str:
        kind = "error" if self.severity is Severity.ERROR else "warning"
        title = CODES[self.code].title if self.code in CODES else self.code
        msg = f"{self.field}: {self.message}"
        return (
            f"::{kind} file={_gh_prop(self.path)},line={self.line},col={self.col},"
            f"title={_gh_prop(f'{self.code} {title}')}::{_gh_data(msg)}"
        )


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def sort_key(d: Diagnostic) -> tuple:
    return (d.path, d.line, d.col, d.code, d.field)


def format_diagnostics(diags: list[Diagnostic], fmt: str = "text") -> str:
    """Render diagnostics as text lines, a JSON list or GitHub Actions commands."""
    diags = sorted(diags, key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in diags)
    return "\n".join(d.format() for d in diags)


def has_errors(diags: list[Diagnostic], strict: bool = False) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in diags)


class Reporter:
    """Collects diagnostics for one file; stages add to it and never stop early."""

    def __init__(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset
        self.items: list[Diagnostic] = []

    def add(self, code: str, field: str, message: str, line: int, col: int = 1,
            severity: Severity = Severity.ERROR) -> None:
        assert code in CODES, code
        self.items.append(
            Diagnostic(self.path, line, col, severity, code, field or "-", message)
        )

    def at_node(self, node, code: str, field: str, message: str,
                severity: Severity = Severity.ERROR) -> None:
        """Report at a YAML node's position (node marks count from the front matter's start)."""
        mark = node.start_mark
        self.add(code, field, message, mark.line + 1 + self.line_offset, mark.column + 1,
                 severity)
