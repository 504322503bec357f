"""Honours from selection rounds, and brand levels checked against them."""

from __future__ import annotations

import datetime as dt

from ..diagnostics import Code, Diagnostic, Reporter
from ..model import BY_OUTSIDE, BY_ROUNDS, Brand, Honour, Round, Settings
from ..schema.brand import PUBLISHED
from ..validate.schedule import after_window


def awards(rounds: list[Round], today: dt.date | None = None) -> dict[str, list[Honour]]:
    """Each brand's places in the tiers of published rounds whose results are public. With
    `today`, also those of rounds taken down by their `publish_until`: the page is gone, but
    the levels it conferred stand (no brand's level is questioned the day a round comes down)."""
    out: dict[str, list[Honour]] = {}
    for r in rounds:
        conferred = r.published or (today is not None and r.data["status"] == PUBLISHED
                                    and after_window(r.data, today))
        if not (conferred and r.results_visible):
            continue
        for e in r.result.ranked:
            if e.tier is not None:
                out.setdefault(e.brand, []).append(Honour(r, e.tier, e.rank))
    for hs in out.values():
        hs.sort(key=lambda h: (-h.round.year, h.round.id))
    return out


def check_levels(brands: list[Brand], rounds: list[Round], settings: Settings,
                 today: dt.date | None = None) -> list[Diagnostic]:
    """Each level says who confers it (settings `conferral`). B016: a level conferred by this
    site's rounds needs a published round (or one since taken down on schedule, as of `today`)
    that placed the brand in that tier. B017: a level conferred outside the site needs an
    honour in the record naming that level."""
    conferral = settings.conferral
    honours = awards(rounds, today)
    out: list[Diagnostic] = []
    for b in brands:
        level = b.level
        by = conferral.get(level)
        if by == BY_ROUNDS:
            out.extend(_check_round_level(b, level, honours.get(b.slug, [])))
        elif by == BY_OUTSIDE and not any(h.get("level") == level for h in b.get("honours", [])):
            rep = Reporter(b.path)
            # the hint names this record's level, one the settings list, never a stock example
            rep.add(Code.B017, "level", f"品牌层级写的是“{level}”，它由本站以外的部门认定，"
                    "但 honours 中没有一项写明 `level: " + level + "`", b.lines.get("level", 1),
                    hint="在 `honours` 中补上授予这个层级的荣誉（名称、授予单位、年份、来源），"
                    f"并写 `level: {level}`；本站由外部认定的层级："
                    + "、".join(settings.levels_by(BY_OUTSIDE)) + "。")
            out.extend(rep.items)
    return out


def _check_round_level(b: Brand, level: str, mine_all: list[Honour]) -> list[Diagnostic]:
    mine = [h for h in mine_all if h.tier == level]
    if any(h.final for h in mine):
        return []
    rep = Reporter(b.path)
    pending = [h for h in mine if not h.final]
    lower = [h for h in mine_all if h.final and h.tier != level]
    if pending:
        why = f"“{pending[0].round.title}”的结果还在{pending[0].round.phase_name}，正式公布后此提示消失"
    elif lower:
        why = f"已公布的“{lower[0].round.title}”把它评为{lower[0].tier}，没有评选把它评为{level}"
    else:
        why = f"尚无已公布的评选把它评为{level}"
    rep.add(Code.B016, "level", f"品牌层级写的是“{level}”，但{why}；提示：核对评选结果，"
            "尚未评定的请删去 level 或写其他层级。", b.lines.get("level", 1))
    return rep.items
