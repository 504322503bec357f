"""Scoring a selection round: aggregates, weighted totals, ranks, tiers and the round's phase.

Pure computation on plain values: no files, no diagnostics. The input is assumed validated
(evaluations.py reports every problem first). Arithmetic is exact (fractions); numbers are
rounded only where ROUNDING_RULE says, half up, to two decimal places.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

PLACES = 2


ROUNDING_RULE = ("各评分项的平均分保留两位小数（第三位四舍五入）；总分 = Σ（权重 × 该项平均分 ÷ 该项满分），"
                 "用保留两位小数后的平均分计算，结果再保留两位小数（第三位四舍五入），满分 100 分。")
TIE_RULE = ("排名按总分从高到低；总分相同的，依次比较决胜规则所列评分项的平均分，高者在前；"
            "仍全部相同的名次并列，下一名次顺延。")
TIER_RULE = ("按名次依次确定档次：每一档在名额以内、且总分不低于该档最低分的品牌入选该档，"
             "其余依次参加下一档的评定；名次并列的品牌超出该档剩余名额时，均不入选该档，"
             "该档剩余名额空缺。")

STATUS_RANKED, STATUS_WITHDRAWN, STATUS_DISQUALIFIED = "ranked", "withdrawn", "disqualified"
STATUS_NAMES = {STATUS_RANKED: "参与排名", STATUS_WITHDRAWN: "已撤回", STATUS_DISQUALIFIED: "取消资格"}


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: Decimal
    max: Decimal


@dataclass(frozen=True)
class Tier:
    name: str
    count: int
    min_total: Decimal = Decimal(0)


@dataclass(frozen=True)
class EntryInput:
    """One entry as written in the round file: the brand, its score sheet and its standing."""

    brand: str
    scores: dict[str, dict[str, Decimal]]  # expert id -> criterion key -> score
    recused: frozenset[str] = frozenset()
    status: str = STATUS_RANKED
    reason: str | None = None


@dataclass
class EntryResult:
    brand: str
    status: str
    reason: str | None
    scores: dict[str, dict[str, Decimal]]
    recused: frozenset[str]
    aggregates: dict[str, Decimal]  # empty when the entry was never scored
    total: Decimal | None
    rank: int | None = None
    tier: str | None = None

    @property
    def scorers(self) -> int:
        return len(self.scores)


@dataclass(frozen=True)
class Tie:
    """Entries with the same total, in rank order, and what separated each neighbouring pair."""

    brands: tuple[str, ...]
    decided_by: tuple[str, ...]  # for each neighbouring pair, the deciding key or "" if none


@dataclass
class RoundResult:
    method: str
    criteria: list[Criterion]
    tiers: list[Tier]
    tie_break: list[str]
    entries: list[EntryResult]  # ranked entries in rank order, then the others in file order
    ties: list[Tie] = field(default_factory=list)

    @property
    def ranked(self) -> list[EntryResult]:
        return [e for e in self.entries if e.status == STATUS_RANKED]

    @property
    def others(self) -> list[EntryResult]:
        return [e for e in self.entries if e.status != STATUS_RANKED]

    def tier_members(self) -> list[tuple[Tier, list[EntryResult]]]:
        return [(t, [e for e in self.ranked if e.tier == t.name]) for t in self.tiers]


def round_half_up(x: Fraction | Decimal | int, places: int = PLACES) -> Decimal:
    """`x` rounded half up (away from zero for halves) to `places` decimals, exactly."""
    x = Fraction(x)
    scale = 10 ** places
    sign = -1 if x < 0 else 1
    q = math.floor(abs(x) * scale + Fraction(1, 2))
    return (Decimal(sign * q).scaleb(-places)).quantize(Decimal(1).scaleb(-places))


def aggregate(scores: list[Decimal], method: str) -> Decimal:
    """One criterion's aggregate over the experts who scored it, rounded by the rule."""
    values = sorted(Fraction(s) for s in scores)
    if method == "trimmed_mean":
        if len(values) < 3:
            raise ValueError("trimmed_mean needs at least three scores")
        values = values[1:-1]
    elif method != "mean":
        raise ValueError(f"unknown method {method!r}")
    if not values:
        raise ValueError("no scores to aggregate")
    return round_half_up(sum(values, Fraction(0)) / len(values))


def weighted_total(aggregates: dict[str, Decimal], criteria: list[Criterion]) -> Decimal:
    """Σ weight × aggregate / max over the criteria, from the rounded aggregates, rounded."""
    total = sum((Fraction(c.weight) * Fraction(aggregates[c.key]) / Fraction(c.max)
                 for c in criteria), Fraction(0))
    return round_half_up(total)


def score_entry(entry: EntryInput, criteria: list[Criterion], method: str) -> EntryResult:
    aggregates: dict[str, Decimal] = {}
    total = None
    if entry.scores:
        for c in criteria:
            aggregates[c.key] = aggregate([sheet[c.key] for sheet in entry.scores.values()], method)
        total = weighted_total(aggregates, criteria)
    return EntryResult(entry.brand, entry.status, entry.reason, entry.scores, entry.recused,
                       aggregates, total)


def evaluate(criteria: list[Criterion], entries: list[EntryInput], method: str,
             tiers: list[Tier], tie_break: list[str]) -> RoundResult:
    """Score every entry, rank the ranked ones, break ties in order and assign tiers."""
    results = [score_entry(e, criteria, method) for e in entries]
    ranked = [r for r in results if r.status == STATUS_RANKED]
    others = [r for r in results if r.status != STATUS_RANKED]

    def key(r: EntryResult) -> tuple:
        return (-r.total, *(-r.aggregates[k] for k in tie_break))

    ranked.sort(key=lambda r: (key(r), r.brand))
    groups: list[list[EntryResult]] = []
    for r in ranked:
        if groups and key(groups[-1][0]) == key(r):
            groups[-1].append(r)
        else:
            groups.append([r])
    position = 1
    for g in groups:
        for r in g:
            r.rank = position
        position += len(g)
    assign_tiers(groups, tiers)
    return RoundResult(method, list(criteria), list(tiers), list(tie_break), ranked + others,
                       find_ties(ranked, tie_break))


def assign_tiers(groups: list[list[EntryResult]], tiers: list[Tier]) -> None:
    """Walk the rank groups and the tiers together (see TIER_RULE)."""
    t = 0
    room = tiers[0].count if tiers else 0
    for g in groups:
        while t < len(tiers):
            tier = tiers[t]
            if len(g) <= room and g[0].total >= tier.min_total:
                for r in g:
                    r.tier = tier.name
                room -= len(g)
                break
            # This tier takes nobody ranked from here on: the group is below its minimum, or the
            # group does not fit in the seats left (later groups must not overtake it).
            t += 1
            room = tiers[t].count if t < len(tiers) else 0
        else:
            return


def find_ties(ranked: list[EntryResult], tie_break: list[str]) -> list[Tie]:
    """Runs of equal totals in rank order, with what separated each neighbouring pair."""
    ties: list[Tie] = []
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1].total == ranked[i].total:
            j += 1
        if j > i:
            run = ranked[i: j + 1]
            decided = []
            for a, b in pairwise(run):
                k = next((k for k in tie_break if a.aggregates[k] != b.aggregates[k]), "")
                decided.append(k)
            ties.append(Tie(tuple(r.brand for r in run), tuple(decided)))
        i = j + 1
    return ties


