"""Selection round pages: one page per round, the rounds index, results as JSON and CSV, honours."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise

from markupsafe import Markup

from ..evaluate.awards import awards
from ..evaluate.scoring import ROUNDING_RULE, STATUS_NAMES, TIE_RULE, TIER_RULE
from ..model import EVALUATIONS_DIR, Brand, Honour, Round
from ..schema.round import METHOD_NAMES, METHODS, TIMELINE
from ..text import csv_bytes
from ..validate.story import story_html
from .opendata import plain_json

RESULTS_JSON, RESULTS_CSV = "results.json", "results.csv"
# How a round names a brand taken down since (已撤下, or past its publish_until): its name with
# this note and no link, since its page is no longer published; its results stay as they were.
WITHDRAWN_NOTE = "已下线"

# The rows of a round's timeline on its page, and the phase each row stands for.
TIMELINE_ROWS = [
    ("applications", "征集", "applications_open", "applications_close"),
    ("review", "专家评审", "review", None),
    ("notice", "公示", "notice_start", "notice_end"),
    ("final", "正式公布", "published", None),
]


def round_url(r: Round) -> str:
    return f"{EVALUATIONS_DIR}/{r.id}/"


def public_rounds(rounds: list[Round]) -> list[Round]:
    """Published rounds, newest first (by year, then the opening of applications, then id)."""
    pub = [r for r in rounds if r.published]
    return sorted(pub, key=lambda r: (-r.year, _neg_date(r.data["timeline"]["applications_open"]),
                                      r.id))


def _neg_date(iso: str) -> tuple[int, ...]:
    return tuple(-int(p) for p in iso.split("-"))


def brand_honours(rounds: list[Round]) -> dict[str, list[Honour]]:
    """For each brand slug, its tiers in published rounds whose results are public, newest first."""
    return awards(rounds)


def results_data(r: Round) -> dict:
    """The published results of a round, in the documented shape others can check."""
    res = r.result
    return {
        "round": r.id,
        "method": res.method,
        "criteria": [{"key": c.key, "name": c.name, "weight": plain_json(c.weight), "max": plain_json(c.max)}
                     for c in res.criteria],
        "entries": [{
            "brand": e.brand,
            "rank": e.rank,
            "tier": e.tier,
            "total": plain_json(e.total),
            "criteria": plain_json(e.aggregates),
            "scores": {x: plain_json(s) for x, s in e.scores.items()},
            "status": e.status,
        } for e in res.entries],
    }


def results_json(r: Round) -> bytes:
    return (json.dumps(results_data(r), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def results_csv(r: Round, names: dict[str, str]) -> bytes:
    """The results table as CSV with a byte-order mark, so Excel shows the Chinese correctly."""
    res = r.result
    header = ["名次", "品牌", "网址名", "档次",
              *(f"{c.name}（平均分，满分 {_fmt(c.max)}，权重 {_fmt(c.weight)}）" for c in res.criteria),
              "总分", "状态", "说明"]
    return csv_bytes(header, ((
        e.rank if e.rank is not None else "", names.get(e.brand, e.brand), e.brand, e.tier or "",
        *(_fmt(e.aggregates[c.key]) if e.aggregates else "" for c in res.criteria),
        _fmt(e.total) if e.total is not None else "", STATUS_NAMES[e.status], e.reason or "")
        for e in res.entries))


def _fmt(value) -> str:
    """Scores and totals as published: aggregates and totals keep their two decimals."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def round_context(r: Round, brands: dict[str, Brand]) -> dict:
    """What a round page's template needs besides the common context."""
    res = r.result
    criteria_names = {c.key: c.name for c in res.criteria}
    tie_notes = []
    for tie in res.ties:
        for (a, b), key in zip(pairwise(tie.brands), tie.decided_by, strict=True):
            tie_notes.append((brands[a], brands[b], criteria_names.get(key), res_total(res, a)))
    return {
        "rnd": r,
        "announcement": Markup(story_html(r.body)),  # sanitised like a brand's story (safety.py)
        "res": res,
        "d": r.data,
        "entry_brand": brands,  # every valid brand: one no longer published has no page
        "withdrawn_note": WITHDRAWN_NOTE,
        "timeline_rows": TIMELINE_ROWS,
        "timeline_labels": dict(TIMELINE),
        "method_text": METHODS[res.method],
        "method_name": METHOD_NAMES[res.method],
        "rounding_rule": ROUNDING_RULE,
        "tie_rule": TIE_RULE,
        "tier_rule": TIER_RULE,
        "tie_break_names": [criteria_names[k] for k in res.tie_break],
        "tie_notes": tie_notes,
        "status_names": STATUS_NAMES,
        "fmt": _fmt,
        "json_name": RESULTS_JSON,
        "csv_name": RESULTS_CSV,
    }


def res_total(res, slug: str):
    return next(e.total for e in res.entries if e.brand == slug)


def render_rounds(project, page: Callable[..., None], files: dict[str, bytes]) -> None:
    """Add the rounds index, a page per published round and, once results are public, the
    round's results.json and results.csv. `page(uri, template, title, description, **extra)`
    is the site renderer's page writer."""
    rounds = public_rounds(project.evaluations)
    brands = {b.slug: b for b in project.brands}
    region = project.settings["region"]["name"]
    by_year: OrderedDict[int, list[Round]] = OrderedDict()
    for r in rounds:
        by_year.setdefault(r.year, []).append(r)
    page(f"{EVALUATIONS_DIR}/index.md", "rounds.md.j2", "征集评选",
         f"{region}劳务品牌征集评选：各轮评选的评分办法、公示和结果。",
         rounds=rounds, by_year=by_year, round_url=round_url, build_date=project.build_date)
    for r in rounds:
        page(f"{EVALUATIONS_DIR}/{r.id}/index.md", "round.md.j2", r.title,
             f"{r.data['organiser']}组织的{r.title}：{r.phase_name}。",
             round_url=round_url, build_date=project.build_date, **round_context(r, brands))
        if r.results_visible:
            names = {slug: b.name for slug, b in brands.items()}
            files[f"{EVALUATIONS_DIR}/{r.id}/{RESULTS_JSON}"] = results_json(r)
            files[f"{EVALUATIONS_DIR}/{r.id}/{RESULTS_CSV}"] = results_csv(r, names)
