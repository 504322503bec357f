"""Scheduled publishing: on the build date, is a published record live?"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TypeVar

from ..model import Brand, Round

Record = TypeVar("Record", Brand, Round)


def is_live(data: dict, today: dt.date) -> bool:
    """Live from `publish_from` (that day included) until the day before `publish_until`."""
    day = today.isoformat()
    start, end = data.get("publish_from"), data.get("publish_until")
    return (start is None or start <= day) and (end is None or day < end)


def on_schedule(records: list[Record], today: dt.date) -> list[Record]:
    """The records as of `today`: one not yet live, or already taken down, is not published,
    so it reaches no output file at all, like a draft."""
    return [r if is_live(r.data, today) == r.live else dataclasses.replace(r, live=not r.live)
            for r in records]
