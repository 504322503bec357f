"""`site-builder new`: a record skeleton that validates, with Chinese comments for editors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..load.settings import load_settings
from ..model import BRANDS_DIR, BY_OUTSIDE, BY_ROUNDS, Settings
from ..schema.brand import SLUG_PATTERN

SKELETON = """\
---
# 网址名：与文件名一致，只用小写字母、数字和连字符（通常是拼音）
slug: {slug}
# 品牌名称（必填）：请改为正式名称
name: 新品牌 {slug}
# 一句话简介（必填，120 字以内）
summary: 请用一句话介绍这个品牌
# 发布状态：草稿 / 已发布 / 已撤下；只有“已发布”会出现在网站上
status: 草稿
# 品牌类型（必填）：{categories}
category: {category}
# 所在{area}（必填，至少一个）：{districts}
districts: [{district}]
# 以下字段有可靠来源时再填写，没有来源的请保持删除状态：
{optional}# figures:                   # 关键数据，每个数字都要注明来源；报道写“约3万”“3万+”时照写
#   - label: {label}
#     value: 1200
#     unit: {unit}
#     as_of: 2024-12          # 报道和资料都没写时间时写“日期不详”；删去这一行则以资料的发布日期代替
#     source: example-2024
# sources:                   # 资料来源
#   - id: example-2024
#     outlet: 某某日报
#     date: 2024-12-01
#     url: https://www.example.com/news/1.html
#     url_kind: 原文          # 原文：媒体自己网站上的页面；转载：其他网站的转载或镜像（发布前要换成原文）
#     kind: 官方媒体          # 政府部门 / 官方媒体 / 其他媒体 / 企业或机构 / 其他
# 最近审核日期（必填）
updated: {today}
---

在这里用 Markdown 写品牌故事。
"""


def _choices(values: list[str], limit: int = 6) -> str:
    shown = " / ".join(values[:limit])
    return shown + (f" 等 {len(values)} 项（见 settings.yml）" if len(values) > limit else "")


def skeleton_text(settings: Settings, slug: str, district: str | None, today: str) -> str:
    """The skeleton in the words of this project's settings: its categories, areas, levels."""
    vocab = settings.vocab
    optional = ""
    for lv in settings.levels:
        by = settings.conferral.get(lv)
        why = {BY_ROUNDS: "须有本站已公布的评选结果支持",
               BY_OUTSIDE: "须在 honours 中写明授予这一层级的荣誉"}.get(by, "")
        optional += f"# level: {lv}" + (f"        # 品牌层级，{why}" if why else "        # 品牌层级") + "\n"
        break
    if vocab["stages"]:
        optional += f"# stage: {vocab['stages'][0]}            # 发展阶段：{_choices(vocab['stages'])}\n"
    if vocab["programs"]:
        optional += f"# programs: [{vocab['programs'][0]}]       # 所属工程：{_choices(vocab['programs'])}\n"
    return SKELETON.format(
        slug=slug, district=district or vocab["districts"][0], today=today,
        category=vocab["categories"][0], categories=_choices(vocab["categories"]),
        districts=_choices(vocab["districts"]), area=settings.area_label, optional=optional,
        label=(vocab["figure_labels"] or ["从业人数"])[0], unit=(vocab["figure_units"] or ["人"])[0])


def write_skeleton(root: Path, slug: str, district: str | None = None) -> tuple[bool, str]:
    if not re.fullmatch(SLUG_PATTERN, slug):
        return False, f"网址名“{slug}”不合格：只能用小写字母、数字和连字符，例如 shili-jiazheng。"
    path = root / BRANDS_DIR / f"{slug}.md"
    if path.exists():
        return False, f"{BRANDS_DIR}/{slug}.md 已存在，没有覆盖。"
    settings, _ = load_settings(root)
    if settings is None:
        return False, "settings.yml 有错误，请先运行 site-builder validate。"
    path.parent.mkdir(parents=True, exist_ok=True)
    today = dt.date.today().isoformat()
    path.write_text(skeleton_text(settings, slug, district, today), encoding="utf-8")
    return True, f"已新建 {BRANDS_DIR}/{slug}.md（状态为草稿），请按注释填写后提交。"
