"""Rules across the fields of a selection round: weights, score sheets, recusals, dates and tiers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Code, Reporter, Severity
from ..load.brands import LoadedRecord, is_valid
from ..model import BRANDS_DIR, Brand, Round
from ..schema.brand import PUBLISHED, SLUG_PATTERN, STATUSES
from ..schema.fields import INVALID, Spec, is_empty
from ..schema.round import MIN_TRIMMED_SCORERS, ROUND, TIMELINE
from ..text import clip, fmt_decimal
from .personal_data import check_front_matter_pii
from .schedule import before_window, check_schedule
from .story import check_story

# A record's status once the editors take it down (the last of STATUSES).
WITHDRAWN = STATUSES[-1]


def validate_round(rec: LoadedRecord, known: dict[str, Brand], brand_files: set[str],
                   today: dt.date) -> Round | None:
    """The rules beyond the schema: file name, cross-field rules, personal data, the
    announcement's safety. `known` are the valid brands as of `today`, the build date.
    Returns the Round when it has no error."""
    rep = rec.rep
    stem = PurePosixPath(rec.relpath).stem
    if not re.fullmatch(SLUG_PATTERN, stem):
        rep.add(Code.E013, "-", f"评选文件名“{clip(stem)}.md”不符合要求：应只用小写字母、数字和连字符；"
                "提示：改名为例如 `2025-shiji.md`，它也是评选页面的网址。", 1)
    _CrossCheck(rec.root, rep, rec.ctx.values, known, brand_files, rec.ctx.vocab, today).run()
    check_schedule(rec)
    # Personal data in any text and unsafe HTML in the announcement, as in a brand record. The
    # objection phone is a public phone field of a round, like a brand's contact.phone.
    content = rep.quiet()
    check_front_matter_pii(rec.root, content)
    check_story(rec.doc.body, rec.doc.body_line, content, None)
    rep.items.extend(d for d in content.items
                     if not (d.code == Code.P003.name and d.field == "objection.phone"))
    if not is_valid(rec.value) or any(d.severity is Severity.ERROR for d in rep.items):
        return None
    return Round(stem, rec.relpath, rec.value, rec.doc.body, rec.doc.body_line)


class _CrossCheck:
    """Rules across fields (weights, score sheets, recusals, dates, tiers), on the values the
    schema pass found part by part, so one broken part never hides the problems of the others."""

    def __init__(self, root: MappingNode, rep: Reporter, values: dict[int, Any],
                 known: dict[str, Brand], brand_files: set[str],
                 vocab: dict[str, list[str]], today: dt.date) -> None:
        self.root, self.rep, self.values, self.vocab = root, rep, values, vocab
        self.today = today
        self.known, self.brand_files = known, brand_files
        self.top = {k.value: (k, v) for k, v in root.value if isinstance(k, ScalarNode)}

    def quiet(self, spec: Spec, node: Node, where: str) -> Any:
        """The node's value as the schema pass found it (INVALID if it failed there), so one
        broken part never hides the problems of the others and nothing is checked twice."""
        if is_empty(node):
            return INVALID
        return self.values.get(id(node), INVALID)

    def field(self, name: str) -> Any:
        if name not in self.top:
            return INVALID
        return self.quiet(ROUND.fields[name], self.top[name][1], name)

    def items(self, name: str) -> tuple[list[tuple[int, MappingNode, Any]], bool]:
        """Each item of a top-level list with its value (INVALID if broken); and whether all are valid."""
        node = self.top.get(name, (None, None))[1]
        if not isinstance(node, SequenceNode):
            return [], False
        spec = ROUND.fields[name].item
        out = [(i, item, self.quiet(spec, item, f"{name}[{i}]")) for i, item in enumerate(node.value)]
        return out, all(v is not INVALID for _, _, v in out)

    def error(self, node: Node, code: Code, where: str, message: str,
              hint: str | None = None) -> None:
        self.rep.at_node(node, code, where, message, hint=hint)

    def run(self) -> None:
        criteria, criteria_ok = self.check_criteria()
        experts, experts_ok = self.check_experts()
        self.check_timeline()
        self.check_tiers()
        method = self.field("method")
        if method == "trimmed_mean" and experts_ok and len(experts) < MIN_TRIMMED_SCORERS:
            self.error(self.top["method"][1], Code.E009, "method",
                       f"trimmed_mean 要去掉一个最高分和一个最低分，至少需要 {MIN_TRIMMED_SCORERS} 位专家，"
                       f"实际只有 {len(experts)} 位", hint="")
        tie_node = self.top.get("tie_break", (None, None))[1]
        if criteria_ok and isinstance(tie_node, SequenceNode):
            for i, item in enumerate(tie_node.value):
                if isinstance(item, ScalarNode) and item.value and item.value not in criteria:
                    self.error(item, Code.E010, f"tie_break[{i}]", f"决胜规则中的评分项“{clip(item.value)}”"
                               f"不在 criteria 中（已有：{'、'.join(criteria)}）；提示：改为已有的评分项编号。")
        self.check_entries(criteria if criteria_ok else None, experts if experts_ok else None,
                           method if method is not INVALID else None)

    def check_criteria(self) -> tuple[dict[str, dict], bool]:
        items, ok = self.items("criteria")
        seen: dict[str, Node] = {}
        criteria: dict[str, dict] = {}
        for i, node, c in items:
            if c is INVALID:
                continue
            key_node = _child(node, "key")
            if c["key"] in seen:
                self.error(key_node, Code.E011, f"criteria[{i}].key", f"评分项编号“{c['key']}”重复（第 "
                           f"{self.line(seen[c['key']])} 行已用过）；提示：给每个评分项一个不同的编号。")
                ok = False
                continue
            seen[c["key"]] = key_node
            for name, label in (("weight", "权重"), ("max", "满分")):
                if c[name] <= 0:
                    self.error(_child(node, name), Code.E014, f"criteria[{i}].{name}",
                               f"{label}必须大于 0，实际为 {c[name]}；提示：按评分细则填写{label}。")
                    ok = False
            criteria[c["key"]] = c
        if ok and items:
            total = sum((c["weight"] for c in criteria.values()), Decimal(0))
            if total != 100:
                parts = " + ".join(f"{k} {fmt_decimal(c['weight'])}" for k, c in criteria.items())
                self.error(self.top["criteria"][0], Code.E001, "criteria",
                           f"各评分项权重之和应为 100，实际为 {fmt_decimal(total)}（{parts}）；"
                           "提示：调整权重，使合计正好为 100。")
                ok = False
        return criteria, ok and bool(items)

    def check_experts(self) -> tuple[list[str], bool]:
        items, ok = self.items("experts")
        seen: dict[str, Node] = {}
        for i, node, x in items:
            if x is INVALID:
                continue
            id_node = _child(node, "id")
            if x["id"] in seen:
                self.error(id_node, Code.E011, f"experts[{i}].id", f"专家编号“{x['id']}”重复（第 "
                           f"{self.line(seen[x['id']])} 行已用过）；提示：给每位专家一个不同的编号。")
                ok = False
            else:
                seen[x["id"]] = id_node
        return list(seen), ok and bool(items)

    def check_timeline(self) -> None:
        node = self.top.get("timeline", (None, None))[1]
        if not isinstance(node, MappingNode):
            return
        spec = ROUND.fields["timeline"]
        prev: tuple[str, str, dt.date] | None = None
        order = " ≤ ".join(label for _, label in TIMELINE)
        for key, label in TIMELINE:
            child = _child(node, key)
            if child is None:
                continue
            value = self.quiet(spec.fields[key], child, f"timeline.{key}")
            if value is INVALID:
                continue
            day = dt.date.fromisoformat(value)
            if prev is not None and day < prev[2]:
                self.error(child, Code.E007, f"timeline.{key}", f"{label}（{value}）早于{prev[1]}"
                           f"（{prev[2].isoformat()}）；提示：日期应按 {order} 的顺序，请核对。")
            else:
                prev = (key, label, day)

    def check_tiers(self) -> None:
        items, _ = self.items("tiers")
        levels = self.vocab.get("levels", [])
        seen: dict[str, int] = {}
        prev: dict | None = None
        first: str | None = None
        for i, node, t in items:
            if t is INVALID:
                prev = None
                continue
            where = f"tiers[{i}]"
            name_node = _child(node, "name")
            if i == 0:
                first = t["name"]
            if t["name"] in seen:
                self.error(name_node, Code.E008, f"{where}.name", f"档次“{t['name']}”重复；"
                           "提示：每个档次只写一次。")
                continue
            seen[t["name"]] = i
            if prev is not None and levels.index(t["name"]) < levels.index(prev["name"]):
                self.error(name_node, Code.E008, f"{where}.name", f"档次“{t['name']}”排在“{prev['name']}”"
                           f"之后，但在 settings.yml 的层级中它更高（{'、'.join(levels)}）；"
                           "提示：按层级从高到低排列档次。")
            if t["count"] < 1:
                self.error(_child(node, "count"), Code.E008, f"{where}.count",
                           f"名额至少为 1，实际为 {t['count']}；提示：没有名额的档次请删去。")
            mt = t.get("min_total")
            if mt is not None and mt > 100:
                self.error(_child(node, "min_total"), Code.E008, f"{where}.min_total",
                           f"最低总分不能超过满分 100，实际为 {fmt_decimal(mt)}；提示：改为 0 到 100 之间的数。")
            elif (mt is not None and prev is not None
                  and mt > prev.get("min_total", Decimal(0))):
                self.error(_child(node, "min_total"), Code.E008, f"{where}.min_total",
                           f"最低总分 {fmt_decimal(mt)} 高于上一档“{prev['name']}”的 "
                           f"{fmt_decimal(prev.get('min_total', Decimal(0)))}；提示：下一档的最低总分不能高于上一档。")
            prev = t
        level = self.field("level")
        if first is not None and level is not INVALID and level != first:
            self.error(self.top["level"][1], Code.E008, "level", f"评定层级“{level}”与第一个档次"
                       f"“{first}”不同；提示：评定层级是本次评选授予的最高层级，应与第一个档次相同。")

    def check_entries(self, criteria: dict[str, dict] | None, experts: list[str] | None,
                      method: str | None) -> None:
        node = self.top.get("entries", (None, None))[1]
        if not isinstance(node, SequenceNode):
            return
        seen: dict[str, Node] = {}
        for i, item in enumerate(node.value):
            if not isinstance(item, MappingNode):
                continue
            where = f"entries[{i}]"
            brand_node = _child(item, "brand")
            if isinstance(brand_node, ScalarNode) and re.fullmatch(SLUG_PATTERN, brand_node.value):
                slug = brand_node.value
                if slug in seen:
                    self.error(brand_node, Code.E005, f"{where}.brand", f"品牌“{slug}”已在第 "
                               f"{self.line(seen[slug])} 行参评；提示：删去重复的一项。")
                else:
                    seen[slug] = brand_node
                    if slug not in self.known and slug not in self.brand_files:
                        self.error(brand_node, Code.E006, f"{where}.brand",
                                   f"找不到品牌档案 {BRANDS_DIR}/{slug}.md；提示：改为已有品牌档案的 slug"
                                   + self.suggest_brand(slug) + "，新品牌请先建立档案。")
                    elif slug in self.known and self.field("status") == PUBLISHED:
                        state = self.unpublished(self.known[slug])
                        if state:
                            self.error(brand_node, Code.E006, f"{where}.brand",
                                       f"品牌档案 {BRANDS_DIR}/{slug}.md{state}，已发布的评选只能列出"
                                       "已发布的品牌；提示：先发布该品牌档案，或把本评选的 status 改为草稿。")
            if _child(item, "withdrawn") is not None and _child(item, "disqualified") is not None:
                self.error(_child(item, "disqualified"), Code.E012, f"{where}.disqualified",
                           "同时填写了撤回原因和取消资格原因", hint="")
            self.check_sheet(item, where, criteria, experts, method)

    def check_sheet(self, item: MappingNode, where: str, criteria: dict[str, dict] | None,
                    experts: list[str] | None, method: str | None) -> None:
        """Score sheet rules, walked score by score so one unreadable score hides nothing else."""
        spec = ROUND.fields["entries"].item.fields
        recused: list[str] = []
        rec_node = _child(item, "recused")
        if rec_node is not None and not is_empty(rec_node):
            value = self.quiet(spec["recused"], rec_node, f"{where}.recused")
            if value is INVALID:
                return
            recused = value
            if experts is not None:
                for j, r in enumerate(recused):
                    if r not in experts:
                        self.error(rec_node.value[j], Code.E010, f"{where}.recused[{j}]",
                                   f"回避名单中的专家“{clip(r)}”不在 experts 中（已有：{'、'.join(experts)}）；"
                                   "提示：改正专家编号。")
        scorers = None if experts is None else [x for x in experts if x not in recused]
        if scorers == []:
            self.error(rec_node, Code.E009, f"{where}.recused",
                       "所有专家都回避了本品牌，没有人能为它评分；提示：增加评审专家，或核实回避名单。")
            return
        sheet_node = _child(item, "scores")
        ranked = _child(item, "withdrawn") is None and _child(item, "disqualified") is None
        if sheet_node is None or is_empty(sheet_node):
            if ranked and experts is not None:
                self.error(_child(item, "brand") or item, Code.E003, f"{where}.scores",
                           "参与排名的品牌缺少评分表 scores；提示：补上每位专家的评分；"
                           "撤回或取消资格的品牌请填写 withdrawn 或 disqualified。")
            return
        if not isinstance(sheet_node, MappingNode):
            return  # reported by the schema
        score_spec = spec["scores"].score
        present: list[str] = []
        for k_node, v_node in sheet_node.value:
            if not isinstance(k_node, ScalarNode) or not isinstance(v_node, MappingNode):
                continue  # reported by the schema
            expert = k_node.value
            present.append(expert)
            here = f"{where}.scores.{expert}"
            if experts is not None and expert not in experts:
                self.error(k_node, Code.E010, here, f"评分表中的专家“{clip(expert)}”不在 experts 中"
                           f"（已有：{'、'.join(experts)}）；提示：改正专家编号。")
                continue
            if expert in recused:
                self.error(k_node, Code.E004, here, f"专家 {expert} 已声明回避本品牌，却有评分；"
                           f"提示：删去 {expert} 的评分，或核实后把 {expert} 从 recused 中删去。")
                continue
            if criteria is None:
                continue
            keys = []
            for ck, cv in v_node.value:
                if not isinstance(ck, ScalarNode):
                    continue
                keys.append(ck.value)
                if ck.value not in criteria:
                    self.error(ck, Code.E010, f"{here}.{ck.value}",
                               f"评分项“{clip(ck.value)}”不在 criteria 中（已有：{'、'.join(criteria)}）；"
                               "提示：改正评分项编号。")
                    continue
                score = self.quiet(score_spec, cv, f"{here}.{ck.value}")
                c = criteria[ck.value]
                if score is not INVALID and score > c["max"]:
                    self.error(cv, Code.E002, f"{here}.{ck.value}",
                               f"{c['name']}的分数应在 0 到 {fmt_decimal(c['max'])} 之间，实际为 {fmt_decimal(score)}；"
                               "提示：核对评分表原件。")
            missing = [c for k, c in criteria.items() if k not in keys]
            if missing:
                names = "、".join(f"{c['name']}（{c['key']}）" for c in missing)
                self.error(k_node, Code.E003, here, f"专家 {expert} 缺少{names}的分数；"
                           "提示：补上缺少的分数。")
        if scorers is None:
            return
        absent = [x for x in scorers if x not in present]
        if absent:
            self.error(_key(item, "scores"), Code.E003, f"{where}.scores",
                       f"专家 {'、'.join(absent)} 没有为本品牌评分；"
                       "提示：补上评分；确已回避的专家，把编号写入 recused。")
        if method == "trimmed_mean" and len(experts) >= MIN_TRIMMED_SCORERS \
                and len(scorers) < MIN_TRIMMED_SCORERS:
            self.error(rec_node or sheet_node, Code.E009, f"{where}.recused",
                       f"回避后只有 {len(scorers)} 位专家为本品牌评分，trimmed_mean 至少需要 "
                       f"{MIN_TRIMMED_SCORERS} 位", hint="")

    def unpublished(self, brand: Brand) -> str:
        """Why a published round may not list `brand` ("" when it may). A brand never published
        (a draft), or one the round would show before the brand's own `publish_from`, is an
        error: a published round would name it first. A brand taken down (已撤下, or past its
        `publish_until`) stays in the round's results, shown as 已下线 without a link: the build
        on the day it comes down must not fail, and the round's results do not change."""
        if brand.status not in (PUBLISHED, WITHDRAWN):
            return f" 的状态是“{brand.status}”"
        start = brand.data.get("publish_from")
        if brand.status != PUBLISHED or not before_window(brand.data, self.today):
            return ""
        mine = self.field("publish_from")
        if isinstance(mine, str) and mine >= start:
            return ""  # this round goes live with the brand or after it
        return f" 要到 {start} 才上线（publish_from），本评选在那之前就会显示它"

    def suggest_brand(self, slug: str) -> str:
        import difflib

        close = difflib.get_close_matches(slug, sorted(set(self.known) | self.brand_files), n=1,
                                          cutoff=0.6)
        return f"（是否要写“{close[0]}”？）" if close else ""

    def line(self, node: Node) -> int:
        return self.rep.line_of(node)


def _child(node: Node, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return v
    return None


def _key(node: MappingNode, key: str) -> Node:
    return next(k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == key)

