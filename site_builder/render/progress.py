"""Progress against the plan's targets, told honestly for the build date: before, on and after
the deadline, and when no brand holds a target level yet (never an all-zero chart)."""

from __future__ import annotations

import datetime as dt


def progress_report(progress: list[dict], build_date: dt.date, region: str) -> dict:
    """What the home page says about the targets: a state, one sentence, and the goals to draw.

    `progress` is `stats.target_progress(...)`: level, count, deadline, have, percent."""
    if not progress:
        return {"state": "none", "sentence": "", "goals": [], "any": False}
    deadlines = sorted({t["deadline"] for t in progress})
    deadline = deadlines[-1]
    due = dt.date.fromisoformat(deadline)
    days = (due - build_date).days
    have = sum(t["have"] for t in progress)
    goals = "、".join(f"{t['level']} {t['count']} 个" for t in progress)
    today = f"{build_date.year} 年 {build_date.month} 月 {build_date.day} 日"
    end = f"{due.year} 年 {due.month} 月 {due.day} 日"
    if days > 0:
        state = "before"
        sentence = f"规划目标：到 {end}，{region}建成{goals}。距规划期限还有 {days} 天。"
    elif days == 0:
        state = "due"
        sentence = f"规划目标：到 {end}（今天），{region}建成{goals}。"
    else:
        state = "after"
        sentence = (f"规划期限 {end} 已过，原定目标为{goals}。"
                    + (f"以下是截至 {today} 本站收录的认定情况；" if have else "")
                    + "新的目标以主管部门发布为准。")
    if not have:
        sentence += f"截至 {today}，本站尚未收录获得上述认定的品牌，认定结果公布后将在这里显示。"
    return {"state": state, "sentence": sentence, "goals": progress if have else [],
            "any": bool(have), "deadline": deadline, "days": days}
