"""The one declaration of a hand-written page's front matter (docs/**/*.md)."""

from __future__ import annotations

from .brand import _PLAIN, _PLAIN_HINT
from .fields import Choice, ListOf, Obj, Text

# What a page may hide, as Material's `hide` front matter names it.
PAGE_HIDE = ["navigation", "toc", "footer"]

PAGE = Obj("手写页面", "docs/ 中的一个页面：标题、简介、发布状态", fields={
    "title": Text("页面标题", "浏览器标签和搜索结果中的标题；不写时用正文第一个标题", max_len=60,
                  pattern=_PLAIN, pattern_hint=_PLAIN_HINT, example="关于我们"),
    "description": Text("页面简介", "搜索结果中的一句话简介", max_len=160, pattern=_PLAIN,
                        pattern_hint=_PLAIN_HINT),
    "status": Choice("发布状态", "只有“已发布”的页面会出现在网站上；不写即为已发布",
                     vocab="statuses", example="已发布"),
    "hide": ListOf("隐藏", item=Choice("隐藏", vocab="page_hide"), unique=True,
                   example="[navigation, toc]"),
})
