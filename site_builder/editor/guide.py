"""The editors' guide and the JSON Schemas kept in step with the declarations and the code registry."""

from __future__ import annotations

import json
from pathlib import Path

from ..load.settings import load_settings
from ..schema.news import NEWS, NEWS_VOCAB
from ..schema.page import PAGE
from ..schema.reference import (
    GENERATED_NOTE,
    code_reference,
    field_reference,
    json_schema,
    round_field_reference,
    round_json_schema,
)
from ..schema.settings import SETTINGS, SETTINGS_VOCAB
from ..validate.files import ALLOWED_TYPES
from .skeleton import skeleton_text

GUIDE_DIR = "guide"
SCHEMA_DIR = "schema"
PAGE_INTRO = [("`docs/` 中的手写页面（`.md`）和品牌故事遵守同样的规则：不能有身份证号、手机号，只能用 "
               "Markdown 书写（HTML 会被拒绝或清理），草稿和已撤下的页面不会发布。front matter 可以不写；"
               "写的话必须从文件第一行的 `---` 开始，只能有下表的字段。`docs/` 中除页面外只能放这些文件："
               f"{ALLOWED_TYPES}；每个文件发布前都要检查（个人号码、会自动运行的内容），其他类型的文件和"
               "链接（符号链接）一律拒绝。图片发布时会重新编码并去掉拍摄地点等元数据。")]
NEWS_INTRO = [("每条新闻或活动一个文件 `news/<网址名>.md`：开头是 `---` 包围的字段（YAML），之后是正文"
               "（Markdown，与品牌故事的规则相同）；图片放在 `news/<网址名>/` 中。kind 为“新闻”的是一般消息，"
               "其余类别是活动：按生成网站的日期分为“即将举办”和“往期”，并写进活动日历 `events.ics`。"
               "brands 写品牌档案的网址名，people 写“品牌网址名/人物编号”（人物须在品牌档案中有 `id`）。")]
SETTINGS_INTRO = [("站点设置文件 `settings.yml` 在项目根目录，决定地区、各个可选词表、规划目标和政策依据。"
                   "字段名用英文，下表给出中文名称、类型、是否必填和要求。")]


def generated_files(root: Path) -> dict[str, str]:
    """Every generated reference file (guide tables and JSON Schemas) as it should read now."""
    settings, _ = load_settings(root)
    if settings is None:
        raise ValueError("settings.yml 有错误，请先运行 site-builder validate")
    vocab = settings.vocab
    example = skeleton_text(settings, "shili-pinpai", None, "2026-01-01")
    return {
        f"{GUIDE_DIR}/fields.md": GENERATED_NOTE + field_reference(vocab) + EXAMPLE_INTRO
        + "```markdown\n" + example + "```\n",
        f"{GUIDE_DIR}/settings-fields.md": GENERATED_NOTE + field_reference(
            vocab | SETTINGS_VOCAB, SETTINGS, "站点设置 settings.yml 字段参考",
            SETTINGS_INTRO),
        f"{GUIDE_DIR}/codes.md": GENERATED_NOTE + code_reference(),
        f"{GUIDE_DIR}/page-fields.md": GENERATED_NOTE + field_reference(
            vocab, PAGE, "手写页面 docs/*.md 字段参考", PAGE_INTRO),
        f"{GUIDE_DIR}/evaluation-fields.md": GENERATED_NOTE + round_field_reference(vocab),
        f"{GUIDE_DIR}/news-fields.md": GENERATED_NOTE + field_reference(
            vocab | NEWS_VOCAB, NEWS, "动态档案 news/*.md 字段参考", NEWS_INTRO),
        f"{SCHEMA_DIR}/brand.schema.json": _json(json_schema(vocab)),
        f"{SCHEMA_DIR}/evaluation.schema.json": _json(round_json_schema(vocab)),
        f"{SCHEMA_DIR}/news.schema.json": _json(json_schema(vocab | NEWS_VOCAB, NEWS,
                                                            "news.schema.json")),
        f"{SCHEMA_DIR}/settings.schema.json": _json(json_schema(dict(SETTINGS_VOCAB), SETTINGS,
                                                                "settings.schema.json")),
    }


EXAMPLE_INTRO = ("\n## 按本项目设置写的档案骨架\n\n"
                 "下面是 `site-builder new shili-pinpai` 按本项目 settings.yml 写出的骨架（品牌类型、"
                 "地区、层级和工程都取自设置），可以直接复制后修改。\n\n")


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def update_guide(root: Path, check: bool = False, only: str | None = None) -> list[str]:
    """Regenerate the generated references (those under `only`, e.g. "schema/", if given);
    return the files that differed. With `check`, nothing is written."""
    changed = []
    for rel, text in generated_files(root).items():
        if only is not None and not rel.startswith(only):
            continue
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            changed.append(rel)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    return changed
