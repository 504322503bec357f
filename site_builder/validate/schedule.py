"""A record's schedule: it must come down after it goes live."""

from __future__ import annotations

from yaml.nodes import ScalarNode

from ..diagnostics import Code
from ..load.brands import LoadedRecord, is_valid


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
