"""Rules a news or event record must meet beyond its fields' schema: file name, dates and times, links to brands and people."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Code, Reporter, has_errors
from ..load.brands import LoadedRecord, is_valid
from ..model import NEWS_DIR, Brand, NewsItem
from ..schema.brand import SLUG_PATTERN
from ..schema.news import NEWS_PLAIN
from ..text import clip
from .images import check_images
from .personal_data import check_front_matter_pii
from .schedule import check_schedule
from .story import check_story


def validate_news(root: Path, rec: LoadedRecord, known: dict[str, Brand],
                  brand_files: set[str], unheld: dict[str, Brand] | None = None) -> NewsItem | None:
    """The rules beyond the schema. `known` are the valid brands as of the build date (with the
    people whose consent holds), `unheld` the same brands with every person they name (a
    consent not yet in effect included), `brand_files` every record's file name in brands/.
    Returns the item when it has no error."""
    rep = rec.rep
    top = {k.value: v for k, v in rec.root.value if isinstance(k, ScalarNode)}
    stem = PurePosixPath(rec.relpath).stem
    slug = top.get("slug")
    if not re.fullmatch(SLUG_PATTERN, stem):
        rep.add(Code.N001, "-", f"动态文件名“{clip(stem)}.md”不符合要求：应只用小写字母、数字和连字符；"
                "提示：改名为例如 `2026-tuijiehui.md`，它也是这条动态的网址。", 1)
    elif isinstance(slug, ScalarNode) and re.fullmatch(SLUG_PATTERN, slug.value) and slug.value != stem:
        rep.at_node(slug, Code.N001, "slug", f"网址名“{slug.value}”与文件名“{stem}.md”不一致；"
                    f"提示：把文件改名为 {slug.value}.md，或把 slug 改为 {stem}。", hint="")
    if is_valid(rec.value):
        _check_times(rec.value, top, rep)
    _check_links(top, rep, known, brand_files, known if unheld is None else unheld)
    check_schedule(rec)
    folder = root / NEWS_DIR / stem
    check_images(folder, rec.ctx)
    check_front_matter_pii(rec.root, rep)
    check_story(rec.doc.body, rec.doc.body_line, rep, folder)
    if not is_valid(rec.value) or has_errors(rep.items):
        return None
    return NewsItem(stem, rec.relpath, rec.value, rec.doc.body, rec.doc.body_line, rec.lines())


def _check_times(value: dict, top: dict[str, Node], rep: Reporter) -> None:
    """N004, N005: an event ends no earlier than it starts; plain news has no times."""
    start, end = value["date"], value.get("end_date")
    if end and end < start:
        rep.at_node(top["end_date"], Code.N004, "end_date",
                    f"结束日期 {end} 早于开始日期 {start}", hint="")
    if value["kind"] == NEWS_PLAIN:
        for key in ("end_date", "time", "end_time"):
            if key in value:
                rep.at_node(top[key], Code.N005, key, f"类别为“{NEWS_PLAIN}”的动态不写 {key}；"
                            "提示：活动请把 kind 改为大赛、推介会、培训、论坛或展示交流，否则删去这一行。", hint="")
        return
    if "end_time" in value and "time" not in value:
        rep.at_node(top["end_time"], Code.N005, "end_time",
                    "写了结束时间却没有开始时间；提示：补上 time，或删去 end_time。", hint="")
    elif "end_time" in value and (not end or end == start) and value["end_time"] <= value["time"]:
        rep.at_node(top["end_time"], Code.N005, "end_time",
                    f"结束时间 {value['end_time']} 不晚于开始时间 {value['time']}；提示：改正时间。", hint="")


def person_ids(brand: Brand) -> set[str]:
    return {p["id"] for p in brand.get("people", []) if p.get("id")}


def _check_links(top: dict[str, Node], rep: Reporter, known: dict[str, Brand],
                 brand_files: set[str], unheld: dict[str, Brand]) -> None:
    """N002, N003 (errors: a link to nothing) and N006 (a warning: a link to something not
    public on the build date, shown as its name without a link)."""
    for i, node in _scalars(top.get("brands")):
        slug = node.value
        if slug not in brand_files:
            rep.at_node(node, Code.N002, f"brands[{i}]", f"找不到品牌档案 brands/{clip(slug)}.md"
                        f"{_nearest(slug, brand_files)}")
        elif slug not in known:
            continue  # the brand record has errors of its own, reported there
        elif not known[slug].published:
            rep.at_node(node, Code.N006, f"brands[{i}]", f"品牌“{clip(slug)}”在生成网站的日期没有公开，"
                        "页面上只显示名称、不加链接", hint="")
    for i, node in _scalars(top.get("people")):
        if "/" not in node.value:
            continue  # refused by the schema's pattern
        slug, pid = node.value.split("/", 1)
        brand = known.get(slug)
        if slug not in brand_files:
            rep.at_node(node, Code.N003, f"people[{i}]", f"找不到品牌档案 brands/{clip(slug)}.md"
                        f"{_nearest(slug, brand_files)}；提示：写成“品牌网址名/人物编号”。", hint="")
        elif brand is None:
            continue  # the brand record has errors of its own, reported there
        elif pid not in person_ids(unheld.get(slug, brand)):
            ids = "、".join(sorted(person_ids(unheld.get(slug, brand)))) or "（没有写 id 的人物）"
            rep.at_node(node, Code.N003, f"people[{i}]", f"品牌“{clip(brand.name)}”中没有编号为"
                        f"“{clip(pid)}”的人物（已有：{clip(ids, 80)}）；提示：在品牌档案中给这位人物写上 "
                        "`id`，或改正编号。", hint="")
        elif not brand.published:
            rep.at_node(node, Code.N006, f"people[{i}]", f"人物“{clip(node.value)}”所在的品牌在生成网站的"
                        "日期没有公开，动态页面上暂不显示这位人物", hint="")
        elif pid not in person_ids(brand):
            rep.at_node(node, Code.N006, f"people[{i}]", f"人物“{clip(node.value)}”的公开授权在生成网站的"
                        "日期尚未生效，动态页面上暂不显示这位人物", hint="")


def _scalars(node: Node | None) -> list[tuple[int, ScalarNode]]:
    if not isinstance(node, SequenceNode):
        return []
    return [(i, n) for i, n in enumerate(node.value) if isinstance(n, ScalarNode) and n.value]


def _nearest(value: str, options: set[str]) -> str:
    import difflib

    near = difflib.get_close_matches(value, sorted(options), n=1, cutoff=0.6)
    return f"（是否要写 {near[0]}？）" if near else ""


def check_person_ids(root: MappingNode, rep: Reporter) -> None:
    """B060: each person's `id` once in a brand record."""
    people = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "people"), None)
    if not isinstance(people, SequenceNode):
        return
    seen: dict[str, int] = {}
    for i, item in enumerate(people.value):
        if not isinstance(item, MappingNode):
            continue
        node = next((v for k, v in item.value if isinstance(k, ScalarNode) and k.value == "id"), None)
        if not isinstance(node, ScalarNode) or not node.value:
            continue
        if node.value in seen:
            rep.at_node(node, Code.B060, f"people[{i}].id", f"人物编号“{clip(node.value)}”重复"
                        f"（people[{seen[node.value]}] 已用过）", hint="")
        else:
            seen[node.value] = i
