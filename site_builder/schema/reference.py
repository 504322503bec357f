"""Editor-facing references generated from the declarations: JSON Schemas and the guide's tables."""

from __future__ import annotations

from ..diagnostics import Code
from .brand import BRAND
from .fields import ListOf, Obj, label_words, walk_fields
from .round import ROUND, ROUND_VOCAB

GENERATED_NOTE = ("<!-- 本文件由 `site-builder guide` 根据 site_builder/schema/ 中的声明生成，"
                  "请勿手工修改。 -->\n\n")
_TABLE_HEAD = ["| 字段 | 名称 | 类型 | 必填 | 要求 | 说明 |", "|---|---|---|---|---|---|"]
BRAND_INTRO = [
    "每个品牌一个文件 `brands/<slug>.md`：开头是 `---` 包围的字段（YAML），之后是品牌故事（Markdown）。",
    ("字段名用英文，下表给出中文名称、类型、是否必填和要求。带点的字段名（如 `figures[].value`）"
     "表示列表中每一项的子字段。")]
ROUND_INTRO = [
    ("每轮征集评选一个文件 `evaluations/<评选编号>.md`（编号只用小写字母、数字和连字符，"
     "例如 `2025-shiji`，也是评选页面的网址）：开头是 `---` 包围的字段（YAML），之后是评选公告"
     "（Markdown）。格式说明和完整示例见 `evaluations/README.md`。")]


def json_schema(vocab: dict[str, list[str]], spec: Obj = BRAND, schema_id: str = "brand.schema.json"
                ) -> dict:
    """The JSON Schema of a record's front matter, with the settings' vocabularies."""
    return _words({"$schema": "https://json-schema.org/draft/2020-12/schema",
                   "$id": schema_id} | spec.json_schema(vocab), vocab)


def _words(value, vocab):
    if isinstance(value, str):
        return label_words(value, vocab)
    if isinstance(value, dict):
        return {k: _words(v, vocab) for k, v in value.items()}
    if isinstance(value, list):
        return [_words(v, vocab) for v in value]
    return value


def round_json_schema(vocab: dict[str, list[str]]) -> dict:
    """The JSON Schema of a round file's front matter."""
    return json_schema(vocab | ROUND_VOCAB, ROUND, "evaluation.schema.json")


def _type_name(spec) -> str:
    if isinstance(spec, ListOf):
        inner = spec.item
        return f"列表（每项为{'字段表' if isinstance(inner, Obj) else inner.kind}）"
    return spec.kind


def field_reference(vocab: dict[str, list[str]], spec: Obj = BRAND,
                    title: str = "品牌档案字段参考", intro: list[str] | None = None) -> str:
    """The guide's table of every field under `spec`, from the same declaration that validates."""
    lines = [f"# {title}", "", *(BRAND_INTRO if intro is None else intro), "", *_TABLE_HEAD]
    for path, s in walk_fields(spec):
        doc = s.doc.replace("|", "\\|")
        desc = label_words(s.describe(vocab), vocab).replace("|", "\\|")
        lines.append(f"| `{path}` | {label_words(s.label, vocab)} | {_type_name(s)} | {'是' if s.required else ''} "
                     f"| {desc} | {doc} |")
    return "\n".join(lines) + "\n"


def round_field_reference(vocab: dict[str, list[str]]) -> str:
    return field_reference(vocab | ROUND_VOCAB, ROUND, "评选档案字段参考", ROUND_INTRO)


CODE_GROUPS = {"Y": "读取文件与 YAML", "B": "品牌档案字段", "E": "评选档案", "N": "动态档案", "S": "站点设置",
               "C": "生成站点后的检查", "P": "安全与个人信息"}


def code_reference() -> str:
    """The guide's list of every diagnostic code, from the one registry."""
    lines = ["# 错误代码", "",
             ("每条提示的格式为 `文件:行:列: error[代码]: 字段: 说明`。`error` 必须改正，"
              "`warning` 建议改正（使用 `--strict` 时同样视为失败）。"), ""]
    for prefix, name in CODE_GROUPS.items():
        codes = [c for c in Code if c.name.startswith(prefix)]
        if not codes:
            continue
        lines += [f"## {name}", ""]
        for c in codes:
            lines += [f"### {c.name} {c.title}", "", c.info.explain, "",
                      f"- 错误示例：{c.info.example}", f"- 改正方法：{c.fix}", ""]
    return "\n".join(lines)
