"""Scheduled publishing: on the build date, is a published record live, and has each person's
consent taken effect?"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TypeVar

from ..diagnostics import Code, Diagnostic, Reporter
from ..model import Brand, Round
from ..text import clip
from ..validate.schedule import after_window, before_window

Record = TypeVar("Record", Brand, Round)


def is_live(data: dict, today: dt.date) -> bool:
    """Live from `publish_from` (that day included) until the day before `publish_until`."""
    return not before_window(data, today) and not after_window(data, today)


def on_schedule(records: list[Record], today: dt.date) -> list[Record]:
    """The records as of `today`: one not yet live, or already taken down, is not published,
    so it reaches no output file at all, like a draft."""
    return [r if is_live(r.data, today) == r.live else dataclasses.replace(r, live=not r.live)
            for r in records]


def hold_early_consents(brands: list[Brand], today: dt.date) -> tuple[list[Brand], list[Diagnostic]]:
    """The brands as of `today`, without the people whose consent is dated after it: on the
    build date they have not consented yet, so they reach no page, data file or search index
    (fail closed, as a record before its `publish_from`). Each is a warning (B034) at the
    record's `people` line; the build on or after the consent's date shows the person."""
    day = today.isoformat()
    out: list[Brand] = []
    diags: list[Diagnostic] = []
    for b in brands:
        people = b.data.get("people") or []
        early = [(i, p) for i, p in enumerate(people) if p.get("consent", {}).get("date", "") > day]
        if not early:
            out.append(b)
            continue
        rep = Reporter(b.path)
        for i, p in early:
            rep.add(Code.B034, f"people[{i}].consent.date",
                    f"人物“{clip(p.get('name', ''))}”的授权日期 {p['consent']['date']} 晚于生成网站的日期，"
                    "授权尚未生效，这位人物暂不发布", b.lines.get("people", 1), hint="")
        diags.extend(rep.items)
        held = {i for i, _ in early}
        kept = [p for i, p in enumerate(people) if i not in held]
        data = {k: (kept if k == "people" else v) for k, v in b.data.items()
                if k != "people" or kept}
        out.append(dataclasses.replace(b, data=data))
    return out, diags
