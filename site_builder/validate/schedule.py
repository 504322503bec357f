"""A record's schedule: it must come down after it goes live; where a day falls in its window."""

from __future__ import annotations

import datetime as dt

from yaml.nodes import ScalarNode

from ..diagnostics import Code
from ..load.brands import LoadedRecord, is_valid


def before_window(data: dict, today: dt.date) -> bool:
    """Not live yet on `today`: its `publish_from` is a later day (ISO dates compare as text)."""
    start = data.get("publish_from")
    return start is not None and today.isoformat() < start


def after_window(data: dict, today: dt.date) -> bool:
    """Taken down by `today`: its `publish_until` is that day or an earlier one."""
    end = data.get("publish_until")
    return end is not None and end <= today.isoformat()


def check_schedule(rec: LoadedRecord) -> None:
    """`publish_until` must be a later day than `publish_from` (ISO dates compare as text)."""
    if not is_valid(rec.value):
        return
    start, end = rec.value.get("publish_from"), rec.value.get("publish_until")
    if start and end and end <= start:
        node = next(v for k, v in rec.root.value
                    if isinstance(k, ScalarNode) and k.value == "publish_until")
        rec.rep.at_node(node, Code.B021, "publish_until",
                        f"下线日期 {end} 不晚于上线日期 {start}，这样的档案一天也不会显示", hint="")
