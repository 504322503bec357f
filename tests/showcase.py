"""A small, obviously fictional project for site tests: people, venues, images, a draft."""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image
from sitecopy import FIXTURE_SETTINGS, copy_engine_files

REPO = Path(__file__).resolve().parent.parent

BRANDS = {
    "shili-chayi": """\
---
slug: shili-chayi
name: 示例·山间茶艺师
summary: 虚构的示例品牌：从化山区的茶艺师队伍，用于测试。
status: 已发布
category: 文化旅游类
level: 市级劳务品牌
stage: 发展提升
programs: [乡村工匠]
districts: [从化区]
figures:
  - label: 从业人数
    value: 1200
    unit: 人
    as_of: 2024-12
    source: demo-a
  - label: 培训人次
    value: 300
    unit: 人次
    as_of: 2024-12
    source: demo-a
people:
  - name: 王示例
    role: 传承人
    title: 虚构的高级茶艺师
    bio: 这是测试用的虚构人物。
    photo: {path: wang.png, alt: 王示例在茶园中（虚构示例）}
    consent: {form: 书面授权, date: 2024-03-01, reference: 虚构示例-SQ-001}
venues:
  - name: 示例茶艺非遗工坊
    type: 非遗工坊
    district: 从化区
    address: 示例路 1 号（虚构）
    lat: 23.55
    lng: 113.58
    hours: 周二至周日 09:00–17:00
media:
  logo: {path: logo.png, alt: 示例·山间茶艺师标志}
  cover: {path: cover.jpg, alt: 茶园全景（虚构示例）}
sources:
  - id: demo-a
    outlet: 示例日报（虚构）
    date: 2025-01-02
updated: 2025-01-10
---
这是一个**虚构**的示例品牌，只用于测试。
""",
    "shili-jiazheng": """\
---
slug: shili-jiazheng
name: 示例·家政姐妹
summary: 虚构的示例品牌：家政服务队伍，用于测试。
status: 已发布
category: 高品质服务型
level: 本地劳务品牌
stage: 发现培育
programs: [南粤家政]
districts: [海珠区, 天河区]
figures:
  - label: 从业人数
    value: 800
    unit: 人
    as_of: 2024-12
    source: demo-b
people:
  - name: 李示例
    role: 代言人
    consent: {form: 书面授权, date: 2024-03-01, reference: 虚构示例-SQ-001}
sources:
  - id: demo-b
    outlet: 示例晚报（虚构）
updated: 2025-02-01
---
虚构的家政品牌。
""",
    "shili-jigong": """\
---
slug: shili-jigong
name: 示例·数控技工
summary: 虚构的示例品牌：数控加工技工，用于测试。
status: 已发布
category: 高端技能型
level: 市级劳务品牌
stage: 壮大升级
programs: [广东技工]
districts: [黄埔区]
cooperation_regions: [毕节市]
updated: 2025-03-01
---
虚构的技工品牌。
""",
    "shili-zaocha": """\
---
slug: shili-zaocha
name: 示例·早茶点心师
summary: 虚构的示例品牌：早茶点心师傅，用于测试。
status: 已发布
category: 文化旅游类
level: 本地劳务品牌
stage: 发展提升
programs: [粤菜师傅]
districts: [荔湾区, 海珠区]
updated: 2025-01-20
---
虚构的点心品牌。
""",
    "shili-caogao": """\
---
slug: shili-caogao
name: 草稿标记QZX品牌
summary: 草稿标记QZX：这个草稿不应出现在网站任何地方。
status: 草稿
category: 民生保障型
districts: [越秀区]
updated: 2025-01-01
---
草稿标记QZX
""",
}

DRAFT_MARKER = "草稿标记QZX"


def make_project(dest: Path, brands: dict[str, str] | None = None, site_url: str = "") -> Path:
    """The fictional test settings, the repository's engine config, templates and docs; the records."""
    shutil.copy2(FIXTURE_SETTINGS, dest / "settings.yml")
    copy_engine_files(dest)
    if site_url:
        text = (dest / "settings.yml").read_text(encoding="utf-8")
        (dest / "settings.yml").write_text(text.replace('  url: ""', f"  url: {site_url}", 1),
                                           encoding="utf-8")
    (dest / "brands").mkdir()
    for slug, text in (BRANDS if brands is None else brands).items():
        (dest / "brands" / f"{slug}.md").write_text(text, encoding="utf-8")
    if brands is None:
        folder = dest / "brands" / "shili-chayi"
        folder.mkdir()
        Image.new("RGBA", (400, 400), (20, 120, 60, 255)).save(folder / "logo.png")
        Image.new("RGB", (1600, 900), (90, 140, 90)).save(folder / "cover.jpg", quality=85)
        Image.new("RGB", (600, 800), (200, 180, 160)).save(folder / "wang.png")
    return dest
