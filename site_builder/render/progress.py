"""Progress against the plan's targets, told honestly for the build date: before, on and after
the deadline, and when no brand holds a target level yet (never an all-zero chart)."""

from __future__ import annotations

import datetime as dt


def progress_report(progress: list[dict], build_date: dt.date, region: str) -> dict:
    """What the home page says about the targets: a state, one sentence, and the goals to draw.

    `progress` is `stats.target_progress(...)`: level, count, deadline, have, percent."""
    if not progress:
        return {"state": "none", "sentence": "", "goals": [], "any": False}
    today = f"{build_date.year} 年 {build_date.month} 月 {build_date.day} 日"
    have = sum(t["have"] for t in progress)
    goals = [t | {"state": _state(dt.date.fromisoformat(t["deadline"]), build_date)}
             for t in progress]
    by_deadline: dict[str, list[dict]] = {}
    for t in goals:
        by_deadline.setdefault(t["deadline"], []).append(t)
    deadline = max(by_deadline)
    if len(by_deadline) == 1:
        due = dt.date.fromisoformat(deadline)
        days = (due - build_date).days
        names = _names(goals)
        end = _day(due)
        if days > 0:
            state = "before"
            sentence = f"规划目标：到 {end}，{region}建成{names}。距规划期限还有 {days} 天。"
        elif days == 0:
            state = "due"
            sentence = f"规划目标：到 {end}（今天），{region}建成{names}。"
        else:
            state = "after"
            sentence = (f"规划期限 {end} 已过，原定目标为{names}。"
                        + (f"以下是截至 {today} 本站收录的认定情况；" if have else "")
                        + "新的目标以主管部门发布为准。")
    else:  # each target told against its own deadline
        parts = []
        for day, ts in sorted(by_deadline.items()):
            due = dt.date.fromisoformat(day)
            days = (due - build_date).days
            when = f"还有 {days} 天" if days > 0 else "今天到期" if days == 0 else "期限已过"
            parts.append(f"到 {_day(due)}建成{_names(ts)}（{when}）")
        states = {t["state"] for t in goals}
        state = states.pop() if len(states) == 1 else "mixed"
        days = (dt.date.fromisoformat(deadline) - build_date).days
        sentence = f"规划目标：{region}" + "；".join(parts) + "。"
        if "after" in {t["state"] for t in goals}:
            sentence += "期限已过的目标，新的安排以主管部门发布为准。"
    if not have:
        sentence += f"截至 {today}，本站尚未收录获得上述认定的品牌，认定结果公布后将在这里显示。"
    return {"state": state, "sentence": sentence, "goals": goals if have else [],
            "any": bool(have), "deadline": deadline, "days": days}


def _state(due: dt.date, build_date: dt.date) -> str:
    days = (due - build_date).days
    return "before" if days > 0 else "due" if days == 0 else "after"


def _day(day: dt.date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def _names(targets: list[dict]) -> str:
    return "、".join(f"{t['level']} {t['count']} 个" for t in targets)
