"""The one declaration of a news or event record (news/<slug>.md): validation, JSON Schema, field reference, form."""

from __future__ import annotations

from .brand import _PLAIN, _PLAIN_HINT, PERSON_ID, SLUG_PATTERN
from .fields import Choice, Date, Image, ListOf, Obj, Text, schedule_fields

NEWS_PLAIN = "新闻"
# What an item is: plain news, or one of the events the plan asks the city to hold.
NEWS_KINDS = [NEWS_PLAIN, "大赛", "推介会", "培训", "论坛", "展示交流"]
# Vocabularies of a news record fixed by this schema, added to the settings' vocabularies.
NEWS_VOCAB = {"news_kinds": NEWS_KINDS}

_TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]"
_TIME_HINT = "24 小时制的时:分，例如 `09:30`、`14:00`"
# A person of a brand: the brand's slug, a slash and the person's `id` in that record.
PERSON_REF = rf"{SLUG_PATTERN}/{PERSON_ID}"
PERSON_REF_HINT = "品牌网址名/人物编号，例如 `shili-jiazheng/li-shifu`"

NEWS = Obj("动态档案", "一条新闻或一次活动（大赛、推介会、培训、论坛、展示交流）", fields={
    "slug": Text("网址名", "档案文件名（不含 .md），也是网址的一部分", required=True,
                 pattern=SLUG_PATTERN, pattern_hint="小写字母、数字和连字符，例如 `2026-tuijiehui`",
                 example="2026-tuijiehui"),
    "title": Text("标题", required=True, max_len=60, pattern=_PLAIN, pattern_hint=_PLAIN_HINT,
                  example="示例家政技能大赛"),
    "kind": Choice("类别", "“新闻”是一般消息；其余是活动，会写进活动日历（events.ics）", required=True,
                   vocab="news_kinds", example="推介会"),
    "summary": Text("一句话简介", "显示在动态列表和订阅中", required=True, max_len=120,
                    example="示例市家政品牌集中推介"),
    "status": Choice("发布状态", "只有“已发布”的动态会出现在网站上", required=True,
                     vocab="statuses", example="已发布"),
    **schedule_fields("本条动态"),
    "date": Date("日期", "新闻的发布日期，或活动的（第一天）日期", required=True, example="2026-12-10"),
    "end_date": Date("结束日期", "活动持续多天时的最后一天，不早于 date", example="2026-12-11"),
    "time": Text("开始时间", "活动当天的开始时间（北京时间）；不填则为全天活动", pattern=_TIME,
                 pattern_hint=_TIME_HINT, example="09:30"),
    "end_time": Text("结束时间", "活动的结束时间（北京时间），须填开始时间", pattern=_TIME,
                     pattern_hint=_TIME_HINT, example="17:00"),
    "place": Text("地点", "活动的公开地点", max_len=80, example="示例市会展中心"),
    "organiser": Text("主办单位", max_len=80, example="示例市人力资源和社会保障局"),
    "brands": ListOf("相关品牌", "brands/ 中品牌档案的网址名（slug）", unique=True,
                     item=Text("品牌网址名", pattern=SLUG_PATTERN,
                               pattern_hint="品牌档案的 slug，例如 `shili-jiazheng`")),
    "people": ListOf("相关人物", "品牌档案中人物的“品牌网址名/人物编号”（须先在品牌档案中给这位人物写上人物编号）", unique=True,
                     item=Text("人物", pattern=PERSON_REF, pattern_hint=PERSON_REF_HINT)),
    "images": ListOf("图片", "放在 news/<网址名>/ 文件夹中的图片", item=Image("图片")),
    "editor_note": Text("编辑备注", "只给编辑看的说明，不会出现在网站、搜索和开放数据的任何地方",
                        max_len=1000, multiline=True),
})
