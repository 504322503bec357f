"""Honours from selection rounds, and brand levels checked against them."""

from __future__ import annotations

from ..diagnostics import Code, Diagnostic, Reporter
from ..model import Brand, Honour, Round, Settings


def awards(rounds: list[Round]) -> dict[str, list[Honour]]:
    """Each brand's places in the tiers of published rounds whose results are public."""
    out: dict[str, list[Honour]] = {}
    for r in rounds:
        if not (r.published and r.results_visible):
            continue
        for e in r.result.ranked:
            if e.tier is not None:
                out.setdefault(e.brand, []).append(Honour(r, e.tier, e.rank))
    for hs in out.values():
        hs.sort(key=lambda h: (-h.round.year, h.round.id))
    return out


def check_levels(brands: list[Brand], rounds: list[Round], settings: Settings) -> list[Diagnostic]:
    """B016: the highest level (first in settings.levels) is conferred only by a selection round,
    so a brand claiming it needs a published round that placed it in that tier."""
    levels = settings.levels
    if not levels:
        return []
    top = levels[0]
    honours = awards(rounds)
    out: list[Diagnostic] = []
    for b in brands:
        if b.level != top:
            continue
        mine = [h for h in honours.get(b.slug, []) if h.tier == top]
        if any(h.final for h in mine):
            continue
        rep = Reporter(b.path)
        pending = [h for h in mine if not h.final]
        lower = [h for h in honours.get(b.slug, []) if h.final and h.tier != top]
        if pending:
            why = f"“{pending[0].round.title}”的结果还在{pending[0].round.phase_name}，正式公布后此提示消失"
        elif lower:
            why = f"已公布的“{lower[0].round.title}”把它评为{lower[0].tier}，没有评选把它评为{top}"
        else:
            why = f"尚无已公布的评选把它评为{top}"
        rep.add(Code.B016, "level", f"品牌层级写的是“{top}”，但{why}；提示：核对评选结果，"
                "尚未评定的请删去 level 或写其他层级。", b.lines.get("level", 1))
        out.extend(rep.items)
    return out
