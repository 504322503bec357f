"""A selection round's phase on the build date, from its timeline."""

from __future__ import annotations

import datetime as dt


def phase_of(timeline: dict[str, dt.date], today: dt.date) -> str:
    """The phase of a round on `today`; every boundary day belongs to the phase it names."""
    if today < timeline["applications_open"]:
        return "upcoming"
    if today <= timeline["applications_close"]:
        return "applications"
    if today < timeline["notice_start"]:
        return "review"
    if today <= timeline["notice_end"]:
        return "notice"
    if today < timeline["published"]:
        return "pending"
    return "final"
