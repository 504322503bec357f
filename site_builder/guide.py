"""Editor-facing artifacts generated from the schema: the JSON Schema and the editors' guide tables."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import CODES
from .evaluation_schema import round_field_reference
from .schema import BRAND, SETTINGS
from .settings import Settings, load_settings
from .spec import ListOf, Obj, walk_fields

GUIDE_DIR = "guide"
GENERATED_NOTE = "<!-- 本文件由 `site-builder guide` 根据 site_builder/schema.py 生成，请勿手工修改。 -->\n\n"


def json_schema(settings: Settings) -> dict:
    """The JSON Schema of a brand record's front matter, with the settings' vocabularies."""
    schema = BRAND.json_schema(settings.vocab)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "brand.schema.json"} | schema


def _type_name(spec) -> str:
    if isinstance(spec, ListOf):
        inner = spec.item
        return f"列表（每项为{'字段表' if isinstance(inner, Obj) else inner.kind}）"
    return spec.kind


def field_reference(settings: Settings, spec: Obj = BRAND, title: str = "品牌档案字段参考") -> str:
    lines = [f"# {title}", "",
             "每个品牌一个文件 `brands/<slug>.md`：开头是 `---` 包围的字段（YAML），之后是品牌故事（Markdown）。",
             "字段名用英文，下表给出中文名称、类型、是否必填和要求。带点的字段名（如 `figures[].value`）"
             "表示列表中每一项的子字段。", "",
             "| 字段 | 名称 | 类型 | 必填 | 要求 | 说明 |", "|---|---|---|---|---|---|"]
    for path, s in walk_fields(spec):
        doc = s.doc.replace("|", "\\|")
        desc = s.describe(settings.vocab).replace("|", "\\|")
        lines.append(f"| `{path}` | {s.label} | {_type_name(s)} | {'是' if s.required else ''} "
                     f"| {desc} | {doc} |")
    return "\n".join(lines) + "\n"


def code_reference() -> str:
    lines = ["# 错误代码", "",
             "每条提示的格式为 `文件:行:列: error[代码]: 字段: 说明`。`error` 必须改正，"
             "`warning` 建议改正（使用 `--strict` 时同样视为失败）。", ""]
    groups = {"Y": "读取文件与 YAML", "B": "品牌档案字段", "E": "评选档案", "S": "站点设置",
              "C": "生成站点后的检查",
              "P": "安全与个人信息"}
    for prefix, name in groups.items():
        codes = [c for c in CODES.values() if c.code.startswith(prefix)]
        if not codes:
            continue
        lines += [f"## {name}", ""]
        for c in codes:
            lines += [f"### {c.code} {c.title}", "", c.explain, "",
                      f"- 错误示例：{c.example}", f"- 改正方法：{c.fix}", ""]
    return "\n".join(lines)


def update_guide(root: Path, check: bool = False) -> bool:
    """Regenerate the generated parts of the guide; return True if anything differed."""
    settings, _ = load_settings(root)
    if settings is None:
        raise ValueError("settings.yml 有错误，请先运行 site-builder validate")
    files = {
        f"{GUIDE_DIR}/fields.md": GENERATED_NOTE + field_reference(settings),
        f"{GUIDE_DIR}/settings-fields.md": GENERATED_NOTE + field_reference(
            settings, SETTINGS, "站点设置 settings.yml 字段参考"),
        f"{GUIDE_DIR}/codes.md": GENERATED_NOTE + code_reference(),
        f"{GUIDE_DIR}/evaluation-fields.md": GENERATED_NOTE + round_field_reference(settings.vocab),
    }
    changed = False
    for rel, text in files.items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed = True
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed
