"""`site-builder new`: a record skeleton that validates, with Chinese comments for editors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..load.settings import load_settings
from ..model import BRANDS_DIR
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
# 品牌类型（必填）：高端技能型 / 高品质服务型 / 文化旅游类 / 民生保障型
category: 高品质服务型
# 所在区（必填，至少一个）
districts: [{district}]
# 以下字段有可靠来源时再填写，没有来源的请保持删除状态：
# level: 市级劳务品牌        # 品牌层级，须有评选结果支持
# stage: 发现培育            # 发展阶段
# programs: [南粤家政]       # 所属工程
# figures:                   # 关键数据，每个数字都要注明来源
#   - label: 从业人数
#     value: 1200
#     unit: 人
#     as_of: 2024-12
#     source: example-2024
# sources:                   # 资料来源
#   - id: example-2024
#     outlet: 某某日报
#     date: 2024-12-01
#     url: https://www.example.com/news/1.html
# 最近审核日期（必填）
updated: {today}
---

在这里用 Markdown 写品牌故事。
"""


def write_skeleton(root: Path, slug: str, district: str | None = None) -> tuple[bool, str]:
    if not re.fullmatch(SLUG_PATTERN, slug):
        return False, f"网址名“{slug}”不合格：只能用小写字母、数字和连字符，例如 yangcheng-jiazheng。"
    path = root / BRANDS_DIR / f"{slug}.md"
    if path.exists():
        return False, f"{BRANDS_DIR}/{slug}.md 已存在，没有覆盖。"
    if district is None:

        settings, _ = load_settings(root)
        if settings is None:
            return False, "settings.yml 有错误，请先运行 site-builder validate。"
        district = settings.vocab["districts"][0]
    path.parent.mkdir(parents=True, exist_ok=True)
    today = dt.date.today().isoformat()
    path.write_text(SKELETON.format(slug=slug, district=district, today=today), encoding="utf-8")
    return True, f"已新建 {BRANDS_DIR}/{slug}.md（状态为草稿），请按注释填写后提交。"
